import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decimalText } from './decimal-text';

describe('decimalText', () => {
  it('keeps the shortest round-trip text of a JSON number', () => {
    expect(decimalText(68.6)).toBe('68.6');
    expect(decimalText(0.1)).toBe('0.1');
    expect(decimalText(123456789.12)).toBe('123456789.12');
    expect(decimalText(-3)).toBe('-3');
  });

  it('writes exponent forms as plain decimals without arithmetic', () => {
    expect(decimalText(1e-7)).toBe('0.0000001');
    expect(decimalText(1.5e-7)).toBe('0.00000015');
    expect(decimalText(3e21)).toBe('3000000000000000000000');
    expect(decimalText(-2.5e-8)).toBe('-0.000000025');
  });

  it('refuses non-finite numbers and non-decimal text', () => {
    expect(() => decimalText(Number.NaN)).toThrow(RangeError);
    expect(() => decimalText(Number.POSITIVE_INFINITY)).toThrow(RangeError);
    expect(() => decimalText('1,5')).toThrow(RangeError);
    expect(decimalText(' 12.50 ')).toBe('12.50');
  });

  it('returns exactly the digits a provider wrote, for any price of up to 15 significant digits', () => {
    const price = fc
      .tuple(
        fc.integer({ min: 0, max: 999_999_999 }),
        fc.integer({ min: 0, max: 999_999 }),
        fc.integer({ min: 0, max: 6 }),
      )
      .map(([int, frac, places]) => {
        const fracText = String(frac).padStart(6, '0').slice(0, places).replace(/0+$/, '');
        return fracText === '' ? String(int) : `${int}.${fracText}`;
      });
    fc.assert(fc.property(price, (text) => decimalText(JSON.parse(text) as number) === text));
  });
});
