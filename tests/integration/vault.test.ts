// The passphrase vault on real files, the vault choice, and secrets kept out of logs.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger, MemorySink } from '../../main/logging/logger';
import {
  chooseVaultKind,
  createVault,
  PassphraseFileError,
  readPassphrase,
  saveVaultChoice,
  SettingsFileError,
  UnknownVaultError,
} from '../../main/vault/choose';
import {
  VaultFileError,
  VaultPassphraseError,
  VaultPassphraseRequiredError,
  WeakPassphraseError,
} from '../../main/vault/key-vault';
import { KeychainVault } from '../../main/vault/keychain-vault';
import { MemoryVault } from '../../main/vault/memory-vault';
import { PassphraseVault } from '../../main/vault/passphrase-vault';

const COST = { N: 2 ** 12, r: 8, p: 1 };
const PASSPHRASE = 'a long enough passphrase';
let dir: string;
let vaultFile: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dawsos-vault-'));
  vaultFile = path.join(dir, 'vault.json');
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => new Error('expected a rejection'),
    (error: unknown) => error,
  );
}

describe('PassphraseVault', () => {
  it('round-trips secrets across instances and deletes them', async () => {
    const vault = new PassphraseVault({ file: vaultFile, passphrase: PASSPHRASE, cost: COST });
    expect(await vault.get('provider:fmp')).toBeNull();
    await vault.set('provider:fmp', 'fmp-api-key-123');
    await vault.set('store-key:x', 'ab'.repeat(32));
    const again = new PassphraseVault({ file: vaultFile, passphrase: PASSPHRASE });
    expect(await again.get('provider:fmp')).toBe('fmp-api-key-123');
    expect(await again.get('store-key:x')).toBe('ab'.repeat(32));
    expect(await again.delete('provider:fmp')).toBe(true);
    expect(await again.delete('provider:fmp')).toBe(false);
    expect(await vault.get('provider:fmp')).toBeNull();
    expect(fs.statSync(vaultFile).mode & 0o077).toBe(0);
    expect(await again.probe()).toEqual({ ok: true, detail: 'passphrase vault unlocked' });
  });

  it('refuses a wrong passphrase without changing the file', async () => {
    await new PassphraseVault({ file: vaultFile, passphrase: PASSPHRASE, cost: COST }).set('a', 'secret-one');
    const before = fs.readFileSync(vaultFile);
    const wrong = new PassphraseVault({ file: vaultFile, passphrase: 'another long passphrase' });
    expect(await rejection(wrong.get('a'))).toBeInstanceOf(VaultPassphraseError);
    expect(await rejection(wrong.set('b', 'secret-two'))).toBeInstanceOf(VaultPassphraseError);
    expect(fs.readFileSync(vaultFile)).toEqual(before);
    expect((await wrong.probe()).ok).toBe(false);
  });

  it('detects a sealed secret moved to another account or altered', async () => {
    const vault = new PassphraseVault({ file: vaultFile, passphrase: PASSPHRASE, cost: COST });
    await vault.set('a', 'secret-one');
    const parsed = JSON.parse(fs.readFileSync(vaultFile, 'utf8')) as { secrets: Record<string, unknown> };
    parsed.secrets.b = parsed.secrets.a;
    fs.writeFileSync(vaultFile, JSON.stringify(parsed));
    const reader = new PassphraseVault({ file: vaultFile, passphrase: PASSPHRASE });
    expect(await reader.get('a')).toBe('secret-one');
    expect(await rejection(reader.get('b'))).toBeInstanceOf(VaultPassphraseError);
  });

  it('refuses a damaged vault file and a short new passphrase', async () => {
    fs.writeFileSync(vaultFile, '{"format":"something else"}');
    expect(
      await rejection(new PassphraseVault({ file: vaultFile, passphrase: PASSPHRASE }).get('a')),
    ).toBeInstanceOf(VaultFileError);
    fs.rmSync(vaultFile);
    expect(
      await rejection(
        new PassphraseVault({ file: vaultFile, passphrase: 'short', cost: COST }).set('a', 'x'),
      ),
    ).toBeInstanceOf(WeakPassphraseError);
    expect(fs.existsSync(vaultFile)).toBe(false);
  });
});

