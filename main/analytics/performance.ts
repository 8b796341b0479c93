// One call for the performance panel: TWR, MWR, benchmark comparison and risk of one portfolio
// series, all from the same inputs, so every figure shares the same sub-periods.
import { benchmarkReturnSeries, compareWithBenchmark, type BenchmarkComparison } from './benchmark';
import { type RiskResult, riskMetrics } from './risk';
import { timeWeightedReturn, twrReturnSeries, type TwrResult } from './twr';
import type { BenchmarkSeries, ValuedSeries } from './types';
import { moneyWeightedReturn, type MwrResult } from './xirr';

export interface PerformanceInput {
  portfolio: ValuedSeries;
  benchmark?: BenchmarkSeries;
  /** Annual effective rate as a decimal string, default "0". */
  riskFreeRate?: string;
  /** Return observations per year for annualising volatility and ratios, default 252. */
  periodsPerYear?: number;
  confidenceLevels?: string[];
}

export interface PerformanceReport {
  twr: TwrResult;
  mwr: MwrResult;
  benchmark: BenchmarkComparison | null;
  risk: RiskResult;
}

export function performanceReport(input: PerformanceInput): PerformanceReport {
  const twr = timeWeightedReturn(input.portfolio);
  const mwr = moneyWeightedReturn(input.portfolio);
  const benchmark = input.benchmark ? compareWithBenchmark(input.portfolio, input.benchmark) : null;
  const risk = riskMetrics({
    returns: twrReturnSeries(twr),
    ...(benchmark ? { benchmarkReturns: benchmarkReturnSeries(benchmark) } : {}),
    ...(input.riskFreeRate !== undefined ? { riskFreeRate: input.riskFreeRate } : {}),
    ...(input.periodsPerYear !== undefined ? { periodsPerYear: input.periodsPerYear } : {}),
    ...(input.confidenceLevels !== undefined ? { confidenceLevels: input.confidenceLevels } : {}),
  });
  return { twr, mwr, benchmark, risk };
}
