// Builds the four provider clients over one resilience layer each, from ports: where keys come
// from (vault), where data goes (store), last-good values, dead letters and quota counts (store
// adapters later; in-memory ones by default). Also the operations the UI and CLI need across
// providers: status, replay of dead letters, and the event stream (quota alarms, breaker states).
import type { Logger } from 'pino';
import { registerSecret } from '../logging/redact';
import { resolveBaseUrl } from './base-url';
import type { ClientOptions } from './client-support';
import { FmpClient } from './fmp/client';
import { FredClient } from './fred/client';
import { NewsApiClient } from './newsapi/client';
import { PolygonClient } from './polygon/client';
import { systemClock, type Clock } from './resilience/clock';
import { MemoryDeadLetterStore, type DeadLetterStore } from './resilience/dead-letter';
import { ProviderEvents } from './resilience/events';
import { MemoryLastGoodCache, type LastGoodCache } from './resilience/last-good';
import { DEFAULT_PLANS, type ProviderPlan } from './resilience/policy';
import { MemoryQuotaLedger, type QuotaLedger } from './resilience/quota';
import { ResilientProvider, type ProviderStatus, type ReplayReport } from './resilience/resilient-provider';
import { PROVIDER_NAMES, type ProviderDataSink, type ProviderName, type SecretSource } from './types';

export interface ProviderRegistryOptions {
  readonly secrets: SecretSource;
  readonly logger?: Logger;
  readonly sink?: ProviderDataSink;
  readonly lastGood?: LastGoodCache;
  readonly deadLetters?: DeadLetterStore;
  readonly quota?: QuotaLedger;
  readonly clock?: Clock;
  readonly random?: () => number;
  /** Plan overrides per provider (the user's plan, or generous limits in tests). */
  readonly plans?: Partial<Record<ProviderName, Partial<ProviderPlan>>>;
  /** Tests: the local provider servers. Only loopback URLs are accepted. */
  readonly baseUrls?: Partial<Record<ProviderName, string>>;
  /** Where DAWSOS_DEV_PROVIDER_BASE_URL_<NAME> is read from; process.env by default. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly requestTimeoutMs?: number;
  readonly maxAttempts?: number;
  /** Tests only: shortens BREAKER_OPEN_MS. */
  readonly breakerOpenMs?: number;
}

export interface ProviderRegistry {
  readonly fmp: FmpClient;
  readonly polygon: PolygonClient;
  readonly fred: FredClient;
  readonly newsapi: NewsApiClient;
  readonly events: ProviderEvents;
  layer(provider: ProviderName): ResilientProvider;
  /** Per provider: key configured, breaker state, quota used, last success/failure, dead letters. */
  status(): Promise<(ProviderStatus & { configured: boolean })[]>;
  /** Replays dead letters of one provider, or of all (`dawsos providers replay`). */
  replay(provider?: ProviderName): Promise<ReplayReport[]>;
  /** Waits for automatic replays started by breakers closing. */
  idle(): Promise<void>;
  close(): void;
}

export function createProviderRegistry(options: ProviderRegistryOptions): ProviderRegistry {
  const clock = options.clock ?? systemClock;
  const events = new ProviderEvents();
  const lastGood = options.lastGood ?? new MemoryLastGoodCache();
  const deadLetters = options.deadLetters ?? new MemoryDeadLetterStore();
  const quota = options.quota ?? new MemoryQuotaLedger();
  const env = options.env ?? process.env;

  const layers = {} as Record<ProviderName, ResilientProvider>;
  const clientOptions = (provider: ProviderName): ClientOptions => {
    const layer = new ResilientProvider({
      provider,
      plan: { ...DEFAULT_PLANS[provider], ...options.plans?.[provider] },
      clock,
      random: options.random ?? Math.random,
      lastGood,
      deadLetters,
      quota,
      events,
      ...(options.logger ? { logger: options.logger } : {}),
      ...(options.requestTimeoutMs === undefined ? {} : { requestTimeoutMs: options.requestTimeoutMs }),
      ...(options.maxAttempts === undefined ? {} : { maxAttempts: options.maxAttempts }),
      ...(options.breakerOpenMs === undefined ? {} : { breakerOpenMs: options.breakerOpenMs }),
    });
    layers[provider] = layer;
    return {
      layer,
      secrets: options.secrets,
      baseUrl: resolveBaseUrl(provider, options.baseUrls?.[provider], env),
      clock,
      ...(options.sink ? { sink: options.sink } : {}),
    };
  };

  const fmp = new FmpClient(clientOptions('fmp'));
  const polygon = new PolygonClient(clientOptions('polygon'));
  const fred = new FredClient(clientOptions('fred'));
  const newsapi = new NewsApiClient(clientOptions('newsapi'));
  const clients = { fmp, polygon, fred, newsapi };
  for (const name of PROVIDER_NAMES) {
    layers[name].setReplayer((letter) => clients[name].invoke(letter.operation, letter.params));
  }

  return {
    fmp,
    polygon,
    fred,
    newsapi,
    events,
    layer: (provider) => layers[provider],
    status: () =>
      Promise.all(
        PROVIDER_NAMES.map(async (name) => {
          const key = await options.secrets.getKey(name);
          if (key) registerSecret(key);
          return { ...(await layers[name].status()), configured: Boolean(key) };
        }),
      ),
    async replay(provider) {
      const names = provider ? [provider] : [...PROVIDER_NAMES];
      const reports: ReplayReport[] = [];
      for (const name of names) reports.push(await layers[name].replay());
      return reports;
    },
    async idle() {
      await Promise.all(PROVIDER_NAMES.map((name) => layers[name].idle()));
    },
    close() {
      for (const name of PROVIDER_NAMES) layers[name].shutdown();
    },
  };
}
