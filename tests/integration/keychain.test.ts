// The keychain adapter against a real Secret Service (private D-Bus + gnome-keyring-daemon), and
// what a user sees when there is no keychain to reach.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
