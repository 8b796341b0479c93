// Applies numbered migrations, one transaction each; `PRAGMA user_version` records the version.
// A store newer than this app is refused before anything is written.
import { StoreNewerThanAppError } from './errors';
import { migrations as allMigrations, type Migration } from './migrations';
import type { Db } from './sqlcipher';

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Migrates up to `target` (the latest by default) and returns the versions applied. `migrations` is for tests. */
export function migrate(db: Db, target?: number, migrations: readonly Migration[] = allMigrations): number[] {
  const latest = migrations.length;
  const goal = target ?? latest;
  const current = schemaVersion(db);
  if (current > latest) throw new StoreNewerThanAppError(current, latest);
  if (goal > latest || goal < current) throw new Error(`cannot migrate from ${current} to ${goal}`);
  const applied: number[] = [];
  for (const migration of migrations) {
    if (migration.version <= current || migration.version > goal) continue;
    db.transaction(() => {
      migration.up(db);
      db.pragma(`user_version = ${migration.version}`);
    }).immediate();
    applied.push(migration.version);
  }
  return applied;
}
