// Money-weighted return (XIRR): the annual rate r that makes the net present value of the dated
// cash flows zero,  NPV(r) = sum a_i (1 + r)^(-t_i) = 0,  t_i = (date_i - first date) / 365.
//
// The search works in y = ln(1 + r), so the whole domain r > -1 is the real line. Root finding:
// 1. Newton's method from r = 10 % (fast, nearly always right for ordinary investments).
// 2. If Newton fails, or the flows change sign more than once (then several rates may exist), a
//    bracket scan over a grid of total growth e^z, z in [-SCAN_LIMIT, SCAN_LIMIT], followed by
//    Brent's method inside every bracket found.
// With exactly one sign change (Descartes' rule of signs holds for real exponents) there is
// exactly one root. With several, every root found is reported and the result is "not defined"
// when there is more than one. NPV is evaluated scaled by its largest discount factor so that no
// intermediate value overflows. The result is never NaN or Infinity: it is either a finite rate
// with its NPV check, or { defined: false, reason }.
//
// Root finding uses floats (a statistic of the flows); the drill-down recomputes every present
// value and the NPV at the root in exact decimals so a reader can check it.
import type { Decimal } from 'decimal.js';
import { Dec, MONEY_PRECISION, RatioDec, dec, money, ratio, sum } from './decimal';
import { daysBetween } from './dates';
import { parseInput, assertIncreasingDates } from './parse';
import { DAYS_PER_YEAR } from './twr';
import { z } from 'zod';
import {
  type ExternalFlow,
  type ValuedSeries,
  ValuedSeriesSchema,
  DecimalStringSchema,
  IsoDateSchema,
} from './types';

/**
 * Bracket scan range: total growth over the whole horizon between e^-700 and e^700 (the range of a
 * double). The grid is uniform in asinh(z), z = ln(total growth): dense near 0 where real rates
 * lie (steps of about 0.004 in z), sparse far out.
 */
export const SCAN_LIMIT = 700;
export const SCAN_STEPS = 4000;
/** A root is accepted when |NPV| <= NPV_TOLERANCE * sum |a_i|. */
export const NPV_TOLERANCE = 1e-9;
/** Significant digits of the growth factor (1 + rate) printed at the API. */
export const RATE_SIGNIFICANT_DIGITS = 15;

export const XirrCashFlowSchema = z.object({ date: IsoDateSchema, amount: DecimalStringSchema });
export type XirrCashFlow = z.infer<typeof XirrCashFlowSchema>;

export interface XirrFlowDetail {
  date: string;
  amount: string;
  /** (date - first date) / 365 */
  years: string;
  /** (1 + r)^(-years), present when the rate is defined. */
  discountFactor?: string;
  presentValue?: string;
}

export type XirrFailure = 'TOO_FEW_FLOWS' | 'SAME_SIGN' | 'NO_ROOT' | 'MULTIPLE_ROOTS' | 'OUT_OF_RANGE';

export type XirrResult =
  | {
      defined: true;
      /** Annual effective rate (365-day years). */
      rate: string;
      /** The same rate over the whole horizon: (1 + rate)^(days / 365) - 1. */
      periodRate: string;
      horizonDays: number;
      method: 'newton' | 'brent';
      /** NPV at the printed rate, exact decimals, and the tolerance it was accepted with. */
      npvAtRate: string;
      npvTolerance: string;
      cashFlows: XirrFlowDetail[];
    }
  | {
      defined: false;
      code: XirrFailure;
      reason: string;
      /** Rates that zero the NPV when there are several. */
      candidates: string[];
      horizonDays: number;
      cashFlows: XirrFlowDetail[];
    };

interface Prepared {
  t: number[];
  a: number[];
  dates: string[];
  amounts: Decimal[];
  scale: number;
}

/** NPV(y) divided by a positive factor that keeps every term finite; same sign as NPV. */
function scaledNpv(p: Prepared, y: number): number {
  let m = -Infinity;
  for (const t of p.t) m = Math.max(m, -y * t);
  let s = 0;
  for (let i = 0; i < p.t.length; i += 1) s += p.a[i]! * Math.exp(-y * p.t[i]! - m);
  return s;
}

