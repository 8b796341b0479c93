// The vocabulary every provider client shares: which providers exist, where keys come from, what a
// call returns (fresh or stale-with-reason), and the rows a client hands to the store. Every row
// carries its provider and dataset so exports can enforce each provider's licence terms later.

export const PROVIDER_NAMES = ['fmp', 'polygon', 'fred', 'newsapi'] as const;
export type ProviderName = (typeof PROVIDER_NAMES)[number];

/** The provider names users read in messages ("FMP unavailable: …"). */
export const PROVIDER_LABELS: Readonly<Record<ProviderName, string>> = {
  fmp: 'FMP',
  polygon: 'Polygon',
  fred: 'FRED',
  newsapi: 'NewsAPI',
};

/**
 * Where provider API keys come from. The vault implements it; tests use a fixed map. A client asks
 * for the key on every logical call (so a key changed in the vault is used at once) and registers
 * it with the log redactor before it is used.
 */
export interface SecretSource {
  getKey(provider: ProviderName): Promise<string | null>;
}

/** Licence metadata: which provider and which of its datasets a datum came from. */
export interface Licence {
  readonly provider: ProviderName;
  readonly dataset: string;
}

/** A successful call: the data as the provider gave it just now. */
export interface FreshResult<T> {
  readonly stale: false;
  readonly value: T;
  /** When the data was fetched (ISO-8601 UTC). */
  readonly as_of: string;
  readonly licence: Licence;
}

/** The provider failed and this is the last good value, with when it was fetched and why it is old. */
export interface StaleResult<T> {
  readonly stale: true;
  readonly value: T;
  readonly as_of: string;
  /** `<Provider> unavailable: <reason>`, built from fixed words. */
  readonly message: string;
  readonly licence: Licence;
}

export type ProviderResult<T> = FreshResult<T> | StaleResult<T>;

/** One daily bar. Prices are exact decimal strings, never floats. */
export interface DailyBar {
  readonly symbol: string;
  /** Trading date, YYYY-MM-DD. */
  readonly date: string;
  readonly open: string;
  readonly high: string;
  readonly low: string;
  readonly close: string;
  readonly volume: string | null;
}

/** A daily bar as stored: the bar plus where it came from. */
export interface PriceRow extends DailyBar {
  readonly licence: Licence;
}

/** A macro series point. A missing value (FRED writes ".") is `null`, never zero and never dropped. */
export interface SeriesPoint {
  readonly series_id: string;
  readonly date: string;
  readonly value: string | null;
}

export interface SeriesRow extends SeriesPoint {
  readonly licence: Licence;
}

export interface NewsArticle {
  readonly url: string;
  readonly title: string;
  readonly source_id: string | null;
  readonly source_name: string;
  readonly author: string | null;
  readonly description: string | null;
  readonly published_at: string;
}

export interface ArticleRow extends NewsArticle {
  readonly licence: Licence;
}

/**
 * Where fetched data is written. Every method is an idempotent upsert by natural key (price:
 * provider+dataset+symbol+date; series: provider+series+date; article: url), so a replayed request
 * never duplicates a row. The store implements it; `MemoryProviderDataSink` is the in-memory one.
 */
export interface ProviderDataSink {
  putPrices(rows: readonly PriceRow[]): Promise<void>;
  putSeriesPoints(rows: readonly SeriesRow[]): Promise<void>;
  putArticles(rows: readonly ArticleRow[]): Promise<void>;
}
