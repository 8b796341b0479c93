// The provider layer over the REAL encrypted store (a SQLCipher file in a temp folder), keys in a
// real passphrase vault, and the local provider servers. A "restart" closes the service, the store
// and the vault and opens new ones on the same files, as a new process would.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ProviderAlert } from '../../shared/ipc/providers';
import { verifyAuditChain } from '../../main/audit/chain';
import { createLogger, MemorySink } from '../../main/logging/logger';
import { ProviderUnavailableError } from '../../main/providers/errors';
import { VirtualClock } from '../../main/providers/resilience/clock';
import { requestKey } from '../../main/providers/resilience/request-key';
import { ProviderService } from '../../main/providers/service';
import { StoreDeadLetterStore } from '../../main/providers/store/dead-letters';
import { StoreQuotaLedger } from '../../main/providers/store/quota';
import { VaultSecretSource } from '../../main/providers/vault-secrets';
import { PROVIDER_NAMES } from '../../main/providers/types';
import { createStore, openStore, type Store } from '../../main/store/open';
import { PassphraseVault, passphraseVaultFile } from '../../main/vault/passphrase-vault';
import {
  clientBars,
  startProviderServers,
  type FailureMode,
  type ProviderServers,
} from '../support/provider-servers';
import { mulberry32 } from '../support/provider-servers/prng';
import { GENEROUS_PLAN, TEST_KEYS } from '../support/provider-servers/test-registry';

const TEST_COST = { N: 2 ** 12, r: 8, p: 1 };
const PASSPHRASE = 'correct horse battery staple for tests';
const EOD_PATH = '/stable/historical-price-eod/full';

let servers: ProviderServers;
let dir: string;
let file: string;

beforeAll(async () => {
  servers = await startProviderServers({ keys: TEST_KEYS });
});
afterAll(async () => {
  await servers.stop();
});
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dawsos-providers-store-'));
  file = path.join(dir, 'dawsos.db');
  servers.reset();
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function vault(): PassphraseVault {
  return new PassphraseVault({ file: passphraseVaultFile(file), passphrase: PASSPHRASE, cost: TEST_COST });
}

interface Session {
  store: Store;
  service: ProviderService;
  alerts: ProviderAlert[];
  close(): Promise<void>;
}

/** One "process": a fresh vault object, the store opened from disk, a provider service over both. */
async function session(
  clock: VirtualClock,
  plans: Record<string, unknown> = {},
  extra: { logger?: ReturnType<typeof createLogger>; requestTimeoutMs?: number; breakerOpenMs?: number } = {},
): Promise<Session> {
  const v = vault();
  const store = fs.existsSync(file)
    ? await openStore({ file, vault: v })
    : await createStore({ file, vault: v });
  const service = new ProviderService({
    store: () => store,
    ...(extra.logger ? { logger: extra.logger } : {}),
    registry: {
      baseUrls: servers.baseUrls,
      env: {},
      clock,
      random: () => 0.5,
      requestTimeoutMs: extra.requestTimeoutMs ?? 1_000,
      ...(extra.breakerOpenMs === undefined ? {} : { breakerOpenMs: extra.breakerOpenMs }),
      plans: Object.fromEntries(PROVIDER_NAMES.map((n) => [n, { ...GENEROUS_PLAN, ...plans }])),
    },
  });
  service.attachVault(v);
  const alerts: ProviderAlert[] = [];
  service.onAlert((a) => alerts.push(a));
  return {
    store,
    service,
    alerts,
    async close() {
      await service.idle();
      service.close();
      store.close();
    },
  };
}

async function setAllKeys(): Promise<void> {
  const secrets = new VaultSecretSource(vault());
  for (const name of PROVIDER_NAMES) await secrets.setKey(name, TEST_KEYS[name]);
}

function count(store: Store, table: string, where = '1'): number {
  return store.db.prepare(`SELECT count(*) FROM ${table} WHERE ${where}`).pluck().get() as number;
}

