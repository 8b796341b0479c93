// The keychain adapter against a real Secret Service (private D-Bus + gnome-keyring-daemon), and
// what a user sees when there is no keychain to reach.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../main/cli/run';
import { LATEST_SCHEMA_VERSION } from '../../main/store/migrations';
import { KeychainVault } from '../../main/vault/keychain-vault';
import { startSecretService, type SecretService } from '../support/secret-service';

let service: SecretService;
const savedAddress = process.env.DBUS_SESSION_BUS_ADDRESS;

beforeAll(async () => {
  service = await startSecretService();
  process.env.DBUS_SESSION_BUS_ADDRESS = service.address;
});

afterAll(async () => {
  if (savedAddress === undefined) delete process.env.DBUS_SESSION_BUS_ADDRESS;
  else process.env.DBUS_SESSION_BUS_ADDRESS = savedAddress;
  await service?.stop();
});

describe('KeychainVault on a real Secret Service', () => {
  it('stores, reads back, replaces and deletes a secret', async () => {
    const vault = new KeychainVault('DawsOS-test');
    const account = `store-key:${Date.now()}`;
    expect(await vault.get(account)).toBeNull();
    await vault.set(account, 'a'.repeat(64));
    expect(await vault.get(account)).toBe('a'.repeat(64));
    await vault.set(account, 'b'.repeat(64));
    expect(await vault.get(account)).toBe('b'.repeat(64));
    expect(await vault.delete(account)).toBe(true);
    expect(await vault.get(account)).toBeNull();
    expect(await vault.delete(account)).toBe(false);
  });

  it('keeps accounts apart', async () => {
    const vault = new KeychainVault('DawsOS-test');
    await vault.set('provider:fmp', 'fmp-secret-key');
    await vault.set('provider:fred', 'fred-secret-key');
    expect(await vault.get('provider:fmp')).toBe('fmp-secret-key');
    expect(await vault.get('provider:fred')).toBe('fred-secret-key');
    await vault.delete('provider:fmp');
    await vault.delete('provider:fred');
  });

  it('probes ok (the check doctor can use)', async () => {
    expect(await new KeychainVault('DawsOS-test').probe()).toEqual({
      ok: true,
      detail: 'OS keychain available',
    });
  });
});

describe('the store on the OS keychain, through the CLI', () => {
  it('init (keychain by default), status, rekey and audit verify', async () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'dawsos-keychain-cli-'));
    const cli = async (...argv: string[]) => {
      let out = '';
      const code = await runCli([...argv, '--json'], {
        io: { stdout: (t) => (out += t), stderr: (t) => (out += t) },
        env: { DAWSOS_HOME: home },
        cwd: home,
      });
      return { code, json: JSON.parse(out) as Record<string, unknown> };
    };
    try {
      expect(await cli('store', 'status')).toMatchObject({
        code: 0,
        json: { state: 'absent', unlock: null },
      });
      expect(await cli('store', 'init')).toMatchObject({
        code: 0,
        json: { created: true, vault: 'keychain' },
      });
      expect(fs.existsSync(path.join(home, 'vault.json'))).toBe(false);
      expect(await cli('store', 'status')).toMatchObject({
        code: 0,
        json: {
          state: 'locked',
          vault: 'keychain',
          schemaVersion: LATEST_SCHEMA_VERSION,
          unlock: { ok: true },
        },
      });
      expect(await cli('store', 'rekey')).toMatchObject({
        code: 0,
        json: { rekeyed: true, vault: 'keychain' },
      });
      expect(await cli('audit', 'verify')).toMatchObject({ code: 0, json: { ok: true } });
      expect(await cli('store', 'init')).toMatchObject({
        code: 1,
        json: { error: { code: 'STORE_EXISTS' } },
      });
    } finally {
      fs.rmSync(home, { recursive: true, force: true });
    }
  });
});
