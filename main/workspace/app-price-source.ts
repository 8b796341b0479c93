// The price source of the app's `pricing:build`: the `price` directives of the ledgers the store's
// portfolios point at (each read at its HEAD commit, as pattern runs read it), combined with
// provider history when FMP or Polygon keys are in the vault (FMP end-of-day history for the
// securities, Polygon when only Polygon has a key; Polygon FX aggregates for the currencies). The
// ledgers decide what each date's pack covers; providers only add history, and a provider failure
// leaves a price missing, never zero. No store, or no portfolio with a ledger: no source (the
// handler answers PRICING_SOURCE_UNAVAILABLE).
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Entry } from '../ledger/types';
import { defaultBaseCurrencies, ledgerPriceSource, ledgerSecurities } from '../pricing/ledger-source';
import { combinedPriceSource, providerPriceSource } from '../pricing/provider-source';
import type { PriceSource } from '../pricing/sources';
import {
  ProviderVaultUnavailableError,
  ProvidersLockedError,
  type ProviderService,
} from '../providers/service';
import type { Store } from '../store/open';
import { Workspace } from './workspace';

export interface AppPriceSourceOptions {
  readonly store: () => Store | null;
  /** The app's provider service; omitted or unusable (locked, no vault, no keys): ledger only. */
  readonly providers?: Pick<ProviderService, 'registry' | 'status'>;
}

/** A portfolio's `ledger_repo`: the ledger's top file, or a folder holding `main.beancount`. */
function ledgerFileOf(location: string): string {
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

export async function appPriceSource(options: AppPriceSourceOptions): Promise<PriceSource | null> {
  const store = options.store();
  if (!store) return null;
  const rows = store.db
    .prepare(
      `SELECT ledger_repo, base_currency FROM portfolios
       WHERE archived_at IS NULL AND ledger_repo IS NOT NULL ORDER BY portfolio_id`,
    )
    .all() as { ledger_repo: string; base_currency: string }[];
  if (rows.length === 0) return null;
  const entries: Entry[] = [];
  const operating = new Set<string>();
  const bases = new Set<string>(rows.map((r) => r.base_currency));
  const files = [...new Set(rows.map((r) => path.resolve(ledgerFileOf(r.ledger_repo))))];
  for (const file of files) {
    const workspace = await Workspace.open({ ledgerFile: file });
    const snapshot = await workspace.load(workspace.commit);
    entries.push(...snapshot.entries);
    for (const c of snapshot.options.operatingCurrencies) operating.add(c);
  }
  const operatingCurrencies = [...operating].sort();
  const baseCurrencies = [
    ...new Set([...bases, ...(bases.size > 0 ? [] : defaultBaseCurrencies(operatingCurrencies))]),
  ].sort();
  const ledger = ledgerPriceSource({ entries, baseCurrencies, operatingCurrencies });
  const configured = await configuredHistoryProviders(options.providers);
  if (!options.providers || (!configured.fmp && !configured.polygon)) return ledger;
  const registry = options.providers.registry();
  // Every security the ledgers ever hold: one history request each covers any range being built.
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
