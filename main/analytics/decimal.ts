// Exact decimal arithmetic for money and returns. Every money figure enters the analytics as a
// decimal string and leaves as one; in between it is a Decimal from this private clone so that the
// global Decimal settings of other modules cannot change our results.
//
// Additions, subtractions and multiplications of money are exact as long as a result fits
// MONEY_PRECISION significant digits (money never comes close). Divisions (returns, weights) are
// rounded to RATIO_PRECISION significant digits, half-even, then rounded again for output.
import Decimal from 'decimal.js';

/** Significant digits kept by every Decimal operation in the analytics. */
export const MONEY_PRECISION = 50;

/** Decimal places of every return printed at the API (TWR, per-holding, benchmark, FX effect). */
export const RETURN_DECIMALS = 12;

export const Dec = Decimal.clone({
  precision: MONEY_PRECISION,
  rounding: Decimal.ROUND_HALF_EVEN,
  toExpNeg: -9e15,
  toExpPos: 9e15,
});
export type Dec = Decimal;

/**
 * Significant digits of a return (a quotient of two exact money amounts) and of linked growth.
 * 24 digits keep linking 10 years of daily returns exact far beyond the RETURN_DECIMALS printed,
 * and cost a fraction of MONEY_PRECISION in the hot TWR loop.
 */
export const RATIO_PRECISION = 24;
export const RatioDec = Dec.clone({ precision: RATIO_PRECISION });

/** value / by, as a ratio rounded to RATIO_PRECISION significant digits. */
export function quotient(value: Decimal, by: Decimal | string): Decimal {
  return new RatioDec(value).div(by);
}

export const ZERO = new Dec(0);
export const ONE = new Dec(1);

export function dec(value: string | number | Decimal): Decimal {
  return new Dec(value);
}

/** A Decimal as a plain string without exponent; "-0" becomes "0". */
export function money(value: Decimal): string {
  const s = value.toFixed();
  return s === '-0' ? '0' : s;
}

/** A return (or any ratio) rounded half-even to RETURN_DECIMALS places, as a string. */
export function ratio(value: Decimal, places: number = RETURN_DECIMALS): string {
  const s = value.toDecimalPlaces(places, Dec.ROUND_HALF_EVEN).toFixed(places);
  return /^-0(\.0+)?$/.test(s) ? s.slice(1) : s;
}

export function sum(values: Iterable<Decimal>): Decimal {
  let total = ZERO;
  for (const v of values) total = total.plus(v);
  return total;
}
