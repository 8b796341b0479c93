import Decimal from 'decimal.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays } from './dates';
import { AnalyticsInputError } from './errors';
import { timeWeightedReturn, twrReturnSeries } from './twr';
import type { ExternalFlow, ValuationPoint } from './types';

const D = Decimal.clone({ precision: 60 });

function series(start: string, values: string[]): ValuationPoint[] {
  return values.map((value, i) => ({ date: addDays(start, i), value }));
}

/**
 * A second method, written independently of the implementation: unit-price (NAV per unit)
 * accounting. Inflows buy units at the previous unit price, outflows redeem units at the day's
 * unit price; when no units are outstanding the unit price carries over. TWR = last price / first.
 */
function unitPriceTwr(vals: ValuationPoint[], flows: ExternalFlow[]): Decimal {
  let price = new D(1);
  let units = new D(vals[0]!.value);
  for (let i = 1; i < vals.length; i += 1) {
    const day = vals[i]!.date;
    const prev = vals[i - 1]!.date;
    const mine = flows.filter((f) => f.date > prev && f.date <= day);
    const inflow = mine.filter((f) => new D(f.amount).gt(0)).reduce((s, f) => s.plus(f.amount), new D(0));
    const outflow = mine.filter((f) => new D(f.amount).lt(0)).reduce((s, f) => s.minus(f.amount), new D(0));
    units = units.plus(inflow.div(price));
    if (units.gt(0)) {
      price = new D(vals[i]!.value).plus(outflow).div(units);
      if (price.isZero()) return new D(-1); // a -100 % day: every later link multiplies zero
      units = units.minus(outflow.div(price));
    }
  }
  return price.minus(1);
}