describe('last good values in the store', () => {
  it('survive a restart: with FMP down the stale value is served with the time it was fetched', async () => {
    await setAllKeys();
    const clock = new VirtualClock(Date.UTC(2026, 11, 1, 9));
    const first = await session(clock);
    const fresh = await first.service.registry().fmp.eodHistory('AAPL', '2024-01-02', '2024-03-28');
    expect(fresh.stale).toBe(false);
    expect(fresh.as_of).toBe('2026-12-01T09:00:00.000Z');
    expect(fresh.value).toEqual(
      clientBars('AAPL', '2024-01-02', '2024-03-28').map((bar) => ({ symbol: 'AAPL', ...bar })),
    );
    await first.close();

    clock.set(Date.UTC(2026, 11, 2, 15));
    servers.fmp.setMode({ kind: '503', retryAfter: '1' });
    const second = await session(clock);
    const stale = await second.service.registry().fmp.eodHistory('AAPL', '2024-01-02', '2024-03-28');
    expect(stale).toMatchObject({
      stale: true,
      as_of: '2026-12-01T09:00:00.000Z',
      message: 'FMP unavailable: HTTP 503',
      licence: { provider: 'fmp', dataset: 'historical-price-eod' },
    });
    expect(stale.value).toEqual(fresh.value);
    // Retries waited (virtually) for Retry-After; the failure is recorded when the call gave up.
    const failedAt = new Date(clock.now()).toISOString();
    expect(failedAt > '2026-12-02T15:00:00.000Z').toBe(true);
    const [fmp] = await second.service.status();
    expect(fmp).toMatchObject({
      provider: 'fmp',
      configured: true,
      last_success_at: '2026-12-01T09:00:00.000Z',
      last_failure_at: failedAt,
      last_failure_reason: 'HTTP 503',
      stale_served: 1,
      dead_letters: 1,
    });
    await second.close();

    // A third process, before any call, still knows both times from the store.
    const third = await session(clock);
    const [again] = await third.service.status();
    expect(again).toMatchObject({
      last_success_at: '2026-12-01T09:00:00.000Z',
      last_failure_at: failedAt,
      last_failure_reason: 'HTTP 503',
      dead_letters: 1,
      stale_served: 0,
    });
    await third.close();
  });
});

