// `dawsos pricing build|status` in-process against a real encrypted store in $DAWSOS_HOME (the
// passphrase vault, as a user without a keychain would run it) and a real ledger file; and the
// pricing:* IPC channels through the router the app uses, with the core's own store.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../main/cli/run';
import { createCore, registerHandlers } from '../../main/composition/core';
import { IpcRouter } from '../../main/ipc/router';
import { createLogger, MemorySink } from '../../main/logging/logger';
import { createPricingHandlers } from '../../main/pricing/handlers';
import { ledgerFileSource } from '../../main/pricing/ledger-file';
import { PricingService } from '../../main/pricing/service';
import { createStore, openStore } from '../../main/store/open';
import { providerKeyAccount } from '../../main/vault/key-vault';
import { PassphraseVault, passphraseVaultFile } from '../../main/vault/passphrase-vault';
import { contract } from '../../shared/ipc';
import { clientBars, startProviderServers, type ProviderServers } from '../support/provider-servers';
import { TEST_KEYS } from '../support/provider-servers/test-registry';

const PASSPHRASE = 'pricing cli test passphrase';
const LEDGER = `option "operating_currency" "USD"
2024-01-01 open Assets:Broker
2024-01-01 open Assets:Cash
2024-01-02 * "buy"
  Assets:Broker  10 VTI {200 USD}
  Assets:Cash  -2000 USD
2024-01-02 price VTI 201.50 USD
2024-01-03 price VTI 202.00 USD
`;

let home: string;
let ledger: string;
let vault: PassphraseVault;

beforeEach(async () => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'dawsos-pricing-cli-'));
  ledger = path.join(home, 'books', 'main.beancount');
  fs.mkdirSync(path.dirname(ledger));
  fs.writeFileSync(ledger, LEDGER);
  fs.writeFileSync(path.join(home, 'settings.json'), JSON.stringify({ vault: 'passphrase' }));
  vault = new PassphraseVault({
    file: passphraseVaultFile(path.join(home, 'dawsos.db')),
    passphrase: PASSPHRASE,
    cost: { N: 2 ** 12, r: 8, p: 1 },
  });
  (await createStore({ file: path.join(home, 'dawsos.db'), vault })).close();
});
afterEach(() => fs.rmSync(home, { recursive: true, force: true }));

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(args, {
    io: { stdout: (t) => (out += t), stderr: (t) => (err += t) },
    env: { DAWSOS_HOME: home, DAWSOS_STORE_PASSPHRASE: PASSPHRASE },
    cwd: home,
  });
  return { code, out, err };
}

