// Migration 0008 (pattern run records): a store at version 7 with a run written the 0005 way and a
// report that refers to it, migrated to 8. The old run survives (never served again: stale, legacy
// key), the report still finds its run, and runs recorded through the adapter are found by key.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { verifyAuditChain } from '../../main/audit/chain';
import type { PatternRunRecord } from '../../main/orchestrator/cache';
import {
  insertPatternRun,
  latestFreshPatternRun,
  listPatternRuns,
  StorePatternRunStore,
} from '../../main/orchestrator/store-run-store';
import { migrate } from '../../main/store/migrate';
import { createStore, openStore } from '../../main/store/open';
import { createPortfolio } from '../../main/store/repositories/portfolios';
import { MemoryVault } from '../../main/vault/memory-vault';

let dir: string;
let file: string;
let vault: MemoryVault;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dawsos-m8-'));
  file = path.join(dir, 'dawsos.db');
  vault = new MemoryVault();
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const KEY = 'a'.repeat(64);
function run(overrides: Partial<PatternRunRecord>): PatternRunRecord {
  return {
    key: KEY,
    pattern_id: 'portfolio_overview',
    pattern_version: 1,
    portfolio_id: 'p1',
    ledger_commit_hash: 'c'.repeat(40),
    pricing_pack_id: 'b'.repeat(64),
    params_json: '{"as_of":null}',
    trace_id: 't-1',
    generated_at: '2026-12-04T10:00:00.000Z',
    duration_ms: 12,
    stale: false,
    envelope_json: '{"panels":{}}',
    ...overrides,
  };
}

it('0008 pattern-run-records: keeps 0005 runs (never served) and their reports, records and finds runs by key', async () => {
  const store = await createStore({ file, vault, targetVersion: 7 });
  createPortfolio(store.db, 'user', { portfolioId: 'p1', name: 'Main', baseCurrency: 'USD' });
  store.db
    .prepare(
      `INSERT INTO pattern_runs (portfolio_id, run_id, pattern_id, pricing_pack_id, ledger_commit_hash, trace_id,
         status, started_at, finished_at, envelope)
       VALUES ('p1', 'r-old', 'risk', NULL, 'abc', 'trace-old', 'ok',
         '2026-01-02T00:00:00.000Z', '2026-01-02T00:00:01.500Z', '{"panels":{}}')`,
    )
    .run();
  store.db
    .prepare(
      `INSERT INTO reports (portfolio_id, report_id, run_id, kind, ledger_commit_hash, trace_id, created_at)
       VALUES ('p1', 'rep-1', 'r-old', 'pdf', 'abc', 'trace-old', 'now')`,
    )
    .run();
  expect(migrate(store.db, 8)).toEqual([8]);
  store.close();

  const reopened = await openStore({ file, vault, migrate: false });
  try {
    const db = reopened.db;
    expect(reopened.schemaVersion).toBe(8);
    expect(db.prepare('SELECT sql FROM sqlite_schema WHERE name = ?').pluck().get('pattern_runs')).toMatch(
      /STRICT/,
    );
    expect(db.pragma('foreign_key_check')).toEqual([]);
    // The 0005 run came over: same ids, a key no lookup produces, stale so it is never served.
    expect(listPatternRuns(db, 'p1')).toEqual([
      {
        key: 'legacy:r-old',
        pattern_id: 'risk',
        pattern_version: 0,
        portfolio_id: 'p1',
        ledger_commit_hash: 'abc',
        pricing_pack_id: '',
        params_json: 'null',
        trace_id: 'trace-old',
        generated_at: '2026-01-02T00:00:01.500Z',
        duration_ms: 1500,
        stale: true,
        envelope_json: '{"panels":{}}',
      },
    ]);
    expect(latestFreshPatternRun(db, 'legacy:r-old')).toBeUndefined();
    // The report still refers to a run the table holds.
    expect(
      db
        .prepare(
          'SELECT r.trace_id FROM reports AS rep JOIN pattern_runs AS r USING (portfolio_id, run_id) WHERE rep.report_id = ?',
        )
        .pluck()
        .get('rep-1'),
    ).toBe('trace-old');

    // New runs: recorded with an audit row; find() gives the latest non-stale one for the key.
    const adapter = new StorePatternRunStore(() => db);
    await adapter.record(run({ trace_id: 't-1' }));
    await adapter.record(run({ trace_id: 't-2', generated_at: '2026-12-04T11:00:00.000Z' }));
    await adapter.record(run({ trace_id: 't-3', generated_at: '2026-12-04T12:00:00.000Z', stale: true }));
    expect((await adapter.find(KEY))?.trace_id).toBe('t-2');
    expect(await adapter.find('d'.repeat(64))).toBeUndefined();
    expect(db.prepare('SELECT run_id FROM pattern_runs WHERE trace_id = ?').pluck().get('t-2')).toBe('t-2');
    expect(verifyAuditChain(db)).toMatchObject({ ok: true, rows: 4 });
    expect(
      db.prepare("SELECT count(*) FROM audit_log WHERE action = 'pattern_run.record'").pluck().get(),
    ).toBe(3);
    // A portfolio the store does not hold, a repeated trace id, or invalid JSON is refused, and
    // nothing (not even an audit row) is written.
    await expect(adapter.record(run({ portfolio_id: 'nope', trace_id: 't-4' }))).rejects.toThrow(
      /FOREIGN KEY/,
    );
    expect(() => insertPatternRun(db, run({ trace_id: 't-1' }))).toThrow(/UNIQUE/);
    expect(() => insertPatternRun(db, run({ trace_id: 't-5', envelope_json: '{' }))).toThrow(/CHECK/);
    expect(verifyAuditChain(db)).toMatchObject({ ok: true, rows: 4 });
  } finally {
    reopened.close();
  }
});
