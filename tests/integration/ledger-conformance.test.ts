// Conformance with Beancount 2.3.5: every case folder in tests/fixtures/ledger/ holds a ledger
// (main.beancount and the files it includes) and expected.json, which Beancount itself produced
// (scripts/ledger-fixtures/generate.py). DawsOS must give the same errors (type, file and line
// exactly; message exactly, except that for bison's "syntax error, unexpected X, expecting ..." we
// only require the "syntax error, unexpected X" part), the same balances, the same balances at each
// recorded date and the same holdings. Cases where DawsOS deliberately differs from Beancount
// (docs/ledger-differences.md) are checked against DawsOS's own expectations below instead.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FsLedgerSource } from '../../main/ledger/fs-source';
import { loadLedger, sortErrors } from '../../main/ledger/loader';
import { balances, holdings } from '../../main/ledger/views';

const ROOT = path.resolve(__dirname, '../fixtures/ledger');

interface ExpectedError {
  type: string;
  file: string | null;
  line: number | null;
  message: string;
}
interface Expected {
  errors: ExpectedError[];
  balances: unknown;
  balances_at: Record<string, unknown>;
  holdings: unknown;
}

/** Cases where DawsOS is meant to differ from Beancount 2.3.5 (see docs/ledger-differences.md). */
const DELIBERATE: Record<string, (dir: string) => Promise<void>> = {
  // Beancount 2.3.5 rejects AVERAGE reductions; DawsOS books them at the average cost.
  'booking-average': async (dir) => {
    const ledger = await loadLedger(new FsLedgerSource(dir), 'main.beancount');
    expect(ledger.errors).toEqual([]);
    expect(balances(ledger.entries)).toEqual({
      'Assets:Broker:Cash': { USD: '97220.00' },
      'Assets:Broker:Stocks': { HOOL: '26' },
      'Equity:Opening': { USD: '-100000.00' },
      // 5 HOOL sold at 130.00 against an average cost of 110.00 (lots at 100, 110 and 120).
      'Income:Gains': { USD: '-100.00' },
    });
    const stocks = holdings(ledger.entries).find((h) => h.account === 'Assets:Broker:Stocks');
    expect(stocks).toEqual({
      account: 'Assets:Broker:Stocks',
      currency: 'HOOL',
      units: '26',
      cost_currency: 'USD',
      cost_total: '2880.00',
      lots: [
        { units: '25', cost: '110.00', currency: 'USD', date: '2021-01-10', label: null },
        { units: '1', cost: '130.00', currency: 'USD', date: '2021-04-02', label: null },
      ],
    });
  },
};

function matchesMessage(expected: ExpectedError, actual: string): boolean {
  if (expected.message === actual) return true;
  // bison's list of expected tokens is not reproduced; the unexpected token must match.
  return (
    expected.type === 'syntax' &&
    expected.message.startsWith('syntax error, unexpected ') &&
    actual.startsWith('syntax error, unexpected ') &&
    (expected.message === actual || expected.message.startsWith(`${actual},`))
  );
}

const cases = existsSync(ROOT)
  ? readdirSync(ROOT)
      .filter((name) => existsSync(path.join(ROOT, name, 'expected.json')))
      .sort()
  : [];

describe('ledger conformance with Beancount 2.3.5', () => {
  it('has fixture cases to check', () => {
    expect(cases.length).toBeGreaterThan(10);
  });

  for (const name of cases) {
    it(name, async () => {
      const dir = path.join(ROOT, name);
      const deliberate = DELIBERATE[name];
      if (deliberate) {
        await deliberate(dir);
        return;
      }
      const expected = JSON.parse(readFileSync(path.join(dir, 'expected.json'), 'utf8')) as Expected;
      const ledger = await loadLedger(new FsLedgerSource(dir), 'main.beancount');

      const sorted = sortErrors(ledger.errors);
      const key = (e: { type: string; file: string | null; line: number | null }): string =>
        `${e.type} ${e.file ?? '-'}:${e.line ?? '-'}`;
      expect(sorted.map(key)).toEqual(expected.errors.map(key));
      // Same (type, file, line) sequence; now the messages, pairing within each location group.
      const remaining = [...sorted];
      for (const e of expected.errors) {
        const i = remaining.findIndex((a) => key(a) === key(e) && matchesMessage(e, a.message));
        expect(i, `message for ${key(e)}: ${e.message}`).toBeGreaterThanOrEqual(0);
        remaining.splice(i, 1);
      }

      expect(balances(ledger.entries)).toEqual(expected.balances);
      for (const [date, atDate] of Object.entries(expected.balances_at))
        expect(balances(ledger.entries, date), `balances before ${date}`).toEqual(atDate);
      expect(holdings(ledger.entries)).toEqual(expected.holdings);
    });
  }
});
