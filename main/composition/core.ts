// The core every host composes: the Electron shell, the CLI and the tests each call createCore()
// and registerHandlers() here, so all three serve exactly the same handlers. Domain modules export
// handler factories and know nothing of the router; the router knows nothing of the domains.
import type { Logger } from 'pino';
import { contract } from '../../shared/ipc';
import type { AppStatus } from '../../shared/ipc/app';
import { runDoctor } from '../health/doctor';
import { createAppHandlers } from '../health/handlers';
import type { IpcRouter } from '../ipc/router';
import { createProviderHandlers } from '../providers/handlers';
import { ProviderService, type ProviderServiceRegistryOptions } from '../providers/service';
import { createPricingHandlers } from '../pricing/handlers';
import { createStoreHandlers } from '../store/handlers';
import { StoreService } from '../store/status';
import { dataPaths, type DataPaths } from '../workspace/data-dir';
import { appPriceSource } from '../workspace/app-price-source';
import { WorkerPatterns } from '../workspace/patterns-worker-client';
import { DailyReconciliation } from '../workspace/reconcile-schedule';
import { providerDatasets, providerSources } from '../workspace/provider-datasets';
import { CoreEvents } from './events';

export interface CoreOptions {
  host: AppStatus['host'];
  dataDir: string;
  logger: Logger;
  openExternal: (url: string) => Promise<void>;
  /** Provider registry settings (tests: the local provider servers, a virtual clock). */
  providers?: ProviderServiceRegistryOptions;
}

export interface Core {
  readonly host: AppStatus['host'];
  readonly paths: DataPaths;
  readonly logger: Logger;
  readonly startedAt: number;
  readonly openExternal: (url: string) => Promise<void>;
  /** The encrypted store: locked until a host unlocks it with its vault and attaches it. */
  readonly store: StoreService;
  /** Market-data providers over the store and the vault; the host attaches the vault it unlocked with. */
  readonly providers: ProviderService;
  /** Events for the renderer (pattern progress, ...): each host subscribes and forwards them. */
  readonly events: CoreEvents;
  /**
   * Patterns over the store's portfolios and their ledgers, run in a worker thread; every run is
   * recorded in pattern_runs. A host closes it on quit.
   */
  readonly patterns: WorkerPatterns;
  /** Reconciles every readable portfolio daily: a host starts it once the store is open, stops it on quit. */
  readonly reconciliation: DailyReconciliation;
}

export function createCore(options: CoreOptions): Core {
  const paths = dataPaths(options.dataDir);
  const store = new StoreService(paths.store);
  const providers = new ProviderService({
    store: () => store.store,
    logger: options.logger,
    ...(options.providers ? { registry: options.providers } : {}),
  });
  const events = new CoreEvents();
  // Quota alarms and breaker changes go to the window, which shows them (and to the log, without keys).
  providers.onAlert((alert) => {
    events.emit('providerAlert', alert);
  });
  const fundamentals = providerDatasets(providers);
  const patterns = new WorkerPatterns({
    store: () => store.store,
    logger: options.logger,
    // FMP fundamentals whenever the vault can be read; FRED and NewsAPI as their keys are set, per run.
    datasets: async () => ({ ...fundamentals, ...(await providerSources(providers)) }),
    emitProgress: (event) => {
      events.emit('patternProgress', event);
    },
  });
  // The worker's own store connection follows the main thread's: opened, locked, rekeyed.
  store.onChange(() => patterns.syncStore());
  return {
    host: options.host,
    paths,
    store,
    providers,
    events,
    patterns,
    reconciliation: new DailyReconciliation({
      portfolios: () => patterns.readablePortfolios(),
      reconcile: (portfolioId) => patterns.reconcile(portfolioId),
      logger: options.logger,
    }),
    logger: options.logger,
    startedAt: Date.now(),
    openExternal: options.openExternal,
  };
}

export function registerHandlers(router: IpcRouter, core: Core): void {
  router.registerDomain(
    contract.app,
    createAppHandlers({
      host: core.host,
      startedAt: core.startedAt,
      checks: () => runDoctor(core.paths),
      openExternal: core.openExternal,
    }),
  );
  router.registerDomain(contract.store, createStoreHandlers({ status: () => core.store.status() }));
  router.registerDomain(contract.providers, createProviderHandlers(core.providers));
  // Patterns over the store's portfolios and their ledgers, run in the patterns worker (progress
  // goes out as core.events 'patternProgress', which each host forwards to its windows).
  router.registerDomain(contract.patterns, core.patterns.handlers());
  // Builds read the store's portfolios' ledgers (price directives), plus provider history when
  // FMP/Polygon keys are in the vault; with no portfolio ledger they answer PRICING_SOURCE_UNAVAILABLE.
  router.registerDomain(
    contract.pricing,
    createPricingHandlers({
      db: () => core.store.store?.db ?? null,
      source: () => appPriceSource({ store: () => core.store.store, providers: core.providers }),
    }),
  );
}
