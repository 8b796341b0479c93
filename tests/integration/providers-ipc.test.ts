// providers:* through the real IpcRouter and the real core: a real encrypted store in a temp
// folder, keys in a real passphrase vault, the local provider servers. setKey → status → testKey
// round trips, rate limits, typed refusals while locked, the providerAlert event — and the keys
// absent from every IPC response, every log line (debug level) and every row of every table.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { eventContract } from '../../shared/ipc';
import type { ProviderAlert } from '../../shared/ipc/providers';
import { createCore, registerHandlers, type Core } from '../../main/composition/core';
import { IpcRouter } from '../../main/ipc/router';
import { createLogger, MemorySink } from '../../main/logging/logger';
import { VirtualClock } from '../../main/providers/resilience/clock';
import { PROVIDER_NAMES } from '../../main/providers/types';
import { createStore, openStore } from '../../main/store/open';
import { providerKeyAccount } from '../../main/vault/key-vault';
import { PassphraseVault, passphraseVaultFile } from '../../main/vault/passphrase-vault';
import { startProviderServers, type ProviderServers } from '../support/provider-servers';
import { GENEROUS_PLAN, TEST_KEYS } from '../support/provider-servers/test-registry';

const TEST_COST = { N: 2 ** 12, r: 8, p: 1 };
const PASSPHRASE = 'another long passphrase for the ipc test';
const WRONG_POLYGON_KEY = 'wr0ngP0lyK3y-77aa31c0ffee';
const INVALID_KEY = 'has a space-9f8e7d6c5b4a';
const SENDER = { id: 'w1', frameUrl: 'app://dawsos/index.html', isMainFrame: true };

let servers: ProviderServers;
let dir: string;
let file: string;
let sink: MemorySink;
let core: Core;
let router: IpcRouter;
let now: number;
const responses: string[] = [];

