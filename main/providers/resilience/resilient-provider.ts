// The one resilience layer every client goes through. Two levels:
//   request(): one HTTP exchange — breaker → quota → token bucket → timeout → retries with full
//              jitter (honouring Retry-After) on 429, 5xx, timeouts and connection resets.
//   execute(): one logical call (possibly several requests, e.g. pages) — on success the data is
//              written to the sink and kept as last good; on failure the request is dead-lettered
//              (when a replay could cure it) and the last good value is returned marked stale, or
//              ProviderUnavailableError is thrown when there is none.
// Dead letters are replayed when the breaker closes and on demand; see replay().
import pino, { type Logger } from 'pino';
import { ProviderError, ProviderQuotaExhaustedError, ProviderCircuitOpenError } from '../errors';
import { ProviderUnavailableError, unavailableMessage } from '../errors';
import { PROVIDER_LABELS, type Licence, type ProviderName, type ProviderResult } from '../types';
import { ProviderBreaker, type BreakerState } from './breaker';
import type { Clock } from './clock';
import type { DeadLetter, DeadLetterStore } from './dead-letter';
import type { ProviderEvents } from './events';
import type { LastGoodCache } from './last-good';
import { REQUEST_TIMEOUT_MS, RETRY_AFTER_MAX_MS, RETRY_MAX_ATTEMPTS, type ProviderPlan } from './policy';
import { billingPeriod, crossedThresholds, type QuotaLedger } from './quota';
import { requestKey, type RequestSpec } from './request-key';
import { backoffDelay } from './retry';
import { TokenBucket } from './token-bucket';

export interface ResilientProviderOptions {
  readonly provider: ProviderName;
  readonly plan: ProviderPlan;
  readonly clock: Clock;
  /** Uniform in [0, 1): jitter source, injectable for tests. */
  readonly random: () => number;
  readonly logger?: Logger;
  readonly lastGood: LastGoodCache;
  readonly deadLetters: DeadLetterStore;
  readonly quota: QuotaLedger;
  readonly events: ProviderEvents;
  readonly requestTimeoutMs?: number;
  readonly maxAttempts?: number;
  /** Tests only: shortens BREAKER_OPEN_MS so the half-open probe is reachable. */
  readonly breakerOpenMs?: number;
}

/** Re-runs a dead letter's operation; resolves with the call's result (stale means it failed again). */
export type LetterReplayer = (letter: DeadLetter) => Promise<ProviderResult<unknown>>;

export interface ReplayReport {
  readonly provider: ProviderName;
  readonly replayed: number;
  readonly failed: number;
  readonly remaining: number;
}

export interface ProviderStatus {
  readonly provider: ProviderName;
  readonly breaker: BreakerState;
  readonly quota_used: number;
  readonly quota: number | null;
  readonly period: string;
  readonly last_success_at: string | null;
  readonly last_failure_at: string | null;
  readonly last_failure_reason: string | null;
  readonly dead_letters: number;
  /** Calls answered with a last good value (stale) since start. */
  readonly stale_served: number;
}

export class ResilientProvider {
  readonly provider: ProviderName;
  readonly requestTimeoutMs: number;
  private readonly breaker: ProviderBreaker;
  private readonly bucket: TokenBucket;
  private readonly logger: Logger;
  private readonly maxAttempts: number;
  private replayer: LetterReplayer | null = null;
  private replaying: Promise<ReplayReport> | null = null;
  private autoReplay: Promise<unknown> = Promise.resolve();
  private lastSuccessAt: string | null = null;
  private lastFailureAt: string | null = null;
  private lastFailureReason: string | null = null;
  private staleServed = 0;
  private quotaTurn: Promise<void> = Promise.resolve();

