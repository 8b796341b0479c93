// Property tests: the parser, booking and validation never throw or hang on any input (random
// text, and valid ledgers mutated by deleting, duplicating and swapping characters and lines), and
// every problem they report is a well-formed error. Plus decimal arithmetic laws.
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Dec } from './decimal';
import { loadLedger } from './loader';
import { MemoryLedgerSource } from './memory-source';
import { parseText } from './parser';
import type { LedgerError } from './types';
import { balances, holdings } from './views';

const TYPES = new Set([
  'syntax',
  'unbalanced',
  'balance_assertion',
  'unused_pad',
  'no_matching_lot',
  'insufficient_lots',
  'ambiguous_lot',
  'interpolation',
  'unknown_account',
  'inactive_account',
  'duplicate_open',
  'currency_constraint',
  'unsupported_booking',
  'missing_include',
  'plugin',
  'other',
]);

const FIXTURES = path.resolve(__dirname, '../../tests/fixtures/ledger');
const SEED_LEDGER = `option "operating_currency" "USD"
plugin "beancount.plugins.implicit_prices"
2021-01-01 open Assets:Cash USD
2021-01-01 open Assets:Broker "FIFO"
2021-01-01 open Equity:Opening
2021-01-01 open Income:Gains
2021-01-02 * "Fund" #tag ^link
  Assets:Cash   1,000.00 USD
  Equity:Opening
2021-01-03 * "Buy"
  Assets:Broker  10 ACME {10.00 USD, 2021-01-03, "lot"} @ 10.50 USD
  Assets:Cash   -100.00 USD
2021-01-04 * "Sell"
  Assets:Broker  -4 ACME {} @@ 48.00 USD
  Assets:Cash    (96 / 2) USD
  Income:Gains
2021-01-05 pad Assets:Cash Equity:Opening
2021-01-06 balance Assets:Cash  948.00 ~ 0.01 USD
2021-01-07 price ACME 12.00 USD
`;

function seeds(): string[] {
  const out = [SEED_LEDGER];
  if (existsSync(FIXTURES))
    for (const name of readdirSync(FIXTURES).sort()) {
      const file = path.join(FIXTURES, name, 'main.beancount');
      if (existsSync(file) && !name.startsWith('example')) out.push(readFileSync(file, 'utf8'));
    }
  return out;
}

function checkErrors(errors: LedgerError[], files: Set<string>): void {
  for (const e of errors) {
    expect(TYPES.has(e.type)).toBe(true);
    expect(typeof e.message).toBe('string');
    if (e.file !== null) {
      expect(files.has(e.file) || e.file.startsWith('<')).toBe(true);
      expect(Number.isInteger(e.line)).toBe(true);
    }
  }
}

async function loadText(text: string): Promise<void> {
  const ledger = await loadLedger(new MemoryLedgerSource({ 'main.beancount': text }), 'main.beancount');
  checkErrors(ledger.errors, new Set(['main.beancount']));
  balances(ledger.entries);
  holdings(ledger.entries);
  balances(ledger.entries, '2021-01-04');
}

type Mutation =
  | { kind: 'deleteChar' | 'duplicateChar' | 'deleteLine' | 'duplicateLine'; at: number }
  | { kind: 'swapChars' | 'swapLines'; at: number; other: number }
  | { kind: 'insert'; at: number; text: string };

const FRAGMENTS = [
  '{',
  '}',
  '{{',
  '@',
  '@@',
  '"',
  '\n',
  '  ',
  '\t',
  '#',
  '^',
  ':',
  ';',
  '-',
  '/',
  '*',
  '(',
  ')',
  '2021-02-30',
  'USD',
  'Assets:X',
  '1e5',
  '\r\n',
  '\u00e9',
  '0.000',
];

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({
    kind: fc.constantFrom(
      'deleteChar' as const,
      'duplicateChar' as const,
      'deleteLine' as const,
      'duplicateLine' as const,
    ),
    at: fc.nat(),
  }),
  fc.record({
    kind: fc.constantFrom('swapChars' as const, 'swapLines' as const),
    at: fc.nat(),
    other: fc.nat(),
  }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.constantFrom(...FRAGMENTS) }),
);

