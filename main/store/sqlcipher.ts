// How DawsOS talks to SQLite3 Multiple Ciphers: SQLCipher 4 format (not the library's default
// ChaCha20), keyed with the raw 256-bit key in SQLCipher's blob form so no passphrase KDF runs on
// top of an already random key. These pragmas must run before the first read of the file.
import crypto from 'node:crypto';
import Database from 'better-sqlite3-multiple-ciphers';
import { registerSecret } from '../logging/redact';

export type Db = Database.Database;

/** `PRAGMA application_id` of every DawsOS store ('DAWS'): how we tell our file from any other SQLite file. */
export const DAWSOS_APPLICATION_ID = 0x44415753;
export const STORE_KEY_BYTES = 32;
const KEY_HEX = /^[0-9a-f]{64}$/;

export function newStoreKey(): string {
  const key = crypto.randomBytes(STORE_KEY_BYTES).toString('hex');
  registerSecret(key);
  return key;
}

export function isStoreKey(value: string): boolean {
  return KEY_HEX.test(value);
}

/** Selects SQLCipher 4 and the raw key. The key is validated hex, so it cannot break out of the quotes. */
export function applyKey(db: Db, keyHex: string): void {
  if (!isStoreKey(keyHex)) throw new Error('store key must be 64 lowercase hex digits');
  registerSecret(keyHex);
  db.pragma(`cipher='sqlcipher'`);
  db.pragma('legacy=4');
  db.pragma(`key="x'${keyHex}'"`);
}

/** Plain SQLite files start with this header; an encrypted one starts with a random salt. */
export const SQLITE_PLAIN_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

export { Database };
