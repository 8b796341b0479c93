import { Decimal } from 'decimal.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { coefExpText, isPositiveDecimal, normaliseDecimal } from './decimal';

describe('normaliseDecimal', () => {
  it('gives one text per value', () => {
    expect(normaliseDecimal('0101.500')).toBe('101.5');
    expect(normaliseDecimal('+101.5')).toBe('101.5');
    expect(normaliseDecimal('.50')).toBe('0.5');
    expect(normaliseDecimal('5.')).toBe('5');
    expect(normaliseDecimal('-0.000')).toBe('0');
    expect(normaliseDecimal('-00.0100')).toBe('-0.01');
  });

  it('refuses exponents, commas and words', () => {
    for (const bad of ['1e5', '1,000', 'NaN', '', '.', '1.2.3', ' 1'])
      expect(() => normaliseDecimal(bad)).toThrow(RangeError);
  });

  it('is idempotent and keeps the value exactly (property)', () => {
    const text = fc
      .tuple(
        fc.constantFrom('', '+', '-'),
        fc.stringMatching(/^\d{0,12}$/),
        fc.stringMatching(/^\d{0,12}$/),
        fc.boolean(),
      )
      .filter(([, i, f]) => i.length + f.length > 0)
      .map(([s, i, f, point]) => (point || f ? `${s}${i}.${f}` : `${s}${i}`));
    fc.assert(
      fc.property(text, (t) => {
        const n = normaliseDecimal(t);
        expect(normaliseDecimal(n)).toBe(n);
        expect(new Decimal(n).equals(new Decimal(t.startsWith('+') ? t.slice(1) : t))).toBe(true);
      }),
    );
  });

  it('tells positive from zero and negative', () => {
    expect(isPositiveDecimal('0.0001')).toBe(true);
    expect(isPositiveDecimal('0.000')).toBe(false);
    expect(isPositiveDecimal('-3')).toBe(false);
  });

  it('prints the ledger coefficient/exponent form without exponents', () => {
    expect(coefExpText(12345n, -2)).toBe('123.45');
    expect(coefExpText(1n, -7)).toBe('0.0000001');
    expect(coefExpText(15n, 3)).toBe('15000');
    expect(coefExpText(-500n, -2)).toBe('-5');
  });
});
