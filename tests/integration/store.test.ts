// The encrypted store on real files: the right key reads, everything else is refused with a typed
// error and leaves the file (and its folder) exactly as it was.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCore, registerHandlers } from '../../main/composition/core';
import { IpcRouter } from '../../main/ipc/router';
import { createLogger, MemorySink } from '../../main/logging/logger';
import {
  NotADawsosStoreError,
  StoreAbsentError,
  StoreCorruptError,
  StoreExistsError,
  StoreKeyMismatchError,
  StoreNewerThanAppError,
} from '../../main/store/errors';
import {
  IMMUTABLE_TABLES,
  LATEST_SCHEMA_VERSION,
  PORTFOLIO_SCOPED_TABLES,
} from '../../main/store/migrations';
import { createStore, openKeyed, openStore, storeKeyAccount } from '../../main/store/open';
import { createPortfolio, listPortfolios } from '../../main/store/repositories/portfolios';
import { Database, applyKey, newStoreKey } from '../../main/store/sqlcipher';
import { StoreService } from '../../main/store/status';
import { type KeyVault, VaultPassphraseError } from '../../main/vault/key-vault';
import { MemoryVault } from '../../main/vault/memory-vault';
import { PassphraseVault, passphraseVaultFile } from '../../main/vault/passphrase-vault';

const TEST_COST = { N: 2 ** 12, r: 8, p: 1 };
let dir: string;
let file: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dawsos-store-'));
  file = path.join(dir, 'dawsos.db');
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Every file in the folder with the SHA-256 of its bytes. */
function folderState(): Record<string, string> {
  const state: Record<string, string> = {};
  for (const name of fs.readdirSync(dir).sort()) {
    state[name] = crypto
      .createHash('sha256')
      .update(fs.readFileSync(path.join(dir, name)))
      .digest('hex');
  }
  return state;
}

async function makeStore(vault: KeyVault = new MemoryVault()): Promise<KeyVault> {
  const store = await createStore({ file, vault });
  createPortfolio(store.db, 'user', {
    portfolioId: 'p1',
    name: 'Retirement Fund Alpha',
    baseCurrency: 'USD',
  });
  store.close();
  return vault;
}

async function refused(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected the store to be refused');
    },
    (error: unknown) => error,
  );
}

