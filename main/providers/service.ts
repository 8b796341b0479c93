// Connects the provider registry to the encrypted store and the vault, for every host (Electron,
// CLI, tests). Keys come from the vault (`provider:<name>`); fetched data, last-good values, dead
// letters and quota counts go to the store. The registry is built when both are available and
// rebuilt when the host opens another store or vault; until then the provider operations refuse
// with a typed error instead of working from memory and forgetting everything on restart.
//
// Operations: status (live breaker and in-process counters, plus what the store remembers from
// earlier runs), setKey (straight to the vault, nothing returned), testKey (one cheap real request
// with the stored key, on a throwaway resilience layer so a test leaves no data, no dead letter and
// no stale fallback behind — only its request counted against the quota), replay, and the alarm
// stream (quota alarms, breaker states) the UI shows.
import pino, { type Logger } from 'pino';
import { UserFacingError } from '../../shared/errors';
import type { ProviderAlert, ProviderKeyTest, ProviderStatusView } from '../../shared/ipc/providers';
import type { Store } from '../store/open';
import type { KeyVault } from '../vault/key-vault';
import { ProviderError, ProviderUnavailableError } from './errors';
import { createProviderRegistry, type ProviderRegistry, type ProviderRegistryOptions } from './registry';
import { systemClock } from './resilience/clock';
import type { BreakerStateEvent } from './resilience/events';
import type { QuotaAlarm } from './resilience/quota';
import type { ReplayReport } from './resilience/resilient-provider';
import { storeProviderPorts, type StoreProviderPorts } from './store/ports';
import { PROVIDER_LABELS, type ProviderName, type ProviderResult } from './types';
import { VaultSecretSource } from './vault-secrets';

/** Registry settings a host or a test may choose; the ports always come from the store and vault. */
export type ProviderServiceRegistryOptions = Omit<
  Partial<ProviderRegistryOptions>,
  'secrets' | 'sink' | 'lastGood' | 'deadLetters' | 'quota' | 'logger'
>;

export interface ProviderServiceOptions {
  /** The open store, or null while it is locked or absent. */
  readonly store: () => Store | null;
  readonly logger?: Logger;
  readonly registry?: ProviderServiceRegistryOptions;
}

export class ProvidersLockedError extends UserFacingError {
  constructor() {
    super('PROVIDERS_LOCKED', 'Market data providers are unavailable until the store is unlocked.');
  }
}

export class ProviderVaultUnavailableError extends UserFacingError {
  constructor() {
    super('PROVIDERS_NO_VAULT', 'No vault is open to keep provider keys: unlock the store first.');
  }
}

/** The key test's request per provider: the cheapest one each API has that needs a valid key. */
const KEY_PROBES: Readonly<
  Record<
    ProviderName,
    (registry: ProviderRegistry, today: string, weekAgo: string) => Promise<ProviderResult<unknown>>
  >
> = {
  fmp: (r) => r.fmp.quote('AAPL'),
  polygon: (r, today, weekAgo) => r.polygon.dailyAggregates('AAPL', weekAgo, today),
  fred: (r, today, weekAgo) => r.fred.observations('DGS10', weekAgo, today),
  newsapi: (r, today) => r.newsapi.everything({ q: 'stocks', from: today, pageSize: 1 }),
};

const DAY_MS = 86_400_000;

interface Active {
  readonly store: Store;
  readonly vault: KeyVault;
  readonly registry: ProviderRegistry;
  readonly ports: StoreProviderPorts;
}

function later(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return a >= b ? a : b;
}

export class ProviderService {
  private vault: KeyVault | null = null;
  private active: Active | null = null;
  private readonly listeners = new Set<(alert: ProviderAlert) => void>();
  private readonly logger: Logger;

  constructor(private readonly options: ProviderServiceOptions) {
    this.logger = options.logger ?? pino({ level: 'silent' });
  }

  /** The vault that holds provider keys (the one that unlocked the store). */
  attachVault(vault: KeyVault): void {
    if (this.vault === vault) return;
    this.vault = vault;
    this.retire();
  }

