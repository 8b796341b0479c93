// `dawsos doctor` and the Status screen's health checks: can this machine run DawsOS? Each check
// reports ok and a one-line detail a user can act on; none throws.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { promisify } from 'node:util';
import type { z } from 'zod';
import type * as Keyring from '@napi-rs/keyring';
import type { healthCheckSchema } from '../../shared/ipc/app';
import type { DataPaths } from '../workspace/data-dir';

export type HealthCheck = z.infer<typeof healthCheckSchema>;

const loadModule = createRequire(import.meta.url);
type KeyringModule = typeof Keyring;
const execFileAsync = promisify(execFile);

/** Service name under which DawsOS keeps its secrets in the OS keychain. */
export const KEYCHAIN_SERVICE = 'DawsOS';
const KEYCHAIN_PROBE_ACCOUNT = 'doctor-probe';
const CHECK_TIMEOUT_MS = 5_000;

function withTimeout<T>(promise: Promise<T>, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${what} did not answer within ${CHECK_TIMEOUT_MS} ms`)),
      CHECK_TIMEOUT_MS,
    );
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

export function checkNode(): HealthCheck {
  const major = Number(process.versions.node.split('.')[0]);
  return {
    name: 'node',
    ok: major >= 20,
    detail: `Node ${process.versions.node} (ABI ${process.versions.modules})`,
  };
}

export function checkSqlite(): HealthCheck {
  try {
    type Db = { pragma(sql: string, opts: { simple: true }): unknown; close(): void };
    const Database = loadModule('better-sqlite3-multiple-ciphers') as new (file: string) => Db;
    const db = new Database(':memory:');
    // The store uses SQLCipher's format; ask the module to select it, as the store does.
    const cipher = db.pragma(`cipher='sqlcipher'`, { simple: true });
    db.close();
    return {
      name: 'sqlite',
      ok: true,
      detail: `better-sqlite3-multiple-ciphers loaded (cipher ${String(cipher)} available)`,
    };
  } catch (error) {
    return {
      name: 'sqlite',
      ok: false,
      detail: `Encrypted SQLite module failed to load (${(error as Error).message.split('\n')[0]}); run npm rebuild better-sqlite3-multiple-ciphers`,
    };
  }
}

export async function checkKeychain(): Promise<HealthCheck> {
  try {
    const { AsyncEntry } = loadModule('@napi-rs/keyring') as KeyringModule;
    const entry = new AsyncEntry(KEYCHAIN_SERVICE, KEYCHAIN_PROBE_ACCOUNT);
    await withTimeout(entry.setPassword('probe'), 'The keychain');
    await withTimeout(entry.deletePassword(), 'The keychain');
    return { name: 'keychain', ok: true, detail: 'OS keychain available' };
  } catch {
    return {
      name: 'keychain',
      ok: false,
      detail:
        'OS keychain unavailable or locked: unlock it (on Linux a Secret Service such as gnome-keyring must be running), or choose a store passphrase instead',
    };
  }
}

export async function checkGit(): Promise<HealthCheck> {
  try {
    const { stdout } = await withTimeout(execFileAsync('git', ['--version']), 'git');
    return { name: 'git', ok: true, detail: stdout.trim() };
  } catch {
    return {
      name: 'git',
      ok: false,
      detail: 'git not found on PATH: install git to use a ledger repository',
    };
  }
}

export function checkDataDir(paths: DataPaths): HealthCheck {
  try {
    fs.mkdirSync(paths.dataDir, { recursive: true, mode: 0o700 });
    fs.accessSync(paths.dataDir, fs.constants.W_OK);
    return { name: 'data folder', ok: true, detail: 'writable' };
  } catch {
    return { name: 'data folder', ok: false, detail: 'not writable: set DAWSOS_HOME to a folder you own' };
  }
}

/** Every check `dawsos doctor` runs, in the order it prints them. */
export async function runDoctor(paths: DataPaths): Promise<HealthCheck[]> {
  return [checkNode(), checkSqlite(), await checkKeychain(), await checkGit(), checkDataDir(paths)];
}
