// The data sets the app's pattern runs read from the market-data providers: FMP company profiles
// for the fundamentals the ledger does not give (sector, country). They go through the provider
// service, so keys come from the vault and last-good values, dead letters and the breaker are the
// ones `providers:status` shows. While the store is locked or no vault is attached, or with no FMP
// key, the runs use the ledger's commodity metadata alone.
import { FmpFundamentalsSource } from '../agents/data-harvester/provider-sources';
import type { FmpClient } from '../providers/fmp/client';
import {
  ProviderVaultUnavailableError,
  ProvidersLockedError,
  type ProviderService,
} from '../providers/service';
import type { WorkspaceEnvironmentOptions } from './workspace';

export function providerDatasets(
  providers: Pick<ProviderService, 'registry'>,
): Pick<WorkspaceEnvironmentOptions, 'fundamentals'> {
  const fmp = (): Pick<FmpClient, 'profile'> | null => {
    try {
      return providers.registry().fmp;
    } catch (error) {
      if (error instanceof ProvidersLockedError || error instanceof ProviderVaultUnavailableError)
        return null;
      throw error;
    }
  };
  return { fundamentals: new FmpFundamentalsSource(fmp) };
}
