// Profit and loss, as exact decimal sums (base currency):
//   unrealized per open lot = units * price - costBasis      (price: the one given, with its source)
//   realized per disposal   = proceeds - costBasis            (as the ledger booked them: never
//                                                               recomputed from another price)
//   income                  = dividends + interest
//   net                     = unrealized + realized + income - fees - taxes
// Disposals and cash events count when dated in the period (from, to]; a missing bound is open.
// A lot whose commodity has no price is listed as unpriced, left out of the totals, and the
// result says it is incomplete.
import type { Decimal } from 'decimal.js';
import { z } from 'zod';
import { ZERO, dec, money } from './decimal';
import { AnalyticsInputError } from './errors';
import { parseInput } from './parse';
import {
  type CashEvent,
  CashEventSchema,
  type CashEventKind,
  DisposalSchema,
  IsoDateSchema,
  LotSchema,
  MarketPriceSchema,
} from './types';

export const PnlInputSchema = z.object({
  lots: z.array(LotSchema),
  disposals: z.array(DisposalSchema),
  cashEvents: z.array(CashEventSchema),
  prices: z.array(MarketPriceSchema),
  from: IsoDateSchema.optional(),
  to: IsoDateSchema.optional(),
});
export type PnlInput = z.infer<typeof PnlInputSchema>;

export interface LotPnl {
  lotId: string;
  commodity: string;
  account: string;
  acquired: string;
  units: string;
  costBasis: string;
  price: string;
  priceDate: string;
  priceSource: string | null;
  marketValue: string;
  unrealized: string;
}

export interface DisposalPnl {
  date: string;
  commodity: string;
  account: string;
  units: string;
  proceeds: string;
  costBasis: string;
  realized: string;
  lotId: string | null;
}

export interface CommodityPnl {
  commodity: string;
  units: string;
  marketValue: string;
  costBasis: string;
  unrealized: string;
  realized: string;
  income: string;
}

export interface PnlTotals {
  marketValue: string;
  costBasis: string;
  unrealized: string;
  realized: string;
  dividends: string;
  interest: string;
  income: string;
  fees: string;
  taxes: string;
  net: string;
}

export interface PnlResult {
  from: string | null;
  to: string | null;
  formula: 'net = unrealized + realized + dividends + interest - fees - taxes';
  complete: boolean;
  totals: PnlTotals;
  byCommodity: CommodityPnl[];
  lots: LotPnl[];
  unpricedLots: { lotId: string; commodity: string; reason: string }[];
  disposals: DisposalPnl[];
  cashEvents: CashEvent[];
}

function inPeriod(date: string, from: string | undefined, to: string | undefined): boolean {
  return (from === undefined || date > from) && (to === undefined || date <= to);
}

interface Acc {
  units: Decimal;
  marketValue: Decimal;
  costBasis: Decimal;
  unrealized: Decimal;
  realized: Decimal;
  income: Decimal;
}

export function profitAndLoss(raw: PnlInput): PnlResult {
  const input = parseInput(PnlInputSchema, raw, 'P&L input');
  const prices = new Map<string, (typeof input.prices)[number]>();
  for (const p of input.prices) {
    if (prices.has(p.commodity)) throw new AnalyticsInputError('Give one price per commodity.');
    prices.set(p.commodity, p);
  }
  const per = new Map<string, Acc>();
  const acc = (c: string): Acc => {
    let a = per.get(c);
    if (!a) {
      a = { units: ZERO, marketValue: ZERO, costBasis: ZERO, unrealized: ZERO, realized: ZERO, income: ZERO };
      per.set(c, a);
    }
    return a;
  };

  const lots: LotPnl[] = [];
  const unpricedLots: PnlResult['unpricedLots'] = [];
  let mv = ZERO;
  let cost = ZERO;
  let unrealized = ZERO;
  for (const lot of input.lots) {
    const price = prices.get(lot.commodity);
    if (!price) {
      unpricedLots.push({
        lotId: lot.lotId,
        commodity: lot.commodity,
        reason: 'no price for this commodity',
      });
      continue;
    }
    const units = dec(lot.units);
    const value = units.times(price.price);
    const basis = dec(lot.costBasis);
    const u = value.minus(basis);
    mv = mv.plus(value);
    cost = cost.plus(basis);
    unrealized = unrealized.plus(u);
    const a = acc(lot.commodity);
    a.units = a.units.plus(units);
    a.marketValue = a.marketValue.plus(value);
    a.costBasis = a.costBasis.plus(basis);
    a.unrealized = a.unrealized.plus(u);
    lots.push({
      lotId: lot.lotId,
      commodity: lot.commodity,
      account: lot.account,
      acquired: lot.acquired,
      units: money(units),
      costBasis: money(basis),
      price: price.price,
      priceDate: price.date,
      priceSource: price.source ?? null,
      marketValue: money(value),
      unrealized: money(u),
    });
  }

  let realized = ZERO;
  const disposals: DisposalPnl[] = [];
  for (const d of input.disposals) {
    if (!inPeriod(d.date, input.from, input.to)) continue;
    const r = dec(d.proceeds).minus(d.costBasis);
    realized = realized.plus(r);
    acc(d.commodity).realized = acc(d.commodity).realized.plus(r);
    disposals.push({
      date: d.date,
      commodity: d.commodity,
      account: d.account,
      units: money(dec(d.units)),
      proceeds: money(dec(d.proceeds)),
      costBasis: money(dec(d.costBasis)),
      realized: money(r),
      lotId: d.lotId ?? null,
    });
  }

  const byKind: Record<CashEventKind, Decimal> = { dividend: ZERO, interest: ZERO, fee: ZERO, tax: ZERO };
  const cashEvents: CashEvent[] = [];
  for (const e of input.cashEvents) {
    if (!inPeriod(e.date, input.from, input.to)) continue;
    byKind[e.kind] = byKind[e.kind].plus(e.amount);
    if (e.commodity !== undefined && (e.kind === 'dividend' || e.kind === 'interest')) {
      acc(e.commodity).income = acc(e.commodity).income.plus(e.amount);
    }
    cashEvents.push(e);
  }
  const income = byKind.dividend.plus(byKind.interest);
  const net = unrealized.plus(realized).plus(income).minus(byKind.fee).minus(byKind.tax);

  return {
    from: input.from ?? null,
    to: input.to ?? null,
    formula: 'net = unrealized + realized + dividends + interest - fees - taxes',
    complete: unpricedLots.length === 0,
    totals: {
      marketValue: money(mv),
      costBasis: money(cost),
      unrealized: money(unrealized),
      realized: money(realized),
      dividends: money(byKind.dividend),
      interest: money(byKind.interest),
      income: money(income),
      fees: money(byKind.fee),
      taxes: money(byKind.tax),
      net: money(net),
    },
    byCommodity: [...per.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([commodity, a]) => ({
        commodity,
        units: money(a.units),
        marketValue: money(a.marketValue),
        costBasis: money(a.costBasis),
        unrealized: money(a.unrealized),
        realized: money(a.realized),
        income: money(a.income),
      })),
    lots,
    unpricedLots,
    disposals,
    cashEvents,
  };
}
