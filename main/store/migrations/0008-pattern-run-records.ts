// 0008: pattern_runs holds what the orchestrator records (PatternRunRecord, docs/patterns.md): the
// run key the cache looks up, the pattern version, the canonical parameters, duration, staleness and
// the canonical envelope. SQLite cannot change columns in place, so the table is rebuilt: copy the
// old rows aside, drop the table, create the new one under the same name, copy back, drop the copy.
// portfolio_id stays (row-level security in the team workspace). run_id stays too, because
// reports (0005) refer to (portfolio_id, run_id): a new run's run_id is its trace_id.
// Rows from 0005 cannot be served again (their key and parameters were never recorded): they come
// over with a `legacy:<run_id>` key and stale = 1, so find() never returns them.
// Foreign keys are deferred for this transaction only: dropping the old table counts each report
// that refers to it as a violation, and re-inserting its run under the same key clears it again, so
// the commit fails if and only if a report would be left without its run.
import type { Migration } from './migration';

export const migration0008: Migration = {
  version: 8,
  name: 'pattern-run-records',
  up(db) {
    db.pragma('defer_foreign_keys = ON');
    db.exec(`
CREATE TABLE pattern_runs_0005 AS SELECT * FROM pattern_runs;
DROP TABLE pattern_runs;

CREATE TABLE pattern_runs (
  portfolio_id TEXT NOT NULL REFERENCES portfolios (portfolio_id),
  run_id TEXT NOT NULL,
  key TEXT NOT NULL CHECK (length(key) BETWEEN 1 AND 128),
  pattern_id TEXT NOT NULL,
  pattern_version INTEGER NOT NULL CHECK (pattern_version >= 0),
  ledger_commit_hash TEXT NOT NULL,
  pricing_pack_id TEXT NOT NULL,
  params_json TEXT NOT NULL CHECK (json_valid(params_json)),
  trace_id TEXT NOT NULL UNIQUE,
  generated_at TEXT NOT NULL,
  duration_ms INTEGER NOT NULL CHECK (duration_ms >= 0),
  stale INTEGER NOT NULL CHECK (stale IN (0, 1)),
  envelope_json TEXT NOT NULL CHECK (json_valid(envelope_json)),
  PRIMARY KEY (portfolio_id, run_id)
) STRICT;
CREATE INDEX pattern_runs_by_key ON pattern_runs (key, stale, generated_at);

INSERT INTO pattern_runs (portfolio_id, run_id, key, pattern_id, pattern_version, ledger_commit_hash,
  pricing_pack_id, params_json, trace_id, generated_at, duration_ms, stale, envelope_json)
SELECT portfolio_id, run_id, 'legacy:' || run_id, pattern_id, 0, ledger_commit_hash,
  coalesce(pricing_pack_id, ''), 'null', trace_id, coalesce(finished_at, started_at),
  max(0, coalesce(CAST(round((julianday(finished_at) - julianday(started_at)) * 86400000) AS INTEGER), 0)),
  1, coalesce(envelope, 'null')
FROM pattern_runs_0005;

DROP TABLE pattern_runs_0005;
`);
  },
};
