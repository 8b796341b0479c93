// Plaintext SQLite images of the store, in memory only: taking one from the open store, checking
// one, and writing one back out as a new encrypted store file.
//
// Why not the SQLite backup API: better-sqlite3 opens a backup's destination without a key, and
// SQLite3 Multiple Ciphers refuses a backup between an encrypted and a plain database. The store is
// therefore snapshotted with sqlite3_serialize (one read transaction: as consistent as a backup)
// and restored by attaching a new encrypted file and copying every table into it.
import { verifyAuditChain } from '../audit/chain';
import { LATEST_SCHEMA_VERSION } from '../store/migrations';
import { applyKey, Database, DAWSOS_APPLICATION_ID, type Db } from '../store/sqlcipher';

/** Byte offsets of the header's read/write format versions: 2 means WAL, 1 rollback journal. */
const WRITE_VERSION_OFFSET = 18;
const READ_VERSION_OFFSET = 19;

export interface SnapshotCheck {
  name: string;
  ok: boolean;
  detail: string;
}

function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

function userTables(db: Db): string[] {
  return db
    .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    .pluck()
    .all() as string[];
}

export function rowCounts(db: Db): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const table of userTables(db)) {
    counts[table] = db
      .prepare(`SELECT count(*) FROM ${quoteIdent(table)}`)
      .pluck()
      .get() as number;
  }
  return counts;
}

/** A consistent image of the store, marked as rollback-journal so it can be opened in memory. */
export function takeSnapshot(db: Db): Buffer {
  const image = db.serialize();
  image[WRITE_VERSION_OFFSET] = 1;
  image[READ_VERSION_OFFSET] = 1;
  return image;
}

export function openSnapshot(snapshot: Buffer): Db {
  return new Database(snapshot);
}

/** Every check a snapshot must pass before it may replace a store. */
export function checkSnapshot(
  db: Db,
  expected: { schemaVersion: number; rowCounts: Record<string, number> },
): SnapshotCheck[] {
  const checks: SnapshotCheck[] = [];
  const applicationId = db.pragma('application_id', { simple: true }) as number;
  checks.push({
    name: 'dawsos marker',
    ok: applicationId === DAWSOS_APPLICATION_ID,
    detail: applicationId === DAWSOS_APPLICATION_ID ? 'application_id is DawsOS' : 'not a DawsOS store',
  });
  const version = db.pragma('user_version', { simple: true }) as number;
  checks.push({
    name: 'schema version',
    ok: version === expected.schemaVersion && version <= LATEST_SCHEMA_VERSION,
    detail:
      version > LATEST_SCHEMA_VERSION
        ? `schema ${version} is newer than this app (${LATEST_SCHEMA_VERSION})`
        : `schema ${version}, manifest ${expected.schemaVersion}`,
  });
  const integrity = (db.pragma('integrity_check') as { integrity_check: string }[]).map(
    (r) => r.integrity_check,
  );
  checks.push({
    name: 'integrity_check',
    ok: integrity.length === 1 && integrity[0] === 'ok',
    detail: integrity.length === 1 && integrity[0] === 'ok' ? 'ok' : `${integrity.length} problem(s)`,
  });
  const audit = verifyAuditChain(db);
  checks.push({
    name: 'audit chain',
    ok: audit.ok,
    detail: audit.ok
      ? `${audit.rows} rows chained`
      : `row ${audit.firstBroken?.id ?? '?'} broken (${audit.firstBroken?.reason ?? '?'})`,
  });
  const counts = rowCounts(db);
  const names = new Set([...Object.keys(counts), ...Object.keys(expected.rowCounts)]);
  const mismatched = [...names].filter((name) => counts[name] !== expected.rowCounts[name]).sort();
  checks.push({
    name: 'row counts',
    ok: mismatched.length === 0,
    detail:
      mismatched.length === 0
        ? `${names.size} tables match the manifest`
        : `differ from the manifest in ${mismatched.join(', ')}`,
  });
  return checks;
}

/**
 * Writes the snapshot `source` (an in-memory database) to `target` as a new store encrypted with
 * `key`: schema first, then every table's rows through an attached encrypted database, then
 * indexes and triggers (after the rows, so the append-only triggers never see the copy).
 */
export function writeEncryptedCopy(source: Db, target: string, key: string): void {
  const objects = source
    .prepare(
      "SELECT type, name, sql FROM sqlite_schema WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' ORDER BY rowid",
    )
    .all() as { type: string; name: string; sql: string }[];
  const tables = objects.filter((o) => o.type === 'table');
  const rest = objects.filter((o) => o.type !== 'table');

  const out = new Database(target);
  try {
    applyKey(out, key);
    out.pragma('journal_mode = DELETE');
    out.pragma(`application_id = ${source.pragma('application_id', { simple: true }) as number}`);
    out.pragma(`user_version = ${source.pragma('user_version', { simple: true }) as number}`);
    out.transaction(() => {
      for (const table of tables) out.exec(table.sql);
    })();
  } finally {
    out.close();
  }

  source.pragma(`cipher='sqlcipher'`);
  source.pragma('legacy=4');
  source.prepare('ATTACH DATABASE ? AS restored KEY ?').run(target, `x'${key}'`);
  try {
    source.transaction(() => {
      for (const table of tables) {
        const name = quoteIdent(table.name);
        source.exec(`INSERT INTO restored.${name} SELECT * FROM main.${name}`);
      }
      const hasSequence = source.prepare("SELECT 1 FROM sqlite_schema WHERE name = 'sqlite_sequence'").get();
      if (hasSequence) {
        source.exec('DELETE FROM restored.sqlite_sequence');
        source.exec('INSERT INTO restored.sqlite_sequence SELECT * FROM main.sqlite_sequence');
      }
    })();
  } finally {
    source.exec('DETACH DATABASE restored');
  }

  const finish = new Database(target, { fileMustExist: true });
  try {
    applyKey(finish, key);
    finish.transaction(() => {
      for (const object of rest) finish.exec(object.sql);
    })();
  } finally {
    finish.close();
  }
}
