import { describe, expect, it } from 'vitest';
import { contentOf, makePack, PACK_FORMAT } from './pack';
import { valuePositions } from './valuation';

const pack = makePack({
  format: PACK_FORMAT,
  as_of: '2024-03-15',
  parent_pack_id: null,
  prices: [
    {
      commodity: 'VTI',
      quote_currency: 'USD',
      price: '250.10',
      price_date: '2024-03-15',
      carried: false,
      provider: 'fmp',
      dataset: 'eod',
    },
    {
      commodity: 'SAP',
      quote_currency: 'EUR',
      price: '180.3',
      price_date: '2024-03-14',
      carried: true,
      provider: 'ledger',
      dataset: 'price-directives',
    },
    {
      commodity: 'TYO',
      quote_currency: 'JPY',
      price: '3000',
      price_date: '2024-03-15',
      carried: false,
      provider: 'ledger',
      dataset: 'price-directives',
    },
  ],
  fx: [
    {
      from: 'EUR',
      to: 'USD',
      rate: '1.0890',
      rate_date: '2024-03-15',
      carried: false,
      provider: 'polygon',
      dataset: 'fx',
    },
    {
      from: 'USD',
      to: 'GBP',
      rate: '0.8',
      rate_date: '2024-03-15',
      carried: false,
      provider: 'polygon',
      dataset: 'fx',
    },
  ],
});

describe('valuePositions', () => {
  it('values exactly in the base currency, with the prices and rates it used', () => {
    const v = valuePositions(
      [
        { account: 'Assets:Broker', commodity: 'VTI', units: '3' },
        { account: 'Assets:Broker', commodity: 'SAP', units: '0.5' },
        { account: 'Assets:Cash', commodity: 'USD', units: '100.01' },
        { account: 'Assets:Cash', commodity: 'EUR', units: '10' },
      ],
      pack,
      'USD',
    );
    expect(v.positions.map((p) => p.value)).toEqual(['750.3', '98.17335', '100.01', '10.89']);
    expect(v.total).toBe('959.37335');
    expect(v.complete).toBe(true);
    expect(v.prices_used.map((p) => [p.commodity, p.price_date, p.carried, p.pack_id])).toEqual([
      ['SAP', '2024-03-14', true, pack.pack_id],
      ['VTI', '2024-03-15', false, pack.pack_id],
    ]);
    expect(v.fx_used).toEqual([
      expect.objectContaining({
        from: 'EUR',
        to: 'USD',
        rate: '1.089',
        inverse: false,
        pack_id: pack.pack_id,
      }),
    ]);
  });

  it('inverts a pair (rounded to 28 significant digits) and lists what it cannot price, never as zero', () => {
    const v = valuePositions(
      [
        { account: 'A', commodity: 'GBP', units: '8' },
        { account: 'A', commodity: 'TYO', units: '1' },
        { account: 'A', commodity: 'NOPE', units: '5' },
      ],
      pack,
      'USD',
    );
    expect(v.positions).toEqual([{ account: 'A', commodity: 'GBP', units: '8', value: '10' }]);
    expect(v.fx_used[0]).toMatchObject({ from: 'GBP', to: 'USD', rate: '1.25', inverse: true });
    expect(v.missing).toEqual([
      { account: 'A', commodity: 'TYO', reason: 'no-fx', currency: 'JPY' },
      { account: 'A', commodity: 'NOPE', reason: 'no-price' },
    ]);
    expect(v.complete).toBe(false);
    expect(v.total).toBe('10');
  });

  it('rounds a non-terminating inverse rate half-even to 28 significant digits', () => {
    const thirds = makePack({
      ...contentOf(pack),
      prices: [],
      fx: [{ ...pack.fx[0]!, from: 'USD', to: 'XYZ', rate: '3' }],
    });
    const v = valuePositions([{ account: 'A', commodity: 'XYZ', units: '3' }], thirds, 'USD');
    expect(v.fx_used[0]?.rate).toBe('0.3333333333333333333333333333');
    expect(v.total).toBe('0.9999999999999999999999999999');
  });
});
