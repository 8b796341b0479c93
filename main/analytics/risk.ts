// Risk statistics over a series of sub-period returns (normally the included daily TWR
// sub-periods, see twrReturnSeries). These are statistics, computed in floats (IEEE double);
// money never passes through here.
//
// Conventions (docs/methodology.md explains each):
// - Volatility: sample standard deviation (n - 1) of the period returns, annualised by
//   sqrt(periodsPerYear); periodsPerYear defaults to TRADING_DAYS_PER_YEAR (252) for a series of
//   trading-day returns. A caller with a calendar-day series passes 365.
// - Risk-free rate: given as an annual effective rate; per period rf_p = (1 + rf)^(1/periodsPerYear) - 1.
// - Sharpe = mean(r - rf_p) / sd(r - rf_p) * sqrt(periodsPerYear).
// - Sortino = mean(r - rf_p) / DD * sqrt(periodsPerYear), DD = sqrt(sum(min(0, r - rf_p)^2) / n)
//   (target = the risk-free rate, n = all observations).
// - Max drawdown on the wealth index W_0 = 1, W_i = W_{i-1} (1 + r_i) (so external flows do not
//   count as losses): max over i of 1 - W_i / max_{j <= i} W_j, with its peak, trough and
//   recovery dates (the first date W is back at the peak, within RECOVERY_TOLERANCE), null when not
//   recovered. Durations are calendar days. The first of equal drawdowns is reported.
// - Beta = cov(p, b) / var(b), correlation = cov(p, b) / (sd(p) sd(b)), on the sub-periods present
//   in both series (paired by start and end date).
// - Historical VaR and CVaR at confidence c: sort the n returns ascending; k = ceil(n (1 - c))
//   (computed exactly, at least 1); VaR = -r_(k) (the lower empirical quantile, no interpolation);
//   CVaR = -mean(r_(1..k)) (the k worst returns, VaR's own included). Losses are positive numbers.
import { z } from 'zod';
import { dec } from './decimal';
import { daysBetween } from './dates';
import { AnalyticsInputError } from './errors';
import { parseInput } from './parse';
import { DecimalStringSchema, type Maybe, type PeriodReturn, PeriodReturnSchema } from './types';

export const TRADING_DAYS_PER_YEAR = 252;
export const DEFAULT_VAR_CONFIDENCE_LEVELS: readonly string[] = ['0.95', '0.99'];
/** W is "back at the peak" when W >= peak * (1 - RECOVERY_TOLERANCE) (float rounding of linked returns). */
export const RECOVERY_TOLERANCE = 1e-12;

export const RiskInputSchema = z.object({
  returns: z.array(PeriodReturnSchema),
  benchmarkReturns: z.array(PeriodReturnSchema).optional(),
  /** Annual effective risk-free rate, e.g. "0.03" for 3 %. Default 0. */
  riskFreeRate: DecimalStringSchema.optional(),
  periodsPerYear: z.number().positive().max(100_000).optional(),
  confidenceLevels: z.array(DecimalStringSchema).optional(),
});
export type RiskInput = z.infer<typeof RiskInputSchema>;

export type Volatility = Maybe<{
  periodStdDev: number;
  annualised: number;
  mean: number;
  observations: number;
}>;
export type Ratio = Maybe<{ value: number; meanExcess: number; denominator: number; observations: number }>;
export type Drawdown = Maybe<{
  maxDrawdown: number;
  peakDate: string | null;
  peakWealth: number;
  troughDate: string | null;
  troughWealth: number;
  recoveryDate: string | null;
  declineDays: number | null;
  recoveryDays: number | null;
  /** Peak to recovery; null while not recovered. */
  durationDays: number | null;
  /** Peak to recovery, or to the last observation while not recovered. */
  underwaterDays: number | null;
}>;
export type BenchmarkRisk = Maybe<{
  beta: number;
  correlation: number;
  covariance: number;
  benchmarkVariance: number;
  observations: number;
  unpaired: number;
}>;
export type ValueAtRisk = {
  confidence: string;
} & Maybe<{
  valueAtRisk: number;
  conditionalValueAtRisk: number;
  rank: number;
  observations: number;
  note: string | null;
  tail: PeriodReturn[];
}>;

export interface RiskResult {
  observations: number;
  periodsPerYear: number;
  riskFree: { annual: string; perPeriod: number; rule: '(1 + annual)^(1 / periodsPerYear) - 1' };
  volatility: Volatility;
  sharpe: Ratio;
  sortino: Ratio;
  drawdown: Drawdown;
  benchmark: BenchmarkRisk | null;
  valueAtRisk: ValueAtRisk[];
  /** The observations every figure above was computed from. */
  returns: PeriodReturn[];
}

