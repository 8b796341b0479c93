// Applies numbered migrations, one transaction each; `PRAGMA user_version` records the version.
// A store newer than this app is refused before anything is written.
import { StoreNewerThanAppError } from './errors';
import { LATEST_SCHEMA_VERSION, migrations } from './migrations';
import type { Db } from './sqlcipher';

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Migrates up to `target` (the latest by default) and returns the versions applied. */
export function migrate(db: Db, target: number = LATEST_SCHEMA_VERSION): number[] {
  const current = schemaVersion(db);
  if (current > LATEST_SCHEMA_VERSION) throw new StoreNewerThanAppError(current, LATEST_SCHEMA_VERSION);
  if (target > LATEST_SCHEMA_VERSION || target < current)
    throw new Error(`cannot migrate from ${current} to ${target}`);
  const applied: number[] = [];
  for (const migration of migrations) {
    if (migration.version <= current || migration.version > target) continue;
    db.transaction(() => {
      migration.up(db);
      db.pragma(`user_version = ${migration.version}`);
    }).immediate();
    applied.push(migration.version);
  }
  return applied;
}
