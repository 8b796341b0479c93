// `dawsos backup create | restore | drill`: the functions behind the CLI (and later Settings).
//
// create:  snapshot the open store → manifest → AES-256-GCM under a scrypt key from the backup
//          passphrase → written atomically, mode 0600.
// restore: decrypt and authenticate, then check the snapshot fully (marker, schema version,
//          integrity_check, audit chain, row counts) BEFORE touching anything; write it as a new
//          encrypted file beside the store, verify that file, keep the current store as a safety
//          copy, and only then rename the new file into place.
// drill:   the same restore into a throwaway folder with a throwaway key, then open it like the app
//          does and report each check as pass/fail.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { UserFacingError } from '../../shared/errors';
import { withAudit } from '../audit/chain';
import { sha256Hex } from '../audit/canonical';
import { BackupExistsError, BackupVerificationError } from './errors';
import { openBackup, sealBackup, type BackupManifest } from './format';
import {
  checkSnapshot,
  openSnapshot,
  rowCounts,
  takeSnapshot,
  writeEncryptedCopy,
  type SnapshotCheck,
} from './snapshot';
import {
  inspectStoreFile,
  openKeyed,
  openStore,
  resolveStoreKey,
  storeKeyAccount,
  type Store,
} from '../store/open';
import { newStoreKey } from '../store/sqlcipher';
import { APP_VERSION } from '../version';
import { fsyncDir, writeFileAtomic } from '../vault/atomic-file';
import { checkPassphraseStrength, type ScryptCost } from '../vault/kdf';
import type { KeyVault } from '../vault/key-vault';
import { MemoryVault } from '../vault/memory-vault';

export interface BackupCreateResult {
  file: string;
  bytes: number;
  manifest: BackupManifest;
}

export async function createBackup(
  store: Store,
  options: { file: string; passphrase: string; cost?: ScryptCost; now?: Date },
): Promise<BackupCreateResult> {
  checkPassphraseStrength(options.passphrase);
  if (fs.existsSync(options.file)) throw new BackupExistsError();
  // One read transaction for both the counts and the image, so they describe the same state.
  const { snapshot, counts, schemaVersion } = store.db
    .transaction(() => ({
      snapshot: takeSnapshot(store.db),
      counts: rowCounts(store.db),
      schemaVersion: store.schemaVersion,
    }))
    .deferred();
  const manifest: BackupManifest = {
    format: 'dawsos-backup',
    appVersion: APP_VERSION,
    schemaVersion,
    createdAt: (options.now ?? new Date()).toISOString(),
    snapshotBytes: snapshot.length,
    snapshotSha256: sha256Hex(snapshot),
    rowCounts: counts,
  };
  const sealed = await sealBackup(snapshot, manifest, options.passphrase, options.cost);
  writeFileAtomic(options.file, sealed);
  return { file: options.file, bytes: sealed.length, manifest };
}

async function readAndCheck(
  backupFile: string,
  passphrase: string,
): Promise<{ manifest: BackupManifest; snapshot: Buffer }> {
  const opened = await openBackup(fs.readFileSync(backupFile), passphrase);
  const db = openSnapshot(opened.snapshot);
  try {
    const failed = checkSnapshot(db, opened.manifest).find((check) => !check.ok);
    if (failed) throw new BackupVerificationError(failed.name);
  } finally {
    db.close();
  }
  return opened;
}

/** Builds `target` from a checked snapshot and proves it opens with `key` and matches the manifest. */
function materialise(snapshot: Buffer, manifest: BackupManifest, target: string, key: string): void {
  for (const stale of [target, `${target}-journal`, `${target}-wal`, `${target}-shm`])
    fs.rmSync(stale, { force: true });
  const source = openSnapshot(snapshot);
  try {
    writeEncryptedCopy(source, target, key);
  } finally {
    source.close();
  }
  inspectStoreFile(target, key);
  const check = openKeyed(target, key, { readonly: true });
  try {
    const failed = checkSnapshot(check, manifest).find((c) => !c.ok);
    if (failed) throw new BackupVerificationError(failed.name);
  } finally {
    check.close();
  }
  fs.chmodSync(target, 0o600);
}

export interface RestoreResult {
  manifest: BackupManifest;
  /** Where the replaced store was kept, or null when there was none. */
  safetyCopy: string | null;
}

