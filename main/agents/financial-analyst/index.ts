// financial_analyst: every portfolio figure, computed from the ledger's booked transactions and the
// pinned pricing pack by calling main/analytics. Each panel carries its drill-down: the sub-period
// returns, the cash flows with dates and amounts, and the prices used with their pack, so a user can
// recompute any figure by hand (docs/cli.md, "Patterns, run, demo").
import { z } from 'zod';
import { allocation, concentration, type AllocationDimension } from '../../analytics/allocation';
import { compareWithBenchmark, benchmarkReturnSeries } from '../../analytics/benchmark';
import { currencyDecomposition } from '../../analytics/currency';
import { daysBetween } from '../../analytics/dates';
import { ZERO, dec, money } from '../../analytics/decimal';
import { holdingReturns } from '../../analytics/holdings';
import { profitAndLoss } from '../../analytics/pnl';
import { riskMetrics } from '../../analytics/risk';
import { timeWeightedReturn, twrReturnSeries } from '../../analytics/twr';
import type { CashEvent, MarketPrice, ValuedSeries } from '../../analytics/types';
import { moneyWeightedReturn } from '../../analytics/xirr';
import type { CapabilityContext, CapabilityRegistry, CapabilityResult } from '../../orchestrator/capability';
import { openLots, positionsAt, type Book } from '../book/book';
import { fundamentalsDataSchema, pricesDataSchema, type PricesData } from '../data-harvester/schemas';
import type { BookCache, PinnedInputs } from '../environment';
import { LEDGER_PROVENANCE, OWN_DATA_RIGHTS } from '../provenance';
import { positionsForAllocation, valuePositions } from './valuation';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const optionalDate = isoDate.nullable().optional();
const decimalString = z.string().regex(/^-?\d+(\.\d+)?$/);
const panelData = z.record(z.string(), z.unknown());

const DIMENSION_KEYS: Record<string, AllocationDimension> = {
  asset_class: 'assetClass',
  currency: 'currency',
  account: 'account',
  sector: 'sector',
  country: 'country',
  issuer: 'issuer',
  commodity: 'commodity',
};

/**
 * Observations per year used to annualise volatility and ratios: the included sub-periods per 365
 * calendar days of the period, rounded (about 252-261 for weekday prices, 52 for weekly), at least 1.
 */
export function observedPeriodsPerYear(observations: number, calendarDays: number): number {
  if (observations <= 0 || calendarDays <= 0) return 1;
  return Math.max(1, Math.round((observations * 365) / calendarDays));
}

function seriesOf(book: Book): ValuedSeries {
  return {
    valuations: book.dates.map((date, i) => ({ date, value: money(book.values[i]!) })),
    flows: book.flows.map((f) => ({ date: f.date, amount: money(f.amount), note: f.note })),
  };
}

function result<T>(
  data: T,
  p: PinnedInputs,
  ctx: CapabilityContext,
  extra: { stale?: boolean; message?: string } = {},
): CapabilityResult<T> {
  return {
    data,
    ...extra,
    provenance: [
      LEDGER_PROVENANCE(ctx.ledger_commit_hash, p.prices.asOf),
      { provider: p.prices.provider, dataset: p.prices.dataset, as_of: p.prices.asOf },
    ],
    rights: OWN_DATA_RIGHTS,
  };
}

function pricesUsed(p: PinnedInputs, book: Book, date: string) {
  const rows = positionsAt(p.snapshot.entries, p.selection, date);
  return [...new Set(rows.filter((r) => !r.units.isZero()).map((r) => r.commodity))].sort().map((c) => {
    const conv = p.prices.convert(c, p.base, date);
    return {
      commodity: c,
      date,
      price: conv?.localPrice ? money(conv.localPrice) : conv ? '1' : null,
      quote: conv?.quote ?? null,
      price_date: conv?.localDate ?? null,
      fx_rate: conv?.fxRate ? money(conv.fxRate) : null,
      fx_date: conv?.fxDate ?? null,
      base_price: conv ? money(conv.rate) : null,
      pricing_pack_id: book.packId,
    };
  });
}

