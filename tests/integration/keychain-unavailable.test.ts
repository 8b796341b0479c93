// With no Secret Service to reach, the keychain adapter fails with KeychainUnavailableError and a
// message that says how to fix it. Its own file (vitest runs each file in its own process): the
// keyring library keeps its D-Bus connection for the life of the process.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../main/cli/run';
import { KeychainUnavailableError } from '../../main/vault/key-vault';
import { KeychainVault } from '../../main/vault/keychain-vault';

describe('KeychainVault without a Secret Service', () => {
  it('throws KeychainUnavailableError that says how to fix it, for reads, writes and deletes', async () => {
    const previous = process.env.DBUS_SESSION_BUS_ADDRESS;
    process.env.DBUS_SESSION_BUS_ADDRESS = 'unix:path=/nonexistent/dawsos-dead-bus';
    try {
      const vault = new KeychainVault('DawsOS-test');
      for (const attempt of [
        () => vault.get('store-key:x'),
        () => vault.set('store-key:x', 'c'.repeat(64)),
        () => vault.delete('store-key:x'),
      ]) {
        const error = await attempt().then(
          () => null,
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(KeychainUnavailableError);
        expect((error as KeychainUnavailableError).code).toBe('KEYCHAIN_UNAVAILABLE');
        expect((error as Error).message).toMatch(/unlock/i);
        expect((error as Error).message).toMatch(/--vault passphrase/);
      }
      const probe = await vault.probe();
      expect(probe.ok).toBe(false);
      expect(probe.detail).toMatch(/Secret Service/);
    } finally {
      process.env.DBUS_SESSION_BUS_ADDRESS = previous;
    }
  });
});

describe('no silent fallback', () => {
  it('store init fails on a missing keychain and creates nothing; the passphrase vault must be chosen explicitly', async () => {
    const previous = process.env.DBUS_SESSION_BUS_ADDRESS;
    process.env.DBUS_SESSION_BUS_ADDRESS = 'unix:path=/nonexistent/dawsos-dead-bus';
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'dawsos-nokeychain-'));
    const cli = async (argv: string[], env: Record<string, string> = {}) => {
      let out = '';
      const code = await runCli([...argv, '--json'], {
        io: { stdout: (t) => (out += t), stderr: (t) => (out += t) },
        env: { DAWSOS_HOME: home, ...env },
        cwd: home,
      });
      return { code, json: JSON.parse(out) as Record<string, unknown> };
    };
    try {
      expect(await cli(['store', 'init'])).toMatchObject({
        code: 1,
        json: { error: { code: 'KEYCHAIN_UNAVAILABLE' } },
      });
      expect(fs.readdirSync(home).filter((name) => name !== 'logs')).toEqual([]);

      expect(await cli(['store', 'init', '--vault', 'passphrase'])).toMatchObject({
        code: 1,
        json: { error: { code: 'VAULT_PASSPHRASE_REQUIRED' } },
      });
      const passphrase = { DAWSOS_STORE_PASSPHRASE: 'a passphrase the user chose' };
      expect(await cli(['store', 'init', '--vault', 'passphrase'], passphrase)).toMatchObject({
        code: 0,
        json: { created: true, vault: 'passphrase' },
      });
      // The choice is remembered in settings.json, so later commands need no flag.
      expect(JSON.parse(fs.readFileSync(path.join(home, 'settings.json'), 'utf8'))).toMatchObject({
        vault: 'passphrase',
      });
      expect(await cli(['audit', 'verify'], passphrase)).toMatchObject({ code: 0, json: { ok: true } });
      expect(
        await cli(['store', 'status'], { DAWSOS_STORE_PASSPHRASE: 'the wrong passphrase!' }),
      ).toMatchObject({
        code: 1,
        json: { state: 'locked', unlock: { ok: false, error: { code: 'VAULT_PASSPHRASE_WRONG' } } },
      });
      expect(await cli(['store', 'status', '--vault', 'keychain'])).toMatchObject({
        code: 1,
        json: { unlock: { ok: false, error: { code: 'KEYCHAIN_UNAVAILABLE' } } },
      });
    } finally {
      process.env.DBUS_SESSION_BUS_ADDRESS = previous;
      fs.rmSync(home, { recursive: true, force: true });
    }
  });
});
