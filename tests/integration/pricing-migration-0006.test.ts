// Migration 0006 (pack chain and builds): build a store at version 5 with a pack written the 0002
// way, migrate to 6, and check the old pack survived, stays immutable, and v1 packs with their
// chain, dates, carried flags and the build state table work.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { contentOf, PACK_FORMAT } from '../../main/pricing/pack';
import { getBuild, readPack, startBuilds, storePack } from '../../main/pricing/pack-store';
import { migrate } from '../../main/store/migrate';
import { createStore, openStore } from '../../main/store/open';
import { getPack, insertPack } from '../../main/store/repositories/pricing-packs';
import { MemoryVault } from '../../main/vault/memory-vault';

let dir: string;
let file: string;
let vault: MemoryVault;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dawsos-m6-'));
  file = path.join(dir, 'dawsos.db');
  vault = new MemoryVault();
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

it('0006 pack-chain-and-builds: keeps 0002 packs, adds dates, carried flags, parent ids and pack_builds', async () => {
  const store = await createStore({ file, vault, targetVersion: 5 });
  const old = insertPack(store.db, 'test', {
    asOf: '2024-01-02',
    prices: [
      { symbol: 'VTI', price: '230.5', currency: 'USD', provider: 'ledger', dataset: 'price-directives' },
    ],
    fx: [],
  });
  expect(migrate(store.db, 6)).toEqual([6]);
  store.close();

  const reopened = await openStore({ file, vault, migrate: false });
  try {
    const db = reopened.db;
    expect(reopened.schemaVersion).toBe(6);
    expect(getPack(db, old.packId)?.prices[0]?.price).toBe('230.5');
    expect(() => db.prepare('UPDATE pack_prices SET carried = 1').run()).toThrow(/immutable: pack_prices/);
    expect(() => db.prepare('UPDATE pricing_packs SET parent_pack_id = NULL').run()).toThrow(/immutable/);

    const first = storePack(db, {
      format: PACK_FORMAT,
      as_of: '2024-01-03',
      parent_pack_id: null,
      prices: [
        {
          commodity: 'VTI',
          quote_currency: 'USD',
          price: '231',
          price_date: '2024-01-02',
          carried: true,
          provider: 'ledger',
          dataset: 'price-directives',
        },
      ],
      fx: [
        {
          from: 'EUR',
          to: 'USD',
          rate: '1.09',
          rate_date: '2024-01-03',
          carried: false,
          provider: 'ledger',
          dataset: 'price-directives',
        },
      ],
    }).pack;
    const second = storePack(db, {
      ...contentOf(first),
      as_of: '2024-01-04',
      parent_pack_id: first.pack_id,
      fx: first.fx.map((r) => ({ ...r, carried: true })),
    }).pack;
    expect(readPack(db, second.pack_id)?.parent_pack_id).toBe(first.pack_id);
    expect(
      db.prepare('SELECT price_date, carried FROM pack_prices WHERE pack_id = ?').get(first.pack_id),
    ).toEqual({
      price_date: '2024-01-02',
      carried: 1,
    });
    // A parent must be a stored pack; a carried flag must be 0 or 1; a ready build must name its pack.
    expect(() =>
      db
        .prepare(
          "INSERT INTO pack_prices (pack_id, symbol, price, currency, provider, dataset, price_date, carried) VALUES (?, 'X', '1', 'USD', 'p', 'd', '2024-01-01', 2)",
        )
        .run('b'.repeat(64)),
    ).toThrow(/CHECK/);
    startBuilds(db, ['2024-01-05'], 'build-1', 3);
    expect(getBuild(db, '2024-01-05')).toMatchObject({ state: 'warming', progress: { done: 0, total: 3 } });
    expect(() =>
      db.prepare("UPDATE pack_builds SET state = 'ready' WHERE as_of = '2024-01-05'").run(),
    ).toThrow(/CHECK/);
  } finally {
    reopened.close();
  }
});
