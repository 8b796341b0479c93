// Time-weighted return, daily-linked.
//
// The value series is cut at every valuation date into sub-periods (d[i-1], d[i]]. External flows
// dated inside a sub-period are applied at its boundaries (Beancount flows have no time of day):
//   - inflows (positive) at the START of the sub-period: the new money is at risk that day;
//   - outflows (negative) at the END of the sub-period: the money leaves at that day's close.
//   r_i = (V_i + outflows_i) / (V_{i-1} + inflows_i) - 1
// This keeps the denominator the money actually at risk, so a full transfer out (V_i = 0) still
// has a proper return (the proceeds over the capital), and a re-entry after a period at zero has
// one too (the new value over the new money). A sub-period with no capital at risk
// (V_{i-1} + inflows_i <= 0) has no return: it is skipped, listed with its reason, and linking
// resumes with the next sub-period that has capital. Included sub-periods are linked
// geometrically: TWR = prod(1 + r_i) - 1.
//
// Annualisation: 365-day calendar; only for periods of at least ANNUALISE_MIN_DAYS calendar days:
//   (1 + TWR)^(365 / days) - 1; shorter periods get null with a reason.
import type { Decimal } from 'decimal.js';
import { RatioDec, ZERO, dec, money, quotient, ratio } from './decimal';
import { daysBetween } from './dates';
import { AnalyticsInputError } from './errors';
import { assertIncreasingDates, parseInput } from './parse';
import { type PeriodReturn, type ValuedSeries, ValuedSeriesSchema } from './types';

/** Days in a year for every annualisation in the analytics (TWR, XIRR). */
export const DAYS_PER_YEAR = 365;
/** A period shorter than this many calendar days is not annualised. */
export const ANNUALISE_MIN_DAYS = 365;
export const FLOW_TIMING = 'inflows at the start of their day, outflows at the end of their day';

export interface TwrSubPeriod {
  start: string;
  end: string;
  startValue: string;
  /** Sum of positive flows dated in (start, end], applied at the start. */
  inflows: string;
  /** Sum of the magnitudes of negative flows dated in (start, end], applied at the end. */
  outflows: string;
  endValue: string;
  /** startValue + inflows: the money at risk. */
  capitalAtStart: string;
  /** endValue + outflows. */
  valueAtEnd: string;
  /** valueAtEnd / capitalAtStart - 1, or null when skipped. */
  return: string | null;
  included: boolean;
  reason: string | null;
}

export interface TwrFlow {
  date: string;
  amount: string;
  appliedAt: 'start-of-sub-period' | 'end-of-sub-period';
  subPeriodEnd: string;
  note?: string;
}

export interface ExcludedFlow {
  date: string;
  amount: string;
  reason: string;
}

export interface TwrResult {
  method: 'time-weighted return, daily-linked';
  flowTiming: typeof FLOW_TIMING;
  start: string;
  end: string;
  calendarDays: number;
  cumulativeReturn: string | null;
  cumulativeReason: string | null;
  annualisedReturn: string | null;
  annualisedReason: string | null;
  includedSubPeriods: number;
  skippedSubPeriods: number;
  detail: 'full' | 'summary';
  /** Every sub-period (empty when detail is 'summary'). */
  subPeriods: TwrSubPeriod[];
  flows: TwrFlow[];
  excludedFlows: ExcludedFlow[];
  warnings: string[];
}

/** The exact figures behind a TwrResult, for modules that build on it. */
export interface TwrComputation {
  result: TwrResult;
  /** prod(1 + r_i) over included sub-periods, unrounded; null when none was included. */
  growth: Decimal | null;
  /** One entry per sub-period: the unrounded return, or null when skipped. */
  returns: (Decimal | null)[];
}

export interface TwrOptions {
  /**
   * 'full' (default) lists every sub-period in the drill-down; 'summary' leaves the list empty
   * (the counts, flows and totals stay), for callers that compute many series at once and fetch
   * one series' full drill-down on demand.
   */
  detail?: 'full' | 'summary';
}