describe('dead letters in the store', () => {
  it('persist across a restart and replay exactly once, with no duplicate rows', async () => {
    await setAllKeys();
    const clock = new VirtualClock(Date.UTC(2026, 11, 3, 9));
    const symbols = ['MSFT', 'NVDA', 'JPM'];
    const from = '2023-06-01';
    const to = '2023-12-29';

    servers.fmp.setMode('500');
    servers.fred.setMode('reset');
    const first = await session(clock);
    const r1 = first.service.registry();
    for (const symbol of symbols) {
      await expect(r1.fmp.eodHistory(symbol, from, to)).rejects.toBeInstanceOf(ProviderUnavailableError);
    }
    await expect(r1.fred.observations('DGS10', '2024-01-01', '2024-03-31')).rejects.toBeInstanceOf(
      ProviderUnavailableError,
    );
    // The same request failing again is the same letter, one more attempt.
    await expect(r1.fmp.eodHistory('MSFT', from, to)).rejects.toBeInstanceOf(ProviderUnavailableError);
    expect(count(first.store, 'dead_letters')).toBe(4);
    expect(count(first.store, 'provider_prices')).toBe(0);
    await first.close();

    servers.reset();
    const second = await session(clock);
    const letters = await new StoreDeadLetterStore(second.store.db).list('fmp');
    expect(letters.map((l) => l.params.symbol)).toEqual(symbols);
    // MSFT failed twice: HTTP 500 (which opened the breaker), then refused by the open breaker.
    expect(letters[0]).toMatchObject({
      operation: 'fmp.eodHistory',
      reason: 'circuit open after repeated failures',
      failures: 2,
    });
    expect(letters[0]?.key).toBe(
      requestKey({ provider: 'fmp', operation: 'fmp.eodHistory', params: { symbol: 'MSFT', from, to } }),
    );

    const reports = await second.service.replay();
    expect(reports).toEqual([
      { provider: 'fmp', replayed: 3, failed: 0, remaining: 0 },
      { provider: 'polygon', replayed: 0, failed: 0, remaining: 0 },
      { provider: 'fred', replayed: 1, failed: 0, remaining: 0 },
      { provider: 'newsapi', replayed: 0, failed: 0, remaining: 0 },
    ]);
    expect(servers.fmp.requestCount(EOD_PATH)).toBe(3);
    const expectedBars = symbols.reduce((n, s) => n + clientBars(s, from, to).length, 0);
    expect(expectedBars).toBeGreaterThan(300);
    expect(count(second.store, 'provider_prices')).toBe(expectedBars);
    expect(
      count(second.store, 'provider_prices', "provider = 'fmp' AND dataset = 'historical-price-eod'"),
    ).toBe(expectedBars);
    const points = count(second.store, 'provider_series_points');
    expect(points).toBeGreaterThan(0);
    expect(count(second.store, 'provider_series_points', 'value IS NULL')).toBeGreaterThan(0);
    expect(count(second.store, 'dead_letters', 'replayed_at IS NULL')).toBe(0);

    // Replaying again sends nothing and writes nothing.
    expect((await second.service.replay('fmp'))[0]).toEqual({
      provider: 'fmp',
      replayed: 0,
      failed: 0,
      remaining: 0,
    });
    expect(servers.fmp.requestCount(EOD_PATH)).toBe(3);
    await second.close();

    // A crash after the write but before the letter was cleared: the letter comes back, and its
    // replay upserts the same rows — still no duplicate.
    const third = await session(clock);
    await new StoreDeadLetterStore(third.store.db).put({
      key: letters[0]!.key,
      provider: 'fmp',
      operation: 'fmp.eodHistory',
      params: letters[0]!.params,
      reason: 'HTTP 500',
      last_failed_at: new Date(clock.now()).toISOString(),
    });
    expect((await third.service.replay('fmp'))[0]).toMatchObject({ replayed: 1, remaining: 0 });
    expect(servers.fmp.requestCount(EOD_PATH)).toBe(4);
    expect(count(third.store, 'provider_prices')).toBe(expectedBars);
    expect(count(third.store, 'provider_series_points')).toBe(points);
    expect(count(third.store, 'dead_letters')).toBe(4);
    // Every batch written was recorded in the audit chain, which still verifies.
    const audit = verifyAuditChain(third.store.db);
    expect(audit.ok).toBe(true);
    expect(count(third.store, 'audit_log', "action = 'provider.prices.upsert'")).toBe(4);
    await third.close();
  });
});

