// Packs in the encrypted store, and the per-date build state machine.
//
// Packs are written once: prices and rates first, the pack row last (it seals the pack: the 0002
// triggers then refuse any further row for it, and every UPDATE, DELETE or REPLACE on all three
// tables), each pack with its audit row in the same transaction. Reading a pack recomputes its id
// from the stored rows, so a pack whose rows do not hash to its id is never handed out.
//
// Build state per date (table pack_builds, operational status, updated in place):
//
//   (none) ──start──▶ warming(done/total) ──pack stored──▶ ready | ready_carried
//                        │                                      │
//                        └──source failed──▶ failed      rebuild: back to warming
//
// ready_carried = ready, with at least one price or rate carried from an earlier date.
import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3-multiple-ciphers';
import { withAudit } from '../audit/chain';
import { canonicalJson } from '../audit/canonical';
import { mapped } from '../store/errors';
import type { Db } from '../store/sqlcipher';
import { type MissingItem } from './assemble';
import { PackIntegrityError } from './errors';
import { sha256Hex } from '../audit/canonical';
import {
  makePack,
  PACK_FORMAT,
  serialiseCanonical,
  type Pack,
  type PackContent,
  type PackContentInput,
} from './pack';

export type BuildState = 'warming' | 'ready' | 'ready_carried' | 'failed';

export interface BuildStatus {
  readonly as_of: string;
  readonly state: BuildState;
  readonly progress: { readonly done: number; readonly total: number };
  readonly pack_id: string | null;
  readonly carried: number;
  readonly missing: MissingItem[];
  readonly error_code: string | null;
  readonly updated_at: string;
}

type Stmt = Database.Statement<unknown[]>;

interface Statements {
  exists: Stmt;
  insertPrice: Stmt;
  insertFx: Stmt;
  insertPack: Stmt;
  head: Stmt;
  prices: Stmt;
  fx: Stmt;
  rawPrices: Stmt;
  rawFx: Stmt;
  finish: Stmt;
}

// Prepared once per connection: a backfill stores thousands of packs.
const cache = new WeakMap<Db, Statements>();

