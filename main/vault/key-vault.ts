// The KeyVault port: where DawsOS keeps its secrets (the store key, provider API keys). Three
// adapters implement it: the OS keychain (the default), a passphrase-protected file for machines
// without a keychain (an explicit user choice, never a silent fallback), and an in-memory map for
// unit tests. Every secret that passes through a vault is registered with the log redactor.
import { UserFacingError } from '../../shared/errors';

export type VaultKind = 'keychain' | 'passphrase' | 'memory';

export interface VaultProbe {
  ok: boolean;
  detail: string;
}

export interface KeyVault {
  readonly kind: VaultKind;
  /** The secret stored under `account`, or null when there is none. Throws when the vault is unreachable. */
  get(account: string): Promise<string | null>;
  set(account: string, secret: string): Promise<void>;
  /** True when a secret was removed, false when there was none. */
  delete(account: string): Promise<boolean>;
  /** Can this vault be used right now? Never throws; `dawsos doctor` can show the detail as is. */
  probe(): Promise<VaultProbe>;
}

/** Service name under which DawsOS keeps its secrets in the OS keychain. */
export const KEYCHAIN_SERVICE = 'DawsOS';

/** Accounts for provider API keys, e.g. `provider:fmp`. */
export function providerKeyAccount(provider: string): string {
  return `provider:${provider}`;
}

export class KeychainUnavailableError extends UserFacingError {
  constructor() {
    super(
      'KEYCHAIN_UNAVAILABLE',
      'The OS keychain is unavailable or locked. Unlock it (on Linux a Secret Service such as gnome-keyring must be running and unlocked), or choose a store passphrase instead with --vault passphrase.',
    );
  }
}

export class VaultPassphraseError extends UserFacingError {
  constructor() {
    super('VAULT_PASSPHRASE_WRONG', 'The store passphrase is wrong, or the vault file was changed.');
  }
}

export class VaultPassphraseRequiredError extends UserFacingError {
  constructor() {
    super(
      'VAULT_PASSPHRASE_REQUIRED',
      'The passphrase vault needs a passphrase: pass --passphrase-file FILE or set DAWSOS_STORE_PASSPHRASE.',
    );
  }
}

export class VaultFileError extends UserFacingError {
  constructor() {
    super('VAULT_FILE_INVALID', 'The passphrase vault file is damaged or not a DawsOS vault.');
  }
}

export class WeakPassphraseError extends UserFacingError {
  constructor(minLength: number) {
    super('PASSPHRASE_TOO_SHORT', `A passphrase must be at least ${minLength} characters long.`);
  }
}
