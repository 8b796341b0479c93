import { describe, expect, it } from 'vitest';
import { loadLedger } from '../ledger/loader';
import type { LedgerSource } from '../ledger/source';
import { computePackId } from './pack';
import { PackChainPrices } from './chain-prices';
import { memoryRunPacks } from './run-packs';

const LEDGER = `option "operating_currency" "USD"
2024-01-01 commodity AAA
2024-01-01 commodity BMK
2024-01-01 open Assets:Cash USD,EUR
2024-01-01 open Assets:Stocks
2024-01-01 open Equity:Opening
2024-01-02 * "buy"
  Assets:Stocks  10 AAA {20 EUR}
  Equity:Opening
2024-01-02 price AAA 20 EUR
2024-01-02 price EUR 1.10 USD
2024-01-02 price BMK 100 USD
2024-01-05 price AAA 21 EUR
2024-01-05 price BMK 101 USD
2024-01-19 price EUR 1.20 USD
`;

async function entries(text: string) {
  const source: LedgerSource = {
    label: 'mem',
    readFile: () => Promise.resolve(text),
    expandInclude: () => Promise.resolve([]),
  };
  const ledger = await loadLedger(source, 'main.beancount');
  expect(ledger.errors.filter((e) => e.severity !== 'warning')).toEqual([]);
  return ledger.entries;
}

const build = async (e: Awaited<ReturnType<typeof entries>>, asOf: string) =>
  memoryRunPacks({ entries: e, base: 'USD', operating: ['USD'], asOf });

describe('PackChainPrices over an in-memory chain', () => {
  it('chains one pack per business day and pins them all with the last id', async () => {
    const e = await entries(LEDGER);
    const a = await build(e, '2024-01-06');
    // Business days 01-02..01-05 (4) and the Saturday pack date itself.
    expect(a.packCount).toBe(5);
    expect(a.packId).toMatch(/^[0-9a-f]{64}$/);
    const b = await build(e, '2024-01-06');
    expect(b.packId).toBe(a.packId);
    const changed = await build(
      await entries(LEDGER.replace('price AAA 20 EUR', 'price AAA 20.5 EUR')),
      '2024-01-06',
    );
    expect(changed.packId).not.toBe(a.packId);
    expect(
      computePackId({
        format: 'dawsos-pack-v1',
        as_of: '2024-01-06',
        parent_pack_id: null,
        prices: [],
        fx: [],
      }),
    ).not.toBe(a.packId);
  });

  it('converts through the quote currency, prices a benchmark that is not held, and carries within the window only', async () => {
    const src = await build(await entries(LEDGER), '2024-01-19');
    const c = src.convert('AAA', 'USD', '2024-01-06')!;
    expect([c.localPrice!.toString(), c.fxRate!.toString(), c.rate.toString(), c.localDate]).toEqual([
      '21',
      '1.1',
      '23.1',
      '2024-01-05',
    ]);
    expect(src.convert('BMK', 'USD', '2024-01-03')!.rate.toString()).toBe('100');
    // 01-05 + 5 business days = 01-12 is the last day the close is carried; later it is missing.
    expect(src.convert('BMK', 'USD', '2024-01-12')!.rate.toString()).toBe('101');
    expect(src.convert('BMK', 'USD', '2024-01-15')).toBeNull();
    // The EUR rate of 01-02 is too old by 01-12 too: no conversion rather than an invented one.
    expect(src.convert('AAA', 'USD', '2024-01-12')).toBeNull();
    expect(src.history('BMK')!.points.map((p) => p.date)).toEqual(['2024-01-02', '2024-01-05']);
  });

  it('reads the same chain back from its packs, and refuses packs that are not a chain', async () => {
    const src = await build(await entries(LEDGER), '2024-01-19');
    const packs = src.packs();
    expect(packs.map((p) => p.asOf)[0]).toBe('2024-01-02');
    expect(src.commodities()).toEqual(['AAA', 'BMK']);
    // An inverse rate is 1 / rate rounded half-even to 28 significant digits.
    const eurInUsd = src.convert('EUR', 'USD', '2024-01-19')!;
    expect(eurInUsd.rate.toString()).toBe('1.2');
    expect(src.convert('USD', 'EUR', '2024-01-19')!.rate.toString()).toBe('0.8333333333333333333333333333');
    expect(() =>
      PackChainPrices.fromPacks([
        {
          format: 'dawsos-pack-v1',
          as_of: '2024-01-02',
          parent_pack_id: null,
          prices: [],
          fx: [],
          pack_id: 'a'.repeat(64),
        },
        {
          format: 'dawsos-pack-v1',
          as_of: '2024-01-03',
          parent_pack_id: 'b'.repeat(64),
          prices: [],
          fx: [],
          pack_id: 'c'.repeat(64),
        },
      ]),
    ).toThrow(RangeError);
  });
});
