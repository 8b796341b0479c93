import { describe, expect, it } from 'vitest';
import { loadLedger } from '../../ledger/loader';
import type { LedgerSource } from '../../ledger/source';
import { computePackId } from '../../pricing/pack';
import { PackChainPriceSource } from './pack-prices';

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

describe('PackChainPriceSource', () => {
  it('chains one pack per business day and pins them all with the last id', async () => {
    const e = await entries(LEDGER);
    const a = await PackChainPriceSource.build(e, 'USD', ['USD'], '2024-01-06');
    // Business days 01-02..01-05 (4) and the Saturday pack date itself.
    expect(a.packCount).toBe(5);
    expect(a.packId).toMatch(/^[0-9a-f]{64}$/);
    const b = await PackChainPriceSource.build(e, 'USD', ['USD'], '2024-01-06');
    expect(b.packId).toBe(a.packId);
    const changed = await PackChainPriceSource.build(
      await entries(LEDGER.replace('price AAA 20 EUR', 'price AAA 20.5 EUR')),
      'USD',
      ['USD'],
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
    const src = await PackChainPriceSource.build(await entries(LEDGER), 'USD', ['USD'], '2024-01-19');
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
});
