import { describe, expect, it } from 'vitest';
import { assemblePack } from './assemble';
import { PriceHistory } from './history';
import { makePack } from './pack';

function history(): PriceHistory {
  const h = new PriceHistory();
  const price = (commodity: string, date: string, value: string, quote = 'USD') =>
    h.addPrice({
      commodity,
      quote_currency: quote,
      date,
      price: value,
      provider: 'ledger',
      dataset: 'price-directives',
    });
  price('VTI', '2024-03-14', '250.00');
  price('VTI', '2024-03-15', '251.25');
  price('OLD', '2024-03-07', '10'); // Thursday, 6 business days before Friday 2024-03-15
  price('WEEK', '2024-03-08', '20'); // exactly 5 business days before
  price('ZERO', '2024-03-15', '0'); // a zero close is not a price
  price('SAP', '2024-03-15', '180', 'EUR');
  h.addRate({
    from: 'USD',
    to: 'EUR',
    date: '2024-03-13',
    rate: '0.92',
    provider: 'ledger',
    dataset: 'price-directives',
  });
  return h;
}

describe('assemblePack', () => {
  it('takes the close of the date, carries within the window with its own date, and lists the rest as missing', () => {
    const universe = {
      commodities: ['VTI', 'OLD', 'WEEK', 'ZERO', 'NONE', 'SAP'].map((commodity) => ({ commodity })),
      currencies: [],
      baseCurrencies: ['USD'],
    };
    const { content, missing, carried } = assemblePack(history(), universe, '2024-03-15', null);
    const pack = makePack(content);
    expect(pack.prices.map((p) => [p.commodity, p.price, p.price_date, p.carried])).toEqual([
      ['SAP', '180', '2024-03-15', false],
      ['VTI', '251.25', '2024-03-15', false],
      ['WEEK', '20', '2024-03-08', true],
    ]);
    expect(missing).toEqual([
      { kind: 'price', commodity: 'OLD', reason: 'too-old', last_date: '2024-03-07' },
      { kind: 'price', commodity: 'ZERO', reason: 'no-history', last_date: null },
      { kind: 'price', commodity: 'NONE', reason: 'no-history', last_date: null },
    ]);
    // SAP is quoted in EUR: the history only has USD→EUR, so the pack holds that pair (inverted later).
    expect(pack.fx.map((r) => [r.from, r.to, r.rate_date, r.carried])).toEqual([
      ['USD', 'EUR', '2024-03-13', true],
    ]);
    expect(carried).toBe(2); // WEEK and the USD→EUR rate
  });

  it('uses the inverse pair when only that one exists, carried with its date', () => {
    const universe = { commodities: [{ commodity: 'VTI' }], currencies: [], baseCurrencies: ['EUR'] };
    const { content, missing } = assemblePack(history(), universe, '2024-03-15', 'f'.repeat(64));
    const pack = makePack(content);
    expect(pack.fx).toEqual([
      {
        from: 'USD',
        to: 'EUR',
        rate: '0.92',
        rate_date: '2024-03-13',
        carried: true,
        provider: 'ledger',
        dataset: 'price-directives',
      },
    ]);
    expect(pack.parent_pack_id).toBe('f'.repeat(64));
    expect(missing).toEqual([]);
  });

  it('never uses a price from after the pack date', () => {
    const universe = { commodities: [{ commodity: 'VTI' }], currencies: [], baseCurrencies: ['USD'] };
    const { content } = assemblePack(history(), universe, '2024-03-14', null);
    expect(content.prices[0]?.price).toBe('250');
  });
});
