// A small ledger whose every figure is computed by hand in the tests (see the comments beside each
// expectation), committed to a real git repository in a temp folder, and a CLI runner over it.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../../main/cli/run';

export const HAND_LEDGER = `option "title" "Hand-computed ledger"
option "operating_currency" "USD"

2024-01-01 commodity AAA
  asset-class: "Equity"
  sector: "Technology"
  country: "US"
2024-01-01 commodity EUX
  asset-class: "Equity"
  sector: "Industrials"
  country: "DE"
2024-01-01 commodity BMK

2024-01-01 open Assets:Bank USD
2024-01-01 open Assets:Broker:Cash USD,EUR
  portfolio: "main"
2024-01-01 open Assets:Broker:Stocks "FIFO"
  portfolio: "main"
2024-01-01 open Income:Broker:Dividends USD
2024-01-01 open Income:Broker:Gains USD
2024-01-01 open Expenses:Broker:Fees USD
2024-01-01 open Expenses:Taxes:Withholding USD
2024-01-01 open Equity:Opening

2024-01-01 * "Opening balance"
  Assets:Bank  5000 USD
  Equity:Opening

2024-01-02 * "Deposit"
  Assets:Broker:Cash  1000 USD
  Assets:Bank  -1000 USD

2024-01-02 * "Buy AAA"
  Assets:Broker:Stocks  50 AAA {10 USD}
  Expenses:Broker:Fees  5 USD
  Assets:Broker:Cash  -505 USD

2024-01-02 * "Buy euros"
  Assets:Broker:Cash  200 EUR @ 1.10 USD
  Assets:Broker:Cash  -220 USD

2024-01-02 * "Buy EUX"
  Assets:Broker:Stocks  10 EUX {20 EUR}
  Assets:Broker:Cash  -200 EUR

2024-01-03 * "AAA" "Dividend AAA"
  Income:Broker:Dividends  -10 USD
  Expenses:Taxes:Withholding  1.5 USD
  Assets:Broker:Cash  8.5 USD

2024-01-04 * "Withdrawal"
  Assets:Bank  100 USD
  Assets:Broker:Cash  -100 USD

2024-01-04 * "Sell AAA"
  Assets:Broker:Stocks  -20 AAA {} @ 12 USD
  Assets:Broker:Cash  240 USD
  Income:Broker:Gains

2024-01-02 price AAA 10 USD
2024-01-02 price EUX 20 EUR
2024-01-02 price EUR 1.10 USD
2024-01-02 price BMK 100 USD
2024-01-03 price AAA 11 USD
2024-01-03 price EUX 21 EUR
2024-01-03 price EUR 1.10 USD
2024-01-03 price BMK 101 USD
2024-01-04 price AAA 12 USD
2024-01-04 price EUX 21 EUR
2024-01-04 price EUR 1.20 USD
2024-01-04 price BMK 99 USD
2024-01-05 price AAA 12 USD
2024-01-05 price EUX 22 EUR
2024-01-05 price EUR 1.20 USD
2024-01-05 price BMK 103 USD
`;

export interface HandRepo {
  tmp: string;
  repo: string;
  ledger: string;
  home: string;
  git(...args: string[]): string;
}

export function makeHandRepo(text: string = HAND_LEDGER): HandRepo {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'dawsos-agents-'));
  const repo = path.join(tmp, 'ledger');
  const home = path.join(tmp, 'data');
  const env = {
    ...process.env,
    GIT_CONFIG_NOSYSTEM: '1',
    HOME: tmp,
    GIT_AUTHOR_NAME: 'Test',
    GIT_AUTHOR_EMAIL: 'test@example.invalid',
    GIT_COMMITTER_NAME: 'Test',
    GIT_COMMITTER_EMAIL: 'test@example.invalid',
  };
  execFileSync('git', ['init', '--quiet', repo], { env });
  const git = (...args: string[]): string =>
    execFileSync('git', args, { cwd: repo, env, encoding: 'utf8' }).trim();
  const ledger = path.join(repo, 'main.beancount');
  writeFileSync(ledger, text);
  git('add', 'main.beancount');
  git('-c', 'commit.gpgsign=false', 'commit', '--quiet', '-m', 'ledger');
  return { tmp, repo, ledger, home, git };
}

export async function cli(
  r: HandRepo,
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(args, {
    io: { stdout: (t) => (out += t), stderr: (t) => (err += t) },
    env: { DAWSOS_HOME: r.home, ...env },
    cwd: r.repo,
  });
  return { code, out, err };
}
