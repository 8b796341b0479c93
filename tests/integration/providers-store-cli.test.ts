// `dawsos providers …` in-process through runCli, over a real encrypted store and passphrase vault
// in a temp DAWSOS_HOME, against the local provider servers (the documented developer base-URL
// setting points the clients at them). Keys go in by stdin or --key-file, never argv, and appear
// in no output, no log line (debug level) and no stored row.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createProvidersCommands } from '../../main/cli/commands/providers';
import { runCli } from '../../main/cli/run';
import { ProviderUnavailableError } from '../../main/providers/errors';
import { VirtualClock } from '../../main/providers/resilience/clock';
import { ProviderService } from '../../main/providers/service';
import { createStore, openStore } from '../../main/store/open';
import { saveVaultChoice } from '../../main/vault/choose';
import { PassphraseVault, passphraseVaultFile } from '../../main/vault/passphrase-vault';
import { dataPaths } from '../../main/workspace/data-dir';
import { clientBars, startProviderServers, type ProviderServers } from '../support/provider-servers';
import { TEST_KEYS } from '../support/provider-servers/test-registry';

const COST = { N: 2 ** 12, r: 8, p: 1 };
const PASSPHRASE = 'store passphrase for the providers cli';

let servers: ProviderServers;
let home: string;
let stdin: string;
const outputs: string[] = [];

beforeAll(async () => {
  servers = await startProviderServers({ keys: TEST_KEYS });
});
afterAll(async () => {
  await servers.stop();
});
beforeEach(async () => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'dawsos-providers-cli-'));
  servers.reset();
  const store = await createStore({ file: dataPaths(home).store, vault: vault() });
  store.close();
  saveVaultChoice(dataPaths(home).settings, 'passphrase');
});
afterEach(() => fs.rmSync(home, { recursive: true, force: true }));

function vault(): PassphraseVault {
  return new PassphraseVault({
    file: passphraseVaultFile(dataPaths(home).store),
    passphrase: PASSPHRASE,
    cost: COST,
  });
}

async function cli(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(argv, {
    io: { stdout: (t) => (out += t), stderr: (t) => (err += t) },
    env: {
      DAWSOS_HOME: home,
      DAWSOS_STORE_PASSPHRASE: PASSPHRASE,
      DAWSOS_LOG_LEVEL: 'debug',
      DAWSOS_DEV_PROVIDER_BASE_URL_FMP: servers.baseUrls.fmp,
      DAWSOS_DEV_PROVIDER_BASE_URL_POLYGON: servers.baseUrls.polygon,
      DAWSOS_DEV_PROVIDER_BASE_URL_FRED: servers.baseUrls.fred,
      DAWSOS_DEV_PROVIDER_BASE_URL_NEWSAPI: servers.baseUrls.newsapi,
    },
    cwd: home,
    commands: createProvidersCommands(() => Promise.resolve(stdin)),
  });
  outputs.push(out, err);
  return { code, out, err };
}

function json(result: { out: string }): unknown {
  return JSON.parse(result.out) as unknown;
}

