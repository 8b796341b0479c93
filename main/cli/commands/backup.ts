// `dawsos backup create | restore | drill FILE`. The backup passphrase comes from
// --passphrase-file FILE or $DAWSOS_BACKUP_PASSPHRASE; the store's own vault is chosen as for every
// store command (--vault, with --store-passphrase-file or $DAWSOS_STORE_PASSPHRASE).
import path from 'node:path';
import { parseArgs } from 'node:util';
import { UserFacingError } from '../../../shared/errors';
import { createBackup, drillBackup, restoreBackup } from '../../backup/backup';
import { openStore } from '../../store/open';
import { BACKUP_PASSPHRASE_ENV, readPassphrase } from '../../vault/choose';
import { EXIT_FAILURE, EXIT_OK, printJson, UsageError, type CliCommand, type CliContext } from '../command';
import { openVault, vaultOptions } from './store';

export class BackupPassphraseRequiredError extends UserFacingError {
  constructor() {
    super(
      'BACKUP_PASSPHRASE_REQUIRED',
      'A backup passphrase is needed: pass --passphrase-file FILE or set DAWSOS_BACKUP_PASSPHRASE.',
    );
  }
}

const options = {
  json: { type: 'boolean', default: false },
  'passphrase-file': { type: 'string' },
  ...vaultOptions('store-passphrase-file'),
} as const;

function parse(args: string[], context: CliContext) {
  const { values, positionals } = parseArgs({ args, options, allowPositionals: true });
  if (positionals.length !== 1) throw new UsageError('expected exactly one backup FILE');
  const passphrase = readPassphrase({
    file: values['passphrase-file'],
    cwd: context.cwd,
    env: context.env,
    envName: BACKUP_PASSPHRASE_ENV,
  });
  if (passphrase === null) throw new BackupPassphraseRequiredError();
  return { values, file: path.resolve(context.cwd, positionals[0] as string), passphrase };
}

export const backupCreateCommand: CliCommand = {
  name: 'backup create',
  summary: 'Write an encrypted, authenticated snapshot of the store to FILE',
  usage:
    'dawsos backup create FILE [--passphrase-file FILE] [--vault …] [--store-passphrase-file FILE] [--json]',
  async run(args, context) {
    const { values, file, passphrase } = parse(args, context);
    const { vault } = openVault(values, 'store-passphrase-file', context);
    const store = await openStore({ file: context.paths.store, vault });
    try {
      const result = await createBackup(store, { file, passphrase });
      if (values.json) printJson(context.io, result);
      else
        context.io.stdout(
          `backup written: ${result.file} (schema ${result.manifest.schemaVersion}, ${Object.keys(result.manifest.rowCounts).length} tables)\n`,
        );
    } finally {
      store.close();
    }
    return EXIT_OK;
  },
};

export const backupRestoreCommand: CliCommand = {
  name: 'backup restore',
  summary: 'Verify FILE fully, keep the current store as a safety copy, then restore (close the app first)',
  usage:
    'dawsos backup restore FILE [--passphrase-file FILE] [--vault …] [--store-passphrase-file FILE] [--json]',
  async run(args, context) {
    const { values, file, passphrase } = parse(args, context);
    const { vault } = openVault(values, 'store-passphrase-file', context);
    const result = await restoreBackup({
      storeFile: context.paths.store,
      vault,
      backupFile: file,
      passphrase,
    });
    const report = {
      restored: true,
      schemaVersion: result.manifest.schemaVersion,
      safetyCopy: result.safetyCopy,
      manifest: result.manifest,
    };
    if (values.json) printJson(context.io, report);
    else
      context.io.stdout(
        `restored the store from the backup of ${result.manifest.createdAt}${result.safetyCopy ? `; the previous store is kept at ${result.safetyCopy}` : ''}\n`,
      );
    return EXIT_OK;
  },
};

export const backupDrillCommand: CliCommand = {
  name: 'backup drill',
  summary: 'Restore FILE into a temporary store and check it; prints a pass/fail report',
  usage: 'dawsos backup drill FILE [--passphrase-file FILE] [--json]',
  async run(args, context) {
    const { values, file, passphrase } = parse(args, context);
    const report = await drillBackup({ backupFile: file, passphrase });
    if (values.json) printJson(context.io, report);
    else {
      for (const check of report.checks)
        context.io.stdout(`${check.ok ? 'pass' : 'FAIL'}  ${check.name}: ${check.detail}\n`);
      context.io.stdout(report.ok ? 'drill passed\n' : 'drill FAILED\n');
    }
    return report.ok ? EXIT_OK : EXIT_FAILURE;
  },
};

export const backupCommands: readonly CliCommand[] = [
  backupCreateCommand,
  backupRestoreCommand,
  backupDrillCommand,
];
