// `dawsos audit verify`: recompute the audit log's hash chain and name the first broken row.
import { parseArgs } from 'node:util';
import { verifyAuditChain } from '../../audit/chain';
import { openStore } from '../../store/open';
import { EXIT_FAILURE, EXIT_OK, printJson, type CliCommand } from '../command';
import { openVault, vaultOptions } from './store';

export const auditVerifyCommand: CliCommand = {
  name: 'audit verify',
  summary: 'Check the tamper-evident audit chain and name the first broken row',
  usage: 'dawsos audit verify [--vault keychain|passphrase] [--passphrase-file FILE] [--json]',
  async run(args, context) {
    const { values } = parseArgs({
      args,
      options: { json: { type: 'boolean', default: false }, ...vaultOptions('passphrase-file') },
    });
    const { vault } = openVault(values, 'passphrase-file', context);
    const store = await openStore({ file: context.paths.store, vault, migrate: false });
    let result;
    try {
      result = verifyAuditChain(store.db);
    } finally {
      store.close();
    }
    if (values.json) printJson(context.io, result);
    else if (result.ok) context.io.stdout(`audit chain ok: ${result.rows} rows\n`);
    else
      context.io.stdout(
        `audit chain BROKEN at row ${result.firstBroken?.id ?? '?'} (${result.firstBroken?.reason ?? '?'}); ${result.rows} rows before it verify\n`,
      );
    return result.ok ? EXIT_OK : EXIT_FAILURE;
  },
};
