// One test per migration: build a store at version N-1, put data in it, migrate to N, and check
// that the data survived and what N adds works.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendAudit, verifyAuditChain } from '../../main/audit/chain';
import { migrate } from '../../main/store/migrate';
import { LATEST_SCHEMA_VERSION, migrations } from '../../main/store/migrations';
import { createStore, openStore, type Store } from '../../main/store/open';
import { createPortfolio, listPortfolios } from '../../main/store/repositories/portfolios';
import { getPack, insertPack, type PackContent } from '../../main/store/repositories/pricing-packs';
import { getSetting, setSetting } from '../../main/store/repositories/settings';
import { addNote, listNotes } from '../../main/store/repositories/notes';
import { MemoryVault } from '../../main/vault/memory-vault';

let dir: string;
let file: string;
let vault: MemoryVault;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dawsos-migrate-'));
  file = path.join(dir, 'dawsos.db');
  vault = new MemoryVault();
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const PACK: PackContent = {
  asOf: '2026-12-03',
  prices: [{ symbol: 'VTI', price: '301.25', currency: 'USD', provider: 'polygon', dataset: 'eod' }],
  fx: [{ base: 'EUR', quote: 'USD', rate: '1.0825', provider: 'fred', dataset: 'DEXUSEU' }],
};

function tables(store: Store): string[] {
  return store.db
    .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    .pluck()
    .all() as string[];
}

/** Creates the store at version N-1, runs `seed`, migrates to N, reopens it and runs `check`. */
async function step(
  version: number,
  seed: (store: Store) => void,
  check: (store: Store) => void,
): Promise<void> {
  const store = await createStore({ file, vault, targetVersion: version - 1 });
  expect(store.schemaVersion).toBe(version - 1);
  seed(store);
  expect(migrate(store.db, version)).toEqual([version]);
  store.close();
  const reopened = await openStore({ file, vault, migrate: false });
  try {
    expect(reopened.schemaVersion).toBe(version);
    check(reopened);
  } finally {
    reopened.close();
  }
}

