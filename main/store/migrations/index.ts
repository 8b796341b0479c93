// Every migration, in order, imported statically so the bundle carries them all.
import type { Migration } from './migration';
import { migration0001 } from './0001-settings-and-audit';
import { migration0002 } from './0002-pricing-packs';
import { migration0003 } from './0003-portfolios-and-ledger';
import { migration0004 } from './0004-provider-cache-and-dead-letters';
import { migration0005 } from './0005-analysis-and-notes';
import { migration0006 } from './0006-pack-chain-and-builds';
import { migration0007 } from './0007-provider-data-and-quota';
import { migration0008 } from './0008-pattern-run-records';

export type { Migration };

export const migrations: readonly Migration[] = [
  migration0001,
  migration0002,
  migration0003,
  migration0004,
  migration0005,
  migration0006,
  migration0007,
  migration0008,
];

migrations.forEach((migration, index) => {
  if (migration.version !== index + 1) throw new Error(`migration ${migration.name} is out of order`);
});

export const LATEST_SCHEMA_VERSION = migrations.length;

/** Tables that belong to one portfolio: each has a portfolio_id column (team sync relies on it). */
export const PORTFOLIO_SCOPED_TABLES = [
  'portfolios',
  'portfolio_accounts',
  'transactions',
  'postings',
  'lots',
  'positions',
  'cash_flows',
  'valuations',
  'pattern_runs',
  'reports',
  'alerts',
  'notes',
  'targets',
  'reconciliations',
] as const;

/** Tables whose rows the database refuses to change or delete. */
export const IMMUTABLE_TABLES = ['pricing_packs', 'pack_prices', 'pack_fx', 'audit_log'] as const;