/** Mean and sample variance by Welford's one-pass update (stable; exact 0 for a constant series). */
export function meanAndVariance(xs: readonly number[]): { mean: number; variance: number } {
  let mean = 0;
  let m2 = 0;
  let n = 0;
  for (const x of xs) {
    n += 1;
    const d = x - mean;
    mean += d / n;
    m2 += d * (x - mean);
  }
  return { mean, variance: n > 1 ? m2 / (n - 1) : Number.NaN };
}

export function volatility(returns: readonly PeriodReturn[], periodsPerYear: number): Volatility {
  if (returns.length < 2) return { defined: false, reason: 'fewer than two return observations' };
  const { mean, variance } = meanAndVariance(returns.map((r) => r.value));
  const sd = Math.sqrt(Math.max(0, variance));
  return {
    defined: true,
    periodStdDev: sd,
    annualised: sd * Math.sqrt(periodsPerYear),
    mean,
    observations: returns.length,
  };
}

export function sharpeRatio(
  returns: readonly PeriodReturn[],
  rfPerPeriod: number,
  periodsPerYear: number,
): Ratio {
  if (returns.length < 2) return { defined: false, reason: 'fewer than two return observations' };
  const { mean, variance } = meanAndVariance(returns.map((r) => r.value - rfPerPeriod));
  const sd = Math.sqrt(Math.max(0, variance));
  if (sd === 0) return { defined: false, reason: 'zero volatility: the Sharpe ratio is not defined' };
  return {
    defined: true,
    value: (mean / sd) * Math.sqrt(periodsPerYear),
    meanExcess: mean,
    denominator: sd,
    observations: returns.length,
  };
}

export function sortinoRatio(
  returns: readonly PeriodReturn[],
  rfPerPeriod: number,
  periodsPerYear: number,
): Ratio {
  if (returns.length < 2) return { defined: false, reason: 'fewer than two return observations' };
  let sumEx = 0;
  let sumDown = 0;
  for (const r of returns) {
    const e = r.value - rfPerPeriod;
    sumEx += e;
    if (e < 0) sumDown += e * e;
  }
  const dd = Math.sqrt(sumDown / returns.length);
  if (dd === 0)
    return { defined: false, reason: 'no return below the risk-free rate: downside deviation is zero' };
  const mean = sumEx / returns.length;
  return {
    defined: true,
    value: (mean / dd) * Math.sqrt(periodsPerYear),
    meanExcess: mean,
    denominator: dd,
    observations: returns.length,
  };
}

export function maxDrawdown(returns: readonly PeriodReturn[]): Drawdown {
  if (returns.length === 0) return { defined: false, reason: 'no return observations' };
  let wealth = 1;
  let peak = 1;
  let peakDate = returns[0]!.start;
  let best = {
    dd: 0,
    peakDate: null as string | null,
    peakWealth: 1,
    troughDate: null as string | null,
    troughWealth: 1,
    troughIndex: -1,
  };
  const wealthAt: number[] = [];
  for (let i = 0; i < returns.length; i += 1) {
    const r = returns[i]!;
    wealth *= 1 + r.value;
    wealthAt.push(wealth);
    if (wealth > peak) {
      peak = wealth;
      peakDate = r.end;
    }
    const dd = peak > 0 ? 1 - wealth / peak : 0;
    if (dd > best.dd) {
      best = { dd, peakDate, peakWealth: peak, troughDate: r.end, troughWealth: wealth, troughIndex: i };
    }
  }
  if (best.troughDate === null || best.peakDate === null) {
    return {
      defined: true,
      maxDrawdown: 0,
      peakDate: null,
      peakWealth: 1,
      troughDate: null,
      troughWealth: 1,
      recoveryDate: null,
      declineDays: null,
      recoveryDays: null,
      durationDays: null,
      underwaterDays: null,
    };
  }
  let recoveryDate: string | null = null;
  for (let j = best.troughIndex + 1; j < returns.length; j += 1) {
    if (wealthAt[j]! >= best.peakWealth * (1 - RECOVERY_TOLERANCE)) {
      recoveryDate = returns[j]!.end;
      break;
    }
  }
  const last = returns[returns.length - 1]!.end;
  return {
    defined: true,
    maxDrawdown: best.dd,
    peakDate: best.peakDate,
    peakWealth: best.peakWealth,
    troughDate: best.troughDate,
    troughWealth: best.troughWealth,
    recoveryDate,
    declineDays: daysBetween(best.peakDate, best.troughDate),
    recoveryDays: recoveryDate === null ? null : daysBetween(best.troughDate, recoveryDate),
    durationDays: recoveryDate === null ? null : daysBetween(best.peakDate, recoveryDate),
    underwaterDays: daysBetween(best.peakDate, recoveryDate ?? last),
  };
}

