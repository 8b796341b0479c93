// Encrypted backups on real files: round trip, restore keeps a safety copy, a wrong passphrase or
// one flipped byte is refused with nothing replaced, and the drill reports pass/fail.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../main/audit/chain';
import { createBackup, drillBackup, restoreBackup } from '../../main/backup/backup';
import {
  BackupAuthenticationError,
  BackupExistsError,
  BackupFormatError,
  BackupVerificationError,
} from '../../main/backup/errors';
import { readUnverifiedHeader } from '../../main/backup/format';
import { runCli } from '../../main/cli/run';
import { LATEST_SCHEMA_VERSION } from '../../main/store/migrations';
import { createStore, openKeyed, openStore, storeKeyAccount } from '../../main/store/open';
import { addNote, listNotes } from '../../main/store/repositories/notes';
import { createPortfolio } from '../../main/store/repositories/portfolios';
import { insertPack } from '../../main/store/repositories/pricing-packs';
import { MemoryVault } from '../../main/vault/memory-vault';
import { PassphraseVault, passphraseVaultFile } from '../../main/vault/passphrase-vault';

const COST = { N: 2 ** 12, r: 8, p: 1 };
const BACKUP_PASSPHRASE = 'backup passphrase, long enough';
let dir: string;
let file: string;
let backupFile: string;
let vault: MemoryVault;

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dawsos-backup-'));
  file = path.join(dir, 'data', 'dawsos.db');
  backupFile = path.join(dir, 'store.dawsosbak');
  vault = new MemoryVault();
  const store = await createStore({ file, vault });
  createPortfolio(store.db, 'user', { portfolioId: 'p1', name: 'Main', baseCurrency: 'USD' });
  insertPack(store.db, 'system', {
    asOf: '2026-12-03',
    prices: [{ symbol: 'VTI', price: '301.25', currency: 'USD', provider: 'polygon', dataset: 'eod' }],
    fx: [],
  });
  for (let i = 0; i < 20; i += 1) addNote(store.db, 'user', { portfolioId: 'p1', body: `secret plan ${i}` });
  await createBackup(store, { file: backupFile, passphrase: BACKUP_PASSPHRASE, cost: COST });
  store.close();
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function dataFolderState(): Record<string, string> {
  const folder = path.dirname(file);
  return Object.fromEntries(
    fs
      .readdirSync(folder)
      .sort()
      .map((name) => [
        name,
        crypto
          .createHash('sha256')
          .update(fs.readFileSync(path.join(folder, name)))
          .digest('hex'),
      ]),
  );
}

async function noteCount(): Promise<number> {
  const store = await openStore({ file, vault });
  try {
    return listNotes(store.db, 'p1').length;
  } finally {
    store.close();
  }
}

async function addMoreNotes(n: number): Promise<void> {
  const store = await openStore({ file, vault });
  for (let i = 0; i < n; i += 1) addNote(store.db, 'user', { portfolioId: 'p1', body: `later ${i}` });
  store.close();
}

function flipByte(offset: number): void {
  const bytes = fs.readFileSync(backupFile);
  bytes[offset] = (bytes[offset] as number) ^ 0x01;
  fs.writeFileSync(backupFile, bytes);
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => new Error('expected a refusal'),
    (error: unknown) => error,
  );
}

describe('backup create', () => {
  it('writes an encrypted file whose manifest describes the snapshot', () => {
    const bytes = fs.readFileSync(backupFile);
    expect(bytes.includes(Buffer.from('secret plan'))).toBe(false);
    expect(bytes.includes(Buffer.from('SQLite format 3'))).toBe(false);
    const { manifest } = readUnverifiedHeader(bytes).header;
    expect(manifest).toMatchObject({ format: 'dawsos-backup', schemaVersion: LATEST_SCHEMA_VERSION });
    expect(manifest.rowCounts).toMatchObject({
      notes: 20,
      portfolios: 1,
      pricing_packs: 1,
      pack_prices: 1,
      audit_log: 22,
    });
    expect(fs.statSync(backupFile).mode & 0o077).toBe(0);
  });

  it('never overwrites an existing file', async () => {
    const store = await openStore({ file, vault });
    expect(
      await failure(createBackup(store, { file: backupFile, passphrase: BACKUP_PASSPHRASE, cost: COST })),
    ).toBeInstanceOf(BackupExistsError);
    store.close();
  });
});

