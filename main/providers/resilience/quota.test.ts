import { describe, expect, it } from 'vitest';
import { MemoryQuotaLedger, billingPeriod, crossedThresholds } from './quota';

describe('quota helpers', () => {
  it('names daily and monthly billing periods in UTC', () => {
    const t = Date.UTC(2026, 1, 28, 23, 59);
    expect(billingPeriod('day', t)).toBe('2026-02-28');
    expect(billingPeriod('month', t)).toBe('2026-02');
    expect(billingPeriod('day', t + 60_000)).toBe('2026-03-01');
  });

  it('reports each threshold on the request that crosses it, exactly once', () => {
    const crossings: number[][] = [];
    for (let used = 1; used <= 250; used++) crossings.push(crossedThresholds(used - 1, used, 250));
    const hits = crossings.flatMap((ts, i) => ts.map((t) => [t, i + 1]));
    // 70 % of 250 = 175, 85 % = 212.5 → 213, 95 % = 237.5 → 238.
    expect(hits).toEqual([
      [70, 175],
      [85, 213],
      [95, 238],
    ]);
  });

  it('a jump past several thresholds reports all of them', () => {
    expect(crossedThresholds(0, 10, 10)).toEqual([70, 85, 95]);
  });

  it('marks an alarm once per provider, period and threshold', async () => {
    const ledger = new MemoryQuotaLedger();
    expect(await ledger.markAlarm('fmp', '2026-01-05', 70)).toBe(true);
    expect(await ledger.markAlarm('fmp', '2026-01-05', 70)).toBe(false);
    expect(await ledger.markAlarm('fmp', '2026-01-06', 70)).toBe(true);
    expect(await ledger.markAlarm('fred', '2026-01-05', 70)).toBe(true);
    expect(await ledger.increment('fmp', '2026-01-05')).toBe(1);
    expect(await ledger.used('fmp', '2026-01-05')).toBe(1);
  });
});
