// LastGoodCache over the store's provider_cache table: the last good answer to each request, kept
// across restarts, so a provider that is down at start-up still degrades to "stale, and here is
// why" with the time the value was really fetched. One row per request key (the operation is the
// dataset column); a newer answer replaces the older one.
import { z } from 'zod';
import type { Db } from '../../store/sqlcipher';
import type { LastGoodCache, LastGoodEntry } from '../resilience/last-good';
import { PROVIDER_NAMES } from '../types';

const rowSchema = z.object({
  provider: z.enum(PROVIDER_NAMES),
  dataset: z.string(),
  fetched_at: z.string(),
  body: z.string(),
});

export class StoreLastGoodCache implements LastGoodCache {
  constructor(private readonly db: Db) {}

  get(key: string): Promise<LastGoodEntry | null> {
    const raw = this.db
      .prepare('SELECT provider, dataset, fetched_at, body FROM provider_cache WHERE request_key = ?')
      .get(key);
    if (raw === undefined) return Promise.resolve(null);
    const row = rowSchema.parse(raw);
    return Promise.resolve({
      provider: row.provider,
      operation: row.dataset,
      value: JSON.parse(row.body) as unknown,
      as_of: row.fetched_at,
    });
  }

  put(key: string, entry: LastGoodEntry): Promise<void> {
    // `undefined` is not JSON; a call that returned nothing is cached as null.
    const body = JSON.stringify(entry.value ?? null);
    this.db
      .prepare(
        `INSERT INTO provider_cache (provider, dataset, request_key, fetched_at, expires_at, body)
         VALUES (?, ?, ?, ?, NULL, ?)
         ON CONFLICT (request_key) DO UPDATE SET
           provider = excluded.provider, dataset = excluded.dataset,
           fetched_at = excluded.fetched_at, body = excluded.body`,
      )
      .run(entry.provider, entry.operation, key, entry.as_of, body);
    return Promise.resolve();
  }

  /** When a provider last answered well, as remembered by the store (null if never). */
  lastSuccessAt(provider: string): string | null {
    return (
      (this.db
        .prepare('SELECT max(fetched_at) FROM provider_cache WHERE provider = ?')
        .pluck()
        .get(provider) as string | null | undefined) ?? null
    );
  }
}
