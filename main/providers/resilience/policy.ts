// Resilience policy, named once. docs/providers.md explains each figure; change them here only.
import type { ProviderName } from '../types';

/** Consecutive failed HTTP attempts (outages: 5xx, 429, timeout, reset, malformed) that open the breaker. */
export const BREAKER_FAILURE_THRESHOLD = 3;
/** How long an open breaker refuses calls before it lets one half-open probe through. */
export const BREAKER_OPEN_MS = 60_000;

/** HTTP attempts per request, the first included. */
export const RETRY_MAX_ATTEMPTS = 3;
/** Backoff cap for attempt n (1-based) is min(RETRY_MAX_DELAY_MS, RETRY_BASE_DELAY_MS * 2^(n-1)). */
export const RETRY_BASE_DELAY_MS = 500;
export const RETRY_MAX_DELAY_MS = 30_000;
/** A Retry-After longer than this is not waited for within the call: the request is dead-lettered. */
export const RETRY_AFTER_MAX_MS = 120_000;

/** Per-HTTP-request timeout (headers and body). */
export const REQUEST_TIMEOUT_MS = 15_000;

/** Quota alarms: percentages of the plan's quota, each raised once per billing period. */
export const QUOTA_ALARM_THRESHOLDS = [70, 85, 95] as const;

export type BillingPeriod = 'day' | 'month';

export interface ProviderPlan {
  /** Token bucket: burst size and steady refill rate. */
  readonly bucketCapacity: number;
  readonly refillPerSecond: number;
  /** Requests allowed per billing period; null when the plan has no quota. */
  readonly quota: number | null;
  readonly period: BillingPeriod;
}

/**
 * Default plans, the entry tiers each provider documents: FMP Basic (250 requests a day),
 * Polygon Basic (5 requests a minute, no daily cap), FRED (120 requests a minute), NewsAPI
 * Developer (100 requests a day). A user on a larger plan overrides them in settings.
 */
export const DEFAULT_PLANS: Readonly<Record<ProviderName, ProviderPlan>> = {
  fmp: { bucketCapacity: 5, refillPerSecond: 5, quota: 250, period: 'day' },
  polygon: { bucketCapacity: 5, refillPerSecond: 5 / 60, quota: null, period: 'month' },
  fred: { bucketCapacity: 10, refillPerSecond: 2, quota: null, period: 'day' },
  newsapi: { bucketCapacity: 5, refillPerSecond: 1, quota: 100, period: 'day' },
};
