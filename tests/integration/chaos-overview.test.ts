// Chaos drill of issue 5, end to end through the app's core: `patterns:execute` of
// portfolio_overview over a portfolio in a real encrypted store whose ledger is a real git repo,
// with FMP (company profiles for sector and country) served by the local fake FMP server and the
// key in the vault. FMP goes down (HTTP 503): the overview still succeeds, the FMP-fed panels are
// stale with "FMP unavailable" and the last good values, the others are not; the breaker opens
// after exactly 3 failed HTTP requests and then rejects without calling; after the open period the
// half-open probe succeeds and closes it; the dead letters replay once, a second replay sends
// nothing, and no stored row is duplicated.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../main/cli/run';
import { createCore, registerHandlers, type Core } from '../../main/composition/core';
import { IpcRouter } from '../../main/ipc/router';
import { createLogger, MemorySink } from '../../main/logging/logger';
import { VirtualClock } from '../../main/providers/resilience/clock';
import { PROVIDER_NAMES } from '../../main/providers/types';
import { VaultSecretSource } from '../../main/providers/vault-secrets';
import { createStore, openStore } from '../../main/store/open';
import { createPortfolio } from '../../main/store/repositories/portfolios';
import { saveVaultChoice } from '../../main/vault/choose';
import { MemoryVault } from '../../main/vault/memory-vault';
import { PassphraseVault, passphraseVaultFile } from '../../main/vault/passphrase-vault';
import { dataPaths } from '../../main/workspace/data-dir';
import { patternEnvelopeSchema, type PatternEnvelope } from '../../shared/ipc/patterns';
import type { ProviderStatusView } from '../../shared/ipc/providers';
import { startProviderServers, type ProviderServers } from '../support/provider-servers';
import { GENEROUS_PLAN, TEST_KEYS } from '../support/provider-servers/test-registry';
import { makeHandRepo, type HandRepo } from './agents-fixture';

/** Three securities the ledger does not classify (no sector or country): FMP's profile fills them in. */
const LEDGER = `option "operating_currency" "USD"

2024-01-01 commodity AAPL
2024-01-01 commodity MSFT
2024-01-01 commodity NVDA

2024-01-01 open Assets:Bank USD
2024-01-01 open Assets:Broker:Cash USD
  portfolio: "main"
2024-01-01 open Assets:Broker:Stocks "FIFO"
  portfolio: "main"
2024-01-01 open Income:Broker:Dividends USD
2024-01-01 open Equity:Opening

2024-01-01 * "Opening balance"
  Assets:Bank  10000 USD
  Equity:Opening

2024-01-02 * "Deposit"
  Assets:Broker:Cash  3000 USD
  Assets:Bank  -3000 USD

2024-01-02 * "Buy"
  Assets:Broker:Stocks  5 AAPL {100 USD}
  Assets:Broker:Stocks  4 MSFT {200 USD}
  Assets:Broker:Stocks  2 NVDA {400 USD}
  Assets:Broker:Cash  -2100 USD

2024-01-04 * "MSFT" "Dividend"
  Income:Broker:Dividends  -6 USD
  Assets:Broker:Cash  6 USD

2024-01-02 price AAPL 100 USD
2024-01-02 price MSFT 200 USD
2024-01-02 price NVDA 400 USD
2024-01-03 price AAPL 102 USD
2024-01-03 price MSFT 198 USD
2024-01-03 price NVDA 410 USD
2024-01-05 price AAPL 104 USD
2024-01-05 price MSFT 205 USD
2024-01-05 price NVDA 420 USD
`;

/** Open period of the breaker in this test (BREAKER_OPEN_MS is a minute). */
const OPEN_MS = 4_000;
const SENDER = { id: 'w1', frameUrl: 'app://dawsos/index.html', isMainFrame: true };
const FMP_PANELS = ['allocation', 'concentration'];
const OTHER_PANELS = ['valuation', 'performance', 'income'];

let r: HandRepo;
let dir: string;
let servers: ProviderServers;
let core: Core;
let router: IpcRouter;
let now = 0;
const sink = new MemorySink();
const breakerStates: string[] = [];
const responses: string[] = [];

