// ProviderDataSink over the encrypted store. Each batch is one transaction of upserts on the
// natural keys the provider layer documents (UNIQUE in migration 0007), so a replayed request
// rewrites the same rows and never adds one. Every row keeps its provider and dataset (licence
// metadata). Market data is not the user's own data, but packs are priced from it, so each batch
// is recorded in the audit log (digest only) in the same transaction, like every other write that
// can change a figure the user sees.
import { withAudit } from '../../audit/chain';
import type { Db } from '../../store/sqlcipher';
import type { ArticleRow, Licence, PriceRow, ProviderDataSink, SeriesRow } from '../types';

/** The audit actor of provider writes: automatic work, not a user action. */
export const PROVIDER_AUDIT_ACTOR = 'system';

function groupByLicence<T extends { licence: Licence }>(rows: readonly T[]): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const key = `${row.licence.provider}\u0000${row.licence.dataset}`;
    const group = groups.get(key);
    if (group) group.push(row);
    else groups.set(key, [row]);
  }
  return groups;
}

export class StoreProviderDataSink implements ProviderDataSink {
  constructor(
    private readonly db: Db,
    private readonly now: () => number = Date.now,
  ) {}

  putPrices(rows: readonly PriceRow[]): Promise<void> {
    const statement = this.db.prepare(
      `INSERT INTO provider_prices (provider, dataset, symbol, date, open, high, low, close, volume, fetched_at)
       VALUES (@provider, @dataset, @symbol, @date, @open, @high, @low, @close, @volume, @fetched_at)
       ON CONFLICT (provider, dataset, symbol, date) DO UPDATE SET
         open = excluded.open, high = excluded.high, low = excluded.low, close = excluded.close,
         volume = excluded.volume, fetched_at = excluded.fetched_at`,
    );
    this.write('provider.prices.upsert', rows, (row, fetched_at) =>
      statement.run({
        provider: row.licence.provider,
        dataset: row.licence.dataset,
        symbol: row.symbol,
        date: row.date,
        open: row.open,
        high: row.high,
        low: row.low,
        close: row.close,
        volume: row.volume,
        fetched_at,
      }),
    );
    return Promise.resolve();
  }

  putSeriesPoints(rows: readonly SeriesRow[]): Promise<void> {
    const statement = this.db.prepare(
      `INSERT INTO provider_series_points (provider, series_id, date, dataset, value, fetched_at)
       VALUES (@provider, @series_id, @date, @dataset, @value, @fetched_at)
       ON CONFLICT (provider, series_id, date) DO UPDATE SET
         dataset = excluded.dataset, value = excluded.value, fetched_at = excluded.fetched_at`,
    );
    this.write('provider.series.upsert', rows, (row, fetched_at) =>
      statement.run({
        provider: row.licence.provider,
        dataset: row.licence.dataset,
        series_id: row.series_id,
        date: row.date,
        value: row.value,
        fetched_at,
      }),
    );
    return Promise.resolve();
  }

  putArticles(rows: readonly ArticleRow[]): Promise<void> {
    const statement = this.db.prepare(
      `INSERT INTO provider_articles
         (url, provider, dataset, title, source_id, source_name, author, description, published_at, fetched_at)
       VALUES
         (@url, @provider, @dataset, @title, @source_id, @source_name, @author, @description, @published_at, @fetched_at)
       ON CONFLICT (url) DO UPDATE SET
         provider = excluded.provider, dataset = excluded.dataset, title = excluded.title,
         source_id = excluded.source_id, source_name = excluded.source_name, author = excluded.author,
         description = excluded.description, published_at = excluded.published_at,
         fetched_at = excluded.fetched_at`,
    );
    this.write('provider.articles.upsert', rows, (row, fetched_at) =>
      statement.run({
        url: row.url,
        provider: row.licence.provider,
        dataset: row.licence.dataset,
        title: row.title,
        source_id: row.source_id,
        source_name: row.source_name,
        author: row.author,
        description: row.description,
        published_at: row.published_at,
        fetched_at,
      }),
    );
    return Promise.resolve();
  }

  /** One audited transaction per provider and dataset in the batch. */
  private write<T extends { licence: Licence }>(
    action: string,
    rows: readonly T[],
    put: (row: T, fetchedAt: string) => void,
  ): void {
    if (rows.length === 0) return;
    const fetchedAt = new Date(this.now()).toISOString();
    for (const group of groupByLicence(rows).values()) {
      const { provider, dataset } = group[0]!.licence;
      withAudit(
        this.db,
        {
          actor: PROVIDER_AUDIT_ACTOR,
          action,
          target: `provider:${provider}/dataset:${dataset}`,
          payload: group,
        },
        () => {
          for (const row of group) put(row, fetchedAt);
        },
      );
    }
  }
}
