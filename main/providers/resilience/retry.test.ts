import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RETRY_BASE_DELAY_MS, RETRY_MAX_DELAY_MS } from './policy';
import { backoffDelay, parseRetryAfter } from './retry';

describe('backoffDelay (full jitter)', () => {
  it('is uniform below min(cap, base · 2^(n-1))', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 30 }),
        fc.double({ min: 0, max: 0.999999, noNaN: true }),
        (n, r) => {
          const ceiling = Math.min(RETRY_MAX_DELAY_MS, RETRY_BASE_DELAY_MS * 2 ** (n - 1));
          const delay = backoffDelay(n, null, () => r);
          return delay >= 0 && delay < ceiling;
        },
      ),
    );
    expect(backoffDelay(1, null, () => 0.5)).toBe(250);
    expect(backoffDelay(3, null, () => 0.5)).toBe(1000);
    expect(backoffDelay(20, null, () => 0.999)).toBe(Math.floor(0.999 * RETRY_MAX_DELAY_MS));
  });

  it('never waits less than Retry-After', () => {
    expect(backoffDelay(1, 5000, () => 0.9)).toBe(5000);
    expect(backoffDelay(8, 10, () => 0.5)).toBe(RETRY_MAX_DELAY_MS / 2);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.UTC(2026, 0, 5, 12, 0, 0);
  it('reads delta-seconds', () => {
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
  });
  it('reads an HTTP-date, and a date in the past means now', () => {
    expect(parseRetryAfter('Mon, 05 Jan 2026 12:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Mon, 05 Jan 2026 11:00:00 GMT', now)).toBe(0);
  });
  it('ignores absent or unreadable values', () => {
    expect(parseRetryAfter(null, now)).toBeNull();
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(parseRetryAfter('-5', now)).toBeNull();
  });
});