function npvAndDerivative(p: Prepared, y: number): [number, number] {
  let f = 0;
  let df = 0;
  for (let i = 0; i < p.t.length; i += 1) {
    const term = p.a[i]! * Math.exp(-y * p.t[i]!);
    f += term;
    df -= p.t[i]! * term;
  }
  return [f, df];
}

function newton(p: Prepared, yMax: number): number | null {
  let y = Math.log1p(0.1);
  for (let iter = 0; iter < 100; iter += 1) {
    const [f, df] = npvAndDerivative(p, y);
    if (!Number.isFinite(f) || !Number.isFinite(df) || df === 0) return null;
    const step = f / df;
    y -= step;
    if (!Number.isFinite(y) || Math.abs(y) > yMax) return null;
    if (Math.abs(step) <= 1e-14 * Math.max(1, Math.abs(y))) return y;
  }
  return null;
}

/** Brent's method on [lo, hi] where f(lo) and f(hi) have opposite signs. */
function brent(f: (x: number) => number, lo: number, hi: number): number {
  let a = lo;
  let b = hi;
  let fa = f(a);
  let fb = f(b);
  if (fa === 0) return a;
  if (fb === 0) return b;
  let c = a;
  let fc = fa;
  let d = b - a;
  let e = d;
  for (let iter = 0; iter < 200; iter += 1) {
    if ((fb > 0 && fc > 0) || (fb < 0 && fc < 0)) {
      c = a;
      fc = fa;
      d = b - a;
      e = d;
    }
    if (Math.abs(fc) < Math.abs(fb)) {
      a = b;
      b = c;
      c = a;
      fa = fb;
      fb = fc;
      fc = fa;
    }
    const tol = 2 * Number.EPSILON * Math.abs(b) + 1e-15;
    const m = 0.5 * (c - b);
    if (Math.abs(m) <= tol || fb === 0) return b;
    if (Math.abs(e) >= tol && Math.abs(fa) > Math.abs(fb)) {
      const s = fb / fa;
      let pp: number;
      let q: number;
      if (a === c) {
        pp = 2 * m * s;
        q = 1 - s;
      } else {
        const qa = fa / fc;
        const r = fb / fc;
        pp = s * (2 * m * qa * (qa - r) - (b - a) * (r - 1));
        q = (qa - 1) * (r - 1) * (s - 1);
      }
      if (pp > 0) q = -q;
      else pp = -pp;
      if (2 * pp < Math.min(3 * m * q - Math.abs(tol * q), Math.abs(e * q))) {
        e = d;
        d = pp / q;
      } else {
        d = m;
        e = d;
      }
    } else {
      d = m;
      e = d;
    }
    a = b;
    fa = fb;
    b += Math.abs(d) > tol ? d : m > 0 ? tol : -tol;
    fb = f(b);
  }
  return b;
}

/** Every root of NPV(y) found by the bracket scan, refined with Brent's method. */
function scanRoots(p: Prepared, tMax: number): number[] {
  const f = (y: number): number => scaledNpv(p, y);
  const roots: number[] = [];
  const uMax = Math.asinh(SCAN_LIMIT);
  let prevY = -SCAN_LIMIT / tMax;
  let prevF = f(prevY);
  if (prevF === 0) roots.push(prevY);
  for (let s = 1; s <= SCAN_STEPS; s += 1) {
    const y = Math.sinh(-uMax + (2 * uMax * s) / SCAN_STEPS) / tMax;
    const fy = f(y);
    if (fy === 0) roots.push(y);
    else if (prevF !== 0 && Math.sign(fy) !== Math.sign(prevF)) roots.push(brent(f, prevY, y));
    prevY = y;
    prevF = fy;
  }
  const unique: number[] = [];
  for (const r of roots.sort((x, y) => x - y)) {
    if (unique.length === 0 || Math.abs(r - unique[unique.length - 1]!) > 1e-9 / tMax) unique.push(r);
  }
  return unique;
}

/**
 * The annual growth factor e^y to RATE_SIGNIFICANT_DIGITS significant digits, or null when it
 * does not fit a double (the period is too short for so large a change to be annualised).
 */