describe('timeWeightedReturn', () => {
  it('links daily sub-periods with an inflow applied at the start of its day (hand computed)', () => {
    // r1 = 1100/1000 - 1 = 0.1 ; r2 = 1650 / (1100 + 500) - 1 = 0.03125
    // TWR = 1.1 * 1.03125 - 1 = 0.134375
    const r = timeWeightedReturn({
      valuations: series('2024-01-01', ['1000', '1100', '1650']),
      flows: [{ date: '2024-01-03', amount: '500' }],
    });
    expect(r.cumulativeReturn).toBe('0.134375000000');
    expect(r.subPeriods.map((p) => p.return)).toEqual(['0.100000000000', '0.031250000000']);
    expect(r.subPeriods[1]).toMatchObject({ startValue: '1100', inflows: '500', capitalAtStart: '1600' });
    expect(r.flows).toEqual([
      { date: '2024-01-03', amount: '500', appliedAt: 'start-of-sub-period', subPeriodEnd: '2024-01-03' },
    ]);
    expect(r.annualisedReturn).toBeNull();
    expect(r.annualisedReason).toMatch(/shorter than 365/);
  });

  it('applies an outflow at the end of its day (partial transfer out, hand computed)', () => {
    // r1 = 0.1 ; r2 = (700 + 400) / 1100 - 1 = 0 ; r3 = 770/700 - 1 = 0.1 → TWR = 1.21 - 1
    const r = timeWeightedReturn({
      valuations: series('2024-01-01', ['1000', '1100', '700', '770']),
      flows: [{ date: '2024-01-03', amount: '-400' }],
    });
    expect(r.cumulativeReturn).toBe('0.210000000000');
    expect(r.subPeriods[1]).toMatchObject({ outflows: '400', valueAtEnd: '1100', return: '0.000000000000' });
  });

  it('survives a full transfer out and a restart: no NaN, no -100 %, zero periods skipped', () => {
    // 1000 → 1200 (+20 %); everything sold and 1150 transferred out: 1150/1200 - 1;
    // two empty days skipped; 500 deposited and worth 550 (+10 %); then 605 (+10 %).
    const r = timeWeightedReturn({
      valuations: series('2024-03-01', ['1000', '1200', '0', '0', '0', '550', '605']),
      flows: [
        { date: '2024-03-03', amount: '-1150', note: 'full exit' },
        { date: '2024-03-06', amount: '500' },
      ],
    });
    const expected = new D(1.2).times(new D(1150).div(1200)).times(1.1).times(1.1).minus(1);
    expect(r.cumulativeReturn).toBe(expected.toFixed(12));
    expect(r.cumulativeReturn).toBe('0.391500000000');
    expect(r.includedSubPeriods).toBe(4);
    expect(r.skippedSubPeriods).toBe(2);
    expect(r.subPeriods[1]!.return).toBe(new D(1150).div(1200).minus(1).toFixed(12));
    expect(r.subPeriods[2]).toMatchObject({ included: false, return: null });
    expect(r.subPeriods[2]!.reason).toMatch(/no capital at risk/);
    expect(r.subPeriods[4]).toMatchObject({ capitalAtStart: '500', return: '0.100000000000' });
    expect(r.warnings).toEqual([]);
    for (const p of r.subPeriods) if (p.return !== null) expect(Number.isFinite(Number(p.return))).toBe(true);
  });

  it('a portfolio that ends at zero has a finite return for its last day', () => {
    const r = timeWeightedReturn({
      valuations: series('2024-01-01', ['100', '0']),
      flows: [{ date: '2024-01-02', amount: '-90' }],
    });
    expect(r.cumulativeReturn).toBe('-0.100000000000');
  });

  it('an always-empty portfolio has no return, with a reason', () => {
    const r = timeWeightedReturn({ valuations: series('2024-01-01', ['0', '0', '0']), flows: [] });
    expect(r.cumulativeReturn).toBeNull();
    expect(r.cumulativeReason).toMatch(/no sub-period/);
    expect(r.annualisedReturn).toBeNull();
  });

  it('flags value appearing without an inflow instead of counting it as return', () => {
    const r = timeWeightedReturn({ valuations: series('2024-01-01', ['0', '100', '110']), flows: [] });
    expect(r.cumulativeReturn).toBe('0.100000000000');
    expect(r.warnings).toHaveLength(1);
  });

  it('annualises over 365-day years only for periods of a year or more', () => {
    // two sub-periods spanning 730 days with growth 1.21 → 10 % a year
    const r = timeWeightedReturn({
      valuations: [
        { date: '2021-01-01', value: '100' },
        { date: '2022-01-01', value: '110' },
        { date: '2023-01-01', value: '121' },
      ],
      flows: [],
    });
    expect(r.calendarDays).toBe(730);
    expect(r.annualisedReturn).toBe('0.100000000000');
    const shortOne = timeWeightedReturn({
      valuations: [
        { date: '2021-01-01', value: '100' },
        { date: '2021-12-31', value: '110' },
      ],
      flows: [],
    });
    expect(shortOne.annualisedReturn).toBeNull();
  });

  it('a real -100 % (value lost, not transferred out) is -100 % and is not annualised', () => {
    const r = timeWeightedReturn({
      valuations: [
        { date: '2021-01-01', value: '100' },
        { date: '2022-06-01', value: '0' },
      ],
      flows: [],
    });
    expect(r.cumulativeReturn).toBe('-1.000000000000');
    expect(r.annualisedReturn).toBeNull();
    expect(r.annualisedReason).toMatch(/at or below -100%/);
  });

  it('assigns flows between sparse valuation dates to the sub-period that contains them', () => {
    const r = timeWeightedReturn({
      valuations: [
        { date: '2024-01-01', value: '100' },
        { date: '2024-01-05', value: '230' },
      ],
      flows: [
        { date: '2024-01-01', amount: '999' },
        { date: '2024-01-03', amount: '100' },
        { date: '2024-01-09', amount: '5' },
      ],
    });
    // (230) / (100 + 100) - 1
    expect(r.cumulativeReturn).toBe('0.150000000000');
    expect(r.excludedFlows.map((f) => f.date)).toEqual(['2024-01-01', '2024-01-09']);
  });

  it('refuses valuations that are not in date order', () => {
    expect(() =>
      timeWeightedReturn({
        valuations: [
          { date: '2024-01-02', value: '1' },
          { date: '2024-01-01', value: '1' },
        ],
        flows: [],
      }),
    ).toThrow(AnalyticsInputError);
    expect(() => timeWeightedReturn({ valuations: [{ date: '2024-02-30', value: '1' }], flows: [] })).toThrow(
      AnalyticsInputError,
    );
  });

  it('exposes the included sub-period returns for the risk statistics', () => {
    const r = timeWeightedReturn({
      valuations: series('2024-01-01', ['100', '0', '0', '50', '55']),
      flows: [
        { date: '2024-01-02', amount: '-100' },
        { date: '2024-01-04', amount: '50' },
      ],
    });
    expect(twrReturnSeries(r)).toEqual([
      { start: '2024-01-01', end: '2024-01-02', value: 0 },
      { start: '2024-01-03', end: '2024-01-04', value: 0 },
      { start: '2024-01-04', end: '2024-01-05', value: 0.1 },
    ]);
  });
});

// --- property tests -------------------------------------------------------------------------

/** One asset with a price path; flows buy at the previous close (in) or sell at the close (out). */
const pricePath = fc.array(fc.integer({ min: 50, max: 200 }), { minLength: 2, maxLength: 25 });
// size < 0 sells that percentage of the holding (-100 = a full exit); size > 0 buys for size * scale
const flowPlan = fc.array(
  fc.record({ day: fc.nat(), size: fc.oneof(fc.constant(-100), fc.integer({ min: -100, max: 100 })) }),
  {
    maxLength: 10,
  },
);

