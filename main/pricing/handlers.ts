// Handlers for the `pricing:*` channels. The host gives the open store (null while locked) and the
// price source to build from; the handlers know nothing of the router.
import type { DomainHandlers } from '../../shared/ipc/contract';
import type { pricingContract, PricingBuildResult } from '../../shared/ipc/pricing';
import type { Db } from '../store/sqlcipher';
import { PricingSourceUnavailableError, PricingStoreUnavailableError } from './errors';
import { PricingService } from './service';
import type { PriceSource } from './sources';

export interface PricingHandlerDeps {
  /** The open store's connection, or null while the store is locked or absent. */
  readonly db: () => Db | null;
  /** The price source for builds (ledger directives, providers or both), or null when none is set up. */
  readonly source: () => Promise<PriceSource | null>;
}

export function createPricingHandlers(deps: PricingHandlerDeps): DomainHandlers<typeof pricingContract> {
  const service = new PricingService({
    db: () => {
      const db = deps.db();
      if (db === null) throw new PricingStoreUnavailableError();
      return db;
    },
    actor: 'user',
  });
  return {
    async build(request): Promise<PricingBuildResult> {
      const source = await deps.source();
      if (source === null) throw new PricingSourceUnavailableError();
      const report = await service.backfill(request.date, request.to ?? request.date, source);
      return {
        from: report.from,
        to: report.to,
        source: report.source,
        packs: report.packs,
        created: report.created,
        last: report.dates[report.dates.length - 1] ?? null,
        failures: [...report.failures],
      };
    },
    status: (request) => service.status(request),
  };
}