describe('migrations', () => {
  it('are numbered 1..N without gaps and the latest is what a new store gets', async () => {
    expect(migrations.map((m) => m.version)).toEqual(
      Array.from({ length: LATEST_SCHEMA_VERSION }, (_, i) => i + 1),
    );
    const store = await createStore({ file, vault });
    expect(store.schemaVersion).toBe(LATEST_SCHEMA_VERSION);
    store.close();
  });

  it('applies each migration in its own transaction: a failing one leaves no trace and the version unchanged', async () => {
    const store = await createStore({ file, vault, targetVersion: 0 });
    const first = migrations[0] as (typeof migrations)[number];
    const failing = {
      version: 2,
      name: 'fails-half-way',
      up(db: Store['db']) {
        db.exec('CREATE TABLE half_done (x INTEGER) STRICT');
        throw new Error('migration failed half way');
      },
    };
    expect(() => migrate(store.db, 2, [first, failing])).toThrow('half way');
    expect(store.schemaVersion).toBe(1);
    expect(tables(store)).toEqual(['audit_log', 'settings']);
    expect(() => migrate(store.db, undefined, [first])).not.toThrow();
    store.db.pragma('user_version = 3');
    expect(() => migrate(store.db, undefined, [first, failing])).toThrow(/schema version 3/);
    store.close();
  });

  it('0001 settings-and-audit: creates settings and the append-only audit log', async () => {
    await step(
      1,
      (store) => expect(tables(store)).toEqual([]),
      (store) => {
        expect(tables(store)).toEqual(['audit_log', 'settings']);
        store.db.transaction(() =>
          appendAudit(store.db, { actor: 'user', action: 't', target: 'x', payload: 1 }),
        )();
        expect(() => store.db.prepare('DELETE FROM audit_log').run()).toThrow(/immutable: audit_log/);
      },
    );
  });

  it('0002 pricing-packs: keeps settings and audit rows, adds sealed packs', async () => {
    await step(
      2,
      (store) => setSetting(store.db, 'user', 'theme', 'dark'),
      (store) => {
        expect(getSetting(store.db, 'theme')).toBe('dark');
        expect(verifyAuditChain(store.db)).toMatchObject({ ok: true, rows: 1 });
        const { packId } = insertPack(store.db, 'system', PACK);
        expect(getPack(store.db, packId)).toEqual(PACK);
        expect(() => store.db.prepare("UPDATE pack_prices SET price = '1'").run()).toThrow(
          /immutable: pack_prices/,
        );
      },
    );
  });

  it('0003 portfolios-and-ledger: keeps packs, adds portfolios and ledger-derived tables tied to packs', async () => {
    let packId = '';
    await step(
      3,
      (store) => {
        packId = insertPack(store.db, 'system', PACK).packId;
      },
      (store) => {
        expect(getPack(store.db, packId)).toEqual(PACK);
        createPortfolio(store.db, 'user', { portfolioId: 'p1', name: 'Main', baseCurrency: 'USD' });
        const valuation = store.db.prepare(
          `INSERT INTO valuations (portfolio_id, as_of, pricing_pack_id, ledger_commit_hash, market_value, cost_basis, currency, trace_id, computed_at)
           VALUES ('p1', '2026-12-03', ?, 'abc1234', '1000.50', '900', 'USD', 't1', '2026-12-04T00:00:00Z')`,
        );
        valuation.run(packId);
        expect(() => valuation.run('f'.repeat(64))).toThrow(/FOREIGN KEY/);
        expect(() =>
          store.db
            .prepare(
              `INSERT INTO lots (portfolio_id, lot_id, account, commodity, units, cost_per_unit, cost_currency, acquired_on, ledger_commit_hash)
               VALUES ('p1', 'l1', 'Assets:Broker', 'VTI', '1.5e3', '10', 'USD', '2026-01-01', 'abc1234')`,
            )
            .run(),
        ).toThrow(/CHECK/);
      },
    );
  });

  it('0004 provider-cache-and-dead-letters: keeps portfolios, adds cache and idempotent dead letters', async () => {
    await step(
      4,
      (store) => createPortfolio(store.db, 'user', { portfolioId: 'p1', name: 'Main', baseCurrency: 'USD' }),
      (store) => {
        expect(listPortfolios(store.db).map((p) => p.portfolio_id)).toEqual(['p1']);
        store.db
          .prepare(
            "INSERT INTO provider_cache (provider, dataset, request_key, fetched_at, body) VALUES ('fmp', 'profile', 'AAPL', '2026-12-04T00:00:00Z', '{}')",
          )
          .run();
        const letter = store.db.prepare(
          `INSERT INTO dead_letters (idempotency_key, provider, dataset, request, error_code, first_failed_at, last_failed_at)
           VALUES ('k1', 'fmp', 'profile', '{}', 'TIMEOUT', 'now', 'now')`,
        );
        letter.run();
        expect(() => letter.run()).toThrow(/UNIQUE/);
      },
    );
  });

  it('0005 analysis-and-notes: keeps portfolios and dead letters, adds notes and the analysis tables', async () => {
    await step(
      5,
      (store) => {
        createPortfolio(store.db, 'user', { portfolioId: 'p1', name: 'Main', baseCurrency: 'USD' });
        store.db
          .prepare(
            `INSERT INTO dead_letters (idempotency_key, provider, dataset, request, error_code, first_failed_at, last_failed_at)
             VALUES ('k1', 'fmp', 'profile', '{}', 'TIMEOUT', 'now', 'now')`,
          )
          .run();
      },
      (store) => {
        expect(listPortfolios(store.db)).toHaveLength(1);
        expect(store.db.prepare('SELECT count(*) FROM dead_letters').pluck().get()).toBe(1);
        for (const table of ['pattern_runs', 'reports', 'alerts', 'notes', 'targets', 'reconciliations'])
          expect(tables(store)).toContain(table);
        addNote(store.db, 'user', { portfolioId: 'p1', body: 'rebalance in March' });
        expect(listNotes(store.db, 'p1').map((n) => n.body)).toEqual(['rebalance in March']);
        expect(() => addNote(store.db, 'user', { portfolioId: 'nope', body: 'x' })).toThrow(/FOREIGN KEY/);
        expect(verifyAuditChain(store.db)).toMatchObject({ ok: true, rows: 2 });
      },
    );
  });
});
