import Decimal from 'decimal.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, daysBetween } from './dates';
import { moneyWeightedReturn, xirr, type XirrCashFlow } from './xirr';

/** NPV written independently: sum a_i (1 + r)^(-days_i / 365), relative to sum |PV_i|. */
function relativeNpv(flows: XirrCashFlow[], rateString: string): number {
  const growth = new Decimal(rateString).plus(1).toNumber(); // 1 + rate without float cancellation
  const t0 = flows.map((f) => f.date).sort()[0]!;
  let npv = 0;
  let scale = 0;
  for (const f of flows) {
    const pv = Number(f.amount) * Math.pow(growth, -daysBetween(t0, f.date) / 365);
    npv += pv;
    scale += Math.abs(pv);
  }
  return Math.abs(npv) / scale;
}

describe('xirr', () => {
  it('one investment returned a 366-day year later: rate = 1.1^(365/366) - 1', () => {
    const r = xirr([
      { date: '2020-01-01', amount: '-1000' },
      { date: '2021-01-01', amount: '1100' },
    ]);
    expect(r.defined).toBe(true);
    if (!r.defined) return;
    expect(Number(r.rate)).toBeCloseTo(Math.pow(1.1, 365 / 366) - 1, 9);
    expect(r.periodRate).toBe('0.1');
    expect(r.horizonDays).toBe(366);
    expect(Math.abs(Number(r.npvAtRate))).toBeLessThanOrEqual(Number(r.npvTolerance));
    expect(r.cashFlows[1]).toMatchObject({ date: '2021-01-01', amount: '1100', years: '1.0027397260' });
  });

  it('finds the rate of several flows, checked by NPV = 0', () => {
    const flows = [
      { date: '2022-01-10', amount: '-5000' },
      { date: '2022-04-01', amount: '-2500' },
      { date: '2022-09-15', amount: '1000' },
      { date: '2023-02-01', amount: '-300' },
      { date: '2023-12-31', amount: '7900.55' },
    ];
    const r = xirr(flows);
    expect(r.defined).toBe(true);
    if (!r.defined) return;
    expect(relativeNpv(flows, r.rate)).toBeLessThan(1e-9);
  });

  it('is not defined when all flows have the same sign', () => {
    const r = xirr([
      { date: '2022-01-01', amount: '-100' },
      { date: '2023-01-01', amount: '-50' },
    ]);
    expect(r).toMatchObject({ defined: false, code: 'SAME_SIGN' });
  });

  it('is not defined for fewer than two flows, or all on one date', () => {
    expect(xirr([{ date: '2022-01-01', amount: '-100' }])).toMatchObject({
      defined: false,
      code: 'TOO_FEW_FLOWS',
    });
    expect(
      xirr([
        { date: '2022-01-01', amount: '-100' },
        { date: '2022-01-01', amount: '100' },
      ]),
    ).toMatchObject({ defined: false, code: 'TOO_FEW_FLOWS' });
  });

  it('reports both rates when two make the NPV zero (-100, +230, -132 → 10 % and 20 %)', () => {
    const r = xirr([
      { date: '2021-01-01', amount: '-100' },
      { date: '2022-01-01', amount: '230' },
      { date: '2023-01-01', amount: '-132' },
    ]);
    expect(r.defined).toBe(false);
    if (r.defined) return;
    expect(r.code).toBe('MULTIPLE_ROOTS');
    expect(r.candidates.map(Number).map((x) => Math.round(x * 1e8) / 1e8)).toEqual([0.1, 0.2]);
  });

  it('is defined when the flows change sign several times but only one rate fits (scan confirms it)', () => {
    // deposit, withdrawal, deposit, final value: three sign changes, one root
    const flows = [
      { date: '2020-01-01', amount: '-1000' },
      { date: '2020-06-01', amount: '200' },
      { date: '2021-01-01', amount: '-500' },
      { date: '2022-01-01', amount: '1500' },
    ];
    const r = xirr(flows);
    expect(r.defined).toBe(true);
    if (!r.defined) return;
    expect(relativeNpv(flows, r.rate)).toBeLessThan(1e-9);
  });

  it('is not defined when no rate zeroes the NPV (+100, -200, +150)', () => {
    // 100 - 200 v + 150 v^2 has no real root (discriminant 40000 - 60000 < 0)
    const r = xirr([
      { date: '2021-01-01', amount: '100' },
      { date: '2022-01-01', amount: '-200' },
      { date: '2023-01-01', amount: '150' },
    ]);
    expect(r).toMatchObject({ defined: false, code: 'NO_ROOT' });
  });

  it('falls back to bracketing and Brent when Newton diverges (a near-total loss)', () => {
    const r = xirr([
      { date: '2021-01-01', amount: '-100' },
      { date: '2022-01-01', amount: '0.001' },
    ]);
    expect(r.defined).toBe(true);
    if (!r.defined) return;
    expect(r.method).toBe('brent');
    expect(Number(r.rate)).toBeCloseTo(0.00001 - 1, 12);
  });

  it('a one-day 50 % gain gives a huge but finite annual rate and a 50 % period rate', () => {
    const r = xirr([
      { date: '2021-01-01', amount: '-100' },
      { date: '2021-01-02', amount: '150' },
    ]);
    expect(r.defined).toBe(true);
    if (!r.defined) return;
    expect(r.periodRate).toBe('0.5');
    expect(Number(r.rate) / (Math.pow(1.5, 365) - 1)).toBeCloseTo(1, 9);
  });

  it('single-period investment: XIRR equals the simple annualised return (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.integer({ min: 1, max: 10_000_000 }),
        fc.integer({ min: 30, max: 3650 }),
        (paid, received, days) => {
          const r = xirr([
            { date: '2010-01-01', amount: String(-paid) },
            { date: addDays('2010-01-01', days), amount: String(received) },
          ]);
          const expectedGrowth = Math.pow(received / paid, 365 / days);
          expect(r.defined).toBe(true);
          if (!r.defined) return;
          // compare growth factors (1 + rate): near -100 % the rate itself hides the difference
          expect(new Decimal(r.rate).plus(1).toNumber() / expectedGrowth).toBeCloseTo(1, 9);
        },
      ),
    );
  });

  it('NPV at the rate is zero for random deposit-then-withdraw histories (property)', () => {
    // Realistic ranges (the last deposit at least 100 days before the end, the final value between
    // 1 % and 100x of the money paid in): one sign change, so exactly one rate exists.
    fc.assert(
      fc.property(
        fc.array(
          fc.record({ day: fc.integer({ min: 0, max: 1900 }), amount: fc.integer({ min: 1, max: 10_000 }) }),
          {
            minLength: 1,
            maxLength: 8,
          },
        ),
        fc.double({ min: 0.01, max: 100, noNaN: true }),
        (deposits, factor) => {
          const paid = deposits.reduce((s, d) => s + d.amount, 0);
          const flows = deposits.map((d) => ({
            date: addDays('2015-01-01', d.day),
            amount: String(-d.amount),
          }));
          flows.push({ date: addDays('2015-01-01', 2001), amount: (paid * factor).toFixed(2) });
          const r = xirr(flows);
          expect(r.defined).toBe(true);
          if (!r.defined) return;
          expect(relativeNpv(flows, r.rate)).toBeLessThan(1e-9);
        },
      ),
    );
  });

  it('an absurd history (-100 % to 55 digits a year) is reported as not found, not as NaN', () => {
    const r = xirr([
      { date: '2015-01-01', amount: '-1' },
      { date: '2020-06-02', amount: '-2200' },
      { date: '2020-06-24', amount: '1' },
    ]);
    expect(r).toMatchObject({ defined: false, code: 'NO_ROOT' });
  });

  it('never returns NaN, whatever the flows (property)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({ day: fc.integer({ min: 0, max: 1000 }), amount: fc.integer({ min: -1e6, max: 1e6 }) }),
          {
            maxLength: 8,
          },
        ),
        (raw) => {
          const r = xirr(raw.map((f) => ({ date: addDays('2020-01-01', f.day), amount: String(f.amount) })));
          if (r.defined) {
            expect(Number.isFinite(Number(r.rate))).toBe(true);
            expect(r.rate).not.toMatch(/NaN|Infinity/);
          } else {
            expect(r.reason.length).toBeGreaterThan(0);
            for (const c of r.candidates) expect(Number.isFinite(Number(c))).toBe(true);
          }
        },
      ),
    );
  });
});

