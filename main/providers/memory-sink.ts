// In-memory ProviderDataSink: upserts by natural key, and counts how many rows were new, so a test
// can prove a replay wrote nothing twice. The store's adapter keeps the same keys as UNIQUE constraints.
import type { ArticleRow, PriceRow, ProviderDataSink, SeriesRow } from './types';

export class MemoryProviderDataSink implements ProviderDataSink {
  readonly prices = new Map<string, PriceRow>();
  readonly series = new Map<string, SeriesRow>();
  readonly articles = new Map<string, ArticleRow>();
  /** Rows offered to the sink, duplicates included. */
  offered = 0;
  /** Rows that were new (distinct natural keys). */
  inserted = 0;

  putPrices(rows: readonly PriceRow[]): Promise<void> {
    for (const row of rows) this.upsert(this.prices, priceKey(row), row);
    return Promise.resolve();
  }
  putSeriesPoints(rows: readonly SeriesRow[]): Promise<void> {
    for (const row of rows)
      this.upsert(this.series, `${row.licence.provider}|${row.series_id}|${row.date}`, row);
    return Promise.resolve();
  }
  putArticles(rows: readonly ArticleRow[]): Promise<void> {
    for (const row of rows) this.upsert(this.articles, row.url, row);
    return Promise.resolve();
  }

  private upsert<T>(map: Map<string, T>, key: string, row: T): void {
    this.offered += 1;
    if (!map.has(key)) this.inserted += 1;
    map.set(key, row);
  }
}

export function priceKey(row: PriceRow): string {
  return `${row.licence.provider}|${row.licence.dataset}|${row.symbol}|${row.date}`;
}
