// Opening, creating and inspecting the encrypted store file.
//
// Opening never harms a file it cannot read. It first refuses a plain SQLite file by its header,
// then opens the file READ-ONLY with the vault's key and checks the DawsOS marker
// (`application_id`), the schema version and the length; only when all of that passes is the file
// opened read-write. Side files (-wal, -shm) that a refused check created are removed again, so a
// refused file leaves its folder as it was.
//
// Rekey recovery: `store rekey` keeps the new key under a "pending" account until the re-encrypted
// file is in place. When the current key fails and a pending key opens the file, the rekey crashed
// after the swap: the pending key is promoted. When the current key works, a pending key and a
// leftover temporary file are stale and are discarded.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { UserFacingError } from '../../shared/errors';
import { fsyncDir } from '../vault/atomic-file';
import type { KeyVault } from '../vault/key-vault';
import {
  NotADawsosStoreError,
  StoreAbsentError,
  StoreCorruptError,
  StoreExistsError,
  StoreKeyMismatchError,
  StoreNewerThanAppError,
} from './errors';
import { migrate, schemaVersion } from './migrate';
import { LATEST_SCHEMA_VERSION } from './migrations';
import {
  applyKey,
  Database,
  DAWSOS_APPLICATION_ID,
  type Db,
  newStoreKey,
  SQLITE_PLAIN_HEADER,
} from './sqlcipher';

/** Waits this long for another connection's write lock before failing with SQLITE_BUSY. */
export const BUSY_TIMEOUT_MS = 5_000;
/**
 * Page cache per connection, in KiB (negative = KiB in SQLite's terms). Every cache miss on an
 * encrypted store costs a page decryption, so a cache that holds a desktop-sized working set
 * matters more here than with plain SQLite (see bench/store.bench.ts).
 */
export const PAGE_CACHE_KIB = 32 * 1024;
const SIDE_SUFFIXES = ['-wal', '-shm', '-journal'] as const;

function storeId(file: string): string {
  return crypto.createHash('sha256').update(path.resolve(file)).digest('hex').slice(0, 16);
}

/** The vault account of a store's key: one per store file, so several data folders never collide. */
export function storeKeyAccount(file: string): string {
  return `store-key:${storeId(file)}`;
}

/** Where `store rekey` parks the new key until the re-encrypted file is in place. */
export function pendingStoreKeyAccount(file: string): string {
  return `store-key-pending:${storeId(file)}`;
}

export function rekeyTempFile(file: string): string {
  return `${file}.rekey-tmp`;
}

/** The open store. `db` is for repositories; writes to user data go through their audited functions. */
export class Store {
  private closed = false;
  /** The key this store was opened with, kept only so a worker thread can open its own connection. */
  readonly #key: string | null;

  constructor(
    readonly db: Db,
    readonly file: string,
    key: string | null = null,
  ) {
    this.#key = key;
  }

  /**
   * What a worker thread of this process needs to open its own connection to the store (file and
   * key). The key never leaves the process: it goes to a worker over its message port, never to a
   * log, an IPC response or a file. Null once closed, or for a store opened without its key.
   */
  connectionInfo(): { file: string; key: string } | null {
    return this.closed || this.#key === null ? null : { file: this.file, key: this.#key };
  }

  get schemaVersion(): number {
    return schemaVersion(this.db);
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.db.close();
  }
}

function existingSideFiles(file: string): Set<string> {
  return new Set(SIDE_SUFFIXES.map((suffix) => file + suffix).filter((side) => fs.existsSync(side)));
}

/**
 * After a refused check, removes the side files the read-only connection created, so a refused
 * file leaves its folder as it was. Only files that did not exist before the check, and only while
 * the WAL is still empty: a non-empty WAL means some other connection is writing, and its data
 * must never be thrown away.
 */
function removeSideFilesCreatedSince(file: string, before: Set<string>): void {
  const wal = `${file}-wal`;
  if (!before.has(wal) && fs.existsSync(wal) && fs.statSync(wal).size > 0) return;
  for (const suffix of SIDE_SUFFIXES) {
    const side = file + suffix;
    if (!before.has(side)) fs.rmSync(side, { force: true });
  }
}

function sqliteCode(error: unknown): string {
  return (error as { code?: unknown }).code?.toString() ?? '';
}

