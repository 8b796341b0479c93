import { describe, expect, it } from 'vitest';
import { loadLedger } from '../ledger/loader';
import type { LedgerSource } from '../ledger/source';
import { ledgerCurrencies, ledgerPositions, ledgerPriceSource, ledgerSecurities } from './ledger-source';

const TEXT = `option "operating_currency" "USD"
2024-01-01 open Assets:Broker
2024-01-01 open Assets:Cash
2024-01-02 * "buy"
  Assets:Broker  2 VTI {200 USD}
  Assets:Broker  1 SAP {150 EUR}
  Assets:Cash  -400 USD
  Assets:Cash  -150 EUR
2024-01-02 * "cash"
  Assets:Cash  10 CHF @ 1.1 USD
  Assets:Cash  -11 USD
2024-01-05 price VTI 210 USD
2024-01-05 price SAP 155.50 EUR
2024-01-05 price CHF 1.1 USD
2024-01-05 price EUR 1.09 USD
2024-02-01 * "sell"
  Assets:Broker  -2 VTI {200 USD}
  Assets:Cash  400 USD
`;

async function entries() {
  const source: LedgerSource = {
    label: 'memory',
    readFile: () => Promise.resolve(TEXT),
    expandInclude: () => Promise.resolve([]),
  };
  const ledger = await loadLedger(source, 'main.beancount');
  expect(ledger.errors).toEqual([]);
  return ledger;
}

describe('ledger as a price source', () => {
  it('tells currencies (quoted, cost, cash-only) from securities (held at cost)', async () => {
    const { entries: e } = await entries();
    expect([...ledgerCurrencies(e, ['USD'])].sort()).toEqual(['CHF', 'EUR', 'USD']);
    expect(ledgerSecurities(e, '2024-01-31', ['USD'])).toEqual({
      securities: [
        { commodity: 'SAP', currency: 'EUR' },
        { commodity: 'VTI', currency: 'USD' },
      ],
      currencies: ['CHF', 'EUR'],
    });
  });

  it('turns currency directives into rates and covers what is held on each date', async () => {
    const ledger = await entries();
    const source = ledgerPriceSource({ entries: ledger.entries, baseCurrencies: ['USD'] });
    const collected = await source.collect({ from: '2024-01-01', to: '2024-02-05' }, () => undefined);
    expect(collected.history.commodities()).toEqual(['SAP', 'VTI']);
    expect(collected.history.pairs()).toEqual([
      { from: 'CHF', to: 'USD' },
      { from: 'EUR', to: 'USD' },
    ]);
    expect(collected.universeAt('2024-01-05')).toEqual({
      commodities: [{ commodity: 'SAP' }, { commodity: 'VTI' }],
      currencies: ['CHF', 'EUR', 'USD'],
      baseCurrencies: ['USD'],
    });
    // VTI was sold on 2024-02-01: the pack of that day no longer needs it.
    expect(collected.universeAt('2024-02-01').commodities).toEqual([{ commodity: 'SAP' }]);
  });

  it('lists positions per account and commodity at the end of a date', async () => {
    const { entries: e } = await entries();
    expect(ledgerPositions(e, '2024-01-02')).toEqual([
      { account: 'Assets:Broker', commodity: 'SAP', units: '1' },
      { account: 'Assets:Broker', commodity: 'VTI', units: '2' },
      { account: 'Assets:Cash', commodity: 'CHF', units: '10' },
      { account: 'Assets:Cash', commodity: 'EUR', units: '-150' },
      { account: 'Assets:Cash', commodity: 'USD', units: '-411' },
    ]);
  });
});