describe('opening the encrypted store', () => {
  it('reads back what was written with the right key, and the file holds no plaintext', async () => {
    const vault = await makeStore();
    const bytes = fs.readFileSync(file);
    expect(bytes.subarray(0, 16).toString('latin1')).not.toBe('SQLite format 3\0');
    expect(bytes.includes(Buffer.from('Retirement Fund Alpha'))).toBe(false);
    const store = await openStore({ file, vault });
    expect(listPortfolios(store.db).map((p) => p.name)).toEqual(['Retirement Fund Alpha']);
    expect(store.schemaVersion).toBe(LATEST_SCHEMA_VERSION);
    store.close();
  });

  it('runs with SQLCipher, WAL, FULL sync and foreign keys on', async () => {
    const vault = await makeStore();
    const store = await openStore({ file, vault });
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(store.db.pragma('synchronous', { simple: true })).toBe(2);
    expect(store.db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(store.db.pragma('cipher', { simple: true })).toBe('sqlcipher');
    store.close();
  });

  it('makes every table STRICT and puts portfolio_id on every portfolio-scoped table', async () => {
    const vault = await makeStore();
    const store = await openStore({ file, vault });
    const tables = store.db
      .prepare(
        "SELECT name, strict FROM pragma_table_list WHERE schema = 'main' AND name NOT LIKE 'sqlite_%'",
      )
      .all() as { name: string; strict: number }[];
    expect(tables.filter((t) => t.strict !== 1)).toEqual([]);
    const names = tables.map((t) => t.name);
    for (const table of [
      ...PORTFOLIO_SCOPED_TABLES,
      ...IMMUTABLE_TABLES,
      'provider_cache',
      'dead_letters',
      'settings',
    ])
      expect(names).toContain(table);
    for (const table of PORTFOLIO_SCOPED_TABLES) {
      const columns = store.db.prepare('SELECT name FROM pragma_table_info(?)').pluck().all(table);
      expect(columns, table).toContain('portfolio_id');
    }
    store.close();
  });

  it('refuses a wrong key and leaves the folder untouched', async () => {
    await makeStore();
    const before = folderState();
    const wrong = new MemoryVault();
    await wrong.set(storeKeyAccount(file), newStoreKey());
    expect(await refused(openStore({ file, vault: wrong }))).toBeInstanceOf(StoreKeyMismatchError);
    expect(folderState()).toEqual(before);
  });

  it('refuses when the vault holds no key and leaves the folder untouched', async () => {
    await makeStore();
    const before = folderState();
    const error = await refused(openStore({ file, vault: new MemoryVault() }));
    expect(error).toBeInstanceOf(StoreKeyMismatchError);
    expect((error as Error).message).toMatch(/holds no key/);
    expect(folderState()).toEqual(before);
  });

  it('refuses a truncated store (past the first page, and inside it) without changing it', async () => {
    const vault = await makeStore();
    const full = fs.readFileSync(file);
    fs.writeFileSync(file, full.subarray(0, Math.floor(full.length / 2)));
    let before = folderState();
    expect(await refused(openStore({ file, vault }))).toBeInstanceOf(StoreCorruptError);
    expect(folderState()).toEqual(before);
    fs.writeFileSync(file, full.subarray(0, 100));
    before = folderState();
    expect(await refused(openStore({ file, vault }))).toBeInstanceOf(StoreKeyMismatchError);
    expect(folderState()).toEqual(before);
  });

  it('refuses a file of random bytes without changing it', async () => {
    const vault = new MemoryVault();
    await vault.set(storeKeyAccount(file), newStoreKey());
    fs.writeFileSync(file, crypto.randomBytes(64 * 1024));
    const before = folderState();
    expect(await refused(openStore({ file, vault }))).toBeInstanceOf(StoreKeyMismatchError);
    expect(folderState()).toEqual(before);
  });

  it('refuses a plain (unencrypted) SQLite file as not a DawsOS store, without changing it', async () => {
    const plain = new Database(file);
    plain.exec('CREATE TABLE portfolios (id TEXT) STRICT');
    plain.close();
    const vault = new MemoryVault();
    await vault.set(storeKeyAccount(file), newStoreKey());
    const before = folderState();
    expect(await refused(openStore({ file, vault }))).toBeInstanceOf(NotADawsosStoreError);
    expect(await refused(openStore({ file, vault: new MemoryVault() }))).toBeInstanceOf(NotADawsosStoreError);
    expect(folderState()).toEqual(before);
  });

  it('refuses an encrypted SQLite file that is not ours, even with the right key, without changing it', async () => {
    const key = newStoreKey();
    const other = new Database(file);
    applyKey(other, key);
    other.pragma('journal_mode = WAL');
    other.exec('CREATE TABLE things (x INTEGER) STRICT; INSERT INTO things VALUES (1)');
    other.close();
    const vault = new MemoryVault();
    await vault.set(storeKeyAccount(file), key);
    const before = folderState();
    expect(await refused(openStore({ file, vault }))).toBeInstanceOf(NotADawsosStoreError);
    expect(folderState()).toEqual(before);
  });

  it('refuses a store newer than the app with a typed error, without changing it', async () => {
    const vault = await makeStore();
    const key = (await vault.get(storeKeyAccount(file))) as string;
    const db = openKeyed(file, key);
    db.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 1}`);
    db.close();
    const before = folderState();
    const error = await refused(openStore({ file, vault }));
    expect(error).toBeInstanceOf(StoreNewerThanAppError);
    expect((error as Error).message).toMatch(/update DawsOS/);
    expect(folderState()).toEqual(before);
  });

  it('says absent when there is no file, and never creates one over an existing store', async () => {
    expect(await refused(openStore({ file, vault: new MemoryVault() }))).toBeInstanceOf(StoreAbsentError);
    expect(fs.existsSync(file)).toBe(false);
    const vault = await makeStore();
    const before = folderState();
    expect(await refused(createStore({ file, vault }))).toBeInstanceOf(StoreExistsError);
    expect(folderState()).toEqual(before);
  });
});

describe('the passphrase vault', () => {
  it('keeps the store key sealed beside the store: scrypt parameters, never the passphrase or the key', async () => {
    const passphrase = 'correct horse battery staple';
    const vault = new PassphraseVault({ file: passphraseVaultFile(file), passphrase, cost: TEST_COST });
    await makeStore(vault);
    const sealed = fs.readFileSync(passphraseVaultFile(file), 'utf8');
    const key = (await vault.get(storeKeyAccount(file))) as string;
    expect(sealed).not.toContain(passphrase);
    expect(sealed).not.toContain(key);
    expect(JSON.parse(sealed)).toMatchObject({ kdf: { name: 'scrypt', N: TEST_COST.N, r: 8, p: 1 } });

    const again = new PassphraseVault({ file: passphraseVaultFile(file), passphrase });
    const store = await openStore({ file, vault: again });
    expect(listPortfolios(store.db)).toHaveLength(1);
    store.close();

    const before = folderState();
    const wrong = new PassphraseVault({
      file: passphraseVaultFile(file),
      passphrase: 'not the passphrase at all',
    });
    expect(await refused(openStore({ file, vault: wrong }))).toBeInstanceOf(VaultPassphraseError);
    expect(folderState()).toEqual(before);
  });
});

describe('store:status', () => {
  it('reports absent, locked and open with the schema version', async () => {
    const service = new StoreService(file);
    expect(service.status()).toMatchObject({
      state: 'absent',
      schemaVersion: null,
      sizeBytes: null,
      path: file,
    });
    const vault = await makeStore();
    expect(service.status()).toMatchObject({ state: 'locked', schemaVersion: null, path: file });
    service.attach(await openStore({ file, vault }));
    const open = service.status();
    expect(open.state).toBe('open');
    expect(open.schemaVersion).toBe(LATEST_SCHEMA_VERSION);
    expect(open.sizeBytes).toBeGreaterThan(0);
    service.close();
    expect(service.status().state).toBe('locked');
  });
});

describe('store:status over IPC', () => {
  it("serves the real status of the core's store through the router", async () => {
    const core = createCore({
      host: 'cli',
      dataDir: dir,
      logger: createLogger({ sink: new MemorySink() }),
      openExternal: () => Promise.resolve(),
    });
    const router = new IpcRouter({
      allowedOrigins: ['app://dawsos'],
      logger: core.logger,
      validateResponses: true,
    });
    registerHandlers(router, core);
    const sender = { id: 'w1', frameUrl: 'app://dawsos/index.html', isMainFrame: true };
    expect(await router.handle('store:status', {}, sender)).toEqual({
      ok: true,
      value: { state: 'absent', schemaVersion: null, sizeBytes: null, path: file },
    });
    const vault = await makeStore();
    core.store.attach(await openStore({ file, vault }));
    const result = await router.handle('store:status', {}, sender);
    expect(result).toMatchObject({
      ok: true,
      value: { state: 'open', schemaVersion: LATEST_SCHEMA_VERSION, path: file },
    });
    core.store.close();
  });
});
