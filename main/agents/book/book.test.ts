import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadLedger } from '../../ledger/loader';
import type { LedgerSource } from '../../ledger/source';
import { timeWeightedReturn } from '../../analytics/twr';
import { money } from '../../analytics/decimal';
import { buildBook, legKind } from './book';
import { LedgerPriceSource } from './prices';
import { selectPortfolio } from './selection';

function source(text: string): LedgerSource {
  return {
    label: 'mem',
    readFile: () => Promise.resolve(text),
    expandInclude: () => Promise.resolve([]),
  };
}

describe('legKind', () => {
  it('classifies by name component, the most specific first', () => {
    expect(legKind('Expenses:Brokerage:Taxable:Fees')).toBe('fee');
    expect(legKind('Expenses:Taxes:Withholding')).toBe('tax');
    expect(legKind('Income:Broker:Dividends')).toBe('dividend');
    expect(legKind('Income:Broker:Interest')).toBe('interest');
    expect(legKind('Expenses:Margin:Interest')).toBe('fee');
    expect(legKind('Income:Broker:Gains')).toBe('gain');
    expect(legKind('Income:Taxable:Salary')).toBeNull();
  });
});

const header = `option "operating_currency" "USD"
2024-01-01 open Assets:Bank USD
2024-01-01 open Assets:Broker:Cash USD
  portfolio: "p"
2024-01-01 open Assets:Broker:Stocks "FIFO"
  portfolio: "p"
2024-01-01 commodity XYZ
2024-01-01 open Equity:Opening
`;

async function bookOf(text: string) {
  const ledger = await loadLedger(source(text), 'main.beancount');
  expect(ledger.errors.filter((e) => e.severity !== 'warning')).toEqual([]);
  const prices = new LedgerPriceSource(ledger.entries, '2024-01-10');
  return buildBook(ledger.entries, 'USD', selectPortfolio(ledger.entries, 'p'), prices, {
    from: '2024-01-01',
    to: null,
  });
}

describe('buildBook', () => {
  it('a constant-price portfolio has zero return whatever the deposits and withdrawals', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.integer({ min: 2, max: 9 }), fc.integer({ min: 1, max: 50 }), fc.boolean()), {
          minLength: 1,
          maxLength: 6,
        }),
        async (moves) => {
          let held = 0;
          const txns: string[] = [];
          for (const [day, units, buy] of moves.sort((a, b) => a[0] - b[0])) {
            const n = buy || held < units ? units : -units;
            held += n;
            txns.push(
              `2024-01-0${day} * "move"\n  Assets:Broker:Stocks  ${n} XYZ {${n > 0 ? '10 USD' : ''}}\n  Assets:Bank  ${-n * 10} USD\n`,
            );
          }
          const prices = Array.from({ length: 9 }, (_, i) => `2024-01-0${i + 1} price XYZ 10 USD\n`).join('');
          const book = await bookOf(`${header}\n${txns.join('\n')}\n${prices}`);
          const twr = timeWeightedReturn({
            valuations: book.dates.map((date, i) => ({ date, value: money(book.values[i]!) })),
            flows: book.flows.map((f) => ({ date: f.date, amount: money(f.amount) })),
          });
          if (twr.cumulativeReturn !== null) expect(Number(twr.cumulativeReturn)).toBe(0);
        },
      ),
      { numRuns: 25 },
    );
  });

  it('counts money from outside the portfolio as a flow and a dividend as return', async () => {
    const book = await bookOf(`${header}2024-01-01 open Income:Dividends USD
2024-01-02 * "Deposit"
  Assets:Broker:Cash  100 USD
  Assets:Bank  -100 USD
2024-01-03 * "XYZ" "Dividend XYZ"
  Assets:Broker:Cash  5 USD
  Income:Dividends  -5 USD
2024-01-02 price XYZ 10 USD
2024-01-03 price XYZ 10 USD
`);
    expect(book.flows.map((f) => [f.date, money(f.amount)])).toEqual([['2024-01-02', '100']]);
    expect(book.cashEvents).toEqual([
      { date: '2024-01-03', kind: 'dividend', amount: '5', commodity: 'XYZ', account: 'Income:Dividends' },
    ]);
    expect(book.values.map(money)).toEqual(['0', '100', '105', '105']);
  });
});
