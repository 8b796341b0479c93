import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays } from './dates';
import { AnalyticsInputError } from './errors';
import {
  benchmarkRisk,
  historicalVaR,
  maxDrawdown,
  riskMetrics,
  sharpeRatio,
  sortinoRatio,
  volatility,
} from './risk';
import { timeWeightedReturn, twrReturnSeries } from './twr';
import type { PeriodReturn } from './types';

function daily(values: number[], start = '2024-01-01'): PeriodReturn[] {
  return values.map((value, i) => ({ start: addDays(start, i), end: addDays(start, i + 1), value }));
}

/** Textbook two-pass sample standard deviation. */
function twoPassSd(xs: number[]): number {
  const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
  return Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (xs.length - 1));
}

const returnsArb = fc.array(fc.double({ min: -0.2, max: 0.2, noNaN: true }), {
  minLength: 2,
  maxLength: 300,
});

describe('volatility', () => {
  it('is the sample standard deviation times sqrt(252) (hand computed)', () => {
    // mean 0.005; squared deviations 0.000025 + 0.000225 + 0.000225 + 0.000025 = 0.0005; / 3
    const v = volatility(daily([0.01, -0.01, 0.02, 0]), 252);
    expect(v.defined).toBe(true);
    if (!v.defined) return;
    expect(v.periodStdDev).toBeCloseTo(Math.sqrt(0.0005 / 3), 15);
    expect(v.annualised).toBeCloseTo(Math.sqrt(0.0005 / 3) * Math.sqrt(252), 14);
  });

  it('agrees with the two-pass textbook formula (property)', () => {
    fc.assert(
      fc.property(returnsArb, (xs) => {
        const v = volatility(daily(xs), 252);
        if (!v.defined) throw new Error('expected defined');
        expect(v.periodStdDev).toBeCloseTo(twoPassSd(xs), 12);
      }),
    );
  });

  it('needs two observations', () => {
    expect(volatility(daily([0.1]), 252).defined).toBe(false);
  });
});

describe('constant-price portfolio (property)', () => {
  it('has zero return, zero volatility, zero drawdown, zero VaR and no Sharpe', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1000 }),
        fc.array(fc.integer({ min: 0, max: 500 }), { minLength: 2, maxLength: 60 }),
        (price, deposits) => {
          // units grow with deposits bought at the constant price; value = units * price
          let units = 10;
          const valuations = [{ date: '2024-01-01', value: String(units * price) }];
          const flows = [];
          for (let i = 0; i < deposits.length; i += 1) {
            const date = addDays('2024-01-01', i + 1);
            if (deposits[i]! > 0) {
              units += deposits[i]!;
              flows.push({ date, amount: String(deposits[i]! * price) });
            }
            valuations.push({ date, value: String(units * price) });
          }
          const twr = timeWeightedReturn({ valuations, flows });
          expect(Number(twr.cumulativeReturn)).toBe(0);
          const risk = riskMetrics({ returns: twrReturnSeries(twr), riskFreeRate: '0.02' });
          expect(risk.volatility).toMatchObject({ defined: true, annualised: 0 });
          expect(risk.drawdown).toMatchObject({ defined: true, maxDrawdown: 0, peakDate: null });
          for (const v of risk.valueAtRisk) expect(v).toMatchObject({ defined: true, valueAtRisk: 0 });
          expect(risk.sharpe.defined).toBe(false);
        },
      ),
    );
  });
});

describe('Sharpe and Sortino', () => {
  it('convert the annual risk-free rate geometrically and annualise by sqrt(252) (hand computed)', () => {
    const r = riskMetrics({ returns: daily([0.01, -0.005, 0.02, 0.003]), riskFreeRate: '0.05' });
    const rf = Math.pow(1.05, 1 / 252) - 1;
    expect(r.riskFree.perPeriod).toBeCloseTo(rf, 15);
    const ex = [0.01, -0.005, 0.02, 0.003].map((x) => x - rf);
    const mean = ex.reduce((s, x) => s + x, 0) / 4;
    expect(r.sharpe.defined && r.sharpe.value).toBeCloseTo((mean / twoPassSd(ex)) * Math.sqrt(252), 10);
    const dd = Math.sqrt(ex.filter((x) => x < 0).reduce((s, x) => s + x * x, 0) / 4);
    expect(r.sortino.defined && r.sortino.value).toBeCloseTo((mean / dd) * Math.sqrt(252), 10);
  });

  it('Sortino is not defined when no return falls below the risk-free rate', () => {
    expect(sortinoRatio(daily([0.01, 0.02]), 0, 252).defined).toBe(false);
    expect(sharpeRatio(daily([0.01, 0.01, 0.01]), 0, 252).defined).toBe(false);
  });
});