describe('quota in the store', () => {
  it('is kept across a restart; an alarm is raised once per period and requests stop at the quota', async () => {
    await setAllKeys();
    const clock = new VirtualClock(Date.UTC(2026, 11, 4, 9));
    const plan = { quota: 10, period: 'day' };
    const first = await session(clock, plan);
    for (let i = 0; i < 7; i++) await first.service.registry().fmp.quote('AAPL');
    expect(first.alerts).toEqual([
      { kind: 'quota', provider: 'fmp', period: '2026-12-04', threshold: 70, used: 7, quota: 10 },
    ]);
    await first.close();

    const second = await session(clock, plan);
    expect((await second.service.status())[0]).toMatchObject({
      quota_used: 7,
      quota: 10,
      period: '2026-12-04',
    });
    // Already raised in this period: the store remembers it.
    expect(await new StoreQuotaLedger(second.store.db).markAlarm('fmp', '2026-12-04', 70)).toBe(false);
    for (let i = 0; i < 3; i++) await second.service.registry().fmp.quote('MSFT');
    expect(second.alerts.filter((a) => a.kind === 'quota')).toEqual([
      { kind: 'quota', provider: 'fmp', period: '2026-12-04', threshold: 85, used: 9, quota: 10 },
      { kind: 'quota', provider: 'fmp', period: '2026-12-04', threshold: 95, used: 10, quota: 10 },
    ]);
    await second.close();

    const third = await session(clock, plan);
    const before = servers.fmp.requestCount();
    // The quota is used up: refused without calling FMP, and the last good quote is served stale.
    const refused = await third.service.registry().fmp.quote('AAPL');
    expect(refused).toMatchObject({
      stale: true,
      message: 'FMP unavailable: plan quota used up for this period',
    });
    expect(servers.fmp.requestCount()).toBe(before);
    expect(third.alerts.filter((a) => a.kind === 'quota')).toEqual([]);
    expect(count(third.store, 'provider_quota_alarms')).toBe(3);

    // The next day is a new period: counting starts again, and so do the alarms.
    clock.advance(86_400_000);
    for (let i = 0; i < 7; i++) await third.service.registry().fmp.quote('AAPL');
    expect(third.alerts.filter((a) => a.kind === 'quota')).toEqual([
      { kind: 'quota', provider: 'fmp', period: '2026-12-05', threshold: 70, used: 7, quota: 10 },
    ]);
    expect(third.store.db.prepare('SELECT period, used FROM provider_quota ORDER BY period').all()).toEqual([
      { period: '2026-12-04', used: 10 },
      { period: '2026-12-05', used: 7 },
    ]);
    await third.close();
  });
});

describe('licence metadata and natural keys', () => {
  it('records provider and dataset on every stored datum and upserts articles by URL', async () => {
    await setAllKeys();
    const clock = new VirtualClock(Date.UTC(2026, 11, 4, 9));
    const s = await session(clock);
    const r = s.service.registry();
    await r.polygon.dailyAggregates('C:EURUSD', '2024-01-01', '2024-02-29');
    await r.fmp.eodHistory('AAPL', '2024-01-01', '2024-02-29');
    await r.fred.observations('DEXUSEU', '2024-01-01', '2024-02-29');
    const news = await r.newsapi.everything({ q: 'AAPL', from: '2024-01-01', pageSize: 20 });
    await r.newsapi.everything({ q: 'AAPL', from: '2024-01-01', pageSize: 20 });
    expect(news.value.length).toBeGreaterThan(0);
    expect(count(s.store, 'provider_articles')).toBe(news.value.length);

    const licences = s.store.db
      .prepare(
        `SELECT 'price' AS kind, provider, dataset, count(*) AS n FROM provider_prices GROUP BY provider, dataset
         UNION ALL SELECT 'series', provider, dataset, count(*) FROM provider_series_points GROUP BY provider, dataset
         UNION ALL SELECT 'article', provider, dataset, count(*) FROM provider_articles GROUP BY provider, dataset
         ORDER BY 1, 2`,
      )
      .all() as { kind: string; provider: string; dataset: string; n: number }[];
    expect(licences.map(({ kind, provider, dataset }) => [kind, provider, dataset])).toEqual([
      ['article', 'newsapi', 'everything'],
      ['price', 'fmp', 'historical-price-eod'],
      ['price', 'polygon', 'aggregates-daily'],
      ['series', 'fred', 'series-observations'],
    ]);
    // The same symbol and date from two providers are two rows: each keeps its own licence.
    expect(count(s.store, 'provider_prices', "symbol = 'AAPL'")).toBe(
      clientBars('AAPL', '2024-01-01', '2024-02-29').length,
    );
    expect(
      s.store.db.prepare("SELECT close FROM provider_prices WHERE symbol = 'AAPL' LIMIT 1").pluck().get(),
    ).toMatch(/^\d+(\.\d+)?$/);
    await s.close();
  });
});

