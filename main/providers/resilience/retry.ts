// Backoff with full jitter (AWS architecture blog, "Exponential Backoff and Jitter"): the wait
// before attempt n+1 is uniform in [0, min(cap, base * 2^(n-1))), so clients that failed together
// do not retry together. A server's Retry-After is a floor under that wait.
import { RETRY_BASE_DELAY_MS, RETRY_MAX_DELAY_MS } from './policy';

export function backoffDelay(
  failedAttempt: number,
  retryAfterMs: number | null,
  random: () => number,
  base = RETRY_BASE_DELAY_MS,
  cap = RETRY_MAX_DELAY_MS,
): number {
  const ceiling = Math.min(cap, base * 2 ** Math.max(0, failedAttempt - 1));
  const jittered = Math.floor(random() * ceiling);
  return retryAfterMs === null ? jittered : Math.max(retryAfterMs, jittered);
}

/** Parses Retry-After: delta-seconds or an HTTP-date. Null when absent or unreadable. */
export function parseRetryAfter(header: string | null, now: number): number | null {
  if (header === null) return null;
  const text = header.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // An HTTP-date (RFC 9110 §5.6.7) names its weekday and month; anything else is unreadable.
  if (!/^[A-Za-z]{3},? /.test(text)) return null;
  const when = Date.parse(text);
  if (Number.isNaN(when)) return null;
  return Math.max(0, when - now);
}
