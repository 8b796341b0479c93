// Every ledger load and write goes to the audit log once the store exists: a load names the commit
// it read and whether the tree was dirty; a write names the commit it created; a refused write
// leaves no row. Real git repositories, a real encrypted store.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { payloadDigest, verifyAuditChain } from '../../main/audit/chain';
import { runCli } from '../../main/cli/run';
import { DirtyLedgerError } from '../../main/ledger/git';
import { createStore, openStore, type Store } from '../../main/store/open';
import { MemoryVault } from '../../main/vault/memory-vault';
import { PassphraseVault, passphraseVaultFile } from '../../main/vault/passphrase-vault';
import { auditLedgerLoads, recordAuditedTransaction } from '../../main/workspace/ledger-audit';
import { Workspace } from '../../main/workspace/workspace';

const LEDGER = `option "operating_currency" "USD"
2024-01-01 open Assets:Cash USD
2024-01-01 open Equity:Opening
2024-01-02 * "Opening"
  Assets:Cash        100 USD
  Equity:Opening
2024-01-03 price VTI 200 USD
`;

let dir: string;
let repo: string;
let store: Store;
let env: Record<string, string | undefined>;

function git(...args: string[]): string {
  return execFileSync('git', args, { cwd: repo, env, encoding: 'utf8' }).trim();
}

function auditRows(action: string) {
  return store.db
    .prepare('SELECT target, payload_digest FROM audit_log WHERE action = ? ORDER BY id')
    .all(action) as {
    target: string;
    payload_digest: string;
  }[];
}

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dawsos-ledger-audit-'));
  repo = path.join(dir, 'ledger');
  fs.mkdirSync(repo);
  env = { PATH: process.env.PATH, HOME: dir, GIT_CONFIG_NOSYSTEM: '1' };
  git('init', '-q', '-b', 'main');
  git('config', 'user.name', 'Test');
  git('config', 'user.email', 'test@example.com');
  fs.writeFileSync(path.join(repo, 'main.beancount'), LEDGER);
  git('add', '.');
  git('commit', '-q', '-m', 'ledger');
  store = await createStore({ file: path.join(dir, 'dawsos.db'), vault: new MemoryVault() });
});

afterEach(() => {
  store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('ledger loads and writes in the audit log', () => {
  it('records each load with its commit and dirty flag, once', async () => {
    const workspace = await Workspace.open({ ledgerFile: path.join(repo, 'main.beancount') });
    await workspace.pin(null);
    const records = workspace.takeLoadRecords();
    expect(records).toEqual([
      { commit: git('rev-parse', 'HEAD'), dirty: false, files: 1, entries: 4, errors: 0 },
    ]);
    auditLedgerLoads(store.db, records);
    const rows = auditRows('ledger.load');
    expect(rows).toEqual([
      { target: `ledger:${records[0]?.commit}`, payload_digest: payloadDigest(records[0]) },
    ]);
    // Loading again from the workspace's cache is not a new load.
    await workspace.pin(null);
    expect(workspace.takeLoadRecords()).toEqual([]);

    fs.appendFileSync(path.join(repo, 'main.beancount'), '; an uncommitted edit\n');
    const dirty = await Workspace.open({ ledgerFile: path.join(repo, 'main.beancount') });
    expect(dirty.takeLoadRecords()).toMatchObject([{ dirty: true }]);
    expect(verifyAuditChain(store.db)).toMatchObject({ ok: true });
  });

  it('records a write with the commit it created, and nothing for a refused write', async () => {
    const entry = '2024-01-04 * "Coffee"\n  Assets:Cash  -3 USD\n  Equity:Opening\n';
    const commit = await recordAuditedTransaction(
      store.db,
      repo,
      'main.beancount',
      entry,
      { message: 'coffee' },
      { env },
    );
    expect(commit).toBe(git('rev-parse', 'HEAD'));
    expect(auditRows('ledger.write').map((r) => r.target)).toEqual([`ledger:${commit}`]);

    fs.appendFileSync(path.join(repo, 'main.beancount'), '; dirty\n');
    await expect(
      recordAuditedTransaction(store.db, repo, 'main.beancount', entry, { message: 'again' }, { env }),
    ).rejects.toBeInstanceOf(DirtyLedgerError);
    expect(auditRows('ledger.write')).toHaveLength(1);
    expect(verifyAuditChain(store.db)).toMatchObject({ ok: true });
  });
});

describe('dawsos ledger commands and the audit log', () => {
  const PASSPHRASE = 'a long passphrase for the ledger audit test';

  async function cli(args: string[], home: string, passphrase: string) {
    let out = '';
    let err = '';
    const code = await runCli(args, {
      io: { stdout: (t) => (out += t), stderr: (t) => (err += t) },
      env: { DAWSOS_HOME: home, DAWSOS_STORE_PASSPHRASE: passphrase },
      cwd: home,
    });
    return { code, out, err };
  }

  it('records a check in the store once it exists, and says so when the store cannot be opened', async () => {
    const home = path.join(dir, 'home');
    fs.mkdirSync(home);
    const ledgerFile = path.join(repo, 'main.beancount');
    // No store yet: nothing to record, nothing said.
    expect(await cli(['ledger', 'check', ledgerFile], home, PASSPHRASE)).toMatchObject({ code: 0, err: '' });

    const file = path.join(home, 'dawsos.db');
    const vault = new PassphraseVault({
      file: passphraseVaultFile(file),
      passphrase: PASSPHRASE,
      cost: { N: 2 ** 12, r: 8, p: 1 },
    });
    fs.writeFileSync(path.join(home, 'settings.json'), JSON.stringify({ vault: 'passphrase' }));
    (await createStore({ file, vault })).close();

    expect(await cli(['ledger', 'check', ledgerFile], home, PASSPHRASE)).toMatchObject({ code: 0, err: '' });
    const wrong = await cli(
      ['ledger', 'balances', ledgerFile, '--json'],
      home,
      'not the right passphrase at all',
    );
    expect(wrong.code).toBe(0);
    expect(wrong.err).toContain('not in the audit log');

    const reopened = await openStore({ file, vault });
    try {
      expect(
        reopened.db.prepare("SELECT target FROM audit_log WHERE action = 'ledger.load'").pluck().all(),
      ).toEqual([`ledger:${git('rev-parse', 'HEAD')}`]);
      expect(verifyAuditChain(reopened.db)).toMatchObject({ ok: true });
    } finally {
      reopened.close();
    }
  });
});