describe('provider keys and the store', () => {
  const MODES: FailureMode[] = [
    '500',
    { kind: '503', retryAfter: '1' },
    { kind: '429', retryAfter: '1' },
    'timeout',
    'reset',
    'truncated',
    'malformed',
    'wrong-schema',
    'empty',
    'invalid-key',
  ];

  it('appear in no stored row and no log line after success, every failure mode, chaos and replay', async () => {
    await setAllKeys();
    const sink = new MemorySink();
    const logger = createLogger({ level: 'debug', sink });
    const clock = new VirtualClock(Date.UTC(2026, 11, 4, 9));
    const s = await session(clock, { quota: 500 }, { logger, requestTimeoutMs: 150, breakerOpenMs: 20 });
    const r = s.service.registry();
    const calls = (i: number): (() => Promise<unknown>)[] => {
      const stock = ['AAPL', 'MSFT', 'JPM'][i % 3] ?? 'AAPL';
      return [
        () => r.fmp.eodHistory(stock, '2024-01-01', '2024-02-15'),
        () => r.fmp.quote(stock),
        () => r.fmp.profile(stock),
        () => r.polygon.dailyAggregates(i % 2 ? 'C:EURUSD' : stock, '2024-01-01', '2024-02-15'),
        () => r.fred.observations(i % 2 ? 'DGS10' : 'DEXUSEU', '2024-01-01', '2024-02-15'),
        () => r.newsapi.everything({ q: stock, from: '2024-01-01', pageSize: 10 }),
      ];
    };
    const seen: string[] = [];
    const run = async (call: () => Promise<unknown>): Promise<void> => {
      try {
        seen.push(JSON.stringify(await call()));
      } catch (error) {
        seen.push(String(error), (error as Error).stack ?? '');
      }
    };
    const all = [servers.fmp, servers.polygon, servers.fred, servers.newsapi];
    for (const call of calls(0)) await run(call);
    for (const [m, mode] of MODES.entries()) {
      for (const server of all) server.setMode(mode);
      for (const call of calls(m)) await run(call);
      for (const server of all) server.setMode('ok');
      await new Promise((resolve) => setTimeout(resolve, 30));
    }
    const rand = mulberry32(20261204);
    for (let round = 0; round < 4; round++) {
      for (const server of all) {
        for (let k = 0; k < 3; k++) server.failNext(1, MODES[Math.floor(rand() * MODES.length)] ?? '500');
      }
      for (const call of calls(round)) await run(call);
      await new Promise((resolve) => setTimeout(resolve, 30));
    }
    for (const server of all) server.setMode('ok');
    seen.push(JSON.stringify(await s.service.replay()));
    await s.service.idle();
    seen.push(JSON.stringify(await s.service.status()));

    const tables = s.store.db
      .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
      .pluck()
      .all() as string[];
    const stored = tables
      .map((t) => JSON.stringify(s.store.db.prepare(`SELECT * FROM "${t}"`).all()))
      .join('\n');
    // The run wrote data of every kind and went through failures, letters and stale answers.
    for (const table of [
      'provider_prices',
      'provider_series_points',
      'provider_articles',
      'provider_cache',
    ]) {
      expect(count(s.store, table), table).toBeGreaterThan(0);
    }
    expect(count(s.store, 'dead_letters')).toBeGreaterThan(0);
    expect(seen.some((text) => text.includes('"stale":true'))).toBe(true);
    expect(sink.text()).toContain('"level":"debug"');
    for (const server of all) expect(server.requests.some((q) => q.authorised)).toBe(true);
    const haystack = [stored, sink.text(), ...seen].join('\n');
    for (const key of Object.values(TEST_KEYS)) {
      expect(haystack.includes(key), `key ${key.slice(0, 4)}… leaked`).toBe(false);
    }
    await s.close();
  }, 60_000);
});