  /** Quota alarms and breaker states, for the UI. Returns the unsubscribe function. */
  onAlert(listener: (alert: ProviderAlert) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The registry over the current store and vault; throws while either is missing. */
  registry(): ProviderRegistry {
    return this.current().registry;
  }

  async status(): Promise<ProviderStatusView[]> {
    const { registry, ports } = this.current();
    const live = await registry.status();
    return live.map((s) => {
      // What the store remembers from earlier runs fills in what this process has not seen yet.
      const storedFailure = ports.deadLetters.lastFailure(s.provider);
      const lastFailureAt = later(s.last_failure_at, storedFailure?.at ?? null);
      const lastFailureReason =
        lastFailureAt !== null && lastFailureAt === s.last_failure_at
          ? s.last_failure_reason
          : (storedFailure?.reason ?? null);
      return {
        provider: s.provider,
        label: PROVIDER_LABELS[s.provider],
        configured: s.configured,
        breaker: s.breaker,
        quota_used: s.quota_used,
        quota: s.quota,
        period: s.period,
        last_success_at: later(s.last_success_at, ports.lastGood.lastSuccessAt(s.provider)),
        last_failure_at: lastFailureAt,
        last_failure_reason: lastFailureReason,
        dead_letters: s.dead_letters,
        stale_served: s.stale_served,
      };
    });
  }

  /** Puts the key in the vault. Needs only the vault; the key is never returned or logged. */
  async setKey(provider: ProviderName, key: string): Promise<void> {
    if (!this.vault) throw new ProviderVaultUnavailableError();
    await new VaultSecretSource(this.vault).setKey(provider, key);
    this.logger.info({ provider }, 'provider key stored in the vault');
  }

  /** One cheap real request with the stored key: ok, or failed with a code and fixed words. */
  async testKey(provider: ProviderName): Promise<ProviderKeyTest> {
    const { vault, ports } = this.current();
    const clock = this.options.registry?.clock ?? systemClock;
    const probe = createProviderRegistry({
      ...this.options.registry,
      secrets: new VaultSecretSource(vault),
      logger: this.logger,
      quota: ports.quota,
      maxAttempts: 1,
    });
    const unsubscribe = this.forward(probe);
    try {
      const now = clock.now();
      const today = new Date(now).toISOString().slice(0, 10);
      const weekAgo = new Date(now - 7 * DAY_MS).toISOString().slice(0, 10);
      await KEY_PROBES[provider](probe, today, weekAgo);
      this.logger.info({ provider, ok: true }, 'provider key tested');
      return { provider, ok: true, code: null, reason: null };
    } catch (error) {
      const failure =
        error instanceof ProviderUnavailableError
          ? error.failure
          : error instanceof ProviderError
            ? error
            : null;
      if (!failure) throw error;
      this.logger.info({ provider, ok: false, code: failure.code }, 'provider key tested');
      return { provider, ok: false, code: failure.code, reason: failure.message };
    } finally {
      unsubscribe();
      probe.close();
    }
  }

  replay(provider?: ProviderName): Promise<ReplayReport[]> {
    return this.current().registry.replay(provider);
  }

  /** Waits for automatic replays started by breakers closing. */
  async idle(): Promise<void> {
    await this.active?.registry.idle();
  }

  close(): void {
    this.retire();
  }

  private current(): Active {
    const store = this.options.store();
    if (!store) {
      this.retire();
      throw new ProvidersLockedError();
    }
    if (!this.vault) throw new ProviderVaultUnavailableError();
    if (this.active && this.active.store === store && this.active.vault === this.vault) return this.active;
    this.retire();
    const clock = this.options.registry?.clock ?? systemClock;
    const ports = storeProviderPorts(store.db, () => clock.now());
    const registry = createProviderRegistry({
      ...this.options.registry,
      secrets: new VaultSecretSource(this.vault),
      logger: this.logger,
      sink: ports.sink,
      lastGood: ports.lastGood,
      deadLetters: ports.deadLetters,
      quota: ports.quota,
    });
    this.forward(registry);
    this.active = { store, vault: this.vault, registry, ports };
    return this.active;
  }

  private forward(registry: ProviderRegistry): () => void {
    const onQuota = (alarm: QuotaAlarm): void => this.emit({ kind: 'quota', ...alarm });
    const onBreaker = (event: BreakerStateEvent): void =>
      this.emit({ kind: 'breaker', provider: event.provider, state: event.state });
    registry.events.on('quota-alarm', onQuota);
    registry.events.on('breaker-state', onBreaker);
    return () => {
      registry.events.off('quota-alarm', onQuota);
      registry.events.off('breaker-state', onBreaker);
    };
  }

  private emit(alert: ProviderAlert): void {
    for (const listener of this.listeners) {
      try {
        listener(alert);
      } catch (error) {
        this.logger.error({ err: error }, 'provider alert listener failed');
      }
    }
  }

  private retire(): void {
    if (!this.active) return;
    this.active.registry.close();
    this.active = null;
  }
}
