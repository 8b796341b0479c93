// The circuit breaker of one provider, on opossum.
//
//   CLOSED ──(BREAKER_FAILURE_THRESHOLD consecutive outage failures)──▶ OPEN
//   OPEN ──(every call rejected at once, no HTTP; after BREAKER_OPEN_MS)──▶ HALF_OPEN
//   HALF_OPEN ──(one probe call allowed; others rejected)──┬─ success ─▶ CLOSED (dead letters replayed)
//                                                          └─ failure ─▶ OPEN (timer restarts)
//
// Why we count failures ourselves: opossum opens on an error *percentage* over a rolling window
// once `volumeThreshold` calls were seen, which is not "3 consecutive failures" (S,F,F at 50 % opens
// after two). So opossum's own trip is disabled (volumeThreshold = MAX_SAFE_INTEGER) and this class
// counts consecutive outage failures, calling opossum's `open()` at the threshold. Opossum still owns
// the OPEN → HALF_OPEN timer (`resetTimeout`), the single half-open probe, re-opening on a failed
// probe and closing on a successful one. Failures that are not outages (key refused, bad request)
// do not count and do not reset the count.
import CircuitBreaker from 'opossum';
import { ProviderCircuitOpenError, ProviderError } from '../errors';
import type { ProviderName } from '../types';
import { BREAKER_FAILURE_THRESHOLD, BREAKER_OPEN_MS } from './policy';

export type BreakerState = 'closed' | 'open' | 'half-open';

export interface BreakerOptions {
  failureThreshold?: number;
  /** Only tests shorten this, so the half-open probe can be reached without a minute's wait. */
  openMs?: number;
  onStateChange?: (state: BreakerState) => void;
}

type Attempt = () => Promise<unknown>;

export class ProviderBreaker {
  private readonly breaker: CircuitBreaker<[Attempt], unknown>;
  private consecutiveFailures = 0;
  private readonly threshold: number;

  constructor(
    readonly provider: ProviderName,
    options: BreakerOptions = {},
  ) {
    this.threshold = options.failureThreshold ?? BREAKER_FAILURE_THRESHOLD;
    this.breaker = new CircuitBreaker<[Attempt], unknown>((attempt: Attempt) => attempt(), {
      timeout: false,
      resetTimeout: options.openMs ?? BREAKER_OPEN_MS,
      volumeThreshold: Number.MAX_SAFE_INTEGER,
      errorThresholdPercentage: 100,
      enableSnapshots: false,
      rollingPercentilesEnabled: false,
      // Non-outage failures are "filtered": they neither count nor trip the breaker.
      errorFilter: (err: unknown) => !(err instanceof ProviderError && err.countsAsOutage),
    });
    const notify = options.onStateChange;
    this.breaker.on('open', () => notify?.('open'));
    this.breaker.on('halfOpen', () => notify?.('half-open'));
    this.breaker.on('close', () => {
      this.consecutiveFailures = 0;
      notify?.('closed');
    });
  }

  get state(): BreakerState {
    if (this.breaker.opened) return 'open';
    if (this.breaker.halfOpen) return 'half-open';
    return 'closed';
  }

  /** Runs one attempt through the breaker; rejects with ProviderCircuitOpenError while open. */
  async run<T>(attempt: () => Promise<T>): Promise<T> {
    try {
      const value = (await this.breaker.fire(attempt)) as T;
      this.consecutiveFailures = 0;
      return value;
    } catch (err) {
      if (err instanceof ProviderError) {
        if (err.countsAsOutage) {
          this.consecutiveFailures += 1;
          if (this.consecutiveFailures >= this.threshold) this.breaker.open();
        }
        throw err;
      }
      if ((err as { code?: unknown } | null)?.code === 'EOPENBREAKER') {
        throw new ProviderCircuitOpenError(this.provider);
      }
      throw err;
    }
  }

  /** Stops opossum's timers (tests and shutdown). */
  shutdown(): void {
    this.breaker.shutdown();
  }
}
