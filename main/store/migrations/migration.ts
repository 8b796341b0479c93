// What a migration is. Each file `NNNN-name.ts` exports one; the index imports them all statically.
// A migration's SQL is frozen once released: to change the schema, add the next file.
import type { Db } from '../sqlcipher';

export interface Migration {
  /** Equals the file's number and the store's `PRAGMA user_version` once applied. */
  readonly version: number;
  readonly name: string;
  up(db: Db): void;
}

/** CHECK for a decimal string: optional minus, digits, at most one point, at least one digit. */
export function decimalCheck(column: string): string {
  return `(${column} GLOB '*[0-9]*' AND ${column} NOT GLOB '*.*.*' AND (${column} NOT GLOB '*[^0-9.]*' OR (${column} GLOB '-*' AND substr(${column}, 2) NOT GLOB '*[^0-9.]*')))`;
}

/** CHECK for an ISO date `YYYY-MM-DD`. */
export function isoDateCheck(column: string): string {
  return `(${column} GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]')`;
}

/** CHECK for a lowercase SHA-256 hex digest. */
export function sha256Check(column: string): string {
  return `(length(${column}) = 64 AND ${column} NOT GLOB '*[^0-9a-f]*')`;
}

/** Triggers that make a table append-only: no UPDATE, no DELETE, no INSERT over an existing key. */
export function immutabilityTriggers(table: string, keyMatch: string): string {
  const raise = `SELECT RAISE(ABORT, 'immutable: ${table}');`;
  return `
CREATE TRIGGER ${table}_no_update BEFORE UPDATE ON ${table} BEGIN ${raise} END;
CREATE TRIGGER ${table}_no_delete BEFORE DELETE ON ${table} BEGIN ${raise} END;
CREATE TRIGGER ${table}_no_replace BEFORE INSERT ON ${table}
  WHEN EXISTS (SELECT 1 FROM ${table} AS old WHERE ${keyMatch}) BEGIN ${raise} END;`;
}