function statements(db: Db): Statements {
  let s = cache.get(db);
  if (!s) {
    s = {
      exists: db.prepare('SELECT 1 FROM pricing_packs WHERE pack_id = ?').pluck(),
      insertPrice: db.prepare(
        `INSERT INTO pack_prices (pack_id, symbol, price, currency, provider, dataset, price_date, carried)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      insertFx: db.prepare(
        `INSERT INTO pack_fx (pack_id, base, quote, rate, provider, dataset, rate_date, carried)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      insertPack: db.prepare(
        `INSERT INTO pricing_packs (pack_id, as_of, price_count, fx_count, created_at, format, parent_pack_id)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      ),
      head: db.prepare('SELECT as_of, format, parent_pack_id FROM pricing_packs WHERE pack_id = ?'),
      prices: db.prepare(
        `SELECT symbol, currency, price, price_date, carried, provider, dataset
         FROM pack_prices WHERE pack_id = ? ORDER BY symbol`,
      ),
      fx: db.prepare(
        `SELECT base, quote, rate, rate_date, carried, provider, dataset
         FROM pack_fx WHERE pack_id = ? ORDER BY base, quote`,
      ),
      // The same rows as arrays: a chain read takes hundreds of thousands of them.
      rawPrices: db
        .prepare(
          `SELECT symbol, currency, price, price_date, carried, provider, dataset
           FROM pack_prices WHERE pack_id = ? ORDER BY symbol`,
        )
        .raw(),
      finish: db.prepare(
        `UPDATE pack_builds SET state = ?, done = total, pack_id = ?, carried_count = ?, missing = ?, updated_at = ?
         WHERE as_of = ? AND build_id = ?`,
      ),
      rawFx: db
        .prepare(
          `SELECT base, quote, rate, rate_date, carried, provider, dataset
           FROM pack_fx WHERE pack_id = ? ORDER BY base, quote`,
        )
        .raw(),
    };
    cache.set(db, s);
  }
  return s;
}

export interface StoredPack {
  readonly pack: Pack;
  /** False when the same content was already stored (nothing new was written). */
  readonly created: boolean;
}

/**
 * Stores a pack (validated and canonicalised first) with its audit row, atomically; storing the
 * same content again writes nothing and returns the same id. There is no way to name the id: it
 * is always computed from the content.
 */
export function storePack(db: Db, input: PackContentInput, actor = 'system'): StoredPack {
  const pack = makePack(input);
  const s = statements(db);
  if (s.exists.get(pack.pack_id) !== undefined) return { pack, created: false };
  if (pack.parent_pack_id !== null && s.exists.get(pack.parent_pack_id) === undefined)
    throw new PackIntegrityError();
  withAudit(
    db,
    {
      actor,
      action: 'pack.insert',
      target: `pack:${pack.pack_id}`,
      // The digest of the id pins the content; the content itself is not repeated in the audit log.
      payload: { pack_id: pack.pack_id, as_of: pack.as_of, parent_pack_id: pack.parent_pack_id },
    },
    () => {
      for (const p of pack.prices)
        s.insertPrice.run(
          pack.pack_id,
          p.commodity,
          p.price,
          p.quote_currency,
          p.provider,
          p.dataset,
          p.price_date,
          p.carried ? 1 : 0,
        );
      for (const r of pack.fx)
        s.insertFx.run(
          pack.pack_id,
          r.from,
          r.to,
          r.rate,
          r.provider,
          r.dataset,
          r.rate_date,
          r.carried ? 1 : 0,
        );
      s.insertPack.run(
        pack.pack_id,
        pack.as_of,
        pack.prices.length,
        pack.fx.length,
        new Date().toISOString(),
        PACK_FORMAT,
        pack.parent_pack_id,
      );
    },
  );
  return { pack, created: true };
}

interface PriceRow {
  symbol: string;
  currency: string;
  price: string;
  price_date: string | null;
  carried: number | null;
  provider: string;
  dataset: string;
}
interface FxRow {
  base: string;
  quote: string;
  rate: string;
  rate_date: string | null;
  carried: number | null;
  provider: string;
  dataset: string;
}

/**
 * Reads a pack and checks that its rows still hash to its id. Returns null when there is no such
 * pack; throws PackIntegrityError when the rows do not match the id (or the pack is not a v1 pack).
 */
export function readPack(db: Db, packId: string): Pack | null {
  const s = statements(db);
  const head = s.head.get(packId) as
    { as_of: string; format: string | null; parent_pack_id: string | null } | undefined;
  if (!head) return null;
  if (head.format !== PACK_FORMAT) throw new PackIntegrityError();
  const priceRows = s.prices.all(packId) as PriceRow[];
  const fxRows = s.fx.all(packId) as FxRow[];
  if (priceRows.some((r) => r.price_date === null || r.carried === null)) throw new PackIntegrityError();
  if (fxRows.some((r) => r.rate_date === null || r.carried === null)) throw new PackIntegrityError();
  const content: PackContent = {
    format: PACK_FORMAT,
    as_of: head.as_of,
    parent_pack_id: head.parent_pack_id,
    prices: priceRows.map((r) => ({
      commodity: r.symbol,
      quote_currency: r.currency,
      price: r.price,
      price_date: r.price_date!,
      carried: r.carried === 1,
      provider: r.provider,
      dataset: r.dataset,
    })),
    fx: fxRows.map((r) => ({
      from: r.base,
      to: r.quote,
      rate: r.rate,
      rate_date: r.rate_date!,
      carried: r.carried === 1,
      provider: r.provider,
      dataset: r.dataset,
    })),
  };
  let pack: Pack;
  try {
    pack = makePack(content);
  } catch {
    throw new PackIntegrityError();
  }
  if (pack.pack_id !== packId) throw new PackIntegrityError();
  return pack;
}

/** A stored pack's date and parent, without its rows (null when there is no such pack). */
export function packHead(db: Db, packId: string): { as_of: string; parent_pack_id: string | null } | null {
  return (
    (statements(db).head.get(packId) as { as_of: string; parent_pack_id: string | null } | undefined) ?? null
  );
}

/**
 * A pack's content read for a chain reader: the same check as readPack (the rows must hash to the
 * id) but without its schema pass and deep freeze, which cost most of a read. The hash check alone
 * proves the rows are the content that was validated and sealed: a row changed in any way (value,
 * date, order, form of a decimal) no longer serialises to the text that was hashed. When the fast
 * form does not match (only if SQLite's byte order sorted two rows differently from the canonical
 * code-unit order), readPack decides. Null when there is no such pack; PackIntegrityError when the
 * rows do not hash to the id.
 */
export function readPackContent(db: Db, packId: string): PackContent | null {
  const s = statements(db);
  const head = s.head.get(packId) as
    { as_of: string; format: string | null; parent_pack_id: string | null } | undefined;
  if (!head) return null;
  if (head.format !== PACK_FORMAT) throw new PackIntegrityError();
  type Raw = [string, string, string, string | null, number | null, string, string];
  const priceRows = s.rawPrices.all(packId) as Raw[];
  const fxRows = s.rawFx.all(packId) as Raw[];
  let intact = true;
  const content: PackContent = {
    format: PACK_FORMAT,
    as_of: head.as_of,
    parent_pack_id: head.parent_pack_id,
    prices: priceRows.map(([commodity, quote_currency, price, price_date, carried, provider, dataset]) => {
      if (price_date === null || (carried !== 0 && carried !== 1)) intact = false;
      return {
        commodity,
        quote_currency,
        price,
        price_date: price_date!,
        carried: carried === 1,
        provider,
        dataset,
      };
    }),
    fx: fxRows.map(([from, to, rate, rate_date, carried, provider, dataset]) => {
      if (rate_date === null || (carried !== 0 && carried !== 1)) intact = false;
      return { from, to, rate, rate_date: rate_date!, carried: carried === 1, provider, dataset };
    }),
  };
  if (intact && sha256Hex(serialiseCanonical(content)) === packId) return content;
  const pack = readPack(db, packId);
  return pack === null ? null : { ...pack, prices: [...pack.prices], fx: [...pack.fx] };
}

export interface ChainVerification {
  readonly ok: boolean;
  /** Packs verified, from the given one back to the first. */
  readonly length: number;
  /** The first pack (walking back) that is missing or does not hash to its id. */
  readonly firstBroken: string | null;
}

/** Walks a pack's chain back to its root, recomputing every id. */
export function verifyChain(db: Db, packId: string): ChainVerification {
  let id: string | null = packId;
  let length = 0;
  let previousDate: string | null = null;
  while (id !== null) {
    let pack: Pack | null;
    try {
      pack = readPack(db, id);
    } catch {
      pack = null;
    }
    if (pack === null || (previousDate !== null && !(pack.as_of < previousDate)))
      return { ok: false, length, firstBroken: id };
    length += 1;
    previousDate = pack.as_of;
    id = pack.parent_pack_id;
  }
  return { ok: true, length, firstBroken: null };
}

/** Number of stored packs (v1 or not). */
export function countPacks(db: Db): number {
  return db.prepare('SELECT count(*) FROM pricing_packs').pluck().get() as number;
}

// ---- build state ----------------------------------------------------------------------------

interface BuildRow {
  as_of: string;
  state: BuildState;
  done: number;
  total: number;
  pack_id: string | null;
  carried_count: number;
  missing: string;
  error_code: string | null;
  updated_at: string;
}

function toStatus(row: BuildRow): BuildStatus {
  return {
    as_of: row.as_of,
    state: row.state,
    progress: { done: row.done, total: row.total },
    pack_id: row.pack_id,
    carried: row.carried_count,
    missing: JSON.parse(row.missing) as MissingItem[],
    error_code: row.error_code,
    updated_at: row.updated_at,
  };
}

/** A build id names the process that runs it (`<pid>.<uuid>`), so a build whose process died can be told. */
export function newBuildId(): string {
  return `${process.pid}.${randomUUID()}`;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as { code?: string }).code === 'EPERM';
  }
}

/**
 * Dates left warming by a process that no longer runs (it crashed or was killed mid-build) turn
 * `failed` with BUILD_INTERRUPTED, so a valuation is told to rebuild instead of waiting forever.
 * Returns the number of dates changed.
 */
export function reapInterruptedBuilds(db: Db, isAlive: (pid: number) => boolean = processAlive): number {
  const ids = db
    .prepare("SELECT DISTINCT build_id FROM pack_builds WHERE state = 'warming'")
    .pluck()
    .all() as string[];
  let changed = 0;
  for (const id of ids) {
    const pid = Number(id.split('.', 1)[0]);
    if (!Number.isSafeInteger(pid) || pid <= 0 || pid === process.pid || isAlive(pid)) continue;
    changed += db
      .prepare(
        `UPDATE pack_builds SET state = 'failed', error_code = 'BUILD_INTERRUPTED', updated_at = ? WHERE build_id = ? AND state = 'warming'`,
      )
      .run(new Date().toISOString(), id).changes;
  }
  return changed;
}

/** Marks every date warming under one build id (a rebuilt date leaves ready for warming). */
export function startBuilds(db: Db, dates: readonly string[], buildId: string, total: number): void {
  const now = new Date().toISOString();
  const upsert = db.prepare(
    `INSERT INTO pack_builds (as_of, build_id, state, done, total, pack_id, carried_count, missing, error_code, started_at, updated_at)
     VALUES (?, ?, 'warming', 0, ?, NULL, 0, '[]', NULL, ?, ?)
     ON CONFLICT (as_of) DO UPDATE SET build_id = excluded.build_id, state = 'warming', done = 0,
       total = excluded.total, pack_id = NULL, carried_count = 0, missing = '[]', error_code = NULL,
       started_at = excluded.started_at, updated_at = excluded.updated_at`,
  );
  mapped(() =>
    db.transaction(() => dates.forEach((d) => upsert.run(d, buildId, total, now, now))).immediate(),
  );
}

export function reportProgress(db: Db, buildId: string, done: number): void {
  db.prepare(
    `UPDATE pack_builds SET done = min(?, total), updated_at = ? WHERE build_id = ? AND state = 'warming'`,
  ).run(done, new Date().toISOString(), buildId);
}

/** The date's pack is stored: warming → ready / ready_carried (only if this build still owns the date). */
export function finishBuild(
  db: Db,
  date: string,
  buildId: string,
  packId: string,
  carried: number,
  missing: readonly MissingItem[],
): void {
  statements(db).finish.run(
    carried > 0 ? 'ready_carried' : 'ready',
    packId,
    carried,
    canonicalJson(missing),
    new Date().toISOString(),
    date,
    buildId,
  );
}

export function failBuilds(db: Db, buildId: string, errorCode: string): void {
  db.prepare(
    `UPDATE pack_builds SET state = 'failed', error_code = ?, updated_at = ? WHERE build_id = ? AND state = 'warming'`,
  ).run(errorCode, new Date().toISOString(), buildId);
}

export function getBuild(db: Db, date: string): BuildStatus | null {
  const row = db.prepare('SELECT * FROM pack_builds WHERE as_of = ?').get(date) as BuildRow | undefined;
  return row ? toStatus(row) : null;
}

/** The most recent dates first. */
export function listBuilds(db: Db, limit: number): BuildStatus[] {
  return (db.prepare('SELECT * FROM pack_builds ORDER BY as_of DESC LIMIT ?').all(limit) as BuildRow[]).map(
    toStatus,
  );
}

/** The build of every date in [from, to] that has one, by date. */
export function buildsBetween(db: Db, from: string, to: string): Map<string, BuildStatus> {
  const rows = db
    .prepare('SELECT * FROM pack_builds WHERE as_of BETWEEN ? AND ? ORDER BY as_of')
    .all(from, to) as BuildRow[];
  return new Map(rows.map((row) => [row.as_of, toStatus(row)]));
}

export function countBuilds(db: Db): Record<BuildState, number> {
  const out: Record<BuildState, number> = { warming: 0, ready: 0, ready_carried: 0, failed: 0 };
  for (const row of db.prepare('SELECT state, count(*) AS n FROM pack_builds GROUP BY state').all() as {
    state: BuildState;
    n: number;
  }[])
    out[row.state] = row.n;
  return out;
}

/**
 * The pack of the latest ready BUSINESS day strictly before `date`: the parent of `date`'s pack. A
 * weekend pack (built because a run or a build asked for that date) is a leaf, never a parent, so
 * the chain over business days is the same whichever weekend dates were built (see chain.ts).
 */
export function parentFor(db: Db, date: string): string | null {
  return (
    (db
      .prepare(
        `SELECT pack_id FROM pack_builds WHERE as_of < ? AND state IN ('ready', 'ready_carried')
           AND strftime('%w', as_of) NOT IN ('0', '6')
         ORDER BY as_of DESC LIMIT 1`,
      )
      .pluck()
      .get(date) as string | undefined) ?? null
  );
}
