// 0004: what providers returned (cached, with provider and dataset for licence checks) and the
// requests that failed for good (dead letters, replayed idempotently by their key).
import type { Migration } from './migration';

export const migration0004: Migration = {
  version: 4,
  name: 'provider-cache-and-dead-letters',
  up(db) {
    db.exec(`
CREATE TABLE provider_cache (
  provider TEXT NOT NULL,
  dataset TEXT NOT NULL,
  request_key TEXT NOT NULL,
  fetched_at TEXT NOT NULL,
  expires_at TEXT,
  body TEXT NOT NULL CHECK (json_valid(body)),
  PRIMARY KEY (provider, dataset, request_key)
) STRICT;
CREATE INDEX provider_cache_expiry ON provider_cache (expires_at);

CREATE TABLE dead_letters (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  idempotency_key TEXT NOT NULL UNIQUE,
  provider TEXT NOT NULL,
  dataset TEXT NOT NULL,
  request TEXT NOT NULL CHECK (json_valid(request)),
  error_code TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 1 CHECK (attempts >= 1),
  first_failed_at TEXT NOT NULL,
  last_failed_at TEXT NOT NULL,
  replayed_at TEXT
) STRICT;
CREATE INDEX dead_letters_pending ON dead_letters (provider, replayed_at);
`);
  },
};
