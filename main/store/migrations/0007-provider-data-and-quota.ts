// 0007: what the market-data providers wrote, and how much of each plan was used.
// provider_prices, provider_series_points and provider_articles hold fetched data under the natural
// keys the provider layer documents (price: provider + dataset + symbol + date; series point:
// provider + series + date; article: URL), so an upsert of a replayed request never adds a row.
// Every row records its provider and dataset (licence metadata for exports). provider_quota counts
// requests per provider and billing period; provider_quota_alarms remembers which alarms were
// raised, so a restart within the same period never raises one twice. provider_cache gets a unique
// index on request_key: the last-good lookup is by that key alone.
import { decimalCheck, isoDateCheck, type Migration } from './migration';

const nullableDecimal = (column: string) => `(${column} IS NULL OR ${decimalCheck(column)})`;

export const migration0007: Migration = {
  version: 7,
  name: 'provider-data-and-quota',
  up(db) {
    db.exec(`
CREATE UNIQUE INDEX provider_cache_request_key ON provider_cache (request_key);

CREATE TABLE provider_prices (
  provider TEXT NOT NULL CHECK (length(provider) BETWEEN 1 AND 32),
  dataset TEXT NOT NULL CHECK (length(dataset) BETWEEN 1 AND 64),
  symbol TEXT NOT NULL CHECK (length(symbol) BETWEEN 1 AND 64),
  date TEXT NOT NULL CHECK ${isoDateCheck('date')},
  open TEXT NOT NULL CHECK ${decimalCheck('open')},
  high TEXT NOT NULL CHECK ${decimalCheck('high')},
  low TEXT NOT NULL CHECK ${decimalCheck('low')},
  close TEXT NOT NULL CHECK ${decimalCheck('close')},
  volume TEXT CHECK ${nullableDecimal('volume')},
  fetched_at TEXT NOT NULL,
  PRIMARY KEY (provider, dataset, symbol, date)
) STRICT;
CREATE INDEX provider_prices_by_symbol ON provider_prices (symbol, date);

CREATE TABLE provider_series_points (
  provider TEXT NOT NULL CHECK (length(provider) BETWEEN 1 AND 32),
  series_id TEXT NOT NULL CHECK (length(series_id) BETWEEN 1 AND 64),
  date TEXT NOT NULL CHECK ${isoDateCheck('date')},
  dataset TEXT NOT NULL CHECK (length(dataset) BETWEEN 1 AND 64),
  -- NULL is a missing observation (FRED's "."): kept, never zero.
  value TEXT CHECK ${nullableDecimal('value')},
  fetched_at TEXT NOT NULL,
  PRIMARY KEY (provider, series_id, date)
) STRICT;

CREATE TABLE provider_articles (
  url TEXT PRIMARY KEY NOT NULL CHECK (length(url) BETWEEN 1 AND 2048),
  provider TEXT NOT NULL CHECK (length(provider) BETWEEN 1 AND 32),
  dataset TEXT NOT NULL CHECK (length(dataset) BETWEEN 1 AND 64),
  title TEXT NOT NULL,
  source_id TEXT,
  source_name TEXT NOT NULL,
  author TEXT,
  description TEXT,
  published_at TEXT NOT NULL,
  fetched_at TEXT NOT NULL
) STRICT;
CREATE INDEX provider_articles_by_date ON provider_articles (published_at);

CREATE TABLE provider_quota (
  provider TEXT NOT NULL CHECK (length(provider) BETWEEN 1 AND 32),
  period TEXT NOT NULL CHECK (period GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]' OR ${isoDateCheck('period')}),
  used INTEGER NOT NULL CHECK (used >= 0),
  updated_at TEXT NOT NULL,
  PRIMARY KEY (provider, period)
) STRICT;

CREATE TABLE provider_quota_alarms (
  provider TEXT NOT NULL,
  period TEXT NOT NULL,
  threshold INTEGER NOT NULL CHECK (threshold BETWEEN 1 AND 100),
  raised_at TEXT NOT NULL,
  PRIMARY KEY (provider, period, threshold)
) STRICT;
`);
  },
};
