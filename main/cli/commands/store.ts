// `dawsos store status | init | rekey`, and the vault choice every store-opening command shares:
// `--vault keychain|passphrase` (default: settings.json's "vault", else the OS keychain) and, for
// the passphrase vault, `--passphrase-file FILE` or $DAWSOS_STORE_PASSPHRASE (never argv).
import { parseArgs } from 'node:util';
import { UserFacingError } from '../../../shared/errors';
import { createStore, inspectStoreFile, pendingStoreKeyAccount, storeKeyAccount } from '../../store/open';
import { StoreKeyMismatchError } from '../../store/errors';
import { LATEST_SCHEMA_VERSION } from '../../store/migrations';
import { rekeyStore } from '../../store/rekey';
import { storeFileStatus } from '../../store/status';
import {
  chooseVaultKind,
  createVault,
  readPassphrase,
  saveVaultChoice,
  STORE_PASSPHRASE_ENV,
  type ChosenVaultKind,
} from '../../vault/choose';
import type { KeyVault } from '../../vault/key-vault';
import { EXIT_FAILURE, EXIT_OK, printJson, type CliCommand, type CliContext } from '../command';

/** parseArgs options for choosing the vault; `passphraseFlag` names the store passphrase file flag. */
export function vaultOptions(passphraseFlag: string) {
  return {
    vault: { type: 'string' },
    [passphraseFlag]: { type: 'string' },
  } as const;
}

export interface ChosenVault {
  kind: ChosenVaultKind;
  vault: KeyVault;
}

export function openVault(
  values: { vault?: string | boolean; [flag: string]: string | boolean | undefined },
  passphraseFlag: string,
  { paths, env, cwd }: CliContext,
): ChosenVault {
  const flag = typeof values.vault === 'string' ? values.vault : undefined;
  const kind = chooseVaultKind(flag, paths.settings);
  const fileFlag = values[passphraseFlag];
  const passphrase =
    kind === 'passphrase'
      ? readPassphrase({
          file: typeof fileFlag === 'string' ? fileFlag : undefined,
          cwd,
          env,
          envName: STORE_PASSPHRASE_ENV,
        })
      : null;
  return { kind, vault: createVault(kind, { storeFile: paths.store, passphrase }) };
}

function errorOf(error: unknown): { code: string; message: string } {
  if (error instanceof UserFacingError) return { code: error.code, message: error.message };
  throw error;
}

/** Read-only look at the store: which schema version, and can the vault's key open it? */
async function peek(file: string, vault: KeyVault): Promise<number> {
  const current = await vault.get(storeKeyAccount(file));
  const pending = await vault.get(pendingStoreKeyAccount(file));
  try {
    if (current === null) throw new StoreKeyMismatchError('missing-key');
    return inspectStoreFile(file, current);
  } catch (error) {
    if (pending === null || !(error instanceof StoreKeyMismatchError)) throw error;
    return inspectStoreFile(file, pending);
  }
}

export const storeStatusCommand: CliCommand = {
  name: 'store status',
  summary: 'Show whether the encrypted store exists and whether the vault can open it',
  usage: 'dawsos store status [--vault keychain|passphrase] [--passphrase-file FILE] [--json]',
  async run(args, context) {
    const { values } = parseArgs({
      args,
      options: { json: { type: 'boolean', default: false }, ...vaultOptions('passphrase-file') },
    });
    const file = storeFileStatus(context.paths.store);
    let kind: ChosenVaultKind | null = null;
    let unlock: { ok: boolean; error: { code: string; message: string } | null } | null = null;
    let schemaVersion: number | null = null;
    if (file.state !== 'absent') {
      try {
        const chosen = openVault(values, 'passphrase-file', context);
        kind = chosen.kind;
        schemaVersion = await peek(context.paths.store, chosen.vault);
        unlock = { ok: true, error: null };
      } catch (error) {
        unlock = { ok: false, error: errorOf(error) };
      }
    }
    const report = {
      state: file.state,
      path: file.path,
      sizeBytes: file.sizeBytes,
      schemaVersion,
      appSchemaVersion: LATEST_SCHEMA_VERSION,
      vault: kind,
      unlock,
    };
    if (values.json) printJson(context.io, report);
    else {
      context.io.stdout(`store: ${report.state} (${report.path})\n`);
      if (unlock?.ok)
        context.io.stdout(`unlocks with the ${kind ?? '?'} vault: schema ${schemaVersion ?? '?'}\n`);
      else if (unlock) context.io.stdout(`cannot unlock: ${unlock.error?.message ?? ''}\n`);
    }
    return unlock && !unlock.ok ? EXIT_FAILURE : EXIT_OK;
  },
};

export const storeInitCommand: CliCommand = {
  name: 'store init',
  summary: 'Create the encrypted store with a new random key in the vault',
  usage: 'dawsos store init [--vault keychain|passphrase] [--passphrase-file FILE] [--json]',
  async run(args, context) {
    const { values } = parseArgs({
      args,
      options: { json: { type: 'boolean', default: false }, ...vaultOptions('passphrase-file') },
    });
    const { kind, vault } = openVault(values, 'passphrase-file', context);
    const store = await createStore({ file: context.paths.store, vault });
    const schemaVersion = store.schemaVersion;
    store.close();
    if (typeof values.vault === 'string') saveVaultChoice(context.paths.settings, kind);
    const report = { created: true, path: context.paths.store, vault: kind, schemaVersion };
    if (values.json) printJson(context.io, report);
    else
      context.io.stdout(
        `created the encrypted store (schema ${schemaVersion}); its key is in the ${kind} vault\n`,
      );
    return EXIT_OK;
  },
};

export const storeRekeyCommand: CliCommand = {
  name: 'store rekey',
  summary: 'Re-encrypt the store under a new random key (close the app first)',
  usage: 'dawsos store rekey [--vault keychain|passphrase] [--passphrase-file FILE] [--json]',
  async run(args, context) {
    const { values } = parseArgs({
      args,
      options: { json: { type: 'boolean', default: false }, ...vaultOptions('passphrase-file') },
    });
    const { kind, vault } = openVault(values, 'passphrase-file', context);
    const { schemaVersion } = await rekeyStore({ file: context.paths.store, vault });
    const report = { rekeyed: true, path: context.paths.store, vault: kind, schemaVersion };
    if (values.json) printJson(context.io, report);
    else context.io.stdout(`the store is now encrypted under a new key, kept in the ${kind} vault\n`);
    return EXIT_OK;
  },
};

export const storeCommands: readonly CliCommand[] = [storeStatusCommand, storeInitCommand, storeRekeyCommand];
