// Benchmark comparison. A benchmark is any priced commodity. Its return is measured over exactly
// the portfolio's INCLUDED TWR sub-periods (start, end] and linked the same way, so a period the
// portfolio skipped (no capital at risk) is skipped for the benchmark too. The benchmark price on a
// date is the last price dated on or before it. Excess return = portfolio - benchmark
// (arithmetic), cumulative and, when both are annualised, annualised.
import type { Decimal } from 'decimal.js';
import { RatioDec, dec, quotient, ratio } from './decimal';
import { indexAtOrBefore } from './lookup';
import { assertIncreasingDates, parseInput } from './parse';
import { ANNUALISE_MIN_DAYS, DAYS_PER_YEAR, computeTwr } from './twr';
import { type BenchmarkSeries, BenchmarkSeriesSchema, type Maybe, type ValuedSeries } from './types';

export interface BenchmarkSubPeriod {
  start: string;
  end: string;
  startPrice: string;
  startPriceDate: string;
  endPrice: string;
  endPriceDate: string;
  benchmarkReturn: string;
  portfolioReturn: string;
  excessReturn: string;
}

export type BenchmarkComparison = Maybe<{
  commodity: string;
  source: string | null;
  start: string;
  end: string;
  portfolioReturn: string;
  benchmarkReturn: string;
  excessReturn: string;
  portfolioAnnualised: string | null;
  benchmarkAnnualised: string | null;
  excessAnnualised: string | null;
  annualisedReason: string | null;
  subPeriods: BenchmarkSubPeriod[];
}>;

export function compareWithBenchmark(
  portfolio: ValuedSeries,
  benchmarkInput: BenchmarkSeries,
): BenchmarkComparison {
  const bench = parseInput(BenchmarkSeriesSchema, benchmarkInput, 'benchmark series');
  assertIncreasingDates(
    bench.prices.map((p) => p.date),
    'benchmark price',
  );
  const { result, returns, growth } = computeTwr(portfolio);
  if (growth === null) {
    return { defined: false, reason: result.cumulativeReason ?? 'the portfolio has no return' };
  }
  const subPeriods: BenchmarkSubPeriod[] = [];
  let benchGrowth: Decimal = new RatioDec(1);
  for (let i = 0; i < result.subPeriods.length; i += 1) {
    const p = result.subPeriods[i]!;
    const r = returns[i];
    if (r === null || r === undefined) continue;
    const a = indexAtOrBefore(bench.prices, p.start);
    const b = indexAtOrBefore(bench.prices, p.end);
    if (a < 0) {
      return { defined: false, reason: `the benchmark has no price on or before ${p.start}` };
    }
    const pa = bench.prices[a]!;
    const pb = bench.prices[b]!;
    const startPrice = dec(pa.price);
    if (!startPrice.gt(0)) {
      return { defined: false, reason: `the benchmark price on ${pa.date} is not positive` };
    }
    const br = quotient(dec(pb.price), startPrice).minus(1);
    benchGrowth = benchGrowth.times(br.plus(1));
    subPeriods.push({
      start: p.start,
      end: p.end,
      startPrice: pa.price,
      startPriceDate: pa.date,
      endPrice: pb.price,
      endPriceDate: pb.date,
      benchmarkReturn: ratio(br),
      portfolioReturn: ratio(r),
      excessReturn: ratio(r.minus(br)),
    });
  }
  const pr = growth.minus(1);
  const brc = benchGrowth.minus(1);
  let pAnn: Decimal | null = null;
  let bAnn: Decimal | null = null;
  let annualisedReason: string | null = null;
  if (result.calendarDays < ANNUALISE_MIN_DAYS) {
    annualisedReason = result.annualisedReason;
  } else if (!growth.gt(0) || !benchGrowth.gt(0)) {
    annualisedReason = 'a cumulative return at or below -100% is not annualised';
  } else {
    const e = quotient(dec(DAYS_PER_YEAR), dec(result.calendarDays));
    pAnn = growth.pow(e).minus(1);
    bAnn = benchGrowth.pow(e).minus(1);
  }
  return {
    defined: true,
    commodity: bench.commodity,
    source: bench.source ?? null,
    start: result.start,
    end: result.end,
    portfolioReturn: ratio(pr),
    benchmarkReturn: ratio(brc),
    excessReturn: ratio(pr.minus(brc)),
    portfolioAnnualised: pAnn === null ? null : ratio(pAnn),
    benchmarkAnnualised: bAnn === null ? null : ratio(bAnn),
    excessAnnualised: pAnn === null || bAnn === null ? null : ratio(pAnn.minus(bAnn)),
    annualisedReason,
    subPeriods,
  };
}

/** Benchmark returns over the same sub-periods as floats, for beta and correlation. */
export function benchmarkReturnSeries(
  c: BenchmarkComparison,
): { start: string; end: string; value: number }[] {
  if (!c.defined) return [];
  return c.subPeriods.map((p) => ({ start: p.start, end: p.end, value: Number(p.benchmarkReturn) }));
}
