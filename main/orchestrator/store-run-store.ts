// The PatternRunStore over the encrypted store's `pattern_runs` table (migration 0008). A recorded
// run is user data (its envelope holds portfolio values), so record() writes through withAudit():
// the row and its audit entry commit together (actor `system`: the app records runs, the user does
// not). The audit payload is the row without the envelope; only its digest is kept anyway.
// find() returns the latest non-stale run with the key. A run for a portfolio the store does not
// hold is refused by the foreign key (the orchestrator logs that and still answers).
import { withAudit } from '../audit/chain';
import type { Db } from '../store/sqlcipher';
import type { PatternRunRecord, PatternRunStore } from './cache';

export const PATTERN_RUN_ACTOR = 'system';

interface PatternRunRow {
  key: string;
  pattern_id: string;
  pattern_version: number;
  portfolio_id: string;
  ledger_commit_hash: string;
  pricing_pack_id: string;
  params_json: string;
  trace_id: string;
  generated_at: string;
  duration_ms: number;
  stale: number;
  envelope_json: string;
}

const COLUMNS =
  'key, pattern_id, pattern_version, portfolio_id, ledger_commit_hash, pricing_pack_id, params_json, trace_id, generated_at, duration_ms, stale, envelope_json';

function recordOf(row: PatternRunRow): PatternRunRecord {
  return { ...row, stale: row.stale === 1 };
}

/** Writes one run (run_id = trace_id) with its audit row, in one transaction. */
export function insertPatternRun(db: Db, run: PatternRunRecord, actor: string = PATTERN_RUN_ACTOR): void {
  const { envelope_json: _envelope, ...summary } = run;
  withAudit(
    db,
    {
      actor,
      action: 'pattern_run.record',
      target: `portfolio:${run.portfolio_id}/pattern_run:${run.trace_id}`,
      payload: summary,
    },
    () =>
      db
        .prepare(
          `INSERT INTO pattern_runs (run_id, ${COLUMNS})
           VALUES (@trace_id, @key, @pattern_id, @pattern_version, @portfolio_id, @ledger_commit_hash,
             @pricing_pack_id, @params_json, @trace_id, @generated_at, @duration_ms, @stale, @envelope_json)`,
        )
        .run({ ...run, stale: run.stale ? 1 : 0 }),
  );
}

/** The most recent non-stale run with this key. */
export function latestFreshPatternRun(db: Db, key: string): PatternRunRecord | undefined {
  const row = db
    .prepare(
      `SELECT ${COLUMNS} FROM pattern_runs WHERE key = ? AND stale = 0
       ORDER BY generated_at DESC, rowid DESC LIMIT 1`,
    )
    .get(key) as PatternRunRow | undefined;
  return row ? recordOf(row) : undefined;
}

/** Every recorded run of a portfolio, oldest first (for tests and tools). */
export function listPatternRuns(db: Db, portfolioId: string): PatternRunRecord[] {
  return (
    db
      .prepare(`SELECT ${COLUMNS} FROM pattern_runs WHERE portfolio_id = ? ORDER BY generated_at, rowid`)
      .all(portfolioId) as PatternRunRow[]
  ).map(recordOf);
}

/**
 * The adapter. `db` is a getter so one instance can follow a store that is attached or closed
 * later (the app's store opens after start): with no open store, nothing is recorded or found.
 */
export class StorePatternRunStore implements PatternRunStore {
  constructor(private readonly db: () => Db | null) {}

  // A throw inside a Promise executor rejects it: the caller always gets a settled promise.
  record(run: PatternRunRecord): Promise<void> {
    return new Promise((resolve) => {
      const db = this.db();
      if (db) insertPatternRun(db, run);
      resolve();
    });
  }

  find(key: string): Promise<PatternRunRecord | undefined> {
    return new Promise((resolve) => {
      const db = this.db();
      resolve(db ? latestFreshPatternRun(db, key) : undefined);
    });
  }
}
