// Token buckets for IPC calls. A bucket holds at most `burst` tokens and gains `perSecond` tokens
// each second; a call takes one token or is refused. Buckets are keyed by the caller (one window)
// and by the channel when the channel has its own limit, so a chatty screen cannot starve the app.
import type { RateLimit } from '../../shared/ipc/contract';

/** Default for every channel without its own limit: 10 calls a second, bursts of 20. */
export const DEFAULT_IPC_RATE_LIMIT: RateLimit = { perSecond: 10, burst: 20 };

interface Bucket {
  tokens: number;
  updatedAt: number;
}

export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();

  constructor(private readonly now: () => number = () => performance.now()) {}

  /** Takes one token from the bucket `key`; false when it is empty. */
  take(key: string, limit: RateLimit): boolean {
    const at = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: limit.burst, updatedAt: at };
    const refilled = Math.min(
      limit.burst,
      bucket.tokens + ((at - bucket.updatedAt) / 1000) * limit.perSecond,
    );
    const allowed = refilled >= 1;
    this.buckets.set(key, { tokens: allowed ? refilled - 1 : refilled, updatedAt: at });
    return allowed;
  }

  /** Forgets a caller's buckets, e.g. when its window closes. */
  forget(callerId: string): void {
    for (const key of this.buckets.keys()) if (key.startsWith(`${callerId}\u0000`)) this.buckets.delete(key);
  }
}
