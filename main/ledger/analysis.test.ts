// Portfolios, disposals with realized gains, cash-flow classification and price history over a
// small ledger booked by the real loader.
import { describe, expect, it } from 'vitest';
import { cashFlows, disposals, portfolioAccounts, portfolioIds, priceHistory } from './analysis';
import { loadLedger } from './loader';
import { MemoryLedgerSource } from './memory-source';

const LEDGER = `plugin "beancount.plugins.implicit_prices"
2024-01-01 open Assets:Bank USD
2024-01-01 open Assets:Broker:Cash USD
  portfolio: "main"
2024-01-01 open Assets:Broker:Stocks "FIFO"
  portfolio: "main"
2024-01-01 open Assets:IRA:Cash USD
2024-01-01 open Equity:Opening
2024-01-01 open Income:Broker:ACME:Dividend
2024-01-01 open Income:Broker:Interest
2024-01-01 open Income:Gains
2024-01-01 open Expenses:Broker:Fees
2024-01-01 open Expenses:Taxes:Withholding

2024-01-02 * "Opening"
  Assets:Bank   10000.00 USD
  Equity:Opening
2024-01-03 * "Deposit"
  Assets:Broker:Cash   5000.00 USD
  Assets:Bank
2024-01-04 * "Buy"
  Assets:Broker:Stocks   10 ACME {100.00 USD}
  Expenses:Broker:Fees   1.00 USD
  Assets:Broker:Cash
2024-01-05 * "Buy"
  Assets:Broker:Stocks   10 ACME {110.00 USD}
  Assets:Broker:Cash
2024-02-01 * "Dividend"
  Assets:Broker:Cash            9.00 USD
  Expenses:Taxes:Withholding    1.00 USD
  Income:Broker:ACME:Dividend
2024-02-02 * "Interest"
  Assets:Broker:Cash            0.50 USD
  Income:Broker:Interest
2024-03-01 * "Sell 15, FIFO"
  Assets:Broker:Stocks  -15 ACME {} @ 130.00 USD
  Assets:Broker:Cash   1950.00 USD
  Income:Gains
2024-03-02 * "To the IRA"
  Assets:IRA:Cash      500.00 USD
  Assets:Broker:Cash
2024-03-03 * "Withdraw"
  Assets:Bank          100.00 USD
  Assets:Broker:Cash
2024-03-04 price ACME 131.00 USD
`;

async function load() {
  return loadLedger(new MemoryLedgerSource({ 'main.beancount': LEDGER }), 'main.beancount');
}

describe('ledger analysis', () => {
  it('chooses portfolio accounts by metadata or by pattern', async () => {
    const { entries, errors } = await load();
    expect(errors).toEqual([]);
    expect(portfolioIds(entries)).toEqual(['main']);
    expect([...portfolioAccounts(entries, { id: 'main' })].sort()).toEqual([
      'Assets:Broker:Cash',
      'Assets:Broker:Stocks',
    ]);
    expect([...portfolioAccounts(entries, { patterns: ['Assets:Broker:*'] })].sort()).toEqual([
      'Assets:Broker:Cash',
      'Assets:Broker:Stocks',
    ]);
  });

  it('lists each lot disposal with its realized gain', async () => {
    const { entries } = await load();
    expect(disposals(entries).map((d) => [d.units, d.cost, d.acquired, d.price, d.realizedGain])).toEqual([
      ['10', '100.00', '2024-01-04', '130.00', '300.00'],
      ['5', '110.00', '2024-01-05', '130.00', '100.00'],
    ]);
  });

  it('classifies external flows, transfers, dividends, interest, fees and taxes', async () => {
    const { entries, options } = await load();
    const main = portfolioAccounts(entries, { id: 'main' });
    const flows = cashFlows(entries, main, options, new Set(['Assets:IRA:Cash']));
    expect(flows.map((f) => [f.date, f.kind, f.amount, f.counterparty])).toEqual([
      ['2024-01-03', 'deposit', '5000.00', 'Assets:Bank'],
      ['2024-01-04', 'fee', '-1.00', 'Expenses:Broker:Fees'],
      ['2024-02-01', 'tax', '-1.00', 'Expenses:Taxes:Withholding'],
      ['2024-02-01', 'dividend', '10.00', 'Income:Broker:ACME:Dividend'],
      ['2024-02-02', 'interest', '0.50', 'Income:Broker:Interest'],
      ['2024-03-02', 'transfer_out', '-500.00', 'Assets:IRA:Cash'],
      ['2024-03-03', 'withdrawal', '-100.00', 'Assets:Bank'],
    ]);
  });

  it('keeps price directives and implicit prices as a price history', async () => {
    const { entries } = await load();
    const acme = priceHistory(entries).get('ACME')!;
    expect(acme.map((p) => [p.date, p.number, p.source])).toEqual([
      ['2024-01-04', '100.00', 'from_cost'],
      ['2024-01-05', '110.00', 'from_cost'],
      ['2024-03-01', '130.00', 'from_price'],
      ['2024-03-04', '131.00', 'price'],
    ]);
  });
});