describe('dawsos providers', () => {
  it('set-key (stdin or --key-file, never argv) → status → test-key, keys nowhere in output, log or store', async () => {
    stdin = `${TEST_KEYS.fmp}\n`;
    const fromStdin = await cli(['providers', 'set-key', 'fmp', '--json']);
    expect(fromStdin.code).toBe(0);
    expect(json(fromStdin)).toEqual({ provider: 'fmp', configured: true, vault: 'passphrase' });

    const keyFile = path.join(home, 'polygon.key');
    fs.writeFileSync(keyFile, `${TEST_KEYS.polygon}\r\n`, { mode: 0o600 });
    stdin = '';
    const fromFile = await cli(['providers', 'set-key', 'polygon', '--key-file', keyFile]);
    expect(fromFile).toMatchObject({ code: 0, out: 'stored the Polygon key in the passphrase vault\n' });
    expect(await vault().get('provider:polygon')).toBe(TEST_KEYS.polygon);

    // A key on the command line is refused before anything is stored.
    expect((await cli(['providers', 'set-key', 'fred', TEST_KEYS.fred])).code).toBe(2);
    expect((await cli(['providers', 'set-key', 'fred', '--key', TEST_KEYS.fred])).code).toBe(2);
    expect(await vault().get('provider:fred')).toBeNull();
    const empty = await cli(['providers', 'set-key', 'fred', '--json']);
    expect(empty.code).toBe(1);
    expect(json(empty)).toMatchObject({ error: { code: 'PROVIDER_KEY_INPUT' } });
    expect((await cli(['providers', 'set-key', 'yahoo'])).code).toBe(2);

    const status = await cli(['providers', 'status', '--json']);
    expect(status.code).toBe(0);
    expect(json(status)).toMatchObject({
      providers: [
        { provider: 'fmp', configured: true, breaker: 'closed', quota_used: 0, quota: 250, dead_letters: 0 },
        { provider: 'polygon', configured: true, quota: null },
        { provider: 'fred', configured: false },
        { provider: 'newsapi', configured: false },
      ],
    });

    const ok = await cli(['providers', 'test-key', 'fmp', '--json']);
    expect(ok.code).toBe(0);
    expect(json(ok)).toEqual({ provider: 'fmp', ok: true, code: null, reason: null });
    expect(servers.fmp.requestCount('/stable/quote')).toBe(1);
    const polygon = await cli(['providers', 'test-key', 'polygon']);
    expect(polygon).toMatchObject({ code: 0, out: 'Polygon key works\n' });
    const missing = await cli(['providers', 'test-key', 'fred', '--json']);
    expect(missing.code).toBe(1);
    expect(json(missing)).toEqual({
      provider: 'fred',
      ok: false,
      code: 'PROVIDER_NOT_CONFIGURED',
      reason: 'FRED request failed: no API key configured.',
    });
    // The quota counted the test request, in the store, across processes.
    expect(json(await cli(['providers', 'status', '--json']))).toMatchObject({
      providers: [{ provider: 'fmp', quota_used: 1 }, {}, {}, {}],
    });

    const keys = Object.values(TEST_KEYS);
    const log = fs.readFileSync(dataPaths(home).logFile, 'utf8');
    expect(log).toContain('"level":"debug"');
    const store = await openStore({ file: dataPaths(home).store, vault: vault() });
    const tables = store.db
      .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
      .pluck()
      .all() as string[];
    const rows = tables.map((t) => JSON.stringify(store.db.prepare(`SELECT * FROM "${t}"`).all())).join('\n');
    store.close();
    expect(rows).toContain('"used":1');
    for (const key of keys) {
      expect(log).not.toContain(key);
      expect(rows).not.toContain(key);
      for (const output of outputs) expect(output).not.toContain(key);
    }
  });

  it('replay sends each dead letter once and stores nothing twice', async () => {
    stdin = TEST_KEYS.fmp;
    expect((await cli(['providers', 'set-key', 'fmp'])).code).toBe(0);
    // An earlier session failed while FMP was down and left dead letters in the store.
    const symbols = ['AAPL', 'XOM'];
    servers.fmp.setMode('503');
    const v = vault();
    const earlier = await openStore({ file: dataPaths(home).store, vault: v });
    const service = new ProviderService({
      store: () => earlier,
      registry: { baseUrls: servers.baseUrls, env: {}, clock: new VirtualClock(), random: () => 0.5 },
    });
    service.attachVault(v);
    for (const symbol of symbols) {
      await expect(
        service.registry().fmp.eodHistory(symbol, '2024-01-02', '2024-06-28'),
      ).rejects.toBeInstanceOf(ProviderUnavailableError);
    }
    service.close();
    earlier.close();
    servers.reset();

    const status = json(await cli(['providers', 'status', '--json'])) as {
      providers: { dead_letters: number; last_failure_reason: string | null }[];
    };
    expect(status.providers[0]?.dead_letters).toBe(2);
    expect(status.providers[0]?.last_failure_reason).toMatch(
      /^(HTTP 503|circuit open after repeated failures)$/,
    );

    const first = await cli(['providers', 'replay', '--json']);
    expect(first.code).toBe(0);
    expect(json(first)).toEqual({
      reports: [
        { provider: 'fmp', replayed: 2, failed: 0, remaining: 0 },
        { provider: 'polygon', replayed: 0, failed: 0, remaining: 0 },
        { provider: 'fred', replayed: 0, failed: 0, remaining: 0 },
        { provider: 'newsapi', replayed: 0, failed: 0, remaining: 0 },
      ],
    });
    const second = await cli(['providers', 'replay', '--provider', 'fmp']);
    expect(second).toMatchObject({ code: 0, out: 'FMP      replayed 0, failed 0, still waiting 0\n' });
    expect(servers.fmp.requestCount('/stable/historical-price-eod/full')).toBe(2);

    const store = await openStore({ file: dataPaths(home).store, vault: vault() });
    const prices = store.db.prepare('SELECT count(*) FROM provider_prices').pluck().get();
    store.close();
    expect(prices).toBe(symbols.reduce((n, s) => n + clientBars(s, '2024-01-02', '2024-06-28').length, 0));
  });

  it('set-key reads the key from the real stdin of the dawsos process', () => {
    const repo = path.resolve(import.meta.dirname, '../..');
    const result = spawnSync(
      process.execPath,
      ['--import', 'tsx', path.join(repo, 'main/cli/index.ts'), 'providers', 'set-key', 'newsapi', '--json'],
      {
        cwd: repo,
        input: `${TEST_KEYS.newsapi}\n`,
        encoding: 'utf8',
        env: {
          ...process.env,
          DAWSOS_HOME: home,
          DAWSOS_STORE_PASSPHRASE: PASSPHRASE,
          DAWSOS_LOG_LEVEL: 'debug',
        },
        timeout: 60_000,
      },
    );
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ provider: 'newsapi', configured: true, vault: 'passphrase' });
    expect(result.stdout + result.stderr).not.toContain(TEST_KEYS.newsapi);
    expect(fs.readFileSync(dataPaths(home).logFile, 'utf8')).not.toContain(TEST_KEYS.newsapi);
    return expect(vault().get('provider:newsapi')).resolves.toBe(TEST_KEYS.newsapi);
  }, 60_000);
});