  constructor(private readonly options: ResilientProviderOptions) {
    this.provider = options.provider;
    this.logger = (options.logger ?? pino({ level: 'silent' })).child({ provider: options.provider });
    this.requestTimeoutMs = options.requestTimeoutMs ?? REQUEST_TIMEOUT_MS;
    this.maxAttempts = options.maxAttempts ?? RETRY_MAX_ATTEMPTS;
    this.bucket = new TokenBucket(options.plan.bucketCapacity, options.plan.refillPerSecond, options.clock);
    this.breaker = new ProviderBreaker(options.provider, {
      ...(options.breakerOpenMs === undefined ? {} : { openMs: options.breakerOpenMs }),
      onStateChange: (state) => this.onBreakerState(state),
    });
  }

  get breakerState(): BreakerState {
    return this.breaker.state;
  }

  /** The registry wires this to the client's operation table. */
  setReplayer(replayer: LetterReplayer): void {
    this.replayer = replayer;
  }

  /** One HTTP exchange with breaker, quota, rate limit and retries. `label` is a safe path for logs. */
  async request<T>(label: string, send: (timeoutMs: number) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      if (this.breaker.state === 'open') throw new ProviderCircuitOpenError(this.provider);
      await this.bucket.acquire();
      await this.reserveQuota();
      try {
        return await this.breaker.run(async () => {
          this.logger.debug({ path: label, attempt }, 'provider request');
          return send(this.requestTimeoutMs);
        });
      } catch (err) {
        if (!(err instanceof ProviderError)) throw err;
        this.logger.debug(
          { path: label, attempt, reason: err.reason, code: err.code },
          'provider attempt failed',
        );
        if (!err.retryable || attempt >= this.maxAttempts || this.breaker.state !== 'closed') throw err;
        const retryAfter = err.retryAfterMs;
        if (retryAfter !== null && retryAfter > RETRY_AFTER_MAX_MS) throw err;
        const delay = backoffDelay(attempt, retryAfter, this.options.random);
        this.logger.info({ path: label, attempt, delay_ms: delay, reason: err.reason }, 'provider retry');
        await this.options.clock.sleep(delay);
      }
    }
  }

  /** One logical call: fresh data (written and kept as last good), or the last good value marked stale. */
  async execute<T>(
    spec: RequestSpec,
    licence: Licence,
    body: () => Promise<T>,
    write?: (value: T) => Promise<void>,
  ): Promise<ProviderResult<T>> {
    const key = requestKey(spec);
    try {
      const value = await body();
      if (write) await write(value);
      const as_of = new Date(this.options.clock.now()).toISOString();
      await this.options.lastGood.put(key, {
        provider: this.provider,
        operation: spec.operation,
        value,
        as_of,
      });
      await this.options.deadLetters.remove(key);
      this.lastSuccessAt = as_of;
      return { stale: false, value, as_of, licence };
    } catch (err) {
      if (!(err instanceof ProviderError)) throw err;
      const failedAt = new Date(this.options.clock.now()).toISOString();
      this.lastFailureAt = failedAt;
      this.lastFailureReason = err.reason;
      if (err.deadLetter) {
        await this.options.deadLetters.put({
          key,
          provider: this.provider,
          operation: spec.operation,
          params: spec.params,
          reason: err.reason,
          last_failed_at: failedAt,
        });
      }
      this.logger.warn(
        { operation: spec.operation, reason: err.reason, code: err.code, dead_lettered: err.deadLetter },
        'provider call failed',
      );
      const last = await this.options.lastGood.get(key);
      if (last) {
        this.staleServed += 1;
        return {
          stale: true,
          value: last.value as T,
          as_of: last.as_of,
          message: unavailableMessage(err),
          licence,
        };
      }
      throw new ProviderUnavailableError(err);
    }
  }

  /**
   * Replays this provider's dead letters, oldest first, each through the normal call path (so a
   * success writes through the idempotent sink and removes the letter). Stops early if the breaker
   * opens again. Concurrent calls share one run, so a letter is never replayed twice at once.
   */
  replay(): Promise<ReplayReport> {
    if (this.replaying) return this.replaying;
    const run = this.replayAll().finally(() => {
      this.replaying = null;
    });
    this.replaying = run;
    return run;
  }

  /** Resolves when any automatic replay started by the breaker closing has finished. */
  async idle(): Promise<void> {
    await this.autoReplay;
    if (this.replaying) await this.replaying;
  }

  async status(): Promise<ProviderStatus> {
    const period = billingPeriod(this.options.plan.period, this.options.clock.now());
    return {
      provider: this.provider,
      breaker: this.breaker.state,
      quota_used: await this.options.quota.used(this.provider, period),
      quota: this.options.plan.quota,
      period,
      last_success_at: this.lastSuccessAt,
      last_failure_at: this.lastFailureAt,
      last_failure_reason: this.lastFailureReason,
      dead_letters: (await this.options.deadLetters.list(this.provider)).length,
      stale_served: this.staleServed,
    };
  }

  shutdown(): void {
    this.breaker.shutdown();
  }

  private async replayAll(): Promise<ReplayReport> {
    const letters = await this.options.deadLetters.list(this.provider);
    let replayed = 0;
    let failed = 0;
    for (const letter of letters) {
      if (!this.replayer || this.breaker.state === 'open') break;
      // A normal call may have served the same request meanwhile (the half-open probe often is one).
      if (!(await this.options.deadLetters.has(letter.key))) continue;
      try {
        const result = await this.replayer(letter);
        if (result.stale) failed += 1;
        else replayed += 1;
      } catch (err) {
        if (!(err instanceof ProviderUnavailableError)) throw err;
        failed += 1;
      }
    }
    const remaining = (await this.options.deadLetters.list(this.provider)).length;
    this.logger.info({ replayed, failed, remaining }, 'provider dead letters replayed');
    return { provider: this.provider, replayed, failed, remaining };
  }

  private onBreakerState(state: BreakerState): void {
    const log = state === 'open' ? this.logger.warn.bind(this.logger) : this.logger.info.bind(this.logger);
    log({ state }, `${PROVIDER_LABELS[this.provider]} circuit ${state}`);
    this.options.events.emit('breaker-state', { provider: this.provider, state });
    if (state === 'closed') {
      // Deferred a turn, so the probe call that closed the breaker settles (and removes its own
      // letter) before the replay reads the queue.
      this.autoReplay = new Promise((resolve) => setImmediate(resolve))
        .then(() => this.replay())
        .catch((err: unknown) => {
          this.logger.error({ err }, 'provider dead-letter replay failed');
        });
    }
  }

  /**
   * Checks the quota and counts the request in one step, serialised per provider, so concurrent
   * calls cannot overshoot the plan. A request refused afterwards by a half-open breaker stays
   * counted: the quota errs towards too few requests, never too many.
   */
  private reserveQuota(): Promise<void> {
    const turn = this.quotaTurn.then(async () => {
      const { quota, period } = this.options.plan;
      if (quota !== null) {
        const used = await this.options.quota.used(
          this.provider,
          billingPeriod(period, this.options.clock.now()),
        );
        if (used >= quota) throw new ProviderQuotaExhaustedError(this.provider);
      }
      await this.countRequest();
    });
    this.quotaTurn = turn.catch(() => undefined);
    return turn;
  }

  private async countRequest(): Promise<void> {
    const { quota, period: periodKind } = this.options.plan;
    const period = billingPeriod(periodKind, this.options.clock.now());
    const used = await this.options.quota.increment(this.provider, period);
    if (quota === null) return;
    for (const threshold of crossedThresholds(used - 1, used, quota)) {
      if (!(await this.options.quota.markAlarm(this.provider, period, threshold))) continue;
      const alarm = { provider: this.provider, period, threshold, used, quota };
      this.logger.warn(alarm, `${PROVIDER_LABELS[this.provider]} quota at ${threshold}%`);
      this.options.events.emit('quota-alarm', alarm);
    }
  }
}
