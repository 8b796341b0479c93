// Pricing packs and the audit log are append-only, enforced by the database itself. fast-check
// throws random UPDATEs, DELETEs, REPLACEs, UPSERTs and late inserts at them through every path
// (raw SQL on the connection, the typed API wrapper, audited repository calls) and proves that no
// existing row ever changes or disappears.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain, withAudit } from '../../main/audit/chain';
import { ImmutabilityError, mapped } from '../../main/store/errors';
import { IMMUTABLE_TABLES } from '../../main/store/migrations';
import { createStore, type Store } from '../../main/store/open';
import { insertPack, packId, type PackContent } from '../../main/store/repositories/pricing-packs';
import { setSetting } from '../../main/store/repositories/settings';
import { MemoryVault } from '../../main/vault/memory-vault';

type Table = (typeof IMMUTABLE_TABLES)[number];
let dir: string;
let store: Store;
const packIds: string[] = [];

const PACKS: PackContent[] = [
  {
    asOf: '2026-12-02',
    prices: [
      { symbol: 'VTI', price: '300.10', currency: 'USD', provider: 'polygon', dataset: 'eod' },
      { symbol: 'BND', price: '72.05', currency: 'USD', provider: 'polygon', dataset: 'eod' },
    ],
    fx: [{ base: 'EUR', quote: 'USD', rate: '1.08', provider: 'fred', dataset: 'DEXUSEU' }],
  },
  {
    asOf: '2026-12-03',
    prices: [{ symbol: 'VTI', price: '301.25', currency: 'USD', provider: 'polygon', dataset: 'eod' }],
    fx: [{ base: 'GBP', quote: 'USD', rate: '1.27', provider: 'fred', dataset: 'DEXUSUK' }],
  },
];

const KEYS: Record<Table, string[]> = {
  pricing_packs: ['pack_id'],
  pack_prices: ['pack_id', 'symbol'],
  pack_fx: ['pack_id', 'base', 'quote'],
  audit_log: ['id'],
};

function columns(table: Table): string[] {
  return store.db.prepare('SELECT name FROM pragma_table_info(?)').pluck().all(table) as string[];
}

function dump(): Record<Table, unknown[]> {
  const out = {} as Record<Table, unknown[]>;
  for (const table of IMMUTABLE_TABLES)
    out[table] = store.db.prepare(`SELECT * FROM ${table} ORDER BY rowid`).all();
  return out;
}