export function benchmarkRisk(
  returns: readonly PeriodReturn[],
  benchmarkReturns: readonly PeriodReturn[],
): BenchmarkRisk {
  const bench = new Map(benchmarkReturns.map((b) => [`${b.start}|${b.end}`, b.value]));
  const p: number[] = [];
  const b: number[] = [];
  for (const r of returns) {
    const v = bench.get(`${r.start}|${r.end}`);
    if (v === undefined) continue;
    p.push(r.value);
    b.push(v);
  }
  const n = p.length;
  if (n < 2) return { defined: false, reason: 'fewer than two sub-periods with both returns' };
  const mp = p.reduce((s, x) => s + x, 0) / n;
  const mb = b.reduce((s, x) => s + x, 0) / n;
  let cov = 0;
  let vp = 0;
  let vb = 0;
  for (let i = 0; i < n; i += 1) {
    const dp = p[i]! - mp;
    const db = b[i]! - mb;
    cov += dp * db;
    vp += dp * dp;
    vb += db * db;
  }
  cov /= n - 1;
  vp /= n - 1;
  vb /= n - 1;
  if (vb === 0) return { defined: false, reason: 'the benchmark returns do not vary: beta is not defined' };
  if (vp === 0)
    return { defined: false, reason: 'the portfolio returns do not vary: correlation is not defined' };
  const corr = Math.max(-1, Math.min(1, cov / Math.sqrt(vp * vb)));
  return {
    defined: true,
    beta: cov / vb,
    correlation: corr,
    covariance: cov,
    benchmarkVariance: vb,
    observations: n,
    unpaired: returns.length - n,
  };
}

export function historicalVaR(returns: readonly PeriodReturn[], confidence: string): ValueAtRisk {
  const c = dec(confidence);
  if (!c.gt(0) || !c.lt(1)) throw new AnalyticsInputError('A VaR confidence level must lie between 0 and 1.');
  const n = returns.length;
  if (n === 0) return { confidence, defined: false, reason: 'no return observations' };
  const sorted = returns
    .map((r, i) => ({ r, i }))
    .sort((a, b) => a.r.value - b.r.value || a.i - b.i)
    .map((x) => x.r);
  const k = Math.max(1, dec(n).times(dec(1).minus(c)).ceil().toNumber());
  const tail = sorted.slice(0, k);
  const varLoss = -tail[k - 1]!.value;
  const cvar = -tail.reduce((s, r) => s + r.value, 0) / k;
  const needed = dec(1).div(dec(1).minus(c)).ceil().toNumber();
  return {
    confidence,
    defined: true,
    valueAtRisk: varLoss === 0 ? 0 : varLoss,
    conditionalValueAtRisk: cvar === 0 ? 0 : cvar,
    rank: k,
    observations: n,
    note: n < needed ? `fewer than ${needed} observations: VaR is the worst observed return` : null,
    tail,
  };
}

export function riskMetrics(raw: RiskInput): RiskResult {
  const input = parseInput(RiskInputSchema, raw, 'risk input');
  const periodsPerYear = input.periodsPerYear ?? TRADING_DAYS_PER_YEAR;
  const rfAnnual = input.riskFreeRate ?? '0';
  const rf = Number(rfAnnual);
  if (!(rf > -1)) throw new AnalyticsInputError('The risk-free rate must be above -100%.');
  const rfPerPeriod = Math.expm1(Math.log1p(rf) / periodsPerYear);
  const returns = input.returns;
  return {
    observations: returns.length,
    periodsPerYear,
    riskFree: { annual: rfAnnual, perPeriod: rfPerPeriod, rule: '(1 + annual)^(1 / periodsPerYear) - 1' },
    volatility: volatility(returns, periodsPerYear),
    sharpe: sharpeRatio(returns, rfPerPeriod, periodsPerYear),
    sortino: sortinoRatio(returns, rfPerPeriod, periodsPerYear),
    drawdown: maxDrawdown(returns),
    benchmark: input.benchmarkReturns ? benchmarkRisk(returns, input.benchmarkReturns) : null,
    valueAtRisk: (input.confidenceLevels ?? DEFAULT_VAR_CONFIDENCE_LEVELS).map((c) =>
      historicalVaR(returns, c),
    ),
    returns,
  };
}
