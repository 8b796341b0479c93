import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../audit/canonical';
import {
  canonicalAssembled,
  canonicalContent,
  canonicalPackText,
  computePackId,
  serialiseCanonical,
  makePack,
  PACK_FORMAT,
  type PackContentInput,
} from './pack';
import { AS_OF, packContentArb } from './testing';

const BASE: PackContentInput = {
  format: PACK_FORMAT,
  as_of: AS_OF,
  parent_pack_id: null,
  prices: [
    {
      commodity: 'VTI',
      quote_currency: 'USD',
      price: '250.10',
      price_date: AS_OF,
      carried: false,
      provider: 'fmp',
      dataset: 'eod',
    },
    {
      commodity: 'AAPL',
      quote_currency: 'USD',
      price: '171.5',
      price_date: '2024-03-14',
      carried: true,
      provider: 'fmp',
      dataset: 'eod',
    },
  ],
  fx: [
    {
      from: 'EUR',
      to: 'USD',
      rate: '1.0890',
      rate_date: AS_OF,
      carried: false,
      provider: 'polygon',
      dataset: 'fx',
    },
  ],
};

describe('pack id', () => {
  it('is the SHA-256 of the documented canonical text', () => {
    expect(canonicalPackText(BASE)).toBe(
      '{"as_of":"2024-03-15","format":"dawsos-pack-v1","fx":[{"carried":false,"dataset":"fx","from":"EUR","provider":"polygon","rate":"1.089","rate_date":"2024-03-15","to":"USD"}],"parent_pack_id":null,"prices":[{"carried":true,"commodity":"AAPL","dataset":"eod","price":"171.5","price_date":"2024-03-14","provider":"fmp","quote_currency":"USD"},{"carried":false,"commodity":"VTI","dataset":"eod","price":"250.1","price_date":"2024-03-15","provider":"fmp","quote_currency":"USD"}]}',
    );
    expect(computePackId(BASE)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('writes exactly what the generic canonical JSON writes (property)', () => {
    fc.assert(
      fc.property(packContentArb, (pack) => {
        const content = canonicalContent(pack);
        expect(serialiseCanonical(content)).toBe(canonicalJson(content));
      }),
    );
  });

  it('gives the same canonical content without the schema pass for valid content (property)', () => {
    fc.assert(
      fc.property(packContentArb, (pack) => {
        const reversed = { ...pack, prices: [...pack.prices].reverse(), fx: [...pack.fx].reverse() };
        expect(canonicalAssembled(reversed)).toEqual(canonicalContent(pack));
      }),
    );
  });

  it('does not depend on row order or on how a decimal is written (property)', () => {
    fc.assert(
      fc.property(packContentArb, fc.integer(), (pack, seed) => {
        const shuffle = <T>(xs: readonly T[]): T[] =>
          xs
            .map((x, i) => ({ x, k: Math.sin(seed + i) }))
            .sort((a, b) => a.k - b.k)
            .map((e) => e.x);
        const rewritten: PackContentInput = {
          ...pack,
          prices: shuffle(pack.prices).map((p) => ({ ...p, price: `00${p.price}000` })),
          fx: shuffle(pack.fx).map((r) => ({ ...r, rate: `+${r.rate}` })),
        };
        expect(computePackId(rewritten)).toBe(computePackId(pack));
      }),
    );
  });

  it('changes when any field of any row, the date or the parent changes (property)', () => {
    fc.assert(
      fc.property(
        packContentArb.filter((p) => p.prices.length > 0),
        fc.nat(),
        fc.constantFrom('price', 'price_date', 'provider', 'dataset', 'quote_currency', 'parent', 'as_of'),
        (pack, index, field) => {
          const i = index % pack.prices.length;
          const row = pack.prices[i]!;
          const prices = [...pack.prices];
          let changed: PackContentInput;
          if (field === 'price') prices[i] = { ...row, price: `${row.price}1` };
          if (field === 'price_date') prices[i] = { ...row, price_date: '2024-03-08', carried: true };
          if (field === 'provider') prices[i] = { ...row, provider: `${row.provider}-x` };
          if (field === 'dataset') prices[i] = { ...row, dataset: `${row.dataset}-x` };
          if (field === 'quote_currency') prices[i] = { ...row, quote_currency: 'XAU' };
          changed = { ...pack, prices };
          if (field === 'parent')
            changed = { ...pack, parent_pack_id: pack.parent_pack_id === null ? 'a'.repeat(64) : null };
          if (field === 'as_of')
            changed = {
              ...pack,
              as_of: '2024-03-16',
              prices: pack.prices.map((p) => ({ ...p, carried: true })),
              fx: pack.fx.map((r) => ({ ...r, carried: true })),
            };
          expect(computePackId(changed)).not.toBe(computePackId(pack));
        },
      ),
    );
  });

  it('hands out a frozen pack', () => {
    const pack = makePack(BASE);
    expect(Object.isFrozen(pack)).toBe(true);
    expect(Object.isFrozen(pack.prices[0])).toBe(true);
    expect(() => {
      (pack.prices as { price: string }[])[0]!.price = '1';
    }).toThrow(TypeError);
  });

  it('refuses zero prices, duplicates, future dates and a wrong carried flag', () => {
    const p = BASE.prices[0]!;
    const bad: PackContentInput[] = [
      { ...BASE, prices: [{ ...p, price: '0.00' }] },
      { ...BASE, prices: [p, { ...p, price: '1' }] },
      { ...BASE, prices: [{ ...p, price_date: '2024-03-16' }] },
      { ...BASE, prices: [{ ...p, carried: true }] },
      { ...BASE, prices: [{ ...p, price: '1e3' }] },
      { ...BASE, fx: [{ ...BASE.fx[0]!, to: 'EUR' }] },
      { ...BASE, as_of: '2024-02-30' },
    ];
    for (const input of bad) expect(() => computePackId(input)).toThrow();
  });
});
