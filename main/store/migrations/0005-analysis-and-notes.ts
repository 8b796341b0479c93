// 0005: what the user and the analysis produce per portfolio: pattern runs, reports, alerts,
// notes, allocation targets and reconciliations. Every table carries portfolio_id; results carry
// the pricing_pack_id, ledger_commit_hash and trace_id that reproduce them.
import { decimalCheck, isoDateCheck, type Migration } from './migration';

const portfolio = `portfolio_id TEXT NOT NULL REFERENCES portfolios (portfolio_id)`;

export const migration0005: Migration = {
  version: 5,
  name: 'analysis-and-notes',
  up(db) {
    db.exec(`
CREATE TABLE pattern_runs (
  ${portfolio},
  run_id TEXT NOT NULL,
  pattern_id TEXT NOT NULL,
  pricing_pack_id TEXT REFERENCES pricing_packs (pack_id),
  ledger_commit_hash TEXT NOT NULL,
  trace_id TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('running', 'ok', 'partial', 'failed')),
  started_at TEXT NOT NULL,
  finished_at TEXT,
  envelope TEXT CHECK (envelope IS NULL OR json_valid(envelope)),
  PRIMARY KEY (portfolio_id, run_id)
) STRICT;
CREATE INDEX pattern_runs_cache ON pattern_runs (portfolio_id, pattern_id, ledger_commit_hash, pricing_pack_id);

CREATE TABLE reports (
  ${portfolio},
  report_id TEXT NOT NULL,
  run_id TEXT,
  kind TEXT NOT NULL,
  pricing_pack_id TEXT REFERENCES pricing_packs (pack_id),
  ledger_commit_hash TEXT NOT NULL,
  trace_id TEXT NOT NULL,
  providers TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(providers)),
  sha256 TEXT,
  created_at TEXT NOT NULL,
  PRIMARY KEY (portfolio_id, report_id),
  FOREIGN KEY (portfolio_id, run_id) REFERENCES pattern_runs (portfolio_id, run_id)
) STRICT;

CREATE TABLE alerts (
  ${portfolio},
  alert_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  rule TEXT NOT NULL CHECK (json_valid(rule)),
  state TEXT NOT NULL DEFAULT 'active' CHECK (state IN ('active', 'paused', 'fired')),
  created_at TEXT NOT NULL,
  last_fired_at TEXT,
  PRIMARY KEY (portfolio_id, alert_id)
) STRICT;

CREATE TABLE notes (
  ${portfolio},
  note_id TEXT NOT NULL,
  subject TEXT NOT NULL DEFAULT '',
  body TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (portfolio_id, note_id)
) STRICT;

CREATE TABLE targets (
  ${portfolio},
  target_id TEXT NOT NULL,
  subject TEXT NOT NULL,
  weight TEXT NOT NULL CHECK ${decimalCheck('weight')},
  band TEXT CHECK (band IS NULL OR ${decimalCheck('band')}),
  created_at TEXT NOT NULL,
  PRIMARY KEY (portfolio_id, target_id)
) STRICT;

CREATE TABLE reconciliations (
  ${portfolio},
  recon_id TEXT NOT NULL,
  account TEXT NOT NULL,
  as_of TEXT NOT NULL CHECK ${isoDateCheck('as_of')},
  ledger_balance TEXT NOT NULL CHECK ${decimalCheck('ledger_balance')},
  external_balance TEXT NOT NULL CHECK ${decimalCheck('external_balance')},
  currency TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('matched', 'mismatch', 'resolved')),
  ledger_commit_hash TEXT NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY (portfolio_id, recon_id)
) STRICT;
`);
  },
};
