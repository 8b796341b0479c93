// Migration 0007 (provider data and quota), tested as every migration is: build the store at
// version 6, put data in it, migrate to 7, reopen, and check the data survived and 0007 works.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrate } from '../../main/store/migrate';
import { createStore, openStore } from '../../main/store/open';
import { MemoryVault } from '../../main/vault/memory-vault';

let dir: string;
let file: string;
let vault: MemoryVault;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dawsos-migrate-0007-'));
  file = path.join(dir, 'dawsos.db');
  vault = new MemoryVault();
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const KEY_A = 'a'.repeat(64);

describe('migrations', () => {
  it('0007 provider-data-and-quota: keeps cached provider answers, adds data tables with natural keys and the quota ledger', async () => {
    const store = await createStore({ file, vault, targetVersion: 6 });
    expect(store.schemaVersion).toBe(6);
    store.db
      .prepare(
        `INSERT INTO provider_cache (provider, dataset, request_key, fetched_at, expires_at, body)
         VALUES ('fmp', 'fmp.quote', ?, '2026-12-01T09:00:00.000Z', NULL, '{"price":"1.5"}')`,
      )
      .run(KEY_A);
    expect(migrate(store.db, 7)).toEqual([7]);
    store.close();

    const reopened = await openStore({ file, vault, migrate: false });
    const db = reopened.db;
    try {
      expect(reopened.schemaVersion).toBe(7);
      expect(db.prepare('SELECT body FROM provider_cache WHERE request_key = ?').pluck().get(KEY_A)).toBe(
        '{"price":"1.5"}',
      );
      // Last-good lookups are by request key alone, and it is unique.
      expect(() =>
        db
          .prepare(
            `INSERT INTO provider_cache (provider, dataset, request_key, fetched_at, body)
             VALUES ('polygon', 'polygon.dailyAggregates', ?, 'x', 'null')`,
          )
          .run(KEY_A),
      ).toThrow(/UNIQUE/);

      const price = db.prepare(
        `INSERT INTO provider_prices (provider, dataset, symbol, date, open, high, low, close, volume, fetched_at)
         VALUES (?, ?, 'AAPL', '2024-01-02', '10.5', '11', '10', ?, NULL, 'now')`,
      );
      price.run('fmp', 'historical-price-eod', '10.75');
      price.run('polygon', 'aggregates-daily', '10.76');
      expect(() => price.run('fmp', 'historical-price-eod', '10.8')).toThrow(/UNIQUE/);
      // Prices are exact decimal text: a float's exponent form or a word is refused.
      expect(() =>
        db
          .prepare(
            `INSERT INTO provider_prices (provider, dataset, symbol, date, open, high, low, close, fetched_at)
             VALUES ('fmp', 'd', 'X', '2024-01-02', '1e-7', '1', '1', '1', 'now')`,
          )
          .run(),
      ).toThrow(/CHECK/);

      const point = db.prepare(
        `INSERT INTO provider_series_points (provider, series_id, date, dataset, value, fetched_at)
         VALUES ('fred', 'DGS10', ?, 'series-observations', ?, 'now')`,
      );
      point.run('2024-01-01', null);
      point.run('2024-01-02', '3.95');
      expect(() => point.run('2024-01-02', '3.96')).toThrow(/UNIQUE/);

      const article = db.prepare(
        `INSERT INTO provider_articles (url, provider, dataset, title, source_name, published_at, fetched_at)
         VALUES ('https://news.example/a', 'newsapi', 'everything', ?, 'Wire', '2024-01-02T10:00:00Z', 'now')`,
      );
      article.run('First');
      expect(() => article.run('Again')).toThrow(/UNIQUE/);

      db.prepare(
        "INSERT INTO provider_quota (provider, period, used, updated_at) VALUES ('fmp', '2026-12-04', 3, 'now')",
      ).run();
      db.prepare(
        "INSERT INTO provider_quota (provider, period, used, updated_at) VALUES ('polygon', '2026-12', 1, 'now')",
      ).run();
      expect(() =>
        db
          .prepare(
            "INSERT INTO provider_quota (provider, period, used, updated_at) VALUES ('fmp', 'today', 1, 'now')",
          )
          .run(),
      ).toThrow(/CHECK/);
      const alarm = db.prepare(
        "INSERT INTO provider_quota_alarms (provider, period, threshold, raised_at) VALUES ('fmp', '2026-12-04', 70, 'now') ON CONFLICT DO NOTHING",
      );
      expect(alarm.run().changes).toBe(1);
      expect(alarm.run().changes).toBe(0);
    } finally {
      reopened.close();
    }
  });
});
