// KeyVault adapter over the OS keychain (macOS Keychain, Windows Credential Manager, the Secret
// Service on Linux) through @napi-rs/keyring, service `DawsOS`. Any failure to reach the keychain,
// including a locked one that does not answer, becomes KeychainUnavailableError; a missing entry is
// null. The keyring's getPassword answers null both for "no entry" and "no keychain", so a null is
// confirmed by listing the service, which does fail when the keychain cannot be reached.
import { createRequire } from 'node:module';
import type * as Keyring from '@napi-rs/keyring';
import { registerSecret } from '../logging/redact';
import { KEYCHAIN_SERVICE, KeychainUnavailableError, type KeyVault, type VaultProbe } from './key-vault';

/** How long a keychain call may take before we treat the keychain as locked or absent. */
export const KEYCHAIN_TIMEOUT_MS = 10_000;
const PROBE_ACCOUNT = 'vault-probe';

const loadModule = createRequire(import.meta.url);

function keyring(): typeof Keyring {
  try {
    return loadModule('@napi-rs/keyring') as typeof Keyring;
  } catch {
    throw new KeychainUnavailableError();
  }
}

async function call<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new KeychainUnavailableError());
    }, KEYCHAIN_TIMEOUT_MS);
  });
  try {
    return await Promise.race([work(controller.signal), timeout]);
  } catch {
    throw new KeychainUnavailableError();
  } finally {
    clearTimeout(timer);
  }
}

export class KeychainVault implements KeyVault {
  readonly kind = 'keychain' as const;

  constructor(private readonly service: string = KEYCHAIN_SERVICE) {}

  async get(account: string): Promise<string | null> {
    const { AsyncEntry, findCredentialsAsync } = keyring();
    const secret = await call((signal) => new AsyncEntry(this.service, account).getPassword(signal));
    if (secret !== null && secret !== undefined) {
      registerSecret(secret);
      return secret;
    }
    // Distinguish "no such entry" from "no keychain at all": listing fails when unreachable.
    await call((signal) => findCredentialsAsync(this.service, undefined, signal));
    return null;
  }

  async set(account: string, secret: string): Promise<void> {
    registerSecret(secret);
    const { AsyncEntry } = keyring();
    await call((signal) => new AsyncEntry(this.service, account).setPassword(secret, signal));
  }

  async delete(account: string): Promise<boolean> {
    const { AsyncEntry, findCredentialsAsync } = keyring();
    const deleted = await call((signal) => new AsyncEntry(this.service, account).deleteCredential(signal));
    if (!deleted) await call((signal) => findCredentialsAsync(this.service, undefined, signal));
    return deleted;
  }

  /** Writes, reads back and deletes a throwaway entry: the check `dawsos doctor` can use. */
  async probe(): Promise<VaultProbe> {
    try {
      const marker = `probe-${process.pid}-${Date.now()}`;
      await this.set(PROBE_ACCOUNT, marker);
      const read = await this.get(PROBE_ACCOUNT);
      await this.delete(PROBE_ACCOUNT);
      if (read !== marker) throw new KeychainUnavailableError();
      return { ok: true, detail: 'OS keychain available' };
    } catch (error) {
      const detail =
        error instanceof KeychainUnavailableError ? error.message : new KeychainUnavailableError().message;
      return { ok: false, detail };
    }
  }
}
