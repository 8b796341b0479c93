// `dawsos ledger check|balances|holdings` on a real multi-file ledger in a real git repository:
// the JSON shapes of docs/cli.md, the exit codes, `--at`, and the commit/dirty flag.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../main/cli/run';

let tmp: string;
let repo: string;
let home: string;

const gitEnv = (): NodeJS.ProcessEnv => ({
  ...process.env,
  GIT_CONFIG_NOSYSTEM: '1',
  HOME: home,
  GIT_AUTHOR_NAME: 'Test',
  GIT_AUTHOR_EMAIL: 'test@example.invalid',
  GIT_COMMITTER_NAME: 'Test',
  GIT_COMMITTER_EMAIL: 'test@example.invalid',
});
const git = (...args: string[]): string =>
  execFileSync('git', args, { cwd: repo, env: gitEnv(), encoding: 'utf8' }).trim();

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(args, {
    io: { stdout: (t) => (out += t), stderr: (t) => (err += t) },
    env: { DAWSOS_HOME: path.join(tmp, 'data') },
    cwd: repo,
  });
  return { code, out, err };
}

const MAIN = `option "title" "Test ledger"
include "accounts.beancount"
include "txns/*.beancount"
`;
const ACCOUNTS = `2024-01-01 open Assets:Bank USD
2024-01-01 open Assets:Broker:Cash USD
2024-01-01 open Assets:Broker:Stocks "FIFO"
2024-01-01 open Equity:Opening
2024-01-01 open Expenses:Food
2024-01-01 open Income:Gains
`;
const JAN = `2024-01-02 * "Opening"
  Assets:Bank        1000.00 USD
  Assets:Broker:Cash 5000.00 USD
  Equity:Opening

2024-01-10 * "Lunch"
  Assets:Bank     -12.50 USD
  Expenses:Food
`;
const FEB = `2024-02-01 * "Buy"
  Assets:Broker:Stocks  10 ACME {100.00 USD}
  Assets:Broker:Cash

2024-02-15 * "Buy more"
  Assets:Broker:Stocks  10 ACME {120.00 USD}
  Assets:Broker:Cash

2024-03-01 * "Sell, FIFO"
  Assets:Broker:Stocks  -15 ACME {}
  Assets:Broker:Cash    1950.00 USD
  Income:Gains
`;

beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'dawsos-ledger-cli-'));
  home = path.join(tmp, 'home');
  repo = path.join(tmp, 'ledger');
  mkdirSync(home);
  mkdirSync(path.join(repo, 'txns'), { recursive: true });
  writeFileSync(path.join(repo, 'main.beancount'), MAIN);
  writeFileSync(path.join(repo, 'accounts.beancount'), ACCOUNTS);
  writeFileSync(path.join(repo, 'txns', '2024-01.beancount'), JAN);
  writeFileSync(path.join(repo, 'txns', '2024-02.beancount'), FEB);
  git('init', '-q');
  git('add', '.');
  git('commit', '-q', '-m', 'ledger');
});

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('dawsos ledger (CLI)', () => {
  it('check: no errors on a clean multi-file ledger, with the HEAD commit', async () => {
    const { code, out } = await cli(['ledger', 'check', 'main.beancount', '--json']);
    expect(code).toBe(0);
    const json = JSON.parse(out) as { errors: unknown[]; ledger: { commit: string; dirty: boolean } };
    expect(json.errors).toEqual([]);
    expect(json.ledger).toEqual({ commit: git('rev-parse', 'HEAD'), dirty: false });
  });

  it('balances: units per account and currency, and --at keeps entries strictly before the date', async () => {
    const all = JSON.parse((await cli(['ledger', 'balances', 'main.beancount', '--json'])).out) as {
      balances: Record<string, Record<string, string>>;
    };
    expect(all.balances).toEqual({
      'Assets:Bank': { USD: '987.50' },
      'Assets:Broker:Cash': { USD: '4750.00' },
      'Assets:Broker:Stocks': { ACME: '5' },
      'Equity:Opening': { USD: '-6000.00' },
      'Expenses:Food': { USD: '12.50' },
      'Income:Gains': { USD: '-350.00' },
    });
    const before = JSON.parse(
      (await cli(['ledger', 'balances', 'main.beancount', '--at', '2024-02-01', '--json'])).out,
    ) as { balances: Record<string, Record<string, string>> };
    expect(before.balances).toEqual({
      'Assets:Bank': { USD: '987.50' },
      'Assets:Broker:Cash': { USD: '5000.00' },
      'Equity:Opening': { USD: '-6000.00' },
      'Expenses:Food': { USD: '12.50' },
    });
  });

  it('holdings: FIFO left the later lot open, with its cost basis', async () => {
    const { out } = await cli(['ledger', 'holdings', 'main.beancount', '--json']);
    const json = JSON.parse(out) as { holdings: unknown[] };
    expect(json.holdings).toContainEqual({
      account: 'Assets:Broker:Stocks',
      currency: 'ACME',
      units: '5',
      cost_currency: 'USD',
      cost_total: '600.00',
      lots: [{ units: '5', cost: '120.00', currency: 'USD', date: '2024-02-15', label: null }],
    });
    expect(json.holdings).toContainEqual({
      account: 'Assets:Bank',
      currency: 'USD',
      units: '987.50',
      cost_currency: null,
      cost_total: null,
      lots: [],
    });
  });

  it('check: errors with type, file (relative to FILE) and line; exit 1; dirty tree flagged', async () => {
    appendFileSync(
      path.join(repo, 'txns', '2024-02.beancount'),
      `\n2024-03-05 * "Typo"\n  Assets:Bank   -5.00 USD\n  Expenses:Fod   5.00 USD\n\n2024-03-06 balance Assets:Bank 1.00 USD\n`,
    );
    const { code, out } = await cli(['ledger', 'check', 'main.beancount', '--json']);
    expect(code).toBe(1);
    const json = JSON.parse(out) as { errors: unknown[]; ledger: { dirty: boolean } };
    expect(json.ledger.dirty).toBe(true);
    expect(json.errors).toEqual([
      {
        type: 'unknown_account',
        file: 'txns/2024-02.beancount',
        line: 14,
        message: "Invalid reference to unknown account 'Expenses:Fod'",
      },
      {
        type: 'balance_assertion',
        file: 'txns/2024-02.beancount',
        line: 18,
        message:
          "Balance failed for 'Assets:Bank': expected 1.00 USD != accumulated 982.50 USD (981.50 too much)",
      },
    ]);
  });

  it('an unknown plugin is a warning: reported, but check still passes', async () => {
    writeFileSync(
      path.join(repo, 'plugin.beancount'),
      `plugin "my.custom.plugin"\ninclude "accounts.beancount"\ninclude "txns/2024-01.beancount"\n`,
    );
    const { code, out } = await cli(['ledger', 'check', 'plugin.beancount', '--json']);
    expect(JSON.parse(out)).toMatchObject({
      errors: [
        {
          type: 'plugin',
          file: null,
          line: null,
          message: 'Error importing "my.custom.plugin"',
          severity: 'warning',
        },
      ],
    });
    expect(code).toBe(0);
  });

  it('holdings --at: the lots held before a date', async () => {
    const { out } = await cli(['ledger', 'holdings', 'main.beancount', '--at', '2024-03-01', '--json']);
    const stocks = (JSON.parse(out) as { holdings: { account: string; lots: unknown[] }[] }).holdings.find(
      (h) => h.account === 'Assets:Broker:Stocks',
    );
    expect(stocks?.lots).toEqual([
      { units: '10', cost: '100.00', currency: 'USD', date: '2024-02-01', label: null },
      { units: '10', cost: '120.00', currency: 'USD', date: '2024-02-15', label: null },
    ]);
  });

  it('--commit reads an older commit from git, whatever the working tree holds', async () => {
    const first = git('rev-parse', 'HEAD');
    appendFileSync(
      path.join(repo, 'txns', '2024-01.beancount'),
      '\n2024-01-20 * "Later"\n  Assets:Bank  -100.00 USD\n  Expenses:Food\n',
    );
    git('add', '.');
    git('commit', '-q', '-m', 'more');
    const now = JSON.parse((await cli(['ledger', 'balances', 'main.beancount', '--json'])).out) as {
      balances: Record<string, Record<string, string>>;
    };
    expect(now.balances['Expenses:Food']).toEqual({ USD: '112.50' });
    const then = JSON.parse(
      (await cli(['ledger', 'balances', 'main.beancount', '--commit', first, '--json'])).out,
    ) as {
      balances: Record<string, Record<string, string>>;
      ledger: { commit: string; dirty: boolean };
    };
    expect(then.balances['Expenses:Food']).toEqual({ USD: '12.50' });
    expect(then.ledger).toEqual({ commit: first, dirty: false });
  });

  it('rejects a bad --at and a missing file', async () => {
    expect((await cli(['ledger', 'balances', 'main.beancount', '--at', '2024-13'])).code).toBe(2);
    const missing = await cli(['ledger', 'check', 'nope.beancount', '--json']);
    expect(missing.code).toBe(1);
    expect(JSON.parse(missing.out)).toEqual({
      error: { code: 'LEDGER_FILE_NOT_FOUND', message: expect.any(String) as string },
    });
  });
});
