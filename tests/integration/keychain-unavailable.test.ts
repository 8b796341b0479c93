// With no Secret Service to reach, the keychain adapter fails with KeychainUnavailableError and a
// message that says how to fix it. Its own file (vitest runs each file in its own process): the
// keyring library keeps its D-Bus connection for the life of the process.
import { describe, expect, it } from 'vitest';
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