function mutate(text: string, m: Mutation): string {
  if (text.length === 0) return m.kind === 'insert' ? m.text : text;
  const i = m.at % text.length;
  switch (m.kind) {
    case 'deleteChar':
      return text.slice(0, i) + text.slice(i + 1);
    case 'duplicateChar':
      return text.slice(0, i + 1) + text.slice(i);
    case 'insert':
      return text.slice(0, i) + m.text + text.slice(i);
    case 'swapChars': {
      const j = m.other % text.length;
      const a = Math.min(i, j);
      const b = Math.max(i, j);
      return a === b ? text : text.slice(0, a) + text[b] + text.slice(a + 1, b) + text[a] + text.slice(b + 1);
    }
    default: {
      const lines = text.split('\n');
      const li = m.at % lines.length;
      if (m.kind === 'deleteLine') lines.splice(li, 1);
      else if (m.kind === 'duplicateLine') lines.splice(li, 0, lines[li]!);
      else if (m.kind === 'swapLines') {
        const lj = m.other % lines.length;
        [lines[li], lines[lj]] = [lines[lj]!, lines[li]!];
      }
      return lines.join('\n');
    }
  }
}

describe('ledger parser and booking never throw', () => {
  it('on random text', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'binary', maxLength: 400 }), async (text) => {
        expect(() => parseText(text, 'main.beancount')).not.toThrow();
        await loadText(text);
      }),
      { numRuns: 500 },
    );
  }, 120_000);

  it('on random sequences of ledger-like fragments', async () => {
    const token = fc.constantFrom(
      ...FRAGMENTS,
      '2021-01-01 ',
      'open ',
      '* ',
      'txn ',
      'balance ',
      'pad ',
      '10',
      ' HOOL',
      'Assets:Cash',
      'Equity:Opening',
      ' "FIFO"',
      'include "x.beancount"',
      'option "booking_method" "LIFO"',
      'plugin "beancount.plugins.auto_accounts"',
      'pushtag #t',
      'poptag #t',
    );
    await fc.assert(
      fc.asyncProperty(fc.array(token, { maxLength: 200 }), async (parts) => {
        await loadText(parts.join(''));
      }),
      { numRuns: 500 },
    );
  }, 120_000);

  it('on valid ledgers after random mutations', async () => {
    const all = seeds();
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: all.length - 1 }),
        fc.array(mutation, { minLength: 1, maxLength: 8 }),
        async (index, mutations) => {
          let text = all[index]!;
          for (const m of mutations) text = mutate(text, m);
          await loadText(text);
        },
      ),
      { numRuns: 1000 },
    );
  }, 120_000);
});

describe('Dec', () => {
  const decimal = fc
    .tuple(fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }), fc.integer({ min: -12, max: 4 }))
    .map(([c, e]) => Dec.of(c, e));

  it('round-trips its plain string form', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }),
        fc.integer({ min: 0, max: 6 }),
        (c, scale) => {
          const d = Dec.of(c, scale === 0 ? 0 : -scale);
          const text = d.toString();
          if (/E/.test(text)) return;
          expect(Dec.parse(text)!.eq(d)).toBe(true);
          expect(Dec.parse(text)!.exp).toBe(d.exp);
        },
      ),
    );
  });

  it('adds exactly below 28 digits, and compares consistently', () => {
    fc.assert(
      fc.property(decimal, decimal, (a, b) => {
        const exact = a.addExact(b);
        if (exact.digits() <= 28) expect(a.add(b).eq(exact)).toBe(true); // no rounding needed: exact
        expect(a.cmp(b) + b.cmp(a)).toBe(0);
        if (Math.max(a.digits(), b.digits(), exact.digits()) <= 28) expect(exact.sub(b).eq(a)).toBe(true);
      }),
    );
  });

  it('divides as Python does: exact quotients keep the ideal exponent', () => {
    expect(Dec.parse('10')!.div(Dec.parse('3')!)!.toString()).toBe('3.333333333333333333333333333');
    expect(Dec.parse('2')!.div(Dec.parse('3')!)!.toString()).toBe('0.6666666666666666666666666667');
    expect(Dec.parse('1.0')!.div(Dec.parse('2')!)!.toString()).toBe('0.5');
    expect(Dec.parse('100')!.div(Dec.parse('4.0')!)!.toString()).toBe('25');
    expect(Dec.parse('-5')!.div(Dec.parse('0.1')!)!.toString()).toBe('-5E+1');
    expect(Dec.parse('0.0000001')!.toString()).toBe('1E-7');
    fc.assert(
      fc.property(decimal, decimal, (a, b) => {
        if (b.isZero()) return;
        const q = a.div(b)!;
        expect(q.digits()).toBeLessThanOrEqual(28);
      }),
    );
  });
});