beforeAll(async () => {
  servers = await startProviderServers({ keys: TEST_KEYS });
  r = makeHandRepo(LEDGER);
  dir = mkdtempSync(path.join(os.tmpdir(), 'dawsos-chaos-'));
  core = createCore({
    host: 'test',
    dataDir: dir,
    logger: createLogger({ sink, level: 'debug' }),
    openExternal: () => Promise.resolve(),
    providers: {
      baseUrls: servers.baseUrls,
      env: {},
      // Backoff waits return at once; the breaker's open period is real time, shortened.
      clock: new VirtualClock(Date.UTC(2026, 11, 4, 12)),
      random: () => 0.5,
      requestTimeoutMs: 2_000,
      breakerOpenMs: OPEN_MS,
      plans: Object.fromEntries(PROVIDER_NAMES.map((n) => [n, GENEROUS_PLAN])),
    },
  });
  const vault = new MemoryVault();
  const store = await createStore({ file: core.paths.store, vault });
  createPortfolio(store.db, 'user', {
    portfolioId: 'main',
    name: 'Main',
    baseCurrency: 'USD',
    ledgerRepo: r.repo,
  });
  core.store.attach(store);
  core.providers.attachVault(vault);
  core.providers.onAlert((alert) => {
    if (alert.kind === 'breaker') breakerStates.push(alert.state);
  });
  router = new IpcRouter({
    allowedOrigins: ['app://dawsos'],
    logger: core.logger,
    validateResponses: true,
    now: () => now,
  });
  registerHandlers(router, core);
  expect(await call('providers:setKey', { provider: 'fmp', key: TEST_KEYS.fmp })).toEqual({
    ok: true,
    value: { provider: 'fmp', configured: true },
  });
});
afterAll(async () => {
  await core.providers.idle();
  core.providers.close();
  core.store.close();
  await servers.stop();
  rmSync(dir, { recursive: true, force: true });
  rmSync(r.tmp, { recursive: true, force: true });
});

async function call(channel: string, payload: unknown): Promise<{ ok: boolean; value?: unknown }> {
  now += 10_000; // well apart, so the router's rate limits never interfere
  const res = (await router.handle(channel, payload, SENDER)) as { ok: boolean; value?: unknown };
  responses.push(JSON.stringify(res));
  return res;
}

/**
 * One overview run. Each run asks a different period: a run with no stale panel is cached by its
 * inputs, and a user asking the same overview again while nothing changed would rightly get it.
 */
async function overview(from: string): Promise<PatternEnvelope> {
  const res = await call('patterns:execute', {
    pattern_id: 'portfolio_overview',
    portfolio_id: 'main',
    params: { from },
  });
  expect(res).toMatchObject({ ok: true });
  return patternEnvelopeSchema.parse(res.value);
}

async function fmpStatus(): Promise<ProviderStatusView> {
  const res = await call('providers:status', {});
  expect(res.ok).toBe(true);
  return (res.value as { providers: ProviderStatusView[] }).providers.find((p) => p.provider === 'fmp')!;
}

/** Sector weights of the allocation panel: sector → weight. */
function sectors(env: PatternEnvelope): Record<string, string> {
  const data = env.panels.allocation!.data as {
    dimensions: Record<string, { key: string; weight: string }[]>;
  };
  return Object.fromEntries((data.dimensions.sector ?? []).map((b) => [b.key, b.weight]));
}

function profileSymbols(): string[] {
  return servers.fmp.requests.filter((q) => q.path === '/stable/profile').map((q) => q.query.get('symbol')!);
}

function count(sql: string): number {
  return core.store.store!.db.prepare(sql).pluck().get() as number;
}