beforeAll(async () => {
  servers = await startProviderServers({ keys: TEST_KEYS });
});
afterAll(async () => {
  await servers.stop();
});
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dawsos-providers-ipc-'));
  file = path.join(dir, 'dawsos.db');
  servers.reset();
  sink = new MemorySink();
  now = 0;
  core = createCore({
    host: 'test',
    dataDir: dir,
    logger: createLogger({ level: 'debug', sink }),
    openExternal: () => Promise.resolve(),
    providers: {
      baseUrls: servers.baseUrls,
      env: {},
      clock: new VirtualClock(Date.UTC(2026, 11, 4, 12)),
      random: () => 0.5,
      requestTimeoutMs: 1_000,
      plans: Object.fromEntries(PROVIDER_NAMES.map((n) => [n, { ...GENEROUS_PLAN, quota: 250 }])),
    },
  });
  router = new IpcRouter({
    allowedOrigins: ['app://dawsos'],
    logger: core.logger,
    validateResponses: true,
    now: () => now,
  });
  registerHandlers(router, core);
});
afterEach(async () => {
  await core.providers.idle();
  core.providers.close();
  core.store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function call(channel: string, payload: unknown): Promise<unknown> {
  const result = await router.handle(channel, payload, SENDER);
  responses.push(JSON.stringify(result));
  return result;
}

function vault(): PassphraseVault {
  return new PassphraseVault({ file: passphraseVaultFile(file), passphrase: PASSPHRASE, cost: TEST_COST });
}

async function unlock(): Promise<PassphraseVault> {
  const v = vault();
  (await createStore({ file, vault: v })).close();
  core.store.attach(await openStore({ file, vault: v }));
  core.providers.attachVault(v);
  return v;
}

/** Every text value of every row of every table in the store. */
function everyStoredText(): string {
  const db = core.store.store!.db;
  const tables = db
    .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    .pluck()
    .all() as string[];
  expect(tables).toEqual(expect.arrayContaining(['provider_cache', 'dead_letters', 'provider_quota']));
  return tables.map((t) => JSON.stringify(db.prepare(`SELECT * FROM "${t}"`).all())).join('\n');
}

describe('providers over IPC', () => {
  it('refuses with a typed error while the store is locked', async () => {
    expect(await call('providers:status', {})).toEqual({
      ok: false,
      error: {
        code: 'PROVIDERS_LOCKED',
        message: 'Market data providers are unavailable until the store is unlocked.',
      },
    });
    expect(await call('providers:setKey', { provider: 'fmp', key: TEST_KEYS.fmp })).toMatchObject({
      ok: false,
      error: { code: 'PROVIDERS_NO_VAULT' },
    });
  });

  it('setKey → status → testKey round trip; keys in no response, log line or stored row', async () => {
    const v = await unlock();
    const status0 = (await call('providers:status', {})) as {
      ok: true;
      value: { providers: { provider: string; configured: boolean }[] };
    };
    expect(status0.ok).toBe(true);
    expect(status0.value.providers.map((p) => [p.provider, p.configured])).toEqual([
      ['fmp', false],
      ['polygon', false],
      ['fred', false],
      ['newsapi', false],
    ]);

    expect(await call('providers:setKey', { provider: 'fmp', key: TEST_KEYS.fmp })).toEqual({
      ok: true,
      value: { provider: 'fmp', configured: true },
    });
    // It went to the vault, under the provider's account.
    expect(await vault().get(providerKeyAccount('fmp'))).toBe(TEST_KEYS.fmp);
    expect(await call('providers:status', {})).toMatchObject({
      ok: true,
      value: {
        providers: [
          { provider: 'fmp', label: 'FMP', configured: true, breaker: 'closed', quota_used: 0, quota: 250 },
          { provider: 'polygon', configured: false },
          { provider: 'fred', configured: false },
          { provider: 'newsapi', configured: false },
        ],
      },
    });

    const quotes = servers.fmp.requestCount('/stable/quote');
    expect(await call('providers:testKey', { provider: 'fmp' })).toEqual({
      ok: true,
      value: { provider: 'fmp', ok: true, code: null, reason: null },
    });
    expect(servers.fmp.requestCount('/stable/quote')).toBe(quotes + 1);
    // The test request counts against the plan, and leaves no data, cache entry or letter behind.
    expect(await call('providers:status', {})).toMatchObject({
      value: { providers: [{ provider: 'fmp', quota_used: 1, dead_letters: 0 }, {}, {}, {}] },
    });

    // A key the provider refuses: stored, then the test says so in fixed words.
    expect(await call('providers:setKey', { provider: 'polygon', key: WRONG_POLYGON_KEY })).toMatchObject({
      ok: true,
    });
    expect(await call('providers:testKey', { provider: 'polygon' })).toEqual({
      ok: true,
      value: {
        provider: 'polygon',
        ok: false,
        code: 'PROVIDER_KEY_REFUSED',
        reason: 'Polygon request failed: API key refused.',
      },
    });
    expect(await call('providers:setKey', { provider: 'polygon', key: TEST_KEYS.polygon })).toMatchObject({
      ok: true,
    });
    // Tight per-channel limits: a fourth key and a third test in a row are refused.
    expect(await call('providers:setKey', { provider: 'fred', key: TEST_KEYS.fred })).toMatchObject({
      ok: false,
      error: { code: 'RATE_LIMITED' },
    });
    expect(await call('providers:testKey', { provider: 'polygon' })).toMatchObject({
      ok: false,
      error: { code: 'RATE_LIMITED' },
    });
    // Status has its own (default) bucket and still answers.
    expect(await call('providers:status', {})).toMatchObject({ ok: true });
    now += 10_000;
    expect(await call('providers:testKey', { provider: 'polygon' })).toMatchObject({
      ok: true,
      value: { provider: 'polygon', ok: true },
    });
    now += 10_000;
    expect(await call('providers:testKey', { provider: 'newsapi' })).toEqual({
      ok: true,
      value: {
        provider: 'newsapi',
        ok: false,
        code: 'PROVIDER_NOT_CONFIGURED',
        reason: 'NewsAPI request failed: no API key configured.',
      },
    });

    // Refusals never echo the key either.
    now += 10_000;
    expect(await call('providers:setKey', { provider: 'fred', key: INVALID_KEY })).toMatchObject({
      ok: false,
      error: { code: 'PROVIDER_KEY_INVALID' },
    });
    expect(
      await call('providers:setKey', { provider: 'fred', key: TEST_KEYS.fred, extra: TEST_KEYS.newsapi }),
    ).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    expect(await call('providers:setKey', { provider: 'fred', key: TEST_KEYS.fred })).toMatchObject({
      ok: true,
    });

    // Real traffic with the stored keys, a failure, a stale answer and a dead letter, so the store
    // holds data of every kind when it is scanned.
    const registry = core.providers.registry();
    await registry.fmp.eodHistory('AAPL', '2024-01-01', '2024-01-31');
    await registry.fred.observations('DGS10', '2024-01-01', '2024-01-31');
    servers.fmp.setMode('500');
    expect(await registry.fmp.eodHistory('AAPL', '2024-01-01', '2024-01-31')).toMatchObject({ stale: true });
    servers.fmp.setMode('ok');
    expect(await call('providers:status', {})).toMatchObject({
      value: {
        providers: [
          {
            provider: 'fmp',
            breaker: 'open',
            last_failure_reason: 'HTTP 500',
            dead_letters: 1,
            stale_served: 1,
          },
          { provider: 'polygon', configured: true },
          { provider: 'fred', configured: true },
          { provider: 'newsapi', configured: false },
        ],
      },
    });

    const keys = [...Object.values(TEST_KEYS), WRONG_POLYGON_KEY, INVALID_KEY];
    const logText = sink.text();
    expect(logText).toContain('provider key stored in the vault');
    expect(logText).toContain('"level":"debug"');
    const stored = everyStoredText();
    expect(stored).toContain('historical-price-eod');
    expect(stored).toContain('fmp.eodHistory');
    const vaultFile = fs.readFileSync(passphraseVaultFile(file), 'utf8');
    for (const key of keys) {
      for (const response of responses) expect(response).not.toContain(key);
      expect(logText).not.toContain(key);
      expect(stored).not.toContain(key);
      // The vault keeps keys sealed: not even its own file holds one in clear.
      expect(vaultFile).not.toContain(key);
    }
    expect(await v.get(providerKeyAccount('polygon'))).toBe(TEST_KEYS.polygon);
  });

  it('emits providerAlert events that fit the event contract', async () => {
    await unlock();
    await core.providers.setKey('fmp', TEST_KEYS.fmp);
    const alerts: ProviderAlert[] = [];
    core.providers.onAlert((a) => alerts.push(a));
    // The core forwards every alert to its event channel, which the hosts send to the window.
    const forwarded: unknown[] = [];
    const unsubscribe = core.events.subscribe((event) => {
      if (event.kind === 'providerAlert') forwarded.push(event.payload);
    });
    servers.fmp.setMode('503');
    await expect(core.providers.registry().fmp.quote('MSFT')).rejects.toMatchObject({
      code: 'PROVIDER_UNAVAILABLE',
      message: 'FMP unavailable: HTTP 503',
    });
    expect(alerts).toEqual([{ kind: 'breaker', provider: 'fmp', state: 'open' }]);
    expect(forwarded).toEqual(alerts);
    unsubscribe();
    for (const alert of alerts)
      expect(eventContract.providerAlert.payload.safeParse(alert).success).toBe(true);
  });
});
