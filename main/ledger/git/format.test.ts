import { describe, expect, it } from 'vitest';
import { InvalidTransactionError } from './errors';
import { formatTransaction, quoteString } from './format';

describe('formatTransaction', () => {
  it('writes header, metadata and postings with accounts padded and numbers aligned on the point', () => {
    const text = formatTransaction({
      date: '2024-03-15',
      flag: '*',
      payee: 'Broker',
      narration: 'Buy HOOL',
      tags: ['trading'],
      links: ['order-42'],
      meta: { source: 'dawsos', reviewed: true },
      postings: [
        {
          account: 'Assets:Broker:Stocks',
          units: { number: '10', currency: 'HOOL' },
          cost: { number: '100.25', currency: 'USD', date: '2024-03-15', label: 'lot "a"' },
        },
        { account: 'Expenses:Fees', units: { number: '1.5', currency: 'USD' } },
        { account: 'Assets:Broker:Cash', units: { number: '-1004.00', currency: 'USD' } },
        {
          account: 'Assets:Broker:EUR',
          units: { number: '-2', currency: 'EUR' },
          price: { number: '2.00', currency: 'USD', total: true },
        },
        {
          account: 'Assets:Broker:Cash',
          units: { number: '2', currency: 'USD' },
          price: { number: '1', currency: 'USD' },
        },
      ],
    });
    expect(text).toBe(
      [
        '2024-03-15 * "Broker" "Buy HOOL" #trading ^order-42',
        '  source: "dawsos"',
        '  reviewed: TRUE',
        '  Assets:Broker:Stocks     10    HOOL {100.25 USD, 2024-03-15, "lot \\"a\\""}',
        '  Expenses:Fees             1.5  USD',
        '  Assets:Broker:Cash    -1004.00 USD',
        '  Assets:Broker:EUR        -2    EUR @@ 2.00 USD',
        '  Assets:Broker:Cash        2    USD @ 1 USD',
        '',
      ].join('\n'),
    );
  });

  it('omits the payee when absent and escapes quotes and backslashes', () => {
    const text = formatTransaction({
      date: '2024-01-01',
      flag: '!',
      narration: 'Say "hi" \\ bye',
      postings: [{ account: 'Assets:Café', units: { number: '0', currency: 'EUR' } }],
    });
    expect(text).toBe('2024-01-01 ! "Say \\"hi\\" \\\\ bye"\n  Assets:Café  0 EUR\n');
    expect(quoteString('a"b\\c')).toBe('"a\\"b\\\\c"');
  });

  it.each([
    ['an impossible date', { date: '2024-02-30' }],
    ['a float number', { postings: [{ account: 'Assets:Cash', units: { number: 1.5, currency: 'USD' } }] }],
    [
      'an exponent number',
      { postings: [{ account: 'Assets:Cash', units: { number: '1e3', currency: 'USD' } }] },
    ],
    [
      'a lowercase account',
      { postings: [{ account: 'assets:cash', units: { number: '1', currency: 'USD' } }] },
    ],
    [
      'a bad root account',
      { postings: [{ account: 'Money:Cash', units: { number: '1', currency: 'USD' } }] },
    ],
    [
      'a lowercase currency',
      { postings: [{ account: 'Assets:Cash', units: { number: '1', currency: 'usd' } }] },
    ],
    ['a newline in the narration', { narration: 'two\nlines' }],
    ['a bad flag', { flag: 'x' }],
    ['a tag with a space', { tags: ['a b'] }],
    ['no postings', { postings: [] }],
    [
      'a negative cost',
      {
        postings: [
          {
            account: 'Assets:Cash',
            units: { number: '1', currency: 'HOOL' },
            cost: { number: '-1', currency: 'USD' },
          },
        ],
      },
    ],
  ])('refuses %s with InvalidTransactionError', (_name, patch) => {
    const base = {
      date: '2024-01-01',
      flag: '*',
      narration: 'ok',
      postings: [{ account: 'Assets:Cash', units: { number: '1', currency: 'USD' } }],
    };
    expect(() => formatTransaction({ ...base, ...patch })).toThrow(InvalidTransactionError);
  });
});
