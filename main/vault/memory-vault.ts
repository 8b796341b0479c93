// In-memory KeyVault for unit tests and throwaway stores (the backup drill). Never a fallback:
// nothing in a host picks it for a real store.
import { registerSecret } from '../logging/redact';
import type { KeyVault, VaultProbe } from './key-vault';

export class MemoryVault implements KeyVault {
  readonly kind = 'memory' as const;
  private readonly secrets = new Map<string, string>();

  get(account: string): Promise<string | null> {
    return Promise.resolve(this.secrets.get(account) ?? null);
  }

  set(account: string, secret: string): Promise<void> {
    registerSecret(secret);
    this.secrets.set(account, secret);
    return Promise.resolve();
  }

  delete(account: string): Promise<boolean> {
    return Promise.resolve(this.secrets.delete(account));
  }

  probe(): Promise<VaultProbe> {
    return Promise.resolve({ ok: true, detail: 'in-memory vault (tests only)' });
  }
}
