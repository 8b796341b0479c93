import Decimal from 'decimal.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { currencyDecomposition } from './currency';
import { addDays } from './dates';
import { timeWeightedReturn } from './twr';
import type { ExternalFlow, ValuationPoint } from './types';

describe('currencyDecomposition', () => {
  it('splits a foreign holding into local, FX and cross terms (hand computed)', () => {
    // local 100 → 110 (+10 %), EURUSD 1.20 → 1.26 (+5 %):
    // total = 1.1 * 1.05 - 1 = 0.155 = 0.10 + 0.05 + 0.005
    const d = currencyDecomposition(
      {
        valuations: [
          { date: '2024-01-01', value: '100' },
          { date: '2024-01-02', value: '110' },
        ],
        flows: [],
      },
      {
        base: 'USD',
        quote: 'EUR',
        rates: [
          { date: '2024-01-01', rate: '1.20' },
          { date: '2024-01-02', rate: '1.26' },
        ],
      },
    );
    expect(d).toMatchObject({
      defined: true,
      localReturn: '0.100000000000',
      fxReturn: '0.050000000000',
      crossTerm: '0.005000000000',
      totalReturn: '0.155000000000',
    });
  });

  it('is not defined without an FX rate at the start', () => {
    const d = currencyDecomposition(
      {
        valuations: [
          { date: '2024-01-01', value: '1' },
          { date: '2024-01-02', value: '1' },
        ],
        flows: [],
      },
      { base: 'USD', quote: 'EUR', rates: [{ date: '2024-01-02', rate: '1.1' }] },
    );
    expect(d.defined).toBe(false);
  });

  it('total equals the base-currency TWR of the converted series (second method, property)', () => {
    const D = Decimal.clone({ precision: 60 });
    const day = fc.record({
      value: fc.integer({ min: 0, max: 10_000 }),
      flow: fc.integer({ min: -2000, max: 2000 }),
      rate: fc.integer({ min: 50, max: 200 }),
    });
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000 }),
        fc.integer({ min: 50, max: 200 }),
        fc.array(day, { minLength: 1, maxLength: 15 }),
        (v0, x0, days) => {
          const dates = [0, ...days.map((_, i) => i + 1)].map((i) => addDays('2024-02-01', i));
          const rates = [x0, ...days.map((d) => d.rate)].map((r) => new D(r).div(100));
          const local: ValuationPoint[] = [{ date: dates[0]!, value: String(v0) }];
          const localFlows: ExternalFlow[] = [];
          const base: ValuationPoint[] = [{ date: dates[0]!, value: new D(v0).times(rates[0]!).toFixed() }];
          const baseFlows: ExternalFlow[] = [];
          days.forEach((d, i) => {
            local.push({ date: dates[i + 1]!, value: String(d.value) });
            base.push({ date: dates[i + 1]!, value: new D(d.value).times(rates[i + 1]!).toFixed() });
            if (d.flow !== 0) {
              localFlows.push({ date: dates[i + 1]!, amount: String(d.flow) });
              // inflows at the sub-period's start rate, outflows at its end rate
              const rate = d.flow > 0 ? rates[i]! : rates[i + 1]!;
              baseFlows.push({ date: dates[i + 1]!, amount: new D(d.flow).times(rate).toFixed() });
            }
          });
          const dcmp = currencyDecomposition(
            { valuations: local, flows: localFlows },
            {
              base: 'USD',
              quote: 'EUR',
              rates: dates.map((date, i) => ({ date, rate: rates[i]!.toFixed() })),
            },
          );
          const twrBase = timeWeightedReturn({ valuations: base, flows: baseFlows });
          if (!dcmp.defined) {
            expect(twrBase.cumulativeReturn).toBeNull();
            return;
          }
          // relative comparisons: incoherent random data can produce returns in the 100 000s
          const close = (a: number, b: number): boolean =>
            Math.abs(a - b) <= 1e-10 * Math.max(1, Math.abs(b));
          expect(close(Number(dcmp.totalReturn), Number(twrBase.cumulativeReturn))).toBe(true);
          const sumParts = Number(dcmp.localReturn) + Number(dcmp.fxReturn) + Number(dcmp.crossTerm);
          expect(close(sumParts, Number(dcmp.totalReturn))).toBe(true);
        },
      ),
    );
  });
});