describe('backup restore', () => {
  it('round trip: restores the snapshot, keeps the replaced store as a safety copy, records the restore', async () => {
    await addMoreNotes(5);
    expect(await noteCount()).toBe(25);
    const result = await restoreBackup({ storeFile: file, vault, backupFile, passphrase: BACKUP_PASSPHRASE });
    expect(await noteCount()).toBe(20);
    const store = await openStore({ file, vault });
    expect(verifyAuditChain(store.db)).toMatchObject({ ok: true, rows: 23 });
    expect(store.db.prepare('SELECT action FROM audit_log ORDER BY id DESC LIMIT 1').pluck().get()).toBe(
      'store.restore',
    );
    expect(store.db.pragma('integrity_check', { simple: true })).toBe('ok');
    store.close();

    expect(result.safetyCopy).not.toBeNull();
    const key = (await vault.get(storeKeyAccount(file))) as string;
    const safety = openKeyed(result.safetyCopy as string, key, { readonly: true });
    expect(safety.prepare('SELECT count(*) FROM notes').pluck().get()).toBe(25);
    safety.close();
  });

  it('restores into an empty data folder with a new key', async () => {
    const other = path.join(dir, 'elsewhere', 'dawsos.db');
    const otherVault = new MemoryVault();
    const result = await restoreBackup({
      storeFile: other,
      vault: otherVault,
      backupFile,
      passphrase: BACKUP_PASSPHRASE,
    });
    expect(result.safetyCopy).toBeNull();
    const store = await openStore({ file: other, vault: otherVault });
    expect(listNotes(store.db, 'p1')).toHaveLength(20);
    store.close();
  });

  it('refuses a wrong passphrase and replaces nothing', async () => {
    const before = dataFolderState();
    const error = await failure(
      restoreBackup({ storeFile: file, vault, backupFile, passphrase: 'not the right passphrase' }),
    );
    expect(error).toBeInstanceOf(BackupAuthenticationError);
    expect((error as Error).message).toMatch(/passphrase is wrong, or the file was changed/);
    expect(dataFolderState()).toEqual(before);
  });

  it('refuses a flipped byte anywhere (header, manifest, ciphertext, tag) and replaces nothing', async () => {
    const size = fs.statSync(backupFile).size;
    const original = fs.readFileSync(backupFile);
    const headerLength = original.readUInt32BE(9);
    const manifestDigit = original.indexOf(Buffer.from('"notes":20')) + '"notes":2'.length;
    const before = dataFolderState();
    for (const offset of [3, 20, manifestDigit, 13 + headerLength + 100, Math.floor(size / 2), size - 1]) {
      fs.writeFileSync(backupFile, original);
      flipByte(offset);
      const error = await failure(
        restoreBackup({ storeFile: file, vault, backupFile, passphrase: BACKUP_PASSPHRASE }),
      );
      expect(
        error instanceof BackupAuthenticationError || error instanceof BackupFormatError,
        `offset ${offset}`,
      ).toBe(true);
      expect(dataFolderState()).toEqual(before);
    }
  });

  it('refuses a snapshot whose audit chain is broken, even when the backup itself is authentic', async () => {
    const key = (await vault.get(storeKeyAccount(file))) as string;
    const db = openKeyed(file, key);
    db.exec('DROP TRIGGER audit_log_no_update');
    db.prepare("UPDATE audit_log SET actor = 'mallory' WHERE id = 2").run();
    db.close();
    const store = await openStore({ file, vault });
    const tampered = path.join(dir, 'tampered.dawsosbak');
    await createBackup(store, { file: tampered, passphrase: BACKUP_PASSPHRASE, cost: COST });
    store.close();
    const before = dataFolderState();
    const error = await failure(
      restoreBackup({ storeFile: file, vault, backupFile: tampered, passphrase: BACKUP_PASSPHRASE }),
    );
    expect(error).toBeInstanceOf(BackupVerificationError);
    expect((error as BackupVerificationError).check).toBe('audit chain');
    expect(dataFolderState()).toEqual(before);
    const drill = await drillBackup({ backupFile: tampered, passphrase: BACKUP_PASSPHRASE });
    expect(drill.ok).toBe(false);
    expect(drill.checks.find((c) => c.name === 'audit chain')?.ok).toBe(false);
  });
});

