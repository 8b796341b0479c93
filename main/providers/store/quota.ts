// QuotaLedger over the store: requests counted per provider and billing period, and the alarms
// already raised, both kept across restarts — so reopening the app in the same period neither
// forgets the count nor raises the same 70/85/95 % alarm again.
import type { Db } from '../../store/sqlcipher';
import type { QuotaLedger } from '../resilience/quota';
import type { ProviderName } from '../types';

export class StoreQuotaLedger implements QuotaLedger {
  constructor(
    private readonly db: Db,
    private readonly now: () => number = Date.now,
  ) {}

  increment(provider: ProviderName, period: string): Promise<number> {
    const used = this.db
      .prepare(
        `INSERT INTO provider_quota (provider, period, used, updated_at) VALUES (?, ?, 1, ?)
         ON CONFLICT (provider, period) DO UPDATE SET used = used + 1, updated_at = excluded.updated_at
         RETURNING used`,
      )
      .pluck()
      .get(provider, period, this.stamp()) as number;
    return Promise.resolve(used);
  }

  used(provider: ProviderName, period: string): Promise<number> {
    const used = this.db
      .prepare('SELECT used FROM provider_quota WHERE provider = ? AND period = ?')
      .pluck()
      .get(provider, period) as number | undefined;
    return Promise.resolve(used ?? 0);
  }

  markAlarm(provider: ProviderName, period: string, threshold: number): Promise<boolean> {
    const { changes } = this.db
      .prepare(
        `INSERT INTO provider_quota_alarms (provider, period, threshold, raised_at) VALUES (?, ?, ?, ?)
         ON CONFLICT DO NOTHING`,
      )
      .run(provider, period, threshold, this.stamp());
    return Promise.resolve(changes === 1);
  }

  private stamp(): string {
    return new Date(this.now()).toISOString();
  }
}
