import { describe, expect, it } from 'vitest';
import { loadLedger } from '../ledger/loader';
import type { LedgerSource } from '../ledger/source';
import { holdings } from '../ledger/views';
import { addDays } from './calendar';
import {
  ledgerCurrencies,
  ledgerPositions,
  ledgerPriceSource,
  ledgerSecurities,
  ledgerUniverse,
} from './ledger-source';

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

async function entries(text = TEXT) {
  const source: LedgerSource = {
    label: 'memory',
    readFile: () => Promise.resolve(text),
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
      commodities: [
        { commodity: 'SAP', quote_currency: 'EUR' },
        { commodity: 'VTI', quote_currency: 'USD' },
      ],
      currencies: ['CHF', 'EUR', 'USD'],
      baseCurrencies: ['USD'],
    });
    // VTI was sold on 2024-02-01 and its last quote is weeks old: the pack of that day no longer needs it.
    expect(collected.universeAt('2024-02-01').commodities).toEqual([
      { commodity: 'SAP', quote_currency: 'EUR' },
    ]);
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

  it('covers what is held plus what is quoted within the carry window (one sweep, any date order)', async () => {
    const { entries: e } = await entries(
      TEXT +
        `2024-01-08 price BMK 100 USD
2024-01-12 price BMK 101 USD
2024-02-01 price VTI 230 USD
2024-02-01 price SAP 160 EUR
`,
    );
    const universe = ledgerUniverse(e, ['USD'], ['USD']);
    const commodities = (date: string) => universe.at(date).commodities.map((c) => c.commodity);
    // BMK is never held: it is covered from its first quote while quoted (01-12 + 5 business days = 01-19).
    expect(commodities('2024-01-05')).toEqual(['SAP', 'VTI']);
    expect(commodities('2024-01-08')).toEqual(['BMK', 'SAP', 'VTI']);
    expect(commodities('2024-01-19')).toEqual(['BMK', 'SAP', 'VTI']);
    expect(commodities('2024-01-22')).toEqual(['SAP', 'VTI']);
    // VTI is sold on 02-01 but quoted that day: covered until its quotes are older than the window.
    expect(commodities('2024-02-01')).toEqual(['SAP', 'VTI']);
    expect(commodities('2024-02-08')).toEqual(['SAP', 'VTI']);
    expect(commodities('2024-02-09')).toEqual(['SAP']);
    // A Saturday: quotes of the Friday a week before are still within 5 business days.
    expect(commodities('2024-01-20')).toEqual(['BMK', 'SAP', 'VTI']);
    expect(universe.at('2024-01-08').commodities.find((c) => c.commodity === 'BMK')).toEqual({
      commodity: 'BMK',
      quote_currency: 'USD',
    });
    // Asking an earlier date again restarts the sweep and gives the same answer.
    expect(commodities('2024-01-05')).toEqual(['SAP', 'VTI']);
    // The held part is what holdings() says is held at the end of each date.
    for (let d = '2023-12-30'; d <= '2024-02-12'; d = addDays(d, 1)) {
      const held = new Set(holdings(e, addDays(d, 1)).map((h) => h.currency));
      const u = universe.at(d);
      const covered = new Set([...u.commodities.map((c) => c.commodity), ...u.currencies]);
      for (const c of held) expect(covered.has(c), `${c} on ${d}`).toBe(true);
    }
    // A provider is asked for the quoted benchmark too, in its first quote currency.
    expect(ledgerSecurities(e, '2024-02-01', ['USD']).securities).toContainEqual({
      commodity: 'BMK',
      currency: 'USD',
    });
  });
});
