// A locked keychain: the login keyring exists (created and filled while unlocked), but the Secret
// Service was restarted without unlocking it. Every vault call must fail with
// KeychainUnavailableError rather than answer "no key". Its own file: the keyring library keeps its
// D-Bus connection for the life of the process, so this process only ever talks to the locked one.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeychainUnavailableError } from '../../main/vault/key-vault';
import { KeychainVault } from '../../main/vault/keychain-vault';
import { startSecretService, type SecretService } from '../support/secret-service';

const run = promisify(execFile);
let home: string;
let locked: SecretService | undefined;
const savedAddress = process.env.DBUS_SESSION_BUS_ADDRESS;

beforeAll(async () => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'dawsos-locked-keyring-'));
  const unlocked = await startSecretService({ home });
  try {
    // Store a secret from a child process, so this process never connects to the unlocked service.
    await run(
      process.execPath,
      [
        '-e',
        "new (require('@napi-rs/keyring').AsyncEntry)('DawsOS-test', 'store-key:locked').setPassword('d'.repeat(64)).catch(() => process.exit(1))",
      ],
      { env: { ...unlocked.env }, cwd: path.resolve(import.meta.dirname, '../..') },
    );
  } finally {
    await unlocked.stop();
  }
  locked = await startSecretService({ home, unlock: false });
  process.env.DBUS_SESSION_BUS_ADDRESS = locked.address;
});

afterAll(async () => {
  if (savedAddress === undefined) delete process.env.DBUS_SESSION_BUS_ADDRESS;
  else process.env.DBUS_SESSION_BUS_ADDRESS = savedAddress;
  await locked?.stop();
  fs.rmSync(home, { recursive: true, force: true });
});

describe('KeychainVault on a locked keychain', () => {
  it('fails every call with KeychainUnavailableError instead of answering "no key"', async () => {
    expect(fs.readdirSync(path.join(home, 'data', 'keyrings'))).toContain('login.keyring');
    const vault = new KeychainVault('DawsOS-test');
    for (const attempt of [
      () => vault.get('store-key:locked'),
      () => vault.get('store-key:other'),
      () => vault.set('store-key:new', 'e'.repeat(64)),
    ]) {
      const error = await attempt().then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(KeychainUnavailableError);
      expect((error as Error).message).toMatch(/unavailable or locked/);
    }
    expect((await vault.probe()).ok).toBe(false);
  });
});
