import Decimal from 'decimal.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { benchmarkReturnSeries, compareWithBenchmark } from './benchmark';
import { addDays } from './dates';
import { holdingReturns } from './holdings';
import { timeWeightedReturn } from './twr';

describe('compareWithBenchmark', () => {
  it('measures the benchmark over the same sub-periods, carrying prices forward (hand computed)', () => {
    // Portfolio: 1000 → 1100 (+10 %), then 500 in at the start of the 9th: 1650 / 1600 - 1.
    // Valuation dates are the 5th (Fri), 8th (Mon) and 9th; benchmark prices exist on the 5th (50)
    // and the 8th (52.5) but not the 9th, so the 9th uses the 8th's price carried forward.
    const c = compareWithBenchmark(
      {
        valuations: [
          { date: '2024-01-05', value: '1000' },
          { date: '2024-01-08', value: '1100' },
          { date: '2024-01-09', value: '1650' },
        ],
        flows: [{ date: '2024-01-09', amount: '500' }],
      },
      {
        commodity: 'VT',
        source: 'pack-abc',
        prices: [
          { date: '2024-01-04', price: '49' },
          { date: '2024-01-05', price: '50' },
          { date: '2024-01-08', price: '52.5' },
        ],
      },
    );
    expect(c.defined).toBe(true);
    if (!c.defined) return;
    expect(c.subPeriods.map((p) => p.benchmarkReturn)).toEqual(['0.050000000000', '0.000000000000']);
    expect(c.subPeriods[1]).toMatchObject({ endPriceDate: '2024-01-08', endPrice: '52.5' });
    // portfolio: 1.1 * 1.03125 - 1 = 0.134375 ; benchmark 0.05 ; excess 0.084375
    expect(c.portfolioReturn).toBe('0.134375000000');
    expect(c.benchmarkReturn).toBe('0.050000000000');
    expect(c.excessReturn).toBe('0.084375000000');
    expect(c.source).toBe('pack-abc');
    expect(c.portfolioAnnualised).toBeNull();
    expect(benchmarkReturnSeries(c).map((r) => r.value)).toEqual([0.05, 0]);
  });

  it('skips for the benchmark the periods the portfolio skipped (empty after a full exit)', () => {
    const c = compareWithBenchmark(
      {
        valuations: [
          { date: '2024-01-01', value: '100' },
          { date: '2024-01-02', value: '0' },
          { date: '2024-01-03', value: '0' },
          { date: '2024-01-04', value: '110' },
        ],
        flows: [
          { date: '2024-01-02', amount: '-100' },
          { date: '2024-01-04', amount: '100' },
        ],
      },
      {
        commodity: 'IDX',
        prices: [
          { date: '2024-01-01', price: '10' },
          { date: '2024-01-02', price: '10' },
          { date: '2024-01-03', price: '20' }, // doubles while the portfolio is empty
          { date: '2024-01-04', price: '22' },
        ],
      },
    );
    expect(c.defined).toBe(true);
    if (!c.defined) return;
    expect(c.subPeriods.map((p) => p.end)).toEqual(['2024-01-02', '2024-01-04']);
    expect(c.benchmarkReturn).toBe('0.100000000000');
    expect(c.portfolioReturn).toBe('0.100000000000');
    expect(c.excessReturn).toBe('0.000000000000');
  });

  it('is not defined when the benchmark has no price at the start', () => {
    const c = compareWithBenchmark(
      {
        valuations: [
          { date: '2024-01-01', value: '1' },
          { date: '2024-01-02', value: '2' },
        ],
        flows: [],
      },
      { commodity: 'X', prices: [{ date: '2024-01-02', price: '1' }] },
    );
    expect(c).toEqual({ defined: false, reason: 'the benchmark has no price on or before 2024-01-01' });
  });

  it('is not defined when the benchmark price at a start is zero (no division by zero)', () => {
    const c = compareWithBenchmark(
      {
        valuations: [
          { date: '2024-01-01', value: '1' },
          { date: '2024-01-02', value: '2' },
        ],
        flows: [],
      },
      {
        commodity: 'X',
        prices: [
          { date: '2024-01-01', price: '0' },
          { date: '2024-01-02', price: '1' },
        ],
      },
    );
    expect(c).toEqual({ defined: false, reason: 'the benchmark price on 2024-01-01 is not positive' });
  });

  it('annualises both sides over the same 365-day calendar when the period is a year or more', () => {
    const c = compareWithBenchmark(
      {
        valuations: [
          { date: '2021-01-01', value: '100' },
          { date: '2023-01-01', value: '121' },
        ],
        flows: [],
      },
      {
        commodity: 'B',
        prices: [
          { date: '2021-01-01', price: '100' },
          { date: '2023-01-01', price: '144' },
        ],
      },
    );
    expect(c.defined).toBe(true);
    if (!c.defined) return;
    expect(c.portfolioAnnualised).toBe('0.100000000000');
    expect(c.benchmarkAnnualised).toBe('0.200000000000');
    expect(c.excessAnnualised).toBe('-0.100000000000');
  });

  it('a portfolio holding only the benchmark, with any flows, has zero excess return (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 1000 }), { minLength: 2, maxLength: 20 }),
        fc.array(fc.integer({ min: 0, max: 500 }), { minLength: 20, maxLength: 20 }),
        (prices, deposits) => {
          let units = new Decimal(3);
          const D = Decimal.clone({ precision: 60 });
          const valuations = [{ date: '2024-01-01', value: units.times(prices[0]!).toFixed() }];
          const flows = [];
          for (let i = 1; i < prices.length; i += 1) {
            const date = addDays('2024-01-01', i);
            const dep = deposits[i]!;
            if (dep > 0) {
              units = new D(units).plus(new D(dep).div(prices[i - 1]!));
              flows.push({ date, amount: String(dep) });
            }
            valuations.push({ date, value: new D(units).times(prices[i]!).toFixed() });
          }
          const c = compareWithBenchmark(
            { valuations, flows },
            {
              commodity: 'B',
              prices: prices.map((p, i) => ({ date: addDays('2024-01-01', i), price: String(p) })),
            },
          );
          expect(c.defined).toBe(true);
          if (!c.defined) return;
          expect(Math.abs(Number(c.excessReturn))).toBeLessThanOrEqual(1e-12);
        },
      ),
    );
  });
});

describe('holdingReturns', () => {
  it('gives each holding the TWR of its own series and flows', () => {
    const a = {
      holdingId: 'AAPL@Assets:Broker',
      valuations: [
        { date: '2024-01-01', value: '100' },
        { date: '2024-01-02', value: '0' },
      ],
      flows: [{ date: '2024-01-02', amount: '-105' }], // sold for 105
    };
    const b = {
      holdingId: 'VT@Assets:Broker',
      valuations: [
        { date: '2024-01-01', value: '0' },
        { date: '2024-01-02', value: '198' },
      ],
      flows: [{ date: '2024-01-02', amount: '200' }], // bought for 200
    };
    const r = holdingReturns([a, b]);
    expect(r.map((h) => [h.holdingId, h.twr.cumulativeReturn])).toEqual([
      ['AAPL@Assets:Broker', '0.050000000000'],
      ['VT@Assets:Broker', '-0.010000000000'],
    ]);
    expect(r[0]!.twr).toEqual(timeWeightedReturn(a));
  });
});