describe('dawsos pricing', () => {
  it('build --date --ledger --json stores a pack; the same build again stores nothing new; status lists it', async () => {
    const first = await cli([
      'pricing',
      'build',
      '--date',
      '2024-01-04',
      '--ledger',
      'books/main.beancount',
      '--json',
    ]);
    expect(first.code).toBe(0);
    const built = JSON.parse(first.out) as {
      packs: number;
      last: { pack_id: string; state: string; created: boolean; carried: number };
    };
    expect(built).toMatchObject({ packs: 1, source: 'ledger', failures: [] });
    expect(built.last).toMatchObject({
      as_of: '2024-01-04',
      state: 'ready_carried',
      prices: 1,
      carried: 1,
      missing: [],
      created: true,
    });

    const again = JSON.parse(
      (await cli(['pricing', 'build', '--date', '2024-01-04', '--ledger', ledger, '--json'])).out,
    ) as typeof built;
    expect(again.last.pack_id).toBe(built.last.pack_id);
    expect(again.last.created).toBe(false);

    const status = await cli(['pricing', 'status', '--json']);
    expect(status.code).toBe(0);
    expect(JSON.parse(status.out)).toMatchObject({
      packs: 1,
      states: { ready: 0, ready_carried: 1, warming: 0, failed: 0 },
      builds: [
        {
          as_of: '2024-01-04',
          state: 'ready_carried',
          pack_id: built.last.pack_id,
          progress: { done: 2, total: 2 },
        },
      ],
    });
  });

  it('prints a readable summary, and a range builds one pack per business day', async () => {
    const text = await cli([
      'pricing',
      'build',
      '--date',
      '2024-01-02',
      '--to',
      '2024-01-09',
      '--ledger',
      ledger,
    ]);
    expect(text.code).toBe(0);
    expect(text.out).toMatch(
      /^6 packs 2024-01-02\.\.2024-01-09, last pack for 2024-01-09: ready_carried \(1 prices, 0 FX rates, 1 carried, 0 missing\)\npack id: [0-9a-f]{64}\n$/,
    );
    const status = await cli(['pricing', 'status', '--limit', '2']);
    expect(status.out.split('\n')[0]).toBe(
      '6 packs stored; dates: 2 ready, 4 ready with carried prices, 0 warming, 0 failed',
    );
    expect(status.out).toMatch(/\n2024-01-09 {2}ready_carried {2}[0-9a-f]{64}\n2024-01-08 {2}ready_carried/);
  });

  it('verify recomputes the chain of the latest pack, and names the first pack whose rows were changed', async () => {
    const built = JSON.parse(
      (
        await cli([
          'pricing',
          'build',
          '--date',
          '2024-01-02',
          '--to',
          '2024-01-05',
          '--ledger',
          ledger,
          '--json',
        ])
      ).out,
    ) as { last: { pack_id: string } };
    const ok = await cli(['pricing', 'verify', '--json']);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.out)).toEqual({
      pack_id: built.last.pack_id,
      ok: true,
      length: 4,
      firstBroken: null,
    });
    expect((await cli(['pricing', 'verify', '--date', '2024-01-03'])).out).toMatch(
      /: ok, chain of 2 packs verified\n$/,
    );

    // Someone with the key edits a price behind the app's back (after removing the trigger).
    const store = await openStore({ file: path.join(home, 'dawsos.db'), vault });
    const second = store.db
      .prepare("SELECT pack_id FROM pricing_packs WHERE as_of = '2024-01-03'")
      .pluck()
      .get() as string;
    store.db.exec('DROP TRIGGER pack_prices_no_update');
    store.db.prepare("UPDATE pack_prices SET price = '1' WHERE pack_id = ?").run(second);
    store.close();
    const broken = await cli(['pricing', 'verify', '--json']);
    expect(broken.code).toBe(1);
    expect(JSON.parse(broken.out)).toEqual({
      pack_id: built.last.pack_id,
      ok: false,
      length: 2,
      firstBroken: second,
    });
  });

  it('fails with clear, typed messages: no source, a bad date, an unreadable ledger, a wrong passphrase', async () => {
    const noSource = await cli(['pricing', 'build', '--date', '2024-01-04']);
    expect(noSource.code).toBe(1);
    expect(noSource.err).toContain('No price source is available');
    const badDate = await cli(['pricing', 'build', '--date', '2024-02-30', '--ledger', ledger]);
    expect(badDate.code).toBe(1);
    expect(badDate.err).toContain('Dates are written YYYY-MM-DD');
    const noLedger = await cli(['pricing', 'build', '--date', '2024-01-04', '--ledger', 'nope.beancount']);
    expect(noLedger.err).toContain('The ledger file cannot be read');
    expect(noLedger.err).not.toContain(home);
    const usage = await cli(['pricing', 'build']);
    expect(usage.code).toBe(2);
    let err = '';
    const wrong = await runCli(['pricing', 'status'], {
      io: { stdout: () => undefined, stderr: (t) => (err += t) },
      env: { DAWSOS_HOME: home, DAWSOS_STORE_PASSPHRASE: 'not the passphrase' },
      cwd: home,
    });
    expect(wrong).toBe(1);
    expect(err).not.toContain('not the passphrase');
  });
});

