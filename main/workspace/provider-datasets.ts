// The data sets pattern runs read from the market-data providers: FMP company profiles for the
// fundamentals the ledger does not give (sector, country), FRED for the macro series and NewsAPI
// for the news. They go through the provider service, so keys come from the vault and last-good
// values, dead letters and the breaker are the ones `providers:status` shows. `dawsos run
// --providers` and the app's pattern runs both use providerSources (the app asks again for every
// run, since keys can be set while it runs). While the store is locked or no vault is attached, or
// with no key for a provider, that provider adds nothing: the ledger's commodity metadata is all
// the fundamentals there are, and the macro and news panels say no source is configured.
import {
  FmpFundamentalsSource,
  FredMacroSource,
  NewsApiNewsSource,
} from '../agents/data-harvester/provider-sources';
import type { FmpClient } from '../providers/fmp/client';
import type { FredClient } from '../providers/fred/client';
import type { NewsApiClient } from '../providers/newsapi/client';
import {
  ProviderVaultUnavailableError,
  ProvidersLockedError,
  type ProviderService,
} from '../providers/service';
import type { WorkspaceEnvironmentOptions } from './workspace';

type ProviderDatasets = Pick<WorkspaceEnvironmentOptions, 'fundamentals' | 'macro' | 'news'>;

function unavailable(error: unknown): boolean {
  return error instanceof ProvidersLockedError || error instanceof ProviderVaultUnavailableError;
}

/** FMP fundamentals that use the current registry at each call (nothing while locked or keyless). */
export function providerDatasets(
  providers: Pick<ProviderService, 'registry'>,
): Pick<WorkspaceEnvironmentOptions, 'fundamentals'> {
  const fmp = (): Pick<FmpClient, 'profile'> | null => {
    try {
      return providers.registry().fmp;
    } catch (error) {
      if (unavailable(error)) return null;
      throw error;
    }
  };
  return { fundamentals: new FmpFundamentalsSource(fmp) };
}

/**
 * The sources of the providers whose keys are in the vault now: fundamentals (FMP), macro series
 * (FRED), news (NewsAPI). Empty while the store is locked or no vault is attached. The clients are
 * looked up at each request, so a source outlives a store reopened or a vault attached again.
 */
export async function providerSources(
  providers: Pick<ProviderService, 'registry' | 'status'>,
): Promise<ProviderDatasets> {
  let configured: Set<string>;
  try {
    configured = new Set((await providers.status()).filter((s) => s.configured).map((s) => s.provider));
  } catch (error) {
    if (unavailable(error)) return {};
    throw error;
  }
  const fred: Pick<FredClient, 'observations'> = {
    observations: (...args) => providers.registry().fred.observations(...args),
  };
  const newsapi: Pick<NewsApiClient, 'forHoldings'> = {
    forHoldings: (...args) => providers.registry().newsapi.forHoldings(...args),
  };
  return {
    ...(configured.has('fmp') ? providerDatasets(providers) : {}),
    ...(configured.has('fred') ? { macro: new FredMacroSource(fred) } : {}),
    ...(configured.has('newsapi') ? { news: new NewsApiNewsSource(newsapi) } : {}),
  };
}
