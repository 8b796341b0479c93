// `dawsos pricing build --date D [--to D2] --ledger FILE [--providers] [--base CUR] [--json]` and
// `dawsos pricing status [--date D] [--limit N] [--json]`: build pricing packs into the encrypted
// store of $DAWSOS_HOME, and show each date's build state. The vault is chosen as for every
// store command (--vault, --passphrase-file, $DAWSOS_STORE_PASSPHRASE).
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  PackNotFoundError,
  PricingProvidersNotConfiguredError,
  PricingSourceUnavailableError,
} from '../../pricing/errors';
import { verifyChain } from '../../pricing/pack-store';
import { ledgerFileSource } from '../../pricing/ledger-file';
import { ledgerSecurities } from '../../pricing/ledger-source';
import { combinedPriceSource, providerPriceSource } from '../../pricing/provider-source';
import { PricingService } from '../../pricing/service';
import type { PriceSource } from '../../pricing/sources';
import { ProviderService } from '../../providers/service';
import { VaultSecretSource } from '../../providers/vault-secrets';
import { openStore, type Store } from '../../store/open';
import type { KeyVault } from '../../vault/key-vault';
import { EXIT_FAILURE, EXIT_OK, printJson, UsageError, type CliCommand, type CliContext } from '../command';
import { openVault, vaultOptions } from './store';

async function withStore<T>(
  values: { vault?: string | undefined; 'passphrase-file'?: string | undefined },
  context: CliContext,
  work: (store: Store, vault: KeyVault) => Promise<T>,
): Promise<T> {
  const { vault } = openVault(
    { vault: values.vault, 'passphrase-file': values['passphrase-file'] },
    'passphrase-file',
    context,
  );
  const store = await openStore({ file: context.paths.store, vault });
  try {
    return await work(store, vault);
  } finally {
    store.close();
  }
}

/**
 * The ledger's directives, plus provider history when --providers is given and keys are in the
 * vault: FMP end-of-day history for securities (Polygon when only Polygon has a key), Polygon
 * C:<FROM><TO> aggregates for FX. Providers win a tie; the ledger fills what they lack.
 */
async function buildSource(
  ledgerFile: string,
  bases: readonly string[] | undefined,
  range: { to: string },
  providers: ProviderService | null,
  vault: KeyVault,
): Promise<PriceSource> {
  const loaded = await ledgerFileSource(ledgerFile, bases);
  if (providers === null) return loaded.source;
  const secrets = new VaultSecretSource(vault);
  const hasFmp = (await secrets.getKey('fmp')) !== null;
  const hasPolygon = (await secrets.getKey('polygon')) !== null;
  if (!hasFmp && !hasPolygon) throw new PricingProvidersNotConfiguredError();
  const registry = providers.registry();
  const wanted = ledgerSecurities(
    loaded.ledger.entries,
    range.to,
    loaded.baseCurrencies,
    loaded.ledger.options.operatingCurrencies,
  );
  const provider = hasFmp ? 'fmp' : 'polygon';
  return combinedPriceSource(
    loaded.source,
    providerPriceSource({
      securities: wanted.securities.map((s) => ({ ...s, provider })),
      fxPairs: hasPolygon
        ? wanted.currencies.flatMap((from) =>
            loaded.baseCurrencies.filter((to) => to !== from).map((to) => ({ from, to })),
          )
        : [],
      baseCurrencies: loaded.baseCurrencies,
      fmp: registry.fmp,
      polygon: registry.polygon,
    }),
  );
}

export const pricingBuildCommand: CliCommand = {
  name: 'pricing build',
  summary: 'Build the pricing pack of a date (or of every business day in a range)',
  usage:
    'dawsos pricing build --date YYYY-MM-DD [--to YYYY-MM-DD] --ledger FILE [--providers] [--base CUR]... [--vault keychain|passphrase] [--passphrase-file FILE] [--json]',
  async run(args, context) {
    const { values } = parseArgs({
      args,
      options: {
        date: { type: 'string' },
        to: { type: 'string' },
        ledger: { type: 'string' },
        base: { type: 'string', multiple: true },
        providers: { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
        ...vaultOptions('passphrase-file'),
      },
    });
    if (values.date === undefined) throw new UsageError('pricing build needs --date YYYY-MM-DD');
    if (values.ledger === undefined) throw new PricingSourceUnavailableError();
    const ledgerFile = path.resolve(context.cwd, values.ledger);
    const date = values.date;
    const to = values.to ?? date;
    const report = await withStore(values, context, async (store, vault) => {
      const providers = values.providers
        ? new ProviderService({ store: () => store, logger: context.logger, registry: { env: context.env } })
        : null;
      providers?.attachVault(vault);
      try {
        const source = await buildSource(ledgerFile, values.base, { to }, providers, vault);
        const service = new PricingService({ db: () => store.db, actor: 'user' });
        return await service.backfill(date, to, source);
      } finally {
        await providers?.idle();
        providers?.close();
      }
    });
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
    const status = await withStore(values, context, (store) =>
      Promise.resolve(
        new PricingService({ db: () => store.db }).status({
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

export const pricingVerifyCommand: CliCommand = {
  name: 'pricing verify',
  summary: "Recompute a pack's id and every id of its chain from the stored rows",
  usage:
    'dawsos pricing verify [--date YYYY-MM-DD | --pack ID] [--vault keychain|passphrase] [--passphrase-file FILE] [--json]',
  async run(args, context) {
    const { values } = parseArgs({
      args,
      options: {
        date: { type: 'string' },
        pack: { type: 'string' },
        json: { type: 'boolean', default: false },
        ...vaultOptions('passphrase-file'),
      },
    });
    if (values.date !== undefined && values.pack !== undefined)
      throw new UsageError('give --date or --pack, not both');
    if (values.pack !== undefined && !/^[0-9a-f]{64}$/.test(values.pack))
      throw new UsageError('--pack takes a pack id (64 hex digits)');
    const result = await withStore(values, context, (store) => {
      const service = new PricingService({ db: () => store.db });
      let packId = values.pack ?? null;
      if (packId === null) {
        const date =
          values.date ?? service.status({ limit: 366 }).builds.find((b) => b.pack_id !== null)?.as_of;
        packId = date === undefined ? null : service.packIdFor(date);
      }
      if (packId === null) throw new PackNotFoundError(values.date ?? 'any date', 'absent');
      return Promise.resolve({ pack_id: packId, ...verifyChain(store.db, packId) });
    });
    if (values.json) printJson(context.io, result);
    else if (result.ok)
      context.io.stdout(`pack ${result.pack_id}: ok, chain of ${result.length} packs verified\n`);
    else
      context.io.stdout(
        `pack ${result.pack_id}: BROKEN at ${result.firstBroken ?? '?'} (${result.length} packs after it verify)\n`,
      );
    return result.ok ? EXIT_OK : EXIT_FAILURE;
  },
};

export const pricingCommands: readonly CliCommand[] = [
  pricingBuildCommand,
  pricingStatusCommand,
  pricingVerifyCommand,
];
