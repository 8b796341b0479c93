// Quota accounting per provider and billing period. Every HTTP request sent is counted; at 70, 85
// and 95 % of the plan's quota an alarm is raised once per period (event + log line, no key); at
// 100 % further requests are refused without calling the provider until the period rolls over.
import type { ProviderName } from '../types';
import { QUOTA_ALARM_THRESHOLDS, type BillingPeriod } from './policy';

export interface QuotaLedger {
  /** Adds one request to the period's count and returns the new count. */
  increment(provider: ProviderName, period: string): Promise<number>;
  used(provider: ProviderName, period: string): Promise<number>;
  /** Marks an alarm as raised; true only the first time for that provider, period and threshold. */
  markAlarm(provider: ProviderName, period: string, threshold: number): Promise<boolean>;
}

export class MemoryQuotaLedger implements QuotaLedger {
  private readonly counts = new Map<string, number>();
  private readonly alarms = new Set<string>();
  increment(provider: ProviderName, period: string): Promise<number> {
    const key = `${provider}|${period}`;
    const next = (this.counts.get(key) ?? 0) + 1;
    this.counts.set(key, next);
    return Promise.resolve(next);
  }
  used(provider: ProviderName, period: string): Promise<number> {
    return Promise.resolve(this.counts.get(`${provider}|${period}`) ?? 0);
  }
  markAlarm(provider: ProviderName, period: string, threshold: number): Promise<boolean> {
    const key = `${provider}|${period}|${threshold}`;
    if (this.alarms.has(key)) return Promise.resolve(false);
    this.alarms.add(key);
    return Promise.resolve(true);
  }
}

export interface QuotaAlarm {
  readonly provider: ProviderName;
  readonly period: string;
  readonly threshold: number;
  readonly used: number;
  readonly quota: number;
}

/** The billing period a moment falls in, in UTC: `2026-01-05` for daily plans, `2026-01` for monthly. */
export function billingPeriod(period: BillingPeriod, now: number): string {
  const iso = new Date(now).toISOString();
  return period === 'day' ? iso.slice(0, 10) : iso.slice(0, 7);
}

/** Thresholds crossed by going from `before` to `after` requests out of `quota`. */
export function crossedThresholds(before: number, after: number, quota: number): number[] {
  return QUOTA_ALARM_THRESHOLDS.filter((t) => before * 100 < t * quota && after * 100 >= t * quota);
}