export async function restoreBackup(options: {
  storeFile: string;
  vault: KeyVault;
  backupFile: string;
  passphrase: string;
  actor?: string;
  now?: Date;
}): Promise<RestoreResult> {
  const { storeFile, vault } = options;
  const { manifest, snapshot } = await readAndCheck(options.backupFile, options.passphrase);

  // The restored store keeps the current store's key (so the safety copy opens with it too).
  const exists = fs.existsSync(storeFile);
  if (exists) await resolveStoreKey({ file: storeFile, vault }).catch(() => null);
  const account = storeKeyAccount(storeFile);
  let key = await vault.get(account);
  if (key === null) {
    key = newStoreKey();
    await vault.set(account, key);
  }

  const tmp = `${storeFile}.restore-tmp`;
  fs.mkdirSync(path.dirname(storeFile), { recursive: true, mode: 0o700 });
  try {
    materialise(snapshot, manifest, tmp, key);
  } catch (error) {
    fs.rmSync(tmp, { force: true });
    throw error;
  }

  let safetyCopy: string | null = null;
  if (exists) {
    try {
      const current = openKeyed(storeFile, key);
      try {
        current.pragma('wal_checkpoint(TRUNCATE)');
      } finally {
        current.close();
      }
    } catch {
      // The current store may be the damaged one we are replacing: keep its side files with it.
    }
    const stamp = (options.now ?? new Date()).toISOString().replaceAll(':', '-');
    safetyCopy = `${storeFile}.pre-restore-${stamp}`;
    fs.copyFileSync(storeFile, safetyCopy, fs.constants.COPYFILE_EXCL);
    if (fs.existsSync(`${storeFile}-wal`)) fs.copyFileSync(`${storeFile}-wal`, `${safetyCopy}-wal`);
    fsyncDir(path.dirname(storeFile));
    for (const side of ['-wal', '-shm', '-journal']) fs.rmSync(storeFile + side, { force: true });
  }
  fs.renameSync(tmp, storeFile);
  fsyncDir(path.dirname(storeFile));

  const store = await openStore({ file: storeFile, vault });
  try {
    withAudit(
      store.db,
      {
        actor: options.actor ?? 'user',
        action: 'store.restore',
        target: 'store',
        payload: { snapshotSha256: manifest.snapshotSha256 },
      },
      () => undefined,
    );
  } finally {
    store.close();
  }
  return { manifest, safetyCopy };
}

export interface DrillReport {
  ok: boolean;
  manifest: BackupManifest | null;
  checks: SnapshotCheck[];
}

/** Restores into a temporary folder with a temporary key and reports every check. Never throws on a bad backup. */
export async function drillBackup(options: { backupFile: string; passphrase: string }): Promise<DrillReport> {
  const checks: SnapshotCheck[] = [];
  let opened: { manifest: BackupManifest; snapshot: Buffer };
  try {
    opened = await openBackup(fs.readFileSync(options.backupFile), options.passphrase);
    checks.push({
      name: 'decrypt and authenticate',
      ok: true,
      detail: 'AES-256-GCM tag and snapshot SHA-256 match',
    });
  } catch (error) {
    const detail = error instanceof UserFacingError ? error.message : 'the file could not be read';
    checks.push({ name: 'decrypt and authenticate', ok: false, detail });
    return { ok: false, manifest: null, checks };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dawsos-drill-'));
  try {
    const file = path.join(dir, 'drill.db');
    const vault = new MemoryVault();
    const key = newStoreKey();
    await vault.set(storeKeyAccount(file), key);
    try {
      const source = openSnapshot(opened.snapshot);
      try {
        writeEncryptedCopy(source, file, key);
      } finally {
        source.close();
      }
      checks.push({ name: 'restore to temporary store', ok: true, detail: 'encrypted copy written' });
    } catch {
      checks.push({
        name: 'restore to temporary store',
        ok: false,
        detail: 'the snapshot could not be written out',
      });
      return { ok: false, manifest: opened.manifest, checks };
    }
    try {
      const store = await openStore({ file, vault, migrate: false });
      try {
        checks.push({ name: 'open with key', ok: true, detail: 'marker and schema accepted' });
        checks.push(...checkSnapshot(store.db, opened.manifest));
      } finally {
        store.close();
      }
    } catch (error) {
      const detail = error instanceof UserFacingError ? error.message : 'the restored store did not open';
      checks.push({ name: 'open with key', ok: false, detail });
    }
    return { ok: checks.every((c) => c.ok), manifest: opened.manifest, checks };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
