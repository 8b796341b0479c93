// 0003: portfolios and what DawsOS derives from the Beancount ledger. Every table carries
// portfolio_id (team sync puts row-level security on each); every derived row carries the
// ledger_commit_hash it was computed at. Amounts are decimal strings, dates ISO text.
import { decimalCheck, isoDateCheck, type Migration } from './migration';

const commit = `ledger_commit_hash TEXT NOT NULL CHECK (length(ledger_commit_hash) BETWEEN 7 AND 64 AND ledger_commit_hash NOT GLOB '*[^0-9a-f]*')`;
const portfolio = `portfolio_id TEXT NOT NULL REFERENCES portfolios (portfolio_id)`;

export const migration0003: Migration = {
  version: 3,
  name: 'portfolios-and-ledger',
  up(db) {
    db.exec(`
CREATE TABLE portfolios (
  portfolio_id TEXT PRIMARY KEY NOT NULL CHECK (length(portfolio_id) BETWEEN 1 AND 64),
  name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  base_currency TEXT NOT NULL CHECK (length(base_currency) BETWEEN 1 AND 24),
  ledger_repo TEXT,
  created_at TEXT NOT NULL,
  archived_at TEXT
) STRICT;

CREATE TABLE portfolio_accounts (
  ${portfolio},
  account TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('Assets', 'Liabilities', 'Equity', 'Income', 'Expenses')),
  currency TEXT,
  opened_on TEXT CHECK (opened_on IS NULL OR ${isoDateCheck('opened_on')}),
  closed_on TEXT CHECK (closed_on IS NULL OR ${isoDateCheck('closed_on')}),
  ${commit},
  PRIMARY KEY (portfolio_id, account)
) STRICT;

CREATE TABLE transactions (
  ${portfolio},
  txn_id TEXT NOT NULL,
  date TEXT NOT NULL CHECK ${isoDateCheck('date')},
  flag TEXT NOT NULL DEFAULT '*',
  payee TEXT,
  narration TEXT NOT NULL DEFAULT '',
  ledger_file TEXT NOT NULL,
  ledger_line INTEGER NOT NULL CHECK (ledger_line >= 1),
  ${commit},
  PRIMARY KEY (portfolio_id, txn_id)
) STRICT;
CREATE INDEX transactions_by_date ON transactions (portfolio_id, date);

CREATE TABLE postings (
  portfolio_id TEXT NOT NULL,
  txn_id TEXT NOT NULL,
  seq INTEGER NOT NULL CHECK (seq >= 0),
  account TEXT NOT NULL,
  units TEXT NOT NULL CHECK ${decimalCheck('units')},
  commodity TEXT NOT NULL,
  cost_per_unit TEXT CHECK (cost_per_unit IS NULL OR ${decimalCheck('cost_per_unit')}),
  cost_currency TEXT,
  price TEXT CHECK (price IS NULL OR ${decimalCheck('price')}),
  price_currency TEXT,
  ${commit},
  PRIMARY KEY (portfolio_id, txn_id, seq),
  FOREIGN KEY (portfolio_id, txn_id) REFERENCES transactions (portfolio_id, txn_id) ON DELETE CASCADE
) STRICT;

CREATE TABLE lots (
  ${portfolio},
  lot_id TEXT NOT NULL,
  account TEXT NOT NULL,
  commodity TEXT NOT NULL,
  units TEXT NOT NULL CHECK ${decimalCheck('units')},
  cost_per_unit TEXT NOT NULL CHECK ${decimalCheck('cost_per_unit')},
  cost_currency TEXT NOT NULL,
  acquired_on TEXT NOT NULL CHECK ${isoDateCheck('acquired_on')},
  closed_on TEXT CHECK (closed_on IS NULL OR ${isoDateCheck('closed_on')}),
  ${commit},
  PRIMARY KEY (portfolio_id, lot_id)
) STRICT;

CREATE TABLE positions (
  ${portfolio},
  as_of TEXT NOT NULL CHECK ${isoDateCheck('as_of')},
  account TEXT NOT NULL,
  commodity TEXT NOT NULL,
  units TEXT NOT NULL CHECK ${decimalCheck('units')},
  cost_basis TEXT NOT NULL CHECK ${decimalCheck('cost_basis')},
  cost_currency TEXT NOT NULL,
  ${commit},
  PRIMARY KEY (portfolio_id, as_of, account, commodity, ledger_commit_hash)
) STRICT;

CREATE TABLE cash_flows (
  ${portfolio},
  flow_id TEXT NOT NULL,
  date TEXT NOT NULL CHECK ${isoDateCheck('date')},
  account TEXT NOT NULL,
  amount TEXT NOT NULL CHECK ${decimalCheck('amount')},
  currency TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('contribution', 'withdrawal', 'dividend', 'interest', 'fee', 'tax', 'other')),
  txn_id TEXT,
  ${commit},
  PRIMARY KEY (portfolio_id, flow_id)
) STRICT;
CREATE INDEX cash_flows_by_date ON cash_flows (portfolio_id, date);

CREATE TABLE valuations (
  ${portfolio},
  as_of TEXT NOT NULL CHECK ${isoDateCheck('as_of')},
  pricing_pack_id TEXT NOT NULL REFERENCES pricing_packs (pack_id),
  ${commit},
  market_value TEXT NOT NULL CHECK ${decimalCheck('market_value')},
  cost_basis TEXT NOT NULL CHECK ${decimalCheck('cost_basis')},
  currency TEXT NOT NULL,
  trace_id TEXT NOT NULL,
  computed_at TEXT NOT NULL,
  PRIMARY KEY (portfolio_id, as_of, pricing_pack_id, ledger_commit_hash)
) STRICT;
`);
  },
};