function growthOf(y: number): Decimal | null {
  const g = Math.exp(y);
  if (!Number.isFinite(g) || g === 0) return null;
  return dec(g.toPrecision(RATE_SIGNIFICANT_DIGITS));
}

/**
 * growth - 1, exactly, as a string. Near -100 % the digits that matter are the growth factor's,
 * which a fixed number of decimal places (or a fixed precision) would lose.
 */
function rateString(growth: Decimal): string {
  const digits = Math.max(0, -growth.e) + RATE_SIGNIFICANT_DIGITS + 2;
  const Wide = digits > MONEY_PRECISION ? Dec.clone({ precision: digits }) : Dec;
  return money(new Wide(growth).minus(1));
}

function formatRate(y: number): string {
  const g = growthOf(y);
  return g === null ? (y > 0 ? 'too large to represent' : '-1') : rateString(g);
}

/**
 * XIRR of dated cash flows. The sign convention is free (NPV = 0 is the same equation whatever
 * side the flows are seen from) but the flows must include both signs.
 */
export function xirr(input: readonly XirrCashFlow[]): XirrResult {
  const raw = parseInput(z.array(XirrCashFlowSchema), input, 'cash flows');
  // Same-date flows are netted; zero amounts carry no information.
  const byDate = new Map<string, Decimal>();
  for (const f of raw) byDate.set(f.date, (byDate.get(f.date) ?? dec(0)).plus(dec(f.amount)));
  const dates = [...byDate.keys()].sort();
  const kept = dates.filter((d) => !byDate.get(d)!.isZero());
  const first = kept[0];
  const horizonDays = first === undefined ? 0 : daysBetween(first, kept[kept.length - 1]!);
  const amounts = kept.map((d) => byDate.get(d)!);
  const yearsDec = kept.map((d) => dec(daysBetween(first!, d)).div(DAYS_PER_YEAR));
  const details: XirrFlowDetail[] = kept.map((d, i) => ({
    date: d,
    amount: money(amounts[i]!),
    years: ratio(yearsDec[i]!, 10),
  }));
  const fail = (code: XirrFailure, reason: string, candidates: number[] = []): XirrResult => ({
    defined: false,
    code,
    reason,
    candidates: candidates.map(formatRate),
    horizonDays,
    cashFlows: details,
  });
  if (kept.length < 2 || horizonDays === 0) {
    return fail('TOO_FEW_FLOWS', 'fewer than two non-zero cash flows on different dates');
  }
  const hasPos = amounts.some((a) => a.gt(0));
  const hasNeg = amounts.some((a) => a.isNegative());
  if (!hasPos || !hasNeg) {
    return fail('SAME_SIGN', 'all cash flows have the same sign, so no rate makes their value zero');
  }
  let signChanges = 0;
  for (let i = 1; i < amounts.length; i += 1) {
    if (amounts[i]!.gt(0) !== amounts[i - 1]!.gt(0)) signChanges += 1;
  }
  const absMax = amounts.reduce((m, a) => (a.abs().gt(m) ? a.abs() : m), dec(0));
  const p: Prepared = {
    t: yearsDec.map((y) => y.toNumber()),
    a: amounts.map((a) => a.div(absMax).toNumber()),
    dates: kept,
    amounts,
    scale: absMax.toNumber(),
  };
  const tMax = p.t[p.t.length - 1]!;
  const yMax = SCAN_LIMIT / tMax;
  const absSum = p.a.reduce((s, a) => s + Math.abs(a), 0);
  const accept = (y: number): boolean => {
    const [f] = npvAndDerivative(p, y);
    return Number.isFinite(f) && Math.abs(f) <= NPV_TOLERANCE * absSum * Math.max(1, Math.exp(-y * tMax));
  };

  let root: number;
  let method: 'newton' | 'brent' = 'newton';
  const newtonRoot = newton(p, yMax);
  if (signChanges === 1 && newtonRoot !== null && accept(newtonRoot)) {
    root = newtonRoot;
  } else {
    const roots = scanRoots(p, tMax);
    if (newtonRoot !== null && accept(newtonRoot) && !roots.some((r) => Math.abs(r - newtonRoot) < 1e-7)) {
      roots.push(newtonRoot);
      roots.sort((x, y) => x - y);
    }
    const rates = roots.filter((y) => growthOf(y) !== null);
    if (roots.length === 0) {
      return fail(
        'NO_ROOT',
        signChanges === 1
          ? 'no rate found within the searched range (total growth between e^-700 and e^700)'
          : 'no rate makes the net present value zero',
      );
    }
    if (roots.length > 1) {
      return fail(
        'MULTIPLE_ROOTS',
        `several rates (${roots.length}) make the net present value zero, so the money-weighted return is ambiguous`,
        rates,
      );
    }
    root = roots[0]!;
    method = newtonRoot !== null && Math.abs(newtonRoot - root) < 1e-7 ? 'newton' : 'brent';
  }
  const growth = growthOf(root);
  const periodGrowth = growthOf(root * tMax);
  if (growth === null || periodGrowth === null) {
    return fail('OUT_OF_RANGE', 'the annual rate is too extreme to represent (the period is very short)');
  }
  const rateStr = rateString(growth);
  // Drill-down in exact decimals at the printed rate (1 + rate = growth, exactly).
  // Discount factors to RATIO_PRECISION digits (a fractional power is costly at 50 digits);
  // present values are exact products of the amount and that factor.
  const onePlus = new RatioDec(growth);
  const pvs = amounts.map((a, i) => {
    const df = onePlus.pow(yearsDec[i]!.neg());
    return { df, pv: a.times(df) };
  });
  const npv = sum(pvs.map((x) => x.pv));

  return {
    defined: true,
    rate: rateStr,
    periodRate: rateString(periodGrowth),
    horizonDays,
    method,
    npvAtRate: ratio(npv, 10),
    npvTolerance: ratio(dec(NPV_TOLERANCE).times(sum(amounts.map((a) => a.abs()))), 10),
    cashFlows: details.map((d, i) => ({
      ...d,
      discountFactor: ratio(pvs[i]!.df, 12),
      presentValue: ratio(pvs[i]!.pv, 10),
    })),
  };
}