describe('backup drill', () => {
  it('passes every check on a good backup and leaves no temporary files', async () => {
    const tmpBefore = fs.readdirSync(os.tmpdir()).filter((n) => n.startsWith('dawsos-drill-')).length;
    const report = await drillBackup({ backupFile, passphrase: BACKUP_PASSPHRASE });
    expect(report.ok).toBe(true);
    expect(report.checks.map((c) => [c.name, c.ok])).toEqual([
      ['decrypt and authenticate', true],
      ['restore to temporary store', true],
      ['open with key', true],
      ['dawsos marker', true],
      ['schema version', true],
      ['integrity_check', true],
      ['audit chain', true],
      ['row counts', true],
    ]);
    expect(fs.readdirSync(os.tmpdir()).filter((n) => n.startsWith('dawsos-drill-')).length).toBe(tmpBefore);
  });

  it('fails with a clear report on a wrong passphrase or a flipped byte', async () => {
    const wrong = await drillBackup({ backupFile, passphrase: 'wrong wrong wrong wrong' });
    expect(wrong).toMatchObject({ ok: false, checks: [{ name: 'decrypt and authenticate', ok: false }] });
    flipByte(Math.floor(fs.statSync(backupFile).size / 2));
    const flipped = await drillBackup({ backupFile, passphrase: BACKUP_PASSPHRASE });
    expect(flipped.ok).toBe(false);
    expect(flipped.checks[0]?.detail).toMatch(/passphrase is wrong, or the file was changed/);
  });
});

describe('the backup CLI', () => {
  it('creates, drills and restores with passphrases from a file and the environment, never argv', async () => {
    const home = path.join(dir, 'cli-home');
    fs.mkdirSync(home);
    const storeVault = new PassphraseVault({
      file: passphraseVaultFile(path.join(home, 'dawsos.db')),
      passphrase: 'store passphrase for the cli',
      cost: COST,
    });
    const store = await createStore({ file: path.join(home, 'dawsos.db'), vault: storeVault });
    createPortfolio(store.db, 'user', { portfolioId: 'p1', name: 'Main', baseCurrency: 'USD' });
    store.close();
    const passFile = path.join(dir, 'backup-pass.txt');
    fs.writeFileSync(passFile, `${BACKUP_PASSPHRASE}\n`, { mode: 0o600 });
    const env = { DAWSOS_HOME: home, DAWSOS_STORE_PASSPHRASE: 'store passphrase for the cli' };
    const cli = async (argv: string[], extraEnv: Record<string, string> = {}) => {
      let out = '';
      let err = '';
      const code = await runCli(argv, {
        io: { stdout: (t) => (out += t), stderr: (t) => (err += t) },
        env: { ...env, ...extraEnv },
        cwd: dir,
      });
      return { code, out, err };
    };
    const target = path.join(dir, 'cli.dawsosbak');
    const created = await cli([
      'backup',
      'create',
      target,
      '--passphrase-file',
      passFile,
      '--vault',
      'passphrase',
      '--json',
    ]);
    expect(created.code).toBe(0);
    expect(JSON.parse(created.out)).toMatchObject({
      file: target,
      manifest: { rowCounts: { portfolios: 1 } },
    });

    const drill = await cli(['backup', 'drill', target, '--json'], {
      DAWSOS_BACKUP_PASSPHRASE: BACKUP_PASSPHRASE,
    });
    expect(drill.code).toBe(0);
    expect(JSON.parse(drill.out)).toMatchObject({ ok: true });

    const noPass = await cli(['backup', 'drill', target, '--json']);
    expect(noPass.code).toBe(1);
    expect(JSON.parse(noPass.out)).toMatchObject({ error: { code: 'BACKUP_PASSPHRASE_REQUIRED' } });

    const argvPass = await cli(['backup', 'drill', target, '--passphrase', BACKUP_PASSPHRASE]);
    expect(argvPass.code).toBe(2);

    const restored = await cli(['backup', 'restore', target, '--vault', 'passphrase', '--json'], {
      DAWSOS_BACKUP_PASSPHRASE: BACKUP_PASSPHRASE,
    });
    expect(restored.code).toBe(0);
    expect(JSON.parse(restored.out)).toMatchObject({ restored: true, schemaVersion: LATEST_SCHEMA_VERSION });
    expect(fs.existsSync((JSON.parse(restored.out) as { safetyCopy: string }).safetyCopy)).toBe(true);

    const wrong = await cli(['backup', 'restore', target, '--vault', 'passphrase', '--json'], {
      DAWSOS_BACKUP_PASSPHRASE: 'definitely the wrong one',
    });
    expect(wrong.code).toBe(1);
    expect(JSON.parse(wrong.out)).toMatchObject({ error: { code: 'BACKUP_AUTH_FAILED' } });
  });
});
