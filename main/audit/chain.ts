// The tamper-evident audit log. Every mutation of user data runs inside withAudit(), which appends
// one audit row in the SAME transaction: either both the change and its record commit, or neither.
// Row n stores prev_hash = hash of row n-1 (row 1: GENESIS_HASH) and
//   hash = SHA-256(canonical JSON of [AUDIT_HASH_VERSION, id, ts, actor, action, target, payload_digest, prev_hash]).
// The payload itself is not stored (it may hold portfolio values), only its SHA-256 digest.
// verifyAuditChain() recomputes everything and names the first row that does not fit.
import { z } from 'zod';
import { mapSqliteError } from '../store/errors';
import type { Db } from '../store/sqlcipher';
import { canonicalJson, sha256Hex } from './canonical';

export const GENESIS_HASH = '0'.repeat(64);
const AUDIT_HASH_VERSION = 'dawsos-audit-v1';

export interface AuditEntry {
  /** Who acted: `user` through the app or CLI, `system` for automatic work, `sync:<member>` later. */
  actor: string;
  /** What was done, dotted: `portfolio.create`, `note.delete`, `pack.insert`, `store.restore`. */
  action: string;
  /** What it was done to, e.g. `portfolio:<id>`. Never a value. */
  target: string;
  /** The change's data; only its digest is stored. */
  payload: unknown;
}

export const auditRowSchema = z.object({
  id: z.number().int(),
  ts: z.string(),
  actor: z.string(),
  action: z.string(),
  target: z.string(),
  payload_digest: z.string(),
  prev_hash: z.string(),
  hash: z.string(),
});
export type AuditRow = z.infer<typeof auditRowSchema>;

export function payloadDigest(payload: unknown): string {
  return sha256Hex(canonicalJson(payload ?? null));
}

export function auditRowHash(row: Omit<AuditRow, 'hash'>): string {
  return sha256Hex(
    canonicalJson([
      AUDIT_HASH_VERSION,
      row.id,
      row.ts,
      row.actor,
      row.action,
      row.target,
      row.payload_digest,
      row.prev_hash,
    ]),
  );
}

/** Appends the next chained row. Must run inside the transaction of the change it records. */
export function appendAudit(db: Db, entry: AuditEntry, now: Date = new Date()): AuditRow {
  if (!db.inTransaction) throw new Error('appendAudit must run inside the transaction of its change');
  const last = db.prepare('SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1').get() as
    { id: number; hash: string } | undefined;
  const base = {
    id: (last?.id ?? 0) + 1,
    ts: now.toISOString(),
    actor: entry.actor,
    action: entry.action,
    target: entry.target,
    payload_digest: payloadDigest(entry.payload),
    prev_hash: last?.hash ?? GENESIS_HASH,
  };
  const row: AuditRow = { ...base, hash: auditRowHash(base) };
  db.prepare(
    `INSERT INTO audit_log (id, ts, actor, action, target, payload_digest, prev_hash, hash)
     VALUES (@id, @ts, @actor, @action, @target, @payload_digest, @prev_hash, @hash)`,
  ).run(row);
  return row;
}

/**
 * Runs `mutate` and records it in the audit log, atomically (an IMMEDIATE transaction, or a
 * savepoint inside the caller's). Database refusals come back as typed errors (ImmutabilityError).
 */
export function withAudit<T>(db: Db, entry: AuditEntry, mutate: () => T): T {
  try {
    return db
      .transaction(() => {
        const result = mutate();
        appendAudit(db, entry);
        return result;
      })
      .immediate();
  } catch (error) {
    throw mapSqliteError(error);
  }
}

export type AuditBreakReason = 'hash-mismatch' | 'prev-hash-mismatch' | 'sequence-gap' | 'malformed-row';

export interface AuditVerification {
  ok: boolean;
  rows: number;
  /** Hash of the last row (GENESIS_HASH for an empty log). */
  head: string;
  /** The first row that does not fit the chain, or null. */
  firstBroken: { id: number; reason: AuditBreakReason } | null;
}

export function verifyAuditChain(db: Db): AuditVerification {
  let expectedId = 1;
  let prevHash = GENESIS_HASH;
  let rows = 0;
  const statement = db.prepare(
    'SELECT id, ts, actor, action, target, payload_digest, prev_hash, hash FROM audit_log ORDER BY id',
  );
  for (const raw of statement.iterate()) {
    const parsed = auditRowSchema.safeParse(raw);
    const id = (raw as { id?: unknown }).id;
    const at = typeof id === 'number' ? id : expectedId;
    const broken = (reason: AuditBreakReason): AuditVerification => ({
      ok: false,
      rows,
      head: prevHash,
      firstBroken: { id: at, reason },
    });
    if (!parsed.success) return broken('malformed-row');
    const row = parsed.data;
    if (row.id !== expectedId) return broken('sequence-gap');
    if (row.prev_hash !== prevHash) return broken('prev-hash-mismatch');
    if (auditRowHash(row) !== row.hash) return broken('hash-mismatch');
    prevHash = row.hash;
    expectedId += 1;
    rows += 1;
  }
  return { ok: true, rows, head: prevHash, firstBroken: null };
}
