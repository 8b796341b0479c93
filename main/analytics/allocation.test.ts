import Decimal from 'decimal.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ALLOCATION_DIMENSIONS, allocation, concentration } from './allocation';
import type { Position } from './types';

const book: Position[] = [
  {
    commodity: 'AAPL',
    account: 'Assets:A',
    value: '70',
    sector: 'Technology',
    issuer: 'Apple',
    currency: 'USD',
    assetClass: 'Equity',
  },
  {
    commodity: 'AAPL',
    account: 'Assets:B',
    value: '50',
    sector: 'Technology',
    issuer: 'Apple',
    currency: 'USD',
    assetClass: 'Equity',
  },
  {
    commodity: 'MSFT',
    account: 'Assets:A',
    value: '90',
    sector: 'Technology',
    issuer: 'Microsoft',
    currency: 'USD',
    assetClass: 'Equity',
  },
  {
    commodity: 'NVDA',
    account: 'Assets:A',
    value: '100',
    sector: 'Technology',
    currency: 'USD',
    assetClass: 'Equity',
  },
  {
    commodity: 'GOOG',
    account: 'Assets:A',
    value: '60',
    sector: 'Communication',
    issuer: 'Alphabet',
    currency: 'USD',
    assetClass: 'Equity',
  },
  {
    commodity: 'GOOGL',
    account: 'Assets:B',
    value: '60',
    sector: 'Communication',
    issuer: 'Alphabet',
    currency: 'USD',
    assetClass: 'Equity',
  },
  { commodity: 'CHF', account: 'Assets:Bank', value: '200', currency: 'CHF', assetClass: 'Cash' },
  { commodity: 'VT', account: 'Assets:B', value: '370', currency: 'USD', assetClass: 'ETF' },
];

describe('allocation', () => {
  it('weights each dimension by value, with unclassified metadata in its own bucket', () => {
    const a = allocation(book);
    expect(a.defined).toBe(true);
    if (!a.defined) return;
    expect(a.total).toBe('1000');
    expect(a.dimensions.assetClass).toEqual([
      { key: 'Equity', value: '430', weight: '0.430000', positions: 6 },
      { key: 'ETF', value: '370', weight: '0.370000', positions: 1 },
      { key: 'Cash', value: '200', weight: '0.200000', positions: 1 },
    ]);
    expect(a.dimensions.sector.map((b) => [b.key, b.weight])).toEqual([
      ['Unclassified', '0.570000'],
      ['Technology', '0.310000'],
      ['Communication', '0.120000'],
    ]);
    expect(a.dimensions.account.find((b) => b.key === 'Assets:B')?.value).toBe('480');
    expect(a.dimensions.currency.map((b) => b.key)).toEqual(['USD', 'CHF']);
    expect(a.dimensions.country).toEqual([
      { key: 'Unclassified', value: '1000', weight: '1.000000', positions: 8 },
    ]);
  });

  it('rounds thirds by the largest-remainder rule so the weights sum to exactly 1', () => {
    const a = allocation([
      { commodity: 'A', account: 'X', value: '1', country: 'CH' },
      { commodity: 'B', account: 'X', value: '1', country: 'DE' },
      { commodity: 'C', account: 'X', value: '1', country: 'US' },
    ]);
    expect(a.defined).toBe(true);
    if (!a.defined) return;
    expect(a.dimensions.country.map((b) => b.weight)).toEqual(['0.333334', '0.333333', '0.333333']);
  });

  it('is not defined when the total is not positive', () => {
    expect(allocation([]).defined).toBe(false);
    expect(allocation([{ commodity: 'A', account: 'X', value: '-5' }]).defined).toBe(false);
  });

  it('weights sum to exactly 1 in every dimension and stay within one unit of the exact fraction (property)', () => {
    const pos = fc.record({
      commodity: fc.constantFrom('A', 'B', 'C', 'D', 'E', 'F', 'G'),
      account: fc.constantFrom('X', 'Y', 'Z'),
      cents: fc.integer({ min: -50_000, max: 10_000_000 }),
      sector: fc.option(fc.constantFrom('Tech', 'Energy', 'Health'), { nil: undefined }),
    });
    fc.assert(
      fc.property(fc.array(pos, { minLength: 1, maxLength: 30 }), (raw) => {
        const positions: Position[] = raw.map((p) => ({
          commodity: p.commodity,
          account: p.account,
          value: new Decimal(p.cents).div(100).toFixed(),
          ...(p.sector ? { sector: p.sector } : {}),
        }));
        const a = allocation(positions);
        const total = positions.reduce((s, p) => s.plus(p.value), new Decimal(0));
        if (!total.gt(0)) {
          expect(a.defined).toBe(false);
          return;
        }
        expect(a.defined).toBe(true);
        if (!a.defined) return;
        for (const d of ALLOCATION_DIMENSIONS) {
          const sum = a.dimensions[d].reduce((s, b) => s.plus(b.weight), new Decimal(0));
          expect(sum.toFixed()).toBe('1');
          for (const b of a.dimensions[d]) {
            const exact = new Decimal(b.value).div(total);
            expect(exact.minus(b.weight).abs().lte('0.000001')).toBe(true);
          }
        }
      }),
    );
  });
});

describe('concentration', () => {
  it('aggregates positions across accounts and flags positions, issuers and sectors above their limits', () => {
    const c = concentration(book);
    expect(c.defined).toBe(true);
    if (!c.defined) return;
    expect(c.largestPositions.slice(0, 3)).toEqual([
      { key: 'VT', value: '370', weight: '0.370000' },
      { key: 'CHF', value: '200', weight: '0.200000' },
      { key: 'AAPL', value: '120', weight: '0.120000' },
    ]);
    expect(c.breaches.map((b) => [b.kind, b.key, b.weight, b.threshold])).toEqual([
      ['position', 'VT', '0.370000', '0.10'],
      ['position', 'AAPL', '0.120000', '0.10'], // 70 + 50 across two accounts
      ['issuer', 'VT', '0.370000', '0.10'], // no issuer metadata: its own issuer
      ['issuer', 'Alphabet', '0.120000', '0.10'], // GOOG + GOOGL, 6 % each
      ['issuer', 'Apple', '0.120000', '0.10'],
      ['sector', 'Technology', '0.310000', '0.30'],
    ]);
    // NVDA at exactly 10 % and cash at 20 % do not breach; Unclassified is not a sector
    expect(c.unclassifiedSectorWeight).toBe('0.570000');
  });

  it('HHI equals the brute-force sum of squared position weights', () => {
    const c = concentration(book);
    if (!c.defined) throw new Error('expected defined');
    const byCommodity = new Map<string, number>();
    for (const p of book) byCommodity.set(p.commodity, (byCommodity.get(p.commodity) ?? 0) + Number(p.value));
    const hhi = [...byCommodity.values()].reduce((s, v) => s + (v / 1000) ** 2, 0);
    expect(Number(c.hhi)).toBeCloseTo(hhi, 12);
    expect(c.hhi).toBe('0.216600');
    expect(c.effectivePositions).toBe('4.62');
  });

  it('uses configurable thresholds', () => {
    const c = concentration(book, { thresholds: { position: '0.5', issuer: '0.5', sector: '0.5' }, top: 2 });
    if (!c.defined) throw new Error('expected defined');
    expect(c.breaches).toEqual([]);
    expect(c.largestPositions).toHaveLength(2);
  });
});