function simulate(
  prices: number[],
  plan: { day: number; size: number }[],
  scale: number,
): { vals: ValuationPoint[]; flows: ExternalFlow[] } {
  let units = new D(10);
  const vals: ValuationPoint[] = [
    { date: addDays('2024-01-01', 0), value: units.times(prices[0]!).toFixed() },
  ];
  const flows: ExternalFlow[] = [];
  for (let i = 1; i < prices.length; i += 1) {
    const date = addDays('2024-01-01', i);
    for (const f of plan.filter((p) => p.day % (prices.length - 1) === i - 1)) {
      if (f.size > 0) {
        const amount = new D(f.size).times(scale);
        units = units.plus(amount.div(prices[i - 1]!)); // bought at the previous close
        flows.push({ date, amount: amount.toFixed() });
      } else if (f.size < 0) {
        // sells a fraction of the holding at today's close (up to all of it)
        const fraction = new D(-f.size).div(100);
        const sold = units.times(fraction);
        units = units.minus(sold);
        flows.push({ date, amount: sold.times(prices[i]!).neg().toFixed() });
      }
    }
    vals.push({ date, value: units.times(prices[i]!).toFixed() });
  }
  return { vals, flows };
}

describe('timeWeightedReturn properties', () => {
  it('is unchanged by the size of external flows at period boundaries (equals the price return)', () => {
    fc.assert(
      fc.property(pricePath, flowPlan, fc.integer({ min: 1, max: 100_000 }), (prices, plan, scale) => {
        const { vals, flows } = simulate(prices, plan, scale);
        const r = timeWeightedReturn({ valuations: vals, flows });
        // The price return over the sub-periods with money at risk; with no full exit, that is
        // simply last price / first price.
        let expected = 1;
        r.subPeriods.forEach((p, i) => {
          if (p.included) expected *= prices[i + 1]! / prices[i]!;
        });
        if (r.skippedSubPeriods === 0)
          expect(expected).toBeCloseTo(prices[prices.length - 1]! / prices[0]!, 12);
        if (r.cumulativeReturn === null) {
          // only when everything was sold on day 1 and nothing came back: still no NaN
          expect(r.cumulativeReason).not.toBeNull();
        } else {
          expect(Number(r.cumulativeReturn)).toBeCloseTo(expected - 1, 9);
        }
      }),
    );
  });

  it('agrees with unit-price accounting (a second method) for any values and flows', () => {
    const day = fc.record({
      value: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 5000 })),
      flow: fc.integer({ min: -3000, max: 3000 }),
    });
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5000 }),
        fc.array(day, { minLength: 1, maxLength: 20 }),
        (v0, days) => {
          const vals = series('2023-06-01', [String(v0), ...days.map((d) => String(d.value))]);
          // keep the data coherent: an outflow never exceeds what the day ends with plus its capital
          const flows = days
            .map((d, i) => ({ date: vals[i + 1]!.date, amount: String(d.flow) }))
            .filter((f) => f.amount !== '0');
          const r = timeWeightedReturn({ valuations: vals, flows });
          if (r.warnings.length > 0 || r.cumulativeReturn === null) return;
          expect(Number(r.cumulativeReturn)).toBeCloseTo(unitPriceTwr(vals, flows).toNumber(), 8);
        },
      ),
    );
  });

  it('a constant-price portfolio has zero return whatever flows it receives', () => {
    fc.assert(
      fc.property(pricePath, flowPlan, (prices, plan) => {
        const flat = prices.map(() => prices[0]!);
        const { vals, flows } = simulate(flat, plan, 7);
        const r = timeWeightedReturn({ valuations: vals, flows });
        if (r.cumulativeReturn !== null) expect(Number(r.cumulativeReturn)).toBe(0);
        for (const p of r.subPeriods) if (p.return !== null) expect(Number(p.return)).toBe(0);
      }),
    );
  });
});

describe('timeWeightedReturn detail', () => {
  it("'summary' gives the same totals without the per-day list, and refuses to make a return series", () => {
    const input = {
      valuations: series('2024-01-01', ['1000', '1100', '1650']),
      flows: [{ date: '2024-01-03', amount: '500' }],
    };
    const full = timeWeightedReturn(input);
    const summary = timeWeightedReturn(input, { detail: 'summary' });
    expect(summary.subPeriods).toEqual([]);
    expect({ ...summary, subPeriods: full.subPeriods, detail: 'full' }).toEqual(full);
    expect(() => twrReturnSeries(summary)).toThrow(AnalyticsInputError);
  });
});