describe('choosing the vault', () => {
  const settings = () => path.join(dir, 'settings.json');

  it('is the keychain unless the flag or settings.json say passphrase; the flag wins', () => {
    expect(chooseVaultKind(undefined, settings())).toBe('keychain');
    saveVaultChoice(settings(), 'passphrase');
    expect(chooseVaultKind(undefined, settings())).toBe('passphrase');
    expect(chooseVaultKind('keychain', settings())).toBe('keychain');
    expect(() => chooseVaultKind('plaintext', settings())).toThrow(UnknownVaultError);
  });

  it('keeps other settings when recording the choice, and refuses a bad vault value', () => {
    fs.writeFileSync(settings(), JSON.stringify({ theme: 'dark' }));
    saveVaultChoice(settings(), 'passphrase');
    expect(JSON.parse(fs.readFileSync(settings(), 'utf8'))).toEqual({ theme: 'dark', vault: 'passphrase' });
    fs.writeFileSync(settings(), JSON.stringify({ vault: 'none' }));
    expect(() => chooseVaultKind(undefined, settings())).toThrow(SettingsFileError);
  });

  it('builds the chosen adapter, and the passphrase vault only with a passphrase', () => {
    expect(
      createVault('keychain', { storeFile: path.join(dir, 'dawsos.db'), passphrase: null }),
    ).toBeInstanceOf(KeychainVault);
    expect(() =>
      createVault('passphrase', { storeFile: path.join(dir, 'dawsos.db'), passphrase: null }),
    ).toThrow(VaultPassphraseRequiredError);
    expect(
      createVault('passphrase', { storeFile: path.join(dir, 'dawsos.db'), passphrase: PASSPHRASE }).kind,
    ).toBe('passphrase');
  });

  it('reads passphrases from a file (first line) or the environment', () => {
    const file = path.join(dir, 'pass.txt');
    fs.writeFileSync(file, `${PASSPHRASE}\n`);
    const env = { DAWSOS_STORE_PASSPHRASE: 'from the environment' };
    expect(readPassphrase({ file: 'pass.txt', cwd: dir, env, envName: 'DAWSOS_STORE_PASSPHRASE' })).toBe(
      PASSPHRASE,
    );
    expect(readPassphrase({ file: undefined, cwd: dir, env, envName: 'DAWSOS_STORE_PASSPHRASE' })).toBe(
      'from the environment',
    );
    expect(
      readPassphrase({ file: undefined, cwd: dir, env: {}, envName: 'DAWSOS_STORE_PASSPHRASE' }),
    ).toBeNull();
    fs.writeFileSync(file, '');
    expect(() => readPassphrase({ file, cwd: dir, env, envName: 'X' })).toThrow(PassphraseFileError);
    expect(() => readPassphrase({ file: 'missing.txt', cwd: dir, env, envName: 'X' })).toThrow(
      PassphraseFileError,
    );
  });
});

describe('secrets and logs', () => {
  it('redacts every secret a vault has handled from log lines', async () => {
    const sink = new MemorySink();
    const logger = createLogger({ sink });
    const memory = new MemoryVault();
    await memory.set('provider:polygon', 'pg-live-key-7f3a9c');
    const passphraseVault = new PassphraseVault({ file: vaultFile, passphrase: PASSPHRASE, cost: COST });
    await passphraseVault.set('store-key:y', 'cd'.repeat(32));
    logger.info(`calling with pg-live-key-7f3a9c and ${'cd'.repeat(32)} using ${PASSPHRASE}`);
    logger.info({ detail: `k=${'cd'.repeat(32)}` }, 'object form');
    const text = sink.text();
    expect(text).not.toContain('pg-live-key-7f3a9c');
    expect(text).not.toContain('cd'.repeat(32));
    expect(text).not.toContain(PASSPHRASE);
  });
});