function rows(table: Table): Record<string, unknown>[] {
  return store.db.prepare(`SELECT * FROM ${table} ORDER BY rowid`).all() as Record<string, unknown>[];
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dawsos-immutable-'));
  store = await createStore({ file: path.join(dir, 'dawsos.db'), vault: new MemoryVault() });
  for (const pack of PACKS) packIds.push(insertPack(store.db, 'system', pack).packId);
  setSetting(store.db, 'user', 'theme', 'dark');
});
afterAll(() => {
  store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const tableArb = fc.constantFrom(...IMMUTABLE_TABLES);
const valueArb = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.integer(),
  fc.constant(null),
  fc.constantFrom('0', '999999.99', '-1', 'f'.repeat(64), '2026-01-01'),
);

/** One attempted write: SQL and parameters, built against a row that exists. */
const attemptArb = fc.record({
  table: tableArb,
  kind: fc.constantFrom('update', 'update-all', 'delete', 'delete-all', 'replace', 'upsert', 'late-insert'),
  rowPick: fc.nat(),
  columnPick: fc.nat(),
  value: valueArb,
  path: fc.constantFrom('raw', 'api', 'audited'),
});

function build(
  a: fc.Arbitrary<unknown> extends never ? never : ReturnType<typeof attemptArb.generate>['value'],
): {
  sql: string;
  params: unknown[];
} | null {
  const existing = rows(a.table);
  if (existing.length === 0) return null;
  const row = existing[a.rowPick % existing.length] as Record<string, unknown>;
  const cols = columns(a.table);
  const column = cols[a.columnPick % cols.length] as string;
  const keys = KEYS[a.table];
  const where = keys.map((k) => `${k} = ?`).join(' AND ');
  const keyValues = keys.map((k) => row[k]);
  const changed = { ...row, [column]: a.value };
  const placeholders = cols.map(() => '?').join(', ');
  switch (a.kind) {
    case 'update':
      return { sql: `UPDATE ${a.table} SET ${column} = ? WHERE ${where}`, params: [a.value, ...keyValues] };
    case 'update-all':
      return { sql: `UPDATE ${a.table} SET ${column} = ${column}`, params: [] };
    case 'delete':
      return { sql: `DELETE FROM ${a.table} WHERE ${where}`, params: keyValues };
    case 'delete-all':
      return { sql: `DELETE FROM ${a.table}`, params: [] };
    case 'replace':
      return {
        sql: `INSERT OR REPLACE INTO ${a.table} (${cols.join(', ')}) VALUES (${placeholders})`,
        params: cols.map((c) => (keys.includes(c) ? row[c] : changed[c])),
      };
    case 'upsert': {
      const target = cols.find((c) => !keys.includes(c)) as string;
      return {
        sql: `INSERT INTO ${a.table} (${cols.join(', ')}) VALUES (${placeholders}) ON CONFLICT DO UPDATE SET ${target} = excluded.${target}`,
        params: cols.map((c) => (keys.includes(c) ? row[c] : c === target ? `${String(row[c])}x` : row[c])),
      };
    }
    case 'late-insert': {
      if (a.table === 'pack_prices')
        return {
          sql: "INSERT INTO pack_prices (pack_id, symbol, price, currency, provider, dataset) VALUES (?, ?, '1', 'USD', 'p', 'd')",
          params: [row.pack_id, `NEW${a.rowPick}`],
        };
      if (a.table === 'pack_fx')
        return {
          sql: "INSERT INTO pack_fx (pack_id, base, quote, rate, provider, dataset) VALUES (?, ?, 'USD', '1', 'p', 'd')",
          params: [row.pack_id, `X${a.rowPick}`],
        };
      // Same key, other values: a second version of an existing row.
      return {
        sql: `INSERT INTO ${a.table} (${cols.join(', ')}) VALUES (${placeholders})`,
        params: cols.map((c) => (keys.includes(c) ? row[c] : changed[c])),
      };
    }
  }
}

describe('immutable tables', () => {
  it('refuse every random UPDATE / DELETE / REPLACE / UPSERT / late insert, and nothing changes', () => {
    fc.assert(
      fc.property(attemptArb, (attempt) => {
        const statement = build(attempt);
        if (!statement) return;
        const before = dump();
        const auditRows = before.audit_log.length;
        const run = () => store.db.prepare(statement.sql).run(...statement.params);
        let error: unknown = null;
        try {
          if (attempt.path === 'raw') run();
          else if (attempt.path === 'api') mapped(run);
          else
            withAudit(
              store.db,
              { actor: 'user', action: 'attack', target: attempt.table, payload: statement },
              run,
            );
        } catch (e) {
          error = e;
        }
        // Either the database refused it, or (a CHECK/type error first) it never got that far:
        // in every case no existing row changed and no audit row was added.
        expect(error).not.toBeNull();
        if (attempt.path === 'raw') {
          if (!(error instanceof Error && /immutable: /.test(error.message)))
            expect(String((error as Error).message)).toMatch(/constraint|datatype|cannot store|NOT NULL/i);
        } else if (!(error instanceof ImmutabilityError)) {
          expect(String((error as Error).message)).toMatch(/constraint|datatype|cannot store|NOT NULL/i);
        }
        expect(dump()).toEqual(before);
        expect(dump().audit_log.length).toBe(auditRows);
      }),
      { numRuns: 400 },
    );
    expect(verifyAuditChain(store.db).ok).toBe(true);
  });

  it('maps the refusal to ImmutabilityError naming the table, through the API and audited repositories', () => {
    expect(() => mapped(() => store.db.prepare("UPDATE pack_prices SET price = '0'").run())).toThrow(
      ImmutabilityError,
    );
    const error = (() => {
      try {
        withAudit(store.db, { actor: 'user', action: 'x', target: 'y', payload: null }, () =>
          store.db.prepare('DELETE FROM pricing_packs').run(),
        );
      } catch (e) {
        return e;
      }
      return null;
    })();
    expect(error).toBeInstanceOf(ImmutabilityError);
    expect((error as ImmutabilityError).table).toBe('pricing_packs');
    expect((error as ImmutabilityError).code).toBe('IMMUTABLE');
  });

  it('repository inserts never alter an existing pack: same content is the same pack, new content a new id', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(0, 1),
        fc.option(fc.stringMatching(/^[0-9]{1,5}\.[0-9]{1,4}$/), { nil: undefined }),
        (which, newPrice) => {
          const before = dump();
          const base = PACKS[which] as PackContent;
          const content =
            newPrice === undefined
              ? base
              : { ...base, prices: base.prices.map((p, i) => (i === 0 ? { ...p, price: newPrice } : p)) };
          const result = insertPack(store.db, 'system', content);
          expect(result.packId).toBe(packId(content));
          const after = dump();
          for (const table of IMMUTABLE_TABLES)
            expect(after[table].slice(0, before[table].length)).toEqual(before[table]);
          if (newPrice === undefined || newPrice === base.prices[0]?.price)
            expect(result.created).toBe(false);
        },
      ),
      { numRuns: 60 },
    );
    expect(packIds.every((id) => rows('pricing_packs').some((r) => r.pack_id === id))).toBe(true);
    expect(verifyAuditChain(store.db).ok).toBe(true);
  });
});
