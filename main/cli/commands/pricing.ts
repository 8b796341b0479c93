// `dawsos pricing build --date D [--to D2] [--ledger FILE] [--base CUR] [--json]` and
// `dawsos pricing status [--date D] [--limit N] [--json]`: build pricing packs into the encrypted
// store of $DAWSOS_HOME, and show each date's build state. The vault is chosen as for every
// store command (--vault, --passphrase-file, $DAWSOS_STORE_PASSPHRASE).
import path from 'node:path';
import { parseArgs } from 'node:util';
import { PricingSourceUnavailableError } from '../../pricing/errors';
import { ledgerFileSource } from '../../pricing/ledger-file';
import { PricingService } from '../../pricing/service';
import { openStore } from '../../store/open';
import { EXIT_OK, printJson, UsageError, type CliCommand, type CliContext } from '../command';
import { openVault, vaultOptions } from './store';

async function withService<T>(
  values: { vault?: string | undefined; 'passphrase-file'?: string | undefined },
  context: CliContext,
  work: (service: PricingService) => Promise<T>,
): Promise<T> {
  const { vault } = openVault(
    { vault: values.vault, 'passphrase-file': values['passphrase-file'] },
    'passphrase-file',
    context,
  );
  const store = await openStore({ file: context.paths.store, vault });
  try {
    return await work(new PricingService({ db: () => store.db, actor: 'user' }));
  } finally {
    store.close();
  }
}

export const pricingBuildCommand: CliCommand = {
  name: 'pricing build',
  summary: 'Build the pricing pack of a date (or of every business day in a range)',
  usage:
    'dawsos pricing build --date YYYY-MM-DD [--to YYYY-MM-DD] [--ledger FILE] [--base CUR] [--vault keychain|passphrase] [--passphrase-file FILE] [--json]',
  async run(args, context) {
    const { values } = parseArgs({
      args,
      options: {
        date: { type: 'string' },
        to: { type: 'string' },
        ledger: { type: 'string' },
        base: { type: 'string', multiple: true },
        json: { type: 'boolean', default: false },
        ...vaultOptions('passphrase-file'),
      },
    });
    if (values.date === undefined) throw new UsageError('pricing build needs --date YYYY-MM-DD');
    if (values.ledger === undefined) throw new PricingSourceUnavailableError();
    const { source } = await ledgerFileSource(path.resolve(context.cwd, values.ledger), values.base);
    const report = await withService(values, context, (service) =>
      service.backfill(values.date!, values.to ?? values.date!, source),
    );
    const last = report.dates[report.dates.length - 1] ?? null;
    if (values.json)
      printJson(context.io, {
        from: report.from,
        to: report.to,
        source: report.source,
        packs: report.packs,
        created: report.created,
        last,
        failures: report.failures,
      });
    else if (last) {
      const range = report.packs > 1 ? `${report.packs} packs ${report.from}..${report.to}, last ` : '';
      context.io.stdout(
        `${range}pack for ${last.as_of}: ${last.state} (${last.prices} prices, ${last.fx} FX rates, ${last.carried} carried, ${last.missing.length} missing)${last.created ? '' : ', already stored'}\n`,
      );
      if (last.missing.length) context.io.stdout(`missing: ${last.missing.join(', ')}\n`);
      context.io.stdout(`pack id: ${last.pack_id}\n`);
    }
    return EXIT_OK;
  },
};

export const pricingStatusCommand: CliCommand = {
  name: 'pricing status',
  summary: 'Show pricing pack builds per date (warming, ready, ready with carried prices, failed)',
  usage:
    'dawsos pricing status [--date YYYY-MM-DD] [--limit N] [--vault keychain|passphrase] [--passphrase-file FILE] [--json]',
  async run(args, context) {
    const { values } = parseArgs({
      args,
      options: {
        date: { type: 'string' },
        limit: { type: 'string' },
        json: { type: 'boolean', default: false },
        ...vaultOptions('passphrase-file'),
      },
    });
    const limit = values.limit === undefined ? undefined : Number(values.limit);
    if (limit !== undefined && (!Number.isInteger(limit) || limit < 1))
      throw new UsageError('--limit takes a whole number of dates, 1 or more');
    const status = await withService(values, context, (service) =>
      Promise.resolve(
        service.status({
          ...(values.date === undefined ? {} : { date: values.date }),
          ...(limit === undefined ? {} : { limit }),
        }),
      ),
    );
    if (values.json) printJson(context.io, status);
    else {
      const s = status.states;
      context.io.stdout(
        `${status.packs} packs stored; dates: ${s.ready} ready, ${s.ready_carried} ready with carried prices, ${s.warming} warming, ${s.failed} failed\n`,
      );
      for (const b of status.builds) {
        const detail =
          b.state === 'warming'
            ? `${b.progress.done}/${b.progress.total}`
            : b.state === 'failed'
              ? (b.error_code ?? '')
              : `${b.pack_id ?? ''}${b.missing.length ? ` (${b.missing.length} missing)` : ''}`;
        context.io.stdout(`${b.as_of}  ${b.state.padEnd(13)}  ${detail}\n`);
      }
    }
    return EXIT_OK;
  },
};

export const pricingCommands: readonly CliCommand[] = [pricingBuildCommand, pricingStatusCommand];