describe('maxDrawdown', () => {
  it('reports peak, trough, recovery and durations (hand computed)', () => {
    // wealth: 1 (01-01) → 1.1 (01-02) → 0.88 (01-03) → 0.968 (01-04) → 1.1616 (01-05)
    const d = maxDrawdown(daily([0.1, -0.2, 0.1, 0.2]));
    expect(d).toMatchObject({
      defined: true,
      peakDate: '2024-01-02',
      troughDate: '2024-01-03',
      recoveryDate: '2024-01-05',
      declineDays: 1,
      recoveryDays: 2,
      durationDays: 3,
      underwaterDays: 3,
    });
    if (!d.defined) return;
    expect(d.maxDrawdown).toBeCloseTo(0.2, 15);
  });

  it('has no recovery date while still under water', () => {
    const d = maxDrawdown(daily([0.1, -0.5, 0.1]));
    expect(d).toMatchObject({ recoveryDate: null, durationDays: null, underwaterDays: 2 });
  });

  it('recovers when wealth returns to the peak exactly (+10 %, -1/11, tolerance for float rounding)', () => {
    const d = maxDrawdown(daily([0.1, -1 / 11, 0.1]));
    expect(d).toMatchObject({ peakDate: '2024-01-02', troughDate: '2024-01-03', recoveryDate: '2024-01-04' });
  });

  it('equals the brute-force maximum over all (peak, later) pairs (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -0.5, max: 0.5, noNaN: true }), { minLength: 1, maxLength: 120 }),
        (xs) => {
          const w = [1];
          for (const x of xs) w.push(w[w.length - 1]! * (1 + x));
          let brute = 0;
          for (let i = 0; i < w.length; i += 1)
            for (let j = i + 1; j < w.length; j += 1) brute = Math.max(brute, 1 - w[j]! / w[i]!);
          const d = maxDrawdown(daily(xs));
          if (!d.defined) throw new Error('expected defined');
          expect(d.maxDrawdown).toBeCloseTo(brute, 12);
        },
      ),
    );
  });
});

describe('beta and correlation', () => {
  it('a portfolio at twice the benchmark plus a constant has beta 2 and correlation 1', () => {
    const b = [0.01, -0.02, 0.015, 0.003, -0.007];
    const r = benchmarkRisk(daily(b.map((x) => 2 * x + 0.001)), daily(b));
    expect(r.defined).toBe(true);
    if (!r.defined) return;
    expect(r.beta).toBeCloseTo(2, 12);
    expect(r.correlation).toBeCloseTo(1, 12);
  });

  it('pairs sub-periods by dates and agrees with the least-squares slope (property)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.double({ min: -0.1, max: 0.1, noNaN: true }),
            fc.double({ min: -0.1, max: 0.1, noNaN: true }),
          ),
          {
            minLength: 3,
            maxLength: 100,
          },
        ),
        (pairs) => {
          const p = pairs.map((x) => x[0]);
          const b = pairs.map((x) => x[1]);
          const r = benchmarkRisk(daily(p), [
            ...daily(b),
            { start: '1999-01-01', end: '1999-01-02', value: 0.5 },
          ]);
          const n = p.length;
          const sb = b.reduce((s, x) => s + x, 0);
          const sp = p.reduce((s, x) => s + x, 0);
          const sbb = b.reduce((s, x) => s + x * x, 0);
          const sbp = b.reduce((s, x, i) => s + x * p[i]!, 0);
          const denom = n * sbb - sb * sb;
          if (!r.defined || Math.abs(denom) < 1e-12) return;
          expect(r.observations).toBe(n);
          expect(r.beta).toBeCloseTo((n * sbp - sb * sp) / denom, 8);
          expect(Math.abs(r.correlation)).toBeLessThanOrEqual(1);
        },
      ),
    );
  });

  it('is not defined for a flat benchmark', () => {
    expect(benchmarkRisk(daily([0.1, 0.2, 0.3]), daily([0, 0, 0])).defined).toBe(false);
  });
});

describe('historical VaR and CVaR', () => {
  it('takes the lower empirical quantile without interpolation (hand computed)', () => {
    // 100 returns -0.050, -0.049, ..., 0.049 (shuffled): k95 = ceil(100 * 0.05) = 5 → 5th worst
    const xs = Array.from({ length: 100 }, (_, i) => (i - 50) / 1000);
    const shuffled = xs.map((x, i) => xs[(i * 37) % 100]!);
    const v95 = historicalVaR(daily(shuffled), '0.95');
    const v99 = historicalVaR(daily(shuffled), '0.99');
    expect(v95).toMatchObject({ defined: true, rank: 5, observations: 100, note: null });
    if (!v95.defined || !v99.defined) return;
    expect(v95.valueAtRisk).toBeCloseTo(0.046, 15);
    expect(v95.conditionalValueAtRisk).toBeCloseTo(0.048, 15);
    expect(v95.tail.map((t) => t.value)).toEqual([-0.05, -0.049, -0.048, -0.047, -0.046]);
    expect(v99.rank).toBe(1);
    expect(v99.valueAtRisk).toBeCloseTo(0.05, 15);
  });

  it('says when there are too few observations for the level', () => {
    const v = historicalVaR(daily([0.01, -0.02, 0.03]), '0.99');
    expect(v).toMatchObject({ defined: true, rank: 1, valueAtRisk: 0.02 });
    if (v.defined) expect(v.note).toMatch(/fewer than 100/);
  });

  it('VaR99 >= VaR95 and CVaR >= VaR (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -0.3, max: 0.3, noNaN: true }), { minLength: 1, maxLength: 400 }),
        (xs) => {
          const [v95, v99] = riskMetrics({ returns: daily(xs) }).valueAtRisk;
          if (!v95?.defined || !v99?.defined) throw new Error('expected defined');
          expect(v99.valueAtRisk).toBeGreaterThanOrEqual(v95.valueAtRisk);
          expect(v99.conditionalValueAtRisk).toBeGreaterThanOrEqual(v95.conditionalValueAtRisk - 1e-15);
          expect(v95.conditionalValueAtRisk).toBeGreaterThanOrEqual(v95.valueAtRisk - 1e-15);
        },
      ),
    );
  });

  it('refuses a confidence level outside (0, 1)', () => {
    expect(() => historicalVaR(daily([0.1]), '1')).toThrow(AnalyticsInputError);
  });
});