function unpricedNote(book: Book): { stale?: boolean; message?: string } {
  return book.unpriced.length > 0
    ? { stale: true, message: `no price for ${book.unpriced.length} held commodities; valued at zero` }
    : {};
}

function inPeriod(date: string, book: Book): boolean {
  return date > book.from && date <= book.to;
}

export function registerFinancialAnalyst(registry: CapabilityRegistry, books: BookCache): void {
  registry.registerCapability('financial_analyst.valuation', {
    description: 'Positions and total value in base currency at the pinned pack.',
    input: z.object({}).loose(),
    output: panelData,
    async run(_input, ctx) {
      const p = await books.pinned(ctx);
      const { valuation } = valuePositions(p, p.prices.asOf);
      return result({ portfolio_id: ctx.portfolio_id, ...valuation }, p, ctx, {
        ...(valuation.unpriced.length > 0
          ? {
              stale: true,
              message: `no price for ${valuation.unpriced.length} held commodities; valued at zero`,
            }
          : {}),
      });
    },
  });

  registry.registerCapability('financial_analyst.pnl', {
    description: 'Unrealized and realized P&L per lot, as the ledger booked it.',
    input: z.object({ from: optionalDate, to: optionalDate }),
    output: panelData,
    async run(input, ctx) {
      const p = await books.pinned(ctx);
      const book = await books.book(ctx, { from: input.from ?? null, to: input.to ?? null }, false);
      const rows = positionsAt(p.snapshot.entries, p.selection, book.to);
      const { lots, unconverted } = openLots(rows, p.base, p.prices, book.to);
      const prices: MarketPrice[] = [];
      for (const c of [...new Set(lots.map((l) => l.commodity))].sort()) {
        const conv = p.prices.convert(c, p.base, book.to);
        if (conv)
          prices.push({
            commodity: c,
            price: money(conv.rate),
            date: conv.localDate ?? book.to,
            source: book.packId,
          });
      }
      const pnl = profitAndLoss({
        lots,
        disposals: book.disposals,
        cashEvents: book.cashEvents,
        prices,
        from: book.from,
        to: book.to,
      });
      return result(
        {
          portfolio_id: ctx.portfolio_id,
          base: p.base,
          pricing_pack_id: book.packId,
          lots_without_fx: unconverted,
          ...pnl,
        },
        p,
        ctx,
        pnl.complete && unconverted.length === 0
          ? {}
          : { stale: true, message: 'some lots could not be priced' },
      );
    },
  });

  registry.registerCapability('financial_analyst.income', {
    description: 'Dividends, interest, fees and taxes over the period.',
    input: z.object({ from: optionalDate, to: optionalDate }),
    output: panelData,
    async run(input, ctx) {
      const p = await books.pinned(ctx);
      const book = await books.book(ctx, { from: input.from ?? null, to: input.to ?? null }, false);
      const events = book.cashEvents.filter((e) => inPeriod(e.date, book));
      const totals = { dividend: ZERO, interest: ZERO, fee: ZERO, tax: ZERO };
      const byCommodity = new Map<string, typeof totals>();
      for (const e of events) {
        totals[e.kind] = totals[e.kind].plus(dec(e.amount));
        const key = e.commodity ?? '(portfolio)';
        const t = byCommodity.get(key) ?? { dividend: ZERO, interest: ZERO, fee: ZERO, tax: ZERO };
        t[e.kind] = t[e.kind].plus(dec(e.amount));
        byCommodity.set(key, t);
      }
      const fmt = (t: typeof totals) => ({
        dividends: money(t.dividend),
        interest: money(t.interest),
        fees: money(t.fee),
        taxes: money(t.tax),
        net: money(t.dividend.plus(t.interest).minus(t.fee).minus(t.tax)),
      });
      return result(
        {
          portfolio_id: ctx.portfolio_id,
          base: p.base,
          from: book.from,
          to: book.to,
          formula: 'net = dividends + interest - fees - taxes',
          totals: fmt(totals),
          by_commodity: [...byCommodity.keys()]
            .sort()
            .map((k) => ({ commodity: k, ...fmt(byCommodity.get(k)!) })),
          events: events satisfies CashEvent[],
        },
        p,
        ctx,
      );
    },
  });

  registry.registerCapability('financial_analyst.performance', {
    description:
      'TWR, MWR (XIRR), returns per holding, benchmark comparison, currency vs local price effect.',
    input: z.object({
      from: optionalDate,
      to: optionalDate,
      benchmark: z.string().max(64).nullable().optional(),
      prices: pricesDataSchema,
      by_holding: z.boolean(),
    }),
    output: panelData,
    async run(input, ctx) {
      const p = await books.pinned(ctx);
      const book = await books.book(
        ctx,
        { from: input.from ?? null, to: input.to ?? null },
        input.by_holding,
      );
      const series = seriesOf(book);
      const twr = timeWeightedReturn(series);
      const mwr = moneyWeightedReturn(series);
      const bench = benchmarkOf(input.prices, book);
      const benchmark = bench.series ? compareWithBenchmark(series, bench.series) : null;
      let holdings: unknown[] | null = null;
      if (input.by_holding && book.holdings) {
        holdings = [];
        const hs = [...book.holdings.values()].filter(
          (h) => h.values.some((v) => !v.isZero()) || h.flows.some((f) => inPeriod(f.date, book)),
        );
        const returns = holdingReturns(
          hs.map((h) => ({
            holdingId: h.commodity,
            valuations: book.dates.map((date, i) => ({ date, value: money(h.values[i]!) })),
            flows: h.flows.map((f) => ({ date: f.date, amount: money(f.amount), note: f.note })),
          })),
          { detail: 'summary' },
        );
        hs.forEach((h, i) => {
          let currency: unknown = null;
          if (h.localValues && h.localFlows) {
            const fxHistory = fxSeries(p, h.quote, book);
            if (fxHistory) {
              const d = currencyDecomposition(
                {
                  valuations: book.dates.map((date, k) => ({ date, value: money(h.localValues![k]!) })),
                  flows: h.localFlows.map((f) => ({ date: f.date, amount: money(f.amount) })),
                },
                fxHistory,
              );
              if (d.defined) {
                const { subPeriods, ...totals } = d;
                currency = { ...totals, sub_periods: subPeriods.length };
              } else currency = d;
            }
          }
          holdings!.push({
            commodity: h.commodity,
            quote: h.quote,
            opening_value: money(h.values[0]!),
            closing_value: money(h.values.at(-1)!),
            twr: returns[i]!.twr,
            currency_effect: currency,
          });
        });
      }
      return result(
        {
          portfolio_id: ctx.portfolio_id,
          base: p.base,
          from: book.from,
          to: book.to,
          pricing_pack_id: book.packId,
          twr,
          mwr,
          benchmark,
          benchmark_reason: bench.reason,
          holdings,
          drill_down: {
            cash_flows: series.flows,
            opening_prices: pricesUsed(p, book, book.from),
            closing_prices: pricesUsed(p, book, book.to),
          },
          unpriced: book.unpriced,
        },
        p,
        ctx,
        unpricedNote(book),
      );
    },
  });

  registry.registerCapability('financial_analyst.risk', {
    description: 'Volatility, Sharpe, Sortino, max drawdown, beta, correlation, VaR and CVaR.',
    input: z.object({
      from: optionalDate,
      to: optionalDate,
      benchmark: z.string().max(64).nullable().optional(),
      risk_free: decimalString.nullable().optional(),
      confidence_levels: z.array(decimalString).min(1).max(5),
      prices: pricesDataSchema,
    }),
    output: panelData,
    async run(input, ctx) {
      const p = await books.pinned(ctx);
      const book = await books.book(ctx, { from: input.from ?? null, to: input.to ?? null }, false);
      const series = seriesOf(book);
      const twr = timeWeightedReturn(series);
      const returns = twrReturnSeries(twr);
      const bench = benchmarkOf(input.prices, book);
      const comparison = bench.series ? compareWithBenchmark(series, bench.series) : null;
      const periodsPerYear = observedPeriodsPerYear(returns.length, daysBetween(book.from, book.to));
      const risk = riskMetrics({
        returns,
        ...(comparison ? { benchmarkReturns: benchmarkReturnSeries(comparison) } : {}),
        riskFreeRate: input.risk_free ?? '0',
        periodsPerYear,
        confidenceLevels: input.confidence_levels,
      });
      return result(
        {
          portfolio_id: ctx.portfolio_id,
          base: p.base,
          from: book.from,
          to: book.to,
          pricing_pack_id: book.packId,
          periods_per_year_rule: 'round(included sub-periods x 365 / calendar days)',
          benchmark_commodity: bench.series ? bench.series.commodity : null,
          benchmark_reason: bench.reason,
          twr_cumulative: twr.cumulativeReturn,
          ...risk,
        },
        p,
        ctx,
        unpricedNote(book),
      );
    },
  });

  registry.registerCapability('financial_analyst.allocation', {
    description: 'Allocation by asset class, currency, account, sector and country.',
    input: z.object({
      dimensions: z.array(z.enum(Object.keys(DIMENSION_KEYS) as [string, ...string[]])).min(1),
      fundamentals: fundamentalsDataSchema,
    }),
    output: panelData,
    async run(input, ctx) {
      const p = await books.pinned(ctx);
      const { valuation } = valuePositions(p, p.prices.asOf);
      const positions = positionsForAllocation(valuation, input.fundamentals);
      const a = allocation(positions);
      const data = a.defined
        ? {
            defined: true,
            total: a.total,
            weight_decimals: a.weightDecimals,
            rounding: a.rounding,
            dimensions: Object.fromEntries(
              input.dimensions.map((d) => [d, a.dimensions[DIMENSION_KEYS[d]!]]),
            ),
          }
        : a;
      return result(
        { portfolio_id: ctx.portfolio_id, base: p.base, as_of: p.prices.asOf, ...data, positions },
        p,
        ctx,
      );
    },
  });

  registry.registerCapability('financial_analyst.concentration', {
    description: 'Largest positions, issuer and sector concentration vs thresholds.',
    input: z.object({
      fundamentals: fundamentalsDataSchema,
      thresholds: z.object({ position: decimalString, issuer: decimalString, sector: decimalString }),
      top: z.number().int().min(1).max(100),
    }),
    output: panelData,
    async run(input, ctx) {
      const p = await books.pinned(ctx);
      const { valuation } = valuePositions(p, p.prices.asOf);
      const positions = positionsForAllocation(valuation, input.fundamentals);
      const c = concentration(positions, { thresholds: input.thresholds, top: input.top });
      return result({ portfolio_id: ctx.portfolio_id, base: p.base, as_of: p.prices.asOf, ...c }, p, ctx);
    },
  });
}

function benchmarkOf(
  prices: PricesData,
  book: Book,
): {
  series: { commodity: string; prices: { date: string; price: string }[]; source: string } | null;
  reason: string | null;
} {
  if (prices.benchmark === null) return { series: null, reason: prices.benchmark_reason };
  const points = prices.benchmark.prices.filter((pt) => pt.date <= book.to);
  if (points.length === 0) return { series: null, reason: 'the benchmark has no price in the period' };
  return {
    series: { commodity: prices.benchmark.commodity, prices: points, source: prices.pricing_pack_id },
    reason: null,
  };
}

function fxSeries(p: PinnedInputs, quote: string, book: Book) {
  const rates: { date: string; rate: string }[] = [];
  for (const date of book.dates) {
    const c = p.prices.convert(quote, p.base, date);
    if (c) rates.push({ date, rate: money(c.rate) });
  }
  return rates.length > 0 ? { base: p.base, quote, rates } : null;
}
