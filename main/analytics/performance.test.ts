import { describe, expect, it } from 'vitest';
import { addDays } from './dates';
import { performanceReport } from './index';

/** A deterministic two-year history with a full exit and a re-entry. */
function history(): Parameters<typeof performanceReport>[0] {
  const valuations = [];
  const flows = [];
  const prices = [];
  let units = 100;
  let seed = 7;
  let price = 50;
  for (let i = 0; i <= 800; i += 1) {
    seed = (seed * 16807) % 2147483647;
    price = Math.max(1, Math.round(price * (1 + ((seed % 2001) - 1000) / 50000) * 100) / 100);
    const date = addDays('2022-01-03', i);
    if (i === 300) {
      flows.push({ date, amount: (-(units * price)).toFixed(2) });
      units = 0;
    }
    if (i === 360) {
      flows.push({ date, amount: (40 * Number(prices[prices.length - 1]!.price)).toFixed(2) });
      units = 40;
    }
    prices.push({ date, price: price.toFixed(2) });
    valuations.push({ date, value: (units * price).toFixed(2) });
  }
  return {
    portfolio: { valuations, flows },
    benchmark: { commodity: 'IDX', prices, source: 'pack-test' },
    riskFreeRate: '0.02',
    periodsPerYear: 365,
  };
}

describe('performanceReport', () => {
  it('gives every figure for a history with a full exit and a re-entry, with no NaN anywhere', () => {
    const r = performanceReport(history());
    expect(r.twr.skippedSubPeriods).toBe(59); // days 301..359: nothing at risk
    expect(r.twr.annualisedReturn).not.toBeNull();
    expect(r.mwr.xirr.defined).toBe(true);
    expect(r.benchmark?.defined).toBe(true);
    // the portfolio holds the benchmark whenever it holds anything: zero excess, beta 1
    if (r.benchmark?.defined) expect(Math.abs(Number(r.benchmark.excessReturn))).toBeLessThan(1e-9);
    expect(r.risk.benchmark).toMatchObject({ defined: true });
    if (r.risk.benchmark?.defined) expect(r.risk.benchmark.beta).toBeCloseTo(1, 6);
    const json = JSON.stringify(r);
    expect(json).not.toMatch(/NaN|Infinity/);
  });

  it('is deterministic: the same inputs give byte-identical output', () => {
    expect(JSON.stringify(performanceReport(history()))).toBe(JSON.stringify(performanceReport(history())));
  });
});