describe('moneyWeightedReturn', () => {
  it('solves opening value, external flows and closing value from the investor side', () => {
    const input = {
      valuations: [
        { date: '2023-01-01', value: '1000' },
        { date: '2023-07-02', value: '1530' },
        { date: '2024-01-01', value: '1600' },
      ],
      flows: [{ date: '2023-07-02', amount: '500' }],
    };
    const m = moneyWeightedReturn(input);
    expect(m.investorCashFlows).toEqual([
      { date: '2023-01-01', amount: '-1000' },
      { date: '2023-07-02', amount: '-500' },
      { date: '2024-01-01', amount: '1600' },
    ]);
    expect(m.xirr.defined).toBe(true);
    if (!m.xirr.defined) return;
    expect(relativeNpv(m.investorCashFlows, m.xirr.rate)).toBeLessThan(1e-9);
    // by hand: 1000 (1.08) + 500 (1.08)^(183/365) = 1599.6 < 1600 < 1000 (1.081) + 500 (1.081)^(183/365)
    expect(Number(m.xirr.rate)).toBeGreaterThan(0.08);
    expect(Number(m.xirr.rate)).toBeLessThan(0.081);
  });

  it('lists flows outside (start, end] as excluded', () => {
    const m = moneyWeightedReturn({
      valuations: [
        { date: '2023-01-01', value: '100' },
        { date: '2024-01-01', value: '110' },
      ],
      flows: [
        { date: '2023-01-01', amount: '100' },
        { date: '2024-02-01', amount: '-5' },
      ],
    });
    expect(m.excludedFlows.map((f) => f.date)).toEqual(['2023-01-01', '2024-02-01']);
    expect(m.xirr.defined && m.xirr.rate).toBe('0.1');
  });

  it('is defined for a portfolio that goes to zero and restarts', () => {
    const m = moneyWeightedReturn({
      valuations: [
        { date: '2022-01-01', value: '1000' },
        { date: '2022-06-01', value: '0' },
        { date: '2022-09-01', value: '0' },
        { date: '2023-06-01', value: '600' },
      ],
      flows: [
        { date: '2022-06-01', amount: '-1100' },
        { date: '2022-09-01', amount: '500' },
      ],
    });
    expect(m.xirr.defined).toBe(true);
    if (!m.xirr.defined) return;
    expect(relativeNpv(m.investorCashFlows, m.xirr.rate)).toBeLessThan(1e-9);
  });
});
