// The plain data the analytics work on, as zod schemas with their inferred types. The analytics do
// not know where the data comes from (ledger, pricing pack, a test): a caller parses its inputs
// with these schemas at the boundary and passes typed values in.
//
// Conventions every schema shares:
// - Dates are ISO calendar dates `YYYY-MM-DD` (no time of day, no zone).
// - Money, units and prices are decimal strings (`-12.50`, `0.00012`), never JS numbers.
// - Money is in the portfolio's base currency unless a field says otherwise.
// - External flows: POSITIVE = money INTO the portfolio (deposit, transfer in), NEGATIVE = money
//   OUT of the portfolio (withdrawal, transfer out). Internal moves (buy, sell, dividend kept in the
//   portfolio's cash) are not external flows.
import { z } from 'zod';
import { isIsoDate } from './dates';

export const DecimalStringSchema = z
  .string()
  .regex(/^[-+]?\d+(\.\d+)?$/, 'expected a decimal string such as 123.45');
export type DecimalString = z.infer<typeof DecimalStringSchema>;

export const IsoDateSchema = z.string().refine(isIsoDate, 'expected a calendar date YYYY-MM-DD');
export type IsoDate = z.infer<typeof IsoDateSchema>;

/** The market value of a portfolio (or of one holding) at the close of `date`. */
export const ValuationPointSchema = z.object({
  date: IsoDateSchema,
  value: DecimalStringSchema,
});
export type ValuationPoint = z.infer<typeof ValuationPointSchema>;

/** An external cash flow; positive = money into the portfolio (see the file comment). */
export const ExternalFlowSchema = z.object({
  date: IsoDateSchema,
  amount: DecimalStringSchema,
  /** Free text shown in drill-downs (e.g. the ledger narration); never interpreted. */
  note: z.string().max(200).optional(),
});
export type ExternalFlow = z.infer<typeof ExternalFlowSchema>;

/**
 * A value series with its external flows. The first valuation is the opening value of the
 * period; flows dated on or before it are already inside it and are ignored.
 */
export const ValuedSeriesSchema = z.object({
  valuations: z.array(ValuationPointSchema).min(1),
  flows: z.array(ExternalFlowSchema),
});
export type ValuedSeries = z.infer<typeof ValuedSeriesSchema>;

/**
 * One holding's own series: its market value each day (base currency) and the money that moved
 * into the holding (purchases, positive) and out of it (sale proceeds, cash income paid out of it,
 * negative). Its TWR is computed exactly like a portfolio's.
 */
export const HoldingSeriesSchema = ValuedSeriesSchema.extend({
  holdingId: z.string().min(1).max(200),
});
export type HoldingSeries = z.infer<typeof HoldingSeriesSchema>;

export const PricePointSchema = z.object({
  date: IsoDateSchema,
  price: DecimalStringSchema,
});
export type PricePoint = z.infer<typeof PricePointSchema>;

/** A benchmark: any priced commodity (an index ETF, a fund, gold...). */
export const BenchmarkSeriesSchema = z.object({
  commodity: z.string().min(1).max(200),
  prices: z.array(PricePointSchema).min(1),
  /** Where the prices come from (e.g. a pricing pack id), copied into the drill-down. */
  source: z.string().max(200).optional(),
});
export type BenchmarkSeries = z.infer<typeof BenchmarkSeriesSchema>;

/** `rate` = units of `base` currency for 1 unit of `quote` currency at the close of `date`. */
export const FxRatePointSchema = z.object({
  date: IsoDateSchema,
  rate: DecimalStringSchema,
});
export type FxRatePoint = z.infer<typeof FxRatePointSchema>;

export const FxSeriesSchema = z.object({
  base: z.string().min(1).max(24),
  quote: z.string().min(1).max(24),
  rates: z.array(FxRatePointSchema).min(1),
});
export type FxSeries = z.infer<typeof FxSeriesSchema>;

/** An open lot as the ledger booked it; `costBasis` is the TOTAL cost in base currency. */
export const LotSchema = z.object({
  lotId: z.string().min(1).max(200),
  commodity: z.string().min(1).max(200),
  account: z.string().min(1).max(400),
  units: DecimalStringSchema,
  costBasis: DecimalStringSchema,
  acquired: IsoDateSchema,
});
export type Lot = z.infer<typeof LotSchema>;

/**
 * A disposal as the ledger booked it: proceeds and the cost basis of the lots it reduced, both in
 * base currency. Realized P&L is `proceeds - costBasis`, never recomputed from a later price.
 */
export const DisposalSchema = z.object({
  date: IsoDateSchema,
  commodity: z.string().min(1).max(200),
  account: z.string().min(1).max(400),
  units: DecimalStringSchema,
  proceeds: DecimalStringSchema,
  costBasis: DecimalStringSchema,
  lotId: z.string().max(200).optional(),
});
export type Disposal = z.infer<typeof DisposalSchema>;

export const CashEventKindSchema = z.enum(['dividend', 'interest', 'fee', 'tax']);
export type CashEventKind = z.infer<typeof CashEventKindSchema>;

/**
 * Income and costs. `amount` is a magnitude in the event's natural direction: money received for
 * dividends and interest, money paid for fees and taxes. A refund or reversal is negative.
 */
export const CashEventSchema = z.object({
  date: IsoDateSchema,
  kind: CashEventKindSchema,
  amount: DecimalStringSchema,
  commodity: z.string().max(200).optional(),
  account: z.string().max(400).optional(),
});
export type CashEvent = z.infer<typeof CashEventSchema>;

/** The price used to value a commodity, in base currency per unit, with where it came from. */
export const MarketPriceSchema = z.object({
  commodity: z.string().min(1).max(200),
  price: DecimalStringSchema,
  date: IsoDateSchema,
  source: z.string().max(200).optional(),
});
export type MarketPrice = z.infer<typeof MarketPriceSchema>;

/** A position for allocation and concentration: its value in base currency and its metadata. */
export const PositionSchema = z.object({
  commodity: z.string().min(1).max(200),
  account: z.string().min(1).max(400),
  value: DecimalStringSchema,
  assetClass: z.string().max(100).optional(),
  currency: z.string().max(24).optional(),
  sector: z.string().max(100).optional(),
  country: z.string().max(100).optional(),
  issuer: z.string().max(200).optional(),
});
export type Position = z.infer<typeof PositionSchema>;

/** A return over one sub-period (start, end], as a float, for statistics. */
export const PeriodReturnSchema = z.object({
  start: IsoDateSchema,
  end: IsoDateSchema,
  value: z.number().finite(),
});
export type PeriodReturn = z.infer<typeof PeriodReturnSchema>;

/** A metric that may not exist for the data given; never NaN or Infinity. */
export type Maybe<T> = ({ defined: true } & T) | { defined: false; reason: string };
