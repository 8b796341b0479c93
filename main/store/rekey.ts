// `dawsos store rekey`: rotate the store key without ever being one crash away from losing data.
//
//   1. open the store with the current key (this also finishes an earlier interrupted rekey),
//      checkpoint the WAL into the file and close it;
//   2. park a new random key in the vault under the pending account;
//   3. copy the file, re-encrypt the COPY with `PRAGMA rekey`, and prove the copy opens with the new
//      key (marker, schema version, integrity_check, same audit chain head);
//   4. rename the copy over the store (atomic);
//   5. make the new key current and drop the pending one.
// A crash before 4 leaves the old file with the old key (the pending key and copy are discarded
// on the next open); a crash after 4 leaves the new file and the new key in the pending account,
// which the next open promotes. The old key is overwritten only after the new one is proven.
import fs from 'node:fs';
import path from 'node:path';
import { UserFacingError } from '../../shared/errors';
import { verifyAuditChain } from '../audit/chain';
import { fsyncDir } from '../vault/atomic-file';
import {
  inspectStoreFile,
  openKeyed,
  openStore,
  pendingStoreKeyAccount,
  rekeyTempFile,
  storeKeyAccount,
  type StoreLocation,
} from './open';
import { applyKey, Database, newStoreKey } from './sqlcipher';

export class RekeyVerificationError extends UserFacingError {
  constructor() {
    super(
      'STORE_REKEY_FAILED',
      'The re-encrypted copy did not verify; the store and its key were left unchanged.',
    );
  }
}

export interface RekeyHooks {
  /** Test seams that simulate a crash at the two dangerous moments. */
  beforeSwap?: () => void;
  afterSwap?: () => void;
}

function fsyncFile(file: string): void {
  const fd = fs.openSync(file, 'r+');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

export async function rekeyStore(
  location: StoreLocation,
  hooks: RekeyHooks = {},
): Promise<{ schemaVersion: number }> {
  const { file, vault } = location;
  const store = await openStore(location);
  const before = verifyAuditChain(store.db);
  store.db.pragma('wal_checkpoint(TRUNCATE)');
  store.close();
  const oldKey = await vault.get(storeKeyAccount(file));
  if (oldKey === null) throw new RekeyVerificationError();

  const newKey = newStoreKey();
  await vault.set(pendingStoreKeyAccount(file), newKey);
  const tmp = rekeyTempFile(file);
  for (const stale of [tmp, `${tmp}-journal`, `${tmp}-wal`, `${tmp}-shm`]) fs.rmSync(stale, { force: true });
  fs.copyFileSync(file, tmp);
  const copy = new Database(tmp, { fileMustExist: true });
  try {
    applyKey(copy, oldKey);
    copy.pragma('journal_mode = DELETE');
    copy.pragma(`rekey = "x'${newKey}'"`);
  } finally {
    copy.close();
  }

  let schemaVersion: number;
  try {
    schemaVersion = inspectStoreFile(tmp, newKey);
    const check = openKeyed(tmp, newKey, { readonly: true });
    try {
      const integrity = check.pragma('integrity_check', { simple: true });
      const after = verifyAuditChain(check);
      if (integrity !== 'ok' || after.head !== before.head || after.rows !== before.rows)
        throw new RekeyVerificationError();
    } finally {
      check.close();
    }
  } catch (error) {
    fs.rmSync(tmp, { force: true });
    await vault.delete(pendingStoreKeyAccount(file));
    throw error instanceof UserFacingError ? error : new RekeyVerificationError();
  }
  fsyncFile(tmp);
  hooks.beforeSwap?.();
  for (const side of ['-wal', '-shm']) fs.rmSync(file + side, { force: true });
  fs.renameSync(tmp, file);
  fsyncDir(path.dirname(file));
  hooks.afterSwap?.();
  await vault.set(storeKeyAccount(file), newKey);
  await vault.delete(pendingStoreKeyAccount(file));
  return { schemaVersion };
}
