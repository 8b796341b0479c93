// SecretSource over the vault: each provider's API key lives in the vault (OS keychain or the
// passphrase vault) under the account `provider:<name>`, never in the store, a setting or a log.
// Every key that passes through here — read or written — is registered with the log redactor
// before anything else can see it.
import { z } from 'zod';
import { UserFacingError } from '../../shared/errors';
import { registerSecret } from '../logging/redact';
import { providerKeyAccount, type KeyVault } from '../vault/key-vault';
import type { ProviderName, SecretSource } from './types';

/** Longest API key accepted; real ones are 32–64 characters. */
export const PROVIDER_KEY_MAX_LENGTH = 256;

/** What a provider API key may look like: printable ASCII without spaces (it goes into a URL or header). */
export const providerKeySchema = z
  .string()
  .min(8)
  .max(PROVIDER_KEY_MAX_LENGTH)
  .regex(/^[\x21-\x7e]+$/);

export class ProviderKeyInvalidError extends UserFacingError {
  constructor() {
    super(
      'PROVIDER_KEY_INVALID',
      `An API key must be 8 to ${PROVIDER_KEY_MAX_LENGTH} printable characters without spaces.`,
    );
  }
}

export class VaultSecretSource implements SecretSource {
  constructor(private readonly vault: KeyVault) {}

  async getKey(provider: ProviderName): Promise<string | null> {
    const key = await this.vault.get(providerKeyAccount(provider));
    if (key === null || key === '') return null;
    registerSecret(key);
    return key;
  }

  /** Stores a provider's key in the vault. Validates first; the key is never echoed back. */
  async setKey(provider: ProviderName, key: string): Promise<void> {
    registerSecret(key);
    if (!providerKeySchema.safeParse(key).success) throw new ProviderKeyInvalidError();
    await this.vault.set(providerKeyAccount(provider), key);
  }

  /** Removes a provider's key; true when there was one. */
  deleteKey(provider: ProviderName): Promise<boolean> {
    return this.vault.delete(providerKeyAccount(provider));
  }
}
