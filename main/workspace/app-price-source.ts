// The price sources built from the store's portfolios: the `price` directives of the ledgers the
// store's portfolios point at (each read at its HEAD commit, as pattern runs read it).
// - appPriceSource, for the app's `pricing:build`: those ledgers, combined with provider history
//   when FMP or Polygon keys are in the vault (FMP end-of-day history for the securities, Polygon
//   when only Polygon has a key; Polygon FX aggregates for the currencies). The ledgers decide what
//   each date's pack covers; providers only add history, and a provider failure leaves a price
//   missing, never zero. No store, or no portfolio with a ledger: no source (the handler answers
//   PRICING_SOURCE_UNAVAILABLE).
// - storePinning, for pattern runs with a store open: the packs of a run are the store's, and when
//   some must be built they are built from every portfolio's ledger plus the run's own (no
//   providers), so two portfolios with different ledgers do not rebuild each other's packs in turn.
// Each ledger is one source and the packs cover the union of their universes (unionPriceSource).
import { existsSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Entry } from '../ledger/types';
import { defaultBaseCurrencies, ledgerPriceSource, ledgerSecurities } from '../pricing/ledger-source';
import type { RunLedger } from '../pricing/run-packs';
import { combinedPriceSource, providerPriceSource, unionPriceSource } from '../pricing/provider-source';
import type { PriceSource } from '../pricing/sources';
import {
  ProviderVaultUnavailableError,
  ProvidersLockedError,
  type ProviderService,
} from '../providers/service';
import type { Store } from '../store/open';
import { Workspace, type PinStore } from './workspace';

export interface AppPriceSourceOptions {
  readonly store: () => Store | null;
  /** The app's provider service; omitted or unusable (locked, no vault, no keys): ledger only. */
  readonly providers?: Pick<ProviderService, 'registry' | 'status'>;
}

/** A portfolio's `ledger_repo`: the ledger's top file, or a folder holding `main.beancount`. */
export function ledgerFileOf(location: string): string {
  return existsSync(location) && statSync(location).isDirectory()
    ? path.join(location, 'main.beancount')
    : location;
}

async function configuredHistoryProviders(
  providers: AppPriceSourceOptions['providers'],
): Promise<{ fmp: boolean; polygon: boolean }> {
  if (!providers) return { fmp: false, polygon: false };
  try {
    const status = await providers.status();
    const has = (name: string): boolean => status.some((s) => s.provider === name && s.configured);
    return { fmp: has('fmp'), polygon: has('polygon') };
  } catch (error) {
    if (error instanceof ProvidersLockedError || error instanceof ProviderVaultUnavailableError)
      return { fmp: false, polygon: false };
    throw error;
  }
}

/** The file's real path (symlinks resolved), or its absolute path when it cannot be resolved. */
function realFile(file: string): string {
  try {
    return realpathSync(file);
  } catch {
    return path.resolve(file);
  }
}

interface StoreLedgers {
  /** Each ledger's entries at its HEAD commit, in portfolio order. */
  readonly ledgers: { entries: readonly Entry[]; operating: readonly string[] }[];
  /** The portfolios' base currencies. */
  readonly bases: string[];
}

/** The ledgers of the store's portfolios (not archived, with a ledger), skipping `skipFile`. */
async function storeLedgers(
  store: Store,
  options: { skipFile?: string; tolerant?: boolean } = {},
): Promise<StoreLedgers | null> {
  const rows = store.db
    .prepare(
      `SELECT ledger_repo, base_currency FROM portfolios
       WHERE archived_at IS NULL AND ledger_repo IS NOT NULL ORDER BY portfolio_id`,
    )
    .all() as { ledger_repo: string; base_currency: string }[];
  if (rows.length === 0) return null;
  const skip = options.skipFile === undefined ? null : realFile(options.skipFile);
  const files = [...new Set(rows.map((r) => path.resolve(ledgerFileOf(r.ledger_repo))))].filter(
    (f) => skip === null || realFile(f) !== skip,
  );
  const ledgers: StoreLedgers['ledgers'] = [];
  for (const file of files) {
    try {
      const workspace = await Workspace.open({ ledgerFile: file });
      const snapshot = await workspace.load(workspace.commit);
      ledgers.push({ entries: snapshot.entries, operating: snapshot.options.operatingCurrencies });
    } catch (error) {
      // A run is not held up by another portfolio's unreadable ledger; a build of all of them is.
      if (!options.tolerant) throw error;
    }
  }
  return { ledgers, bases: [...new Set(rows.map((r) => r.base_currency))] };
}

function ledgersSource(ledgers: StoreLedgers['ledgers'], baseCurrencies: readonly string[]): PriceSource {
  return unionPriceSource(
    ledgers.map((l) =>
      ledgerPriceSource({ entries: l.entries, baseCurrencies, operatingCurrencies: l.operating }),
    ),
  );
}

/**
 * How pattern runs pin packs while `store` is open: the store's packs (main/pricing/run-packs.ts
 * ensureRunPacks), built when needed from every portfolio's ledger and the run's own (which wins
 * where two give a price for the same day). `runLedgerFile` is the run's ledger file: the store's
 * portfolio pointing at it is not read again (the run's commit is what counts).
 */
export function storePinning(store: Store, runLedgerFile?: string): PinStore {
  return {
    db: store.db,
    async source(run: RunLedger): Promise<PriceSource> {
      const others = await storeLedgers(store, {
        ...(runLedgerFile === undefined ? {} : { skipFile: runLedgerFile }),
        tolerant: true,
      });
      const ledgers = [...(others?.ledgers ?? []), { entries: run.entries, operating: run.operating }];
      const bases = [...new Set([...(others?.bases ?? []), run.base])].sort();
      return ledgersSource(ledgers, bases);
    },
  };
}

export async function appPriceSource(options: AppPriceSourceOptions): Promise<PriceSource | null> {
  const store = options.store();
  if (!store) return null;
  const found = await storeLedgers(store);
  if (found === null) return null;
  const operating = new Set<string>(found.ledgers.flatMap((l) => l.operating));
  const operatingCurrencies = [...operating].sort();
  const bases = new Set(found.bases);
  const baseCurrencies = [
    ...new Set([...bases, ...(bases.size > 0 ? [] : defaultBaseCurrencies(operatingCurrencies))]),
  ].sort();
  const ledger = ledgersSource(found.ledgers, baseCurrencies);
  const configured = await configuredHistoryProviders(options.providers);
  if (!options.providers || (!configured.fmp && !configured.polygon)) return ledger;
  const registry = options.providers.registry();
  // Every security the ledgers ever hold or quote: one history request each covers any range being built.
  const entries = found.ledgers.flatMap((l) => l.entries);
  const lastDate = entries.reduce((max, e) => (e.date > max ? e.date : max), '0000-01-01');
  const wanted = ledgerSecurities(entries, lastDate, baseCurrencies, operatingCurrencies);
  const provider = configured.fmp ? 'fmp' : 'polygon';
  return combinedPriceSource(
    ledger,
    providerPriceSource({
      securities: wanted.securities.map((s) => ({ ...s, provider })),
      fxPairs: configured.polygon
        ? wanted.currencies.flatMap((from) =>
            baseCurrencies.filter((to) => to !== from).map((to) => ({ from, to })),
          )
        : [],
      baseCurrencies,
      fmp: registry.fmp,
      polygon: registry.polygon,
    }),
  );
}