export interface MwrResult {
  method: 'money-weighted return (XIRR), 365-day years';
  start: string;
  end: string;
  /**
   * The cash flows solved, from the INVESTOR's side: opening value paid in (negative), external
   * flows negated (a deposit is money the investor pays in), closing value received (positive).
   */
  investorCashFlows: XirrCashFlow[];
  excludedFlows: { date: string; amount: string; reason: string }[];
  xirr: XirrResult;
}

/** Money-weighted return of a value series with its external flows (positive = into the portfolio). */
export function moneyWeightedReturn(input: ValuedSeries): MwrResult {
  const series = parseInput(ValuedSeriesSchema, input, 'value series');
  assertIncreasingDates(
    series.valuations.map((v) => v.date),
    'valuation',
  );
  const first = series.valuations[0]!;
  const last = series.valuations[series.valuations.length - 1]!;
  const cf: XirrCashFlow[] = [{ date: first.date, amount: money(dec(first.value).neg()) }];
  const excludedFlows: MwrResult['excludedFlows'] = [];
  const flows: ExternalFlow[] = [...series.flows].sort((a, b) =>
    a.date < b.date ? -1 : a.date > b.date ? 1 : 0,
  );
  for (const f of flows) {
    if (f.date <= first.date) {
      excludedFlows.push({
        date: f.date,
        amount: f.amount,
        reason: 'dated on or before the opening valuation',
      });
    } else if (f.date > last.date) {
      excludedFlows.push({ date: f.date, amount: f.amount, reason: 'dated after the last valuation' });
    } else {
      cf.push({ date: f.date, amount: money(dec(f.amount).neg()) });
    }
  }
  cf.push({ date: last.date, amount: money(dec(last.value)) });
  return {
    method: 'money-weighted return (XIRR), 365-day years',
    start: first.date,
    end: last.date,
    investorCashFlows: cf,
    excludedFlows,
    xirr: xirr(cf),
  };
}