export function computeTwr(input: ValuedSeries, options: TwrOptions = {}): TwrComputation {
  const detail = (options.detail ?? 'full') === 'full';
  const series = parseInput(ValuedSeriesSchema, input, 'value series');
  const vals = series.valuations;
  assertIncreasingDates(
    vals.map((v) => v.date),
    'valuation',
  );
  const first = vals[0]!;
  const last = vals[vals.length - 1]!;
  const n = vals.length - 1;

  const inflows: Decimal[] = Array.from({ length: n }, () => ZERO);
  const outflows: Decimal[] = Array.from({ length: n }, () => ZERO);
  const flows: TwrFlow[] = [];
  const excludedFlows: ExcludedFlow[] = [];
  const sorted = series.flows
    .map((f, i) => ({ f, i }))
    .sort((a, b) => (a.f.date < b.f.date ? -1 : a.f.date > b.f.date ? 1 : a.i - b.i))
    .map((x) => x.f);
  let k = 0; // index of the sub-period candidate (ends at vals[k + 1])
  for (const f of sorted) {
    const amount = dec(f.amount);
    if (f.date <= first.date) {
      excludedFlows.push({
        date: f.date,
        amount: money(amount),
        reason: 'dated on or before the opening valuation, so already inside it',
      });
      continue;
    }
    if (f.date > last.date) {
      excludedFlows.push({ date: f.date, amount: money(amount), reason: 'dated after the last valuation' });
      continue;
    }
    while (f.date > vals[k + 1]!.date) k += 1;
    if (amount.isZero()) {
      excludedFlows.push({ date: f.date, amount: '0', reason: 'zero amount' });
      continue;
    }
    const isIn = amount.gt(0);
    if (isIn) inflows[k] = inflows[k]!.plus(amount);
    else outflows[k] = outflows[k]!.minus(amount);
    flows.push({
      date: f.date,
      amount: money(amount),
      appliedAt: isIn ? 'start-of-sub-period' : 'end-of-sub-period',
      subPeriodEnd: vals[k + 1]!.date,
      ...(f.note !== undefined ? { note: f.note } : {}),
    });
  }

  const subPeriods: TwrSubPeriod[] = [];
  const returns: (Decimal | null)[] = [];
  const warnings: string[] = [];
  let growth: Decimal = new RatioDec(1);
  let included = 0;
  // Hot loop (a 10-year daily series has 3650 sub-periods): each valuation is parsed and printed
  // once, and a sum is only computed when the sub-period has flows.
  const parsed = vals.map((v) => dec(v.value));
  const printed = detail ? parsed.map(money) : [];
  for (let i = 0; i < n; i += 1) {
    const a = vals[i]!;
    const b = vals[i + 1]!;
    const startValue = parsed[i]!;
    const endValue = parsed[i + 1]!;
    const inflow = inflows[i]!;
    const outflow = outflows[i]!;
    const capital = inflow.isZero() ? startValue : startValue.plus(inflow);
    const valueAtEnd = outflow.isZero() ? endValue : endValue.plus(outflow);
    let r: Decimal | null = null;
    let reason: string | null = null;
    if (capital.isZero()) {
      if (valueAtEnd.isZero()) {
        reason = 'no capital at risk (empty portfolio): skipped, linking resumes when money comes back';
      } else {
        reason = 'value appeared without capital at risk (no opening value and no inflow): skipped';
        warnings.push(
          `Sub-period ending ${b.date}: value changed from zero without an external inflow; ` +
            'that change is not counted as return.',
        );
      }
    } else if (capital.isNegative()) {
      reason = 'negative capital at risk: a return is not defined, skipped';
      warnings.push(`Sub-period ending ${b.date}: negative capital at risk, skipped.`);
    } else {
      const factor = quotient(valueAtEnd, capital);
      growth = growth.times(factor);
      r = factor.minus(1);
      included += 1;
    }
    returns.push(r);
    if (detail) {
      subPeriods.push({
        start: a.date,
        end: b.date,
        startValue: printed[i]!,
        inflows: inflow.isZero() ? '0' : money(inflow),
        outflows: outflow.isZero() ? '0' : money(outflow),
        endValue: printed[i + 1]!,
        capitalAtStart: capital === startValue ? printed[i]! : money(capital),
        valueAtEnd: valueAtEnd === endValue ? printed[i + 1]! : money(valueAtEnd),
        return: r === null ? null : ratio(r),
        included: r !== null,
        reason,
      });
    }
  }

  const calendarDays = daysBetween(first.date, last.date);
  let cumulativeReason: string | null = null;
  let annualisedReason: string | null = null;
  let cumulative: Decimal | null = null;
  let annualised: Decimal | null = null;
  if (n === 0) {
    cumulativeReason = 'a single valuation has no period to measure';
  } else if (included === 0) {
    cumulativeReason = 'no sub-period had capital at risk';
  } else {
    cumulative = growth.minus(1);
  }
  if (cumulative === null) {
    annualisedReason = 'no cumulative return to annualise';
  } else if (calendarDays < ANNUALISE_MIN_DAYS) {
    annualisedReason = `period of ${calendarDays} calendar days is shorter than ${ANNUALISE_MIN_DAYS}; not annualised`;
  } else if (!growth.gt(0)) {
    annualisedReason = 'cumulative return at or below -100%; not annualised';
  } else {
    annualised = growth.pow(quotient(dec(DAYS_PER_YEAR), dec(calendarDays))).minus(1);
  }

  return {
    growth: included > 0 ? growth : null,
    returns,
    result: {
      method: 'time-weighted return, daily-linked',
      flowTiming: FLOW_TIMING,
      start: first.date,
      end: last.date,
      calendarDays,
      cumulativeReturn: cumulative === null ? null : ratio(cumulative),
      cumulativeReason,
      annualisedReturn: annualised === null ? null : ratio(annualised),
      annualisedReason,
      includedSubPeriods: included,
      skippedSubPeriods: n - included,
      detail: detail ? 'full' : 'summary',
      subPeriods,
      flows,
      excludedFlows,
      warnings,
    },
  };
}

/** Time-weighted return of a value series with its external flows, with its drill-down. */
export function timeWeightedReturn(input: ValuedSeries, options: TwrOptions = {}): TwrResult {
  return computeTwr(input, options).result;
}

/** The included sub-period returns as floats, for the risk statistics. */
export function twrReturnSeries(result: TwrResult): PeriodReturn[] {
  if (result.detail !== 'full') {
    throw new AnalyticsInputError('A return series needs a time-weighted return with full detail.');
  }
  const out: PeriodReturn[] = [];
  for (const p of result.subPeriods) {
    if (p.return !== null) out.push({ start: p.start, end: p.end, value: Number(p.return) });
  }
  return out;
}
