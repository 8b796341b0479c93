// DeadLetterStore over the store's dead_letters table (migration 0004). A letter is keyed by its
// request key (idempotency_key, UNIQUE): failing again bumps `attempts`, the reason and the time.
// A replayed letter is not deleted but marked `replayed_at`, so the table shows what was cured and
// when; only letters without it are pending. A request that fails again after its letter was
// replayed starts a fresh letter in the same row. The request column holds the operation and its
// parameters — never the API key (request keys and parameters never include it).
// Column use: `dataset` holds the operation (e.g. `fmp.eodHistory`), `error_code` the short fixed
// reason phrase of the last failure (e.g. `HTTP 503`), `attempts` the port's `failures`.
import { z } from 'zod';
import type { Db } from '../../store/sqlcipher';
import type { DeadLetter, DeadLetterStore } from '../resilience/dead-letter';
import { PROVIDER_NAMES, type ProviderName } from '../types';

const requestSchema = z.object({
  operation: z.string(),
  params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
});

const rowSchema = z.object({
  idempotency_key: z.string(),
  provider: z.enum(PROVIDER_NAMES),
  request: z.string(),
  error_code: z.string(),
  attempts: z.number().int(),
  first_failed_at: z.string(),
  last_failed_at: z.string(),
});

export class StoreDeadLetterStore implements DeadLetterStore {
  constructor(
    private readonly db: Db,
    private readonly now: () => number = Date.now,
  ) {}

  put(letter: Omit<DeadLetter, 'first_failed_at' | 'failures'>): Promise<void> {
    const request = JSON.stringify({ operation: letter.operation, params: letter.params });
    this.db
      .prepare(
        `INSERT INTO dead_letters
           (idempotency_key, provider, dataset, request, error_code, attempts, first_failed_at, last_failed_at, replayed_at)
         VALUES (@key, @provider, @operation, @request, @reason, 1, @at, @at, NULL)
         ON CONFLICT (idempotency_key) DO UPDATE SET
           request = excluded.request,
           error_code = excluded.error_code,
           last_failed_at = excluded.last_failed_at,
           attempts = CASE WHEN replayed_at IS NULL THEN attempts + 1 ELSE 1 END,
           first_failed_at = CASE WHEN replayed_at IS NULL THEN first_failed_at ELSE excluded.first_failed_at END,
           replayed_at = NULL`,
      )
      .run({
        key: letter.key,
        provider: letter.provider,
        operation: letter.operation,
        request,
        reason: letter.reason,
        at: letter.last_failed_at,
      });
    return Promise.resolve();
  }

  list(provider?: ProviderName): Promise<DeadLetter[]> {
    const rows = this.db
      .prepare(
        `SELECT idempotency_key, provider, request, error_code, attempts, first_failed_at, last_failed_at
         FROM dead_letters
         WHERE replayed_at IS NULL AND (@provider IS NULL OR provider = @provider)
         ORDER BY first_failed_at, id`,
      )
      .all({ provider: provider ?? null });
    return Promise.resolve(
      rows.map((raw) => {
        const row = rowSchema.parse(raw);
        const request = requestSchema.parse(JSON.parse(row.request));
        return {
          key: row.idempotency_key,
          provider: row.provider,
          operation: request.operation,
          params: request.params,
          reason: row.error_code,
          first_failed_at: row.first_failed_at,
          last_failed_at: row.last_failed_at,
          failures: row.attempts,
        };
      }),
    );
  }

  has(key: string): Promise<boolean> {
    const row = this.db
      .prepare('SELECT 1 FROM dead_letters WHERE idempotency_key = ? AND replayed_at IS NULL')
      .get(key);
    return Promise.resolve(row !== undefined);
  }

  remove(key: string): Promise<void> {
    this.db
      .prepare('UPDATE dead_letters SET replayed_at = ? WHERE idempotency_key = ? AND replayed_at IS NULL')
      .run(new Date(this.now()).toISOString(), key);
    return Promise.resolve();
  }

  /** The latest failure the store remembers for a provider's pending letters (null if none). */
  lastFailure(provider: ProviderName): { at: string; reason: string } | null {
    const row = this.db
      .prepare(
        `SELECT last_failed_at AS at, error_code AS reason FROM dead_letters
         WHERE provider = ? ORDER BY last_failed_at DESC, id DESC LIMIT 1`,
      )
      .get(provider) as { at: string; reason: string } | undefined;
    return row ?? null;
  }
}
