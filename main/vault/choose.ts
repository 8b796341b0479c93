// Which vault holds the store key: the OS keychain unless the user chose the passphrase vault,
// by flag (`--vault passphrase`) or by `"vault": "passphrase"` in settings.json. Nothing here
// falls back from one to the other: an unavailable keychain is an error the user must act on.
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { UserFacingError } from '../../shared/errors';
import { writeFileAtomic } from './atomic-file';
import { VaultPassphraseRequiredError, type KeyVault } from './key-vault';
import { KeychainVault } from './keychain-vault';
import type { ScryptCost } from './kdf';
import { PassphraseVault, passphraseVaultFile } from './passphrase-vault';

export const vaultKindSchema = z.enum(['keychain', 'passphrase']);
export type ChosenVaultKind = z.infer<typeof vaultKindSchema>;

export const STORE_PASSPHRASE_ENV = 'DAWSOS_STORE_PASSPHRASE';
export const BACKUP_PASSPHRASE_ENV = 'DAWSOS_BACKUP_PASSPHRASE';

const settingsVaultSchema = z.object({ vault: vaultKindSchema.optional() }).passthrough();

export class SettingsFileError extends UserFacingError {
  constructor() {
    super('SETTINGS_INVALID', 'settings.json is not valid: its "vault" must be "keychain" or "passphrase".');
  }
}

export class PassphraseFileError extends UserFacingError {
  constructor() {
    super('PASSPHRASE_FILE_UNREADABLE', 'The passphrase file could not be read or is empty.');
  }
}

export class UnknownVaultError extends UserFacingError {
  constructor() {
    super('VAULT_UNKNOWN', 'Unknown vault: use --vault keychain or --vault passphrase.');
  }
}

function readSettings(settingsFile: string): Record<string, unknown> | null {
  let text: string;
  try {
    text = fs.readFileSync(settingsFile, 'utf8');
  } catch {
    return null;
  }
  try {
    return settingsVaultSchema.parse(JSON.parse(text));
  } catch {
    throw new SettingsFileError();
  }
}

export function chooseVaultKind(flag: string | undefined, settingsFile: string): ChosenVaultKind {
  if (flag !== undefined) {
    const parsed = vaultKindSchema.safeParse(flag);
    if (!parsed.success) throw new UnknownVaultError();
    return parsed.data;
  }
  const settings = readSettings(settingsFile);
  return settings ? (settingsVaultSchema.parse(settings).vault ?? 'keychain') : 'keychain';
}

/** Records the user's choice in settings.json, keeping every other setting as it was. */
export function saveVaultChoice(settingsFile: string, kind: ChosenVaultKind): void {
  const settings = readSettings(settingsFile) ?? {};
  writeFileAtomic(settingsFile, `${JSON.stringify({ ...settings, vault: kind }, null, 2)}\n`);
}

/**
 * A passphrase from a file (first line, trailing newline removed) or from an environment variable;
 * never from argv, where other local users could read it.
 */
export function readPassphrase(options: {
  file: string | undefined;
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  envName: string;
}): string | null {
  if (options.file !== undefined) {
    let text: string;
    try {
      text = fs.readFileSync(path.resolve(options.cwd, options.file), 'utf8');
    } catch {
      throw new PassphraseFileError();
    }
    const passphrase = text.replace(/\r?\n$/, '');
    if (passphrase.length === 0) throw new PassphraseFileError();
    return passphrase;
  }
  const fromEnv = options.env[options.envName];
  return fromEnv && fromEnv.length > 0 ? fromEnv : null;
}

export function createVault(
  kind: ChosenVaultKind,
  options: { storeFile: string; passphrase: string | null; cost?: ScryptCost },
): KeyVault {
  if (kind === 'keychain') return new KeychainVault();
  if (options.passphrase === null) throw new VaultPassphraseRequiredError();
  return new PassphraseVault({
    file: passphraseVaultFile(options.storeFile),
    passphrase: options.passphrase,
    cost: options.cost,
  });
}
