// Exact decimals for pricing. Prices and rates travel as strings and are normalised to ONE textual
// form before they are hashed, so "101.50", "+101.5" and "0101.500" are the same price and give the
// same pack id. Arithmetic uses a decimal.js clone with a precision far above any product the
// valuation forms (units × price × rate), so those products are exact; only an inverse FX rate
// (1 / rate) is rounded, to INVERSE_RATE_SIGNIFICANT_DIGITS, half-even.
import { Decimal } from 'decimal.js';

/** Enough significant digits that units × price × rate of ledger-sized numbers is never rounded. */
export const PRICING_PRECISION = 100;
/** An inverse FX rate is rounded to this many significant digits (Python's decimal context, as Beancount). */
export const INVERSE_RATE_SIGNIFICANT_DIGITS = 28;

export const PricingDecimal = Decimal.clone({
  precision: PRICING_PRECISION,
  rounding: Decimal.ROUND_HALF_EVEN,
  toExpNeg: -9e15,
  toExpPos: 9e15,
});
export type PricingDecimal = InstanceType<typeof PricingDecimal>;

const DECIMAL_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)$/;

/** Whether `text` is a plain decimal number (optional sign, digits, at most one point; no exponent). */
export function isDecimalText(text: string): boolean {
  return DECIMAL_TEXT.test(text);
}

/**
 * The one canonical text of a decimal: no sign for positives, no leading zeros (one "0" before the
 * point when the integer part is zero), no trailing fractional zeros and no trailing point, and
 * "0" for any zero ("-0.00" → "0"). Throws RangeError on anything that is not a plain decimal.
 */
export function normaliseDecimal(text: string): string {
  if (!DECIMAL_TEXT.test(text)) throw new RangeError('not a plain decimal number');
  let sign = '';
  let body = text;
  if (body[0] === '+' || body[0] === '-') {
    sign = body[0] === '-' ? '-' : '';
    body = body.slice(1);
  }
  const point = body.indexOf('.');
  let intPart = point < 0 ? body : body.slice(0, point);
  let fracPart = point < 0 ? '' : body.slice(point + 1);
  intPart = intPart.replace(/^0+/, '') || '0';
  fracPart = fracPart.replace(/0+$/, '');
  if (intPart === '0' && fracPart === '') return '0';
  return `${sign}${intPart}${fracPart ? `.${fracPart}` : ''}`;
}

/** True when the decimal text is strictly greater than zero. */
export function isPositiveDecimal(text: string): boolean {
  const n = normaliseDecimal(text);
  return n !== '0' && !n.startsWith('-');
}

export function dec(text: string): PricingDecimal {
  return new PricingDecimal(normaliseDecimal(text));
}

/** Plain, normalised text of a computed decimal (never exponent notation). */
export function decText(value: PricingDecimal): string {
  return normaliseDecimal(value.toFixed());
}

/** Plain decimal text of coef × 10^exp (how the ledger's exact decimals are held), never exponent form. */
export function coefExpText(coef: bigint, exp: number): string {
  const negative = coef < 0n;
  const digits = (negative ? -coef : coef).toString();
  let text: string;
  if (exp >= 0) text = digits + '0'.repeat(exp);
  else {
    const point = digits.length + exp;
    text =
      point > 0 ? `${digits.slice(0, point)}.${digits.slice(point)}` : `0.${'0'.repeat(-point)}${digits}`;
  }
  return normaliseDecimal(negative ? `-${text}` : text);
}

/** Plain text of a decimal that may be written in exponent form (Python's str(Decimal) prints "1E-7"). */
export function plainDecimal(text: string): string {
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(E[+-]?\d+)?$/i.test(text)) throw new RangeError('not a decimal number');
  return normaliseDecimal(new PricingDecimal(text).toFixed());
}