describe('dawsos pricing build --providers (local provider servers, keys in the vault)', () => {
  let servers: ProviderServers;
  beforeAll(async () => {
    servers = await startProviderServers({ keys: TEST_KEYS });
  });
  afterAll(async () => {
    await servers.stop();
  });

  it('prices held securities from FMP and cash from Polygon FX: one request each for the whole range', async () => {
    fs.writeFileSync(
      ledger,
      `option "operating_currency" "USD"
2024-01-01 open Assets:Broker
2024-01-01 open Assets:Cash
2024-03-01 * "buy"
  Assets:Broker  3 AAPL {150 USD}
  Assets:Cash  -450 USD
  Assets:Cash  100 EUR
  Assets:Cash  -108 USD
2024-03-01 price EUR 1.08 USD
`,
    );
    await vault.set(providerKeyAccount('fmp'), TEST_KEYS.fmp);
    await vault.set(providerKeyAccount('polygon'), TEST_KEYS.polygon);
    let out = '';
    let err = '';
    const code = await runCli(
      [
        'pricing',
        'build',
        '--date',
        '2024-03-04',
        '--to',
        '2024-03-08',
        '--ledger',
        ledger,
        '--providers',
        '--json',
      ],
      {
        io: { stdout: (t) => (out += t), stderr: (t) => (err += t) },
        env: {
          DAWSOS_HOME: home,
          DAWSOS_STORE_PASSPHRASE: PASSPHRASE,
          DAWSOS_DEV_PROVIDER_BASE_URL_FMP: servers.baseUrls.fmp,
          DAWSOS_DEV_PROVIDER_BASE_URL_POLYGON: servers.baseUrls.polygon,
        },
        cwd: home,
      },
    );
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(servers.fmp.countsByPath()).toEqual({ '/stable/historical-price-eod/full': 1 });
    expect(servers.polygon.requestCount()).toBe(1);
    const report = JSON.parse(out) as {
      packs: number;
      source: string;
      last: { state: string; missing: string[] };
    };
    expect(report).toMatchObject({ packs: 5, source: 'providers', failures: [] });
    expect(report.last).toMatchObject({ as_of: '2024-03-08', state: 'ready', prices: 1, fx: 1, missing: [] });
    for (const text of [out, err])
      for (const key of Object.values(TEST_KEYS)) expect(text).not.toContain(key);

    const store = await openStore({ file: path.join(home, 'dawsos.db'), vault });
    try {
      const pack = new PricingService({ db: () => store.db }).packFor('2024-03-08');
      expect(pack.prices).toEqual([
        {
          commodity: 'AAPL',
          quote_currency: 'USD',
          price: clientBars('AAPL', '2024-03-08', '2024-03-08')[0]!.close,
          price_date: '2024-03-08',
          carried: false,
          provider: 'fmp',
          dataset: 'historical-price-eod',
        },
      ]);
      expect(pack.fx[0]).toMatchObject({
        from: 'EUR',
        to: 'USD',
        rate: clientBars('C:EURUSD', '2024-03-08', '2024-03-08')[0]!.close,
        provider: 'polygon',
      });
    } finally {
      store.close();
    }
  });

  it('without provider keys in the vault, --providers says so', async () => {
    const result = await cli(['pricing', 'build', '--date', '2024-01-04', '--ledger', ledger, '--providers']);
    expect(result.code).toBe(1);
    expect(result.err).toContain('No price provider is configured');
  });
});

describe('pricing:* over IPC', () => {
  const sender = { id: 'w1', frameUrl: 'app://dawsos/index.html', isMainFrame: true };
  const newRouter = (logger = createLogger({ sink: new MemorySink() })) =>
    new IpcRouter({ allowedOrigins: ['app://dawsos'], logger, validateResponses: true });

  it("the core's handlers: a locked store is named as such; once open, status works and builds want a source", async () => {
    const core = createCore({
      host: 'cli',
      dataDir: home,
      logger: createLogger({ sink: new MemorySink() }),
      openExternal: () => Promise.resolve(),
    });
    const router = newRouter(core.logger);
    registerHandlers(router, core);
    expect(await router.handle('pricing:status', {}, sender)).toMatchObject({
      ok: false,
      error: { code: 'PRICING_STORE_UNAVAILABLE' },
    });
    core.store.attach(await openStore({ file: path.join(home, 'dawsos.db'), vault }));
    try {
      expect(await router.handle('pricing:status', {}, sender)).toEqual({
        ok: true,
        value: { packs: 0, states: { warming: 0, ready: 0, ready_carried: 0, failed: 0 }, builds: [] },
      });
      expect(await router.handle('pricing:build', { date: '2024-01-04' }, sender)).toMatchObject({
        ok: false,
        error: { code: 'PRICING_SOURCE_UNAVAILABLE' },
      });
      expect(await router.handle('pricing:build', { date: '4 January' }, sender)).toMatchObject({
        ok: false,
        error: { code: 'BAD_REQUEST' },
      });
    } finally {
      core.store.close();
    }
  });

  it('a handler factory with a ledger source builds through the router, answering in the contract', async () => {
    const store = await openStore({ file: path.join(home, 'dawsos.db'), vault });
    try {
      const router = newRouter();
      router.registerDomain(
        contract.pricing,
        createPricingHandlers({
          db: () => store.db,
          source: async () => (await ledgerFileSource(ledger)).source,
        }),
      );
      const result = await router.handle('pricing:build', { date: '2024-01-02', to: '2024-01-05' }, sender);
      expect(result).toMatchObject({
        ok: true,
        value: {
          from: '2024-01-02',
          to: '2024-01-05',
          packs: 4,
          created: 4,
          last: { as_of: '2024-01-05', state: 'ready_carried' },
        },
      });
      const status = await router.handle('pricing:status', { date: '2024-01-03' }, sender);
      expect(status).toMatchObject({
        ok: true,
        value: { packs: 4, builds: [{ as_of: '2024-01-03', state: 'ready' }] },
      });
    } finally {
      store.close();
    }
  });
});