describe('chaos: FMP down during a portfolio overview', () => {
  it('serves the last good profile as stale, opens the breaker after 3 failures, closes on a probe and replays once', async () => {
    // 1. FMP up: the profiles classify the holdings, and each is kept as the last good answer.
    const fresh = await overview('2024-01-01');
    expect(profileSymbols()).toEqual(['AAPL', 'MSFT', 'NVDA']);
    expect(servers.fmp.requests.every((q) => q.authorised)).toBe(true);
    for (const name of [...FMP_PANELS, ...OTHER_PANELS]) expect(fresh.panels[name]!.stale).toBe(false);
    const freshSectors = sectors(fresh);
    // AAPL 5 x 104 + MSFT 4 x 205 + NVDA 2 x 420 = 2180 of 3086 (cash 906 stays unclassified).
    expect(freshSectors).toEqual({ Technology: '0.706416', Unclassified: '0.293584' });
    expect(fresh.panels.allocation!.provenance.map((p) => p.provider)).toContain('fmp');
    expect(count("SELECT COUNT(*) FROM provider_cache WHERE provider = 'fmp'")).toBe(3);
    const freshValue = (fresh.panels.valuation!.data as { total_value: string }).total_value;

    // 2. FMP down (503 on every request): still a success, FMP-fed panels stale with the last good values.
    servers.fmp.resetLog();
    servers.fmp.setMode('503');
    const down = await overview('2024-01-02');
    for (const name of FMP_PANELS) {
      const panel = down.panels[name]!;
      expect(panel.stale).toBe(true);
      expect(panel.message).toContain('FMP unavailable');
    }
    for (const name of OTHER_PANELS) expect(down.panels[name]!.stale).toBe(false);
    expect(sectors(down)).toEqual(freshSectors);
    expect((down.panels.valuation!.data as { total_value: string }).total_value).toBe(freshValue);
    // Exactly 3 failed HTTP requests (the first symbol's attempts); the breaker then opened and the
    // other two symbols were answered from the last good values without calling.
    expect(servers.fmp.requestCount()).toBe(3);
    expect(profileSymbols()).toEqual(['AAPL', 'AAPL', 'AAPL']);
    let status = await fmpStatus();
    expect(status.breaker).toBe('open');
    expect(status.dead_letters).toBe(3);
    expect(status.stale_served).toBe(3);

    // 3. While open: the next overview sends no request at all and is still served stale.
    servers.fmp.resetLog();
    const open = await overview('2024-01-03');
    expect(servers.fmp.requestCount()).toBe(0);
    for (const name of FMP_PANELS) expect(open.panels[name]!.message).toContain('FMP unavailable');
    expect(sectors(open)).toEqual(freshSectors);
    expect((await fmpStatus()).breaker).toBe('open');

    // 4. After the open period FMP is back: the half-open probe (the first letter replayed)
    // succeeds and closes the breaker; each dead letter is replayed once.
    for (let i = 0; (await fmpStatus()).breaker !== 'half-open'; i++) {
      expect(i).toBeLessThan(600);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    servers.fmp.setMode('ok');
    servers.fmp.resetLog();
    const [report] = await core.providers.replay('fmp');
    await core.providers.idle();
    expect(report).toEqual({ provider: 'fmp', replayed: 3, failed: 0, remaining: 0 });
    expect(breakerStates).toEqual(['open', 'half-open', 'closed']);
    expect(profileSymbols().sort()).toEqual(['AAPL', 'MSFT', 'NVDA']);
    status = await fmpStatus();
    expect(status.breaker).toBe('closed');
    expect(status.dead_letters).toBe(0);

    // 5. A second replay has nothing left to send.
    servers.fmp.resetLog();
    expect(await core.providers.replay('fmp')).toEqual([
      { provider: 'fmp', replayed: 0, failed: 0, remaining: 0 },
    ]);
    expect(servers.fmp.requestCount()).toBe(0);

    // No stored row duplicated: one last-good row per request (as after the first run), one letter
    // per failed request (the two failed runs share it), each marked replayed, none pending.
    expect(count("SELECT COUNT(*) FROM provider_cache WHERE provider = 'fmp'")).toBe(3);
    expect(
      count(
        'SELECT COUNT(*) FROM (SELECT request_key FROM provider_cache GROUP BY request_key HAVING COUNT(*) > 1)',
      ),
    ).toBe(0);
    expect(count("SELECT COUNT(*) FROM dead_letters WHERE provider = 'fmp'")).toBe(3);
    expect(count('SELECT COUNT(*) FROM dead_letters WHERE replayed_at IS NULL')).toBe(0);

    // 6. The next overview is fresh again.
    const back = await overview('2024-01-04');
    for (const name of [...FMP_PANELS, ...OTHER_PANELS]) expect(back.panels[name]!.stale).toBe(false);
    expect(sectors(back)).toEqual(freshSectors);

    // The key was used on every request and appears in no log line (debug level) and no IPC answer.
    expect(sink.text()).not.toContain(TEST_KEYS.fmp);
    expect(responses.join('\n')).not.toContain(TEST_KEYS.fmp);
  });
});

describe('chaos through `dawsos run --providers` (each run its own process state, the store shared)', () => {
  const PASSPHRASE = 'chaos drill passphrase for the cli';
  let home: string;
  const vault = (): PassphraseVault =>
    new PassphraseVault({
      file: passphraseVaultFile(dataPaths(home).store),
      passphrase: PASSPHRASE,
      cost: { N: 2 ** 12, r: 8, p: 1 },
    });

  beforeAll(async () => {
    home = mkdtempSync(path.join(os.tmpdir(), 'dawsos-chaos-cli-'));
    const v = vault();
    (await createStore({ file: dataPaths(home).store, vault: v })).close();
    saveVaultChoice(dataPaths(home).settings, 'passphrase');
    await new VaultSecretSource(v).setKey('fmp', TEST_KEYS.fmp);
  });
  afterAll(() => rmSync(home, { recursive: true, force: true }));

  async function run(from: string): Promise<{ code: number; env: PatternEnvelope | null; log: string }> {
    let out = '';
    let err = '';
    const code = await runCli(
      [
        'run',
        'portfolio_overview',
        '--ledger',
        r.ledger,
        '--portfolio',
        'main',
        '--from',
        from,
        '--providers',
        '--json',
      ],
      {
        io: { stdout: (t) => (out += t), stderr: (t) => (err += t) },
        env: {
          DAWSOS_HOME: home,
          DAWSOS_STORE_PASSPHRASE: PASSPHRASE,
          DAWSOS_LOG_LEVEL: 'debug',
          DAWSOS_DEV_PROVIDER_BASE_URL_FMP: servers.baseUrls.fmp,
        },
        cwd: home,
      },
    );
    return { code, env: code === 0 ? patternEnvelopeSchema.parse(JSON.parse(out)) : null, log: err };
  }

  it('serves the last good profiles from the store when FMP is down, and the letters replay once', async () => {
    servers.reset();
    const fresh = await run('2024-01-01');
    expect(fresh.code).toBe(0);
    expect(profileSymbols()).toEqual(['AAPL', 'MSFT', 'NVDA']);
    expect(fresh.env!.panels.allocation!.stale).toBe(false);
    const freshSectors = sectors(fresh.env!);
    expect(freshSectors).toEqual({ Technology: '0.706416', Unclassified: '0.293584' });

    // A later run with FMP down: still exit 0, last good values from the store, marked stale.
    servers.fmp.resetLog();
    servers.fmp.setMode('503');
    const down = await run('2024-01-02');
    expect(down.code).toBe(0);
    for (const name of FMP_PANELS) {
      expect(down.env!.panels[name]!.stale).toBe(true);
      expect(down.env!.panels[name]!.message).toContain('FMP unavailable');
    }
    for (const name of OTHER_PANELS) expect(down.env!.panels[name]!.stale).toBe(false);
    expect(sectors(down.env!)).toEqual(freshSectors);
    // The breaker opened after the first symbol's 3 failed requests; the rest were not sent.
    expect(servers.fmp.requestCount()).toBe(3);

    // FMP back: `dawsos providers replay` sends each letter once; a second replay sends nothing.
    servers.reset();
    const replay = async (): Promise<unknown> => {
      let out = '';
      const code = await runCli(['providers', 'replay', '--provider', 'fmp', '--json'], {
        io: { stdout: (t) => (out += t), stderr: () => undefined },
        env: {
          DAWSOS_HOME: home,
          DAWSOS_STORE_PASSPHRASE: PASSPHRASE,
          DAWSOS_DEV_PROVIDER_BASE_URL_FMP: servers.baseUrls.fmp,
        },
        cwd: home,
      });
      expect(code).toBe(0);
      return JSON.parse(out) as unknown;
    };
    expect(await replay()).toEqual({ reports: [{ provider: 'fmp', replayed: 3, failed: 0, remaining: 0 }] });
    expect(profileSymbols().sort()).toEqual(['AAPL', 'MSFT', 'NVDA']);
    servers.fmp.resetLog();
    expect(await replay()).toEqual({ reports: [{ provider: 'fmp', replayed: 0, failed: 0, remaining: 0 }] });
    expect(servers.fmp.requestCount()).toBe(0);

    const store = await openStore({ file: dataPaths(home).store, vault: vault() });
    try {
      const one = (sql: string): unknown => store.db.prepare(sql).pluck().get();
      expect(one("SELECT COUNT(*) FROM provider_cache WHERE provider = 'fmp'")).toBe(3);
      expect(one("SELECT COUNT(*) FROM dead_letters WHERE provider = 'fmp'")).toBe(3);
      expect(one('SELECT COUNT(*) FROM dead_letters WHERE replayed_at IS NULL')).toBe(0);
    } finally {
      store.close();
    }
    // The debug log of every run (written synchronously) names no key.
    const log = readFileSync(dataPaths(home).logFile, 'utf8');
    expect(log).toContain('FMP circuit open');
    expect(fresh.log + down.log + log).not.toContain(TEST_KEYS.fmp);
  });
});