function refusePlainSqlite(file: string): void {
  const fd = fs.openSync(file, 'r');
  try {
    const header = Buffer.alloc(SQLITE_PLAIN_HEADER.length);
    const read = fs.readSync(fd, header, 0, header.length, 0);
    if (read === header.length && header.equals(SQLITE_PLAIN_HEADER)) throw new NotADawsosStoreError();
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Checks, read-only, that `key` opens `file` and that it is a DawsOS store this app can use.
 * Returns the schema version; throws StoreKeyMismatchError, NotADawsosStoreError,
 * StoreCorruptError or StoreNewerThanAppError. Never writes to the file.
 */
export function inspectStoreFile(file: string, key: string): number {
  if (!fs.existsSync(file)) throw new StoreAbsentError();
  refusePlainSqlite(file);
  const before = existingSideFiles(file);
  let db: Db | null = null;
  let refused = true;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    applyKey(db, key);
    const applicationId = db.pragma('application_id', { simple: true }) as number;
    if (applicationId !== DAWSOS_APPLICATION_ID) throw new NotADawsosStoreError();
    const version = schemaVersion(db);
    if (version > LATEST_SCHEMA_VERSION) throw new StoreNewerThanAppError(version, LATEST_SCHEMA_VERSION);
    const walBytes = before.has(`${file}-wal`) ? fs.statSync(`${file}-wal`).size : 0;
    if (walBytes === 0) {
      const pages = db.pragma('page_count', { simple: true }) as number;
      const pageSize = db.pragma('page_size', { simple: true }) as number;
      if (fs.statSync(file).size < pages * pageSize) throw new StoreCorruptError();
    }
    db.prepare('SELECT count(*) FROM sqlite_schema').get();
    refused = false;
    return version;
  } catch (error) {
    if (error instanceof UserFacingError) throw error;
    const code = sqliteCode(error);
    if (code === 'SQLITE_NOTADB') throw new StoreKeyMismatchError('wrong-key');
    if (code.startsWith('SQLITE_CORRUPT') || code.startsWith('SQLITE_IOERR')) throw new StoreCorruptError();
    throw error;
  } finally {
    db?.close();
    // On success the side files stay: a read-write open follows, or another process may be using them.
    if (refused) removeSideFilesCreatedSince(file, before);
  }
}

/** Settings every read-write connection uses. */
export function configureConnection(db: Db): void {
  db.pragma('journal_mode = WAL');
  // FULL, not NORMAL: in WAL mode NORMAL may lose the last commits on power loss, and a commit that
  // wrote an audit row must survive it.
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  db.pragma(`cache_size = -${PAGE_CACHE_KIB}`);
  db.pragma('trusted_schema = OFF');
}

export function openKeyed(file: string, key: string, options: { readonly?: boolean } = {}): Db {
  const db = new Database(file, { readonly: options.readonly ?? false, fileMustExist: true });
  try {
    applyKey(db, key);
    if (!options.readonly) configureConnection(db);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

export interface StoreLocation {
  file: string;
  vault: KeyVault;
}

/** Finds the key that opens `file`, finishing or discarding an interrupted rekey. Returns it. */
export async function resolveStoreKey({ file, vault }: StoreLocation): Promise<string> {
  if (!fs.existsSync(file)) throw new StoreAbsentError();
  refusePlainSqlite(file);
  const account = storeKeyAccount(file);
  const pendingAccount = pendingStoreKeyAccount(file);
  const current = await vault.get(account);
  const pending = await vault.get(pendingAccount);
  let key: string;
  try {
    if (current === null) throw new StoreKeyMismatchError('missing-key');
    inspectStoreFile(file, current);
    key = current;
  } catch (error) {
    if (pending === null || !(error instanceof StoreKeyMismatchError)) throw error;
    inspectStoreFile(file, pending);
    await vault.set(account, pending);
    key = pending;
  }
  if (pending !== null) await vault.delete(pendingAccount);
  fs.rmSync(rekeyTempFile(file), { force: true });
  return key;
}

export interface OpenStoreOptions extends StoreLocation {
  /** Apply pending migrations (default). Tests of single migrations turn it off. */
  migrate?: boolean;
}

export async function openStore(options: OpenStoreOptions): Promise<Store> {
  const key = await resolveStoreKey(options);
  const db = openKeyed(options.file, key);
  try {
    if (options.migrate !== false) migrate(db);
    return new Store(db, options.file, key);
  } catch (error) {
    db.close();
    throw error;
  }
}

/**
 * Creates a new store: a fresh random key in the vault, then the encrypted file, built under a
 * temporary name and renamed into place so a crash never leaves a half-made store at the real path.
 */
export async function createStore(options: StoreLocation & { targetVersion?: number }): Promise<Store> {
  const { file, vault } = options;
  if (fs.existsSync(file)) throw new StoreExistsError();
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const account = storeKeyAccount(file);
  const key = newStoreKey();
  await vault.set(account, key);
  await vault.delete(pendingStoreKeyAccount(file));
  const tmp = `${file}.create-tmp`;
  for (const stale of [tmp, ...SIDE_SUFFIXES.map((s) => tmp + s)]) fs.rmSync(stale, { force: true });
  const db = new Database(tmp);
  try {
    applyKey(db, key);
    db.pragma(`application_id = ${DAWSOS_APPLICATION_ID}`);
    configureConnection(db);
    migrate(db, options.targetVersion);
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.pragma('journal_mode = DELETE');
  } finally {
    db.close();
  }
  fs.chmodSync(tmp, 0o600);
  fs.renameSync(tmp, file);
  fsyncDir(path.dirname(file));
  return openStore({ file, vault, migrate: false });
}
