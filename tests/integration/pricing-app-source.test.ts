// `pricing:build` as the app serves it (createCore + registerHandlers): the price source is the
// ledgers of the store's portfolios (real git repos, read at HEAD), offline with no keys at all;
// with an FMP key in the vault, FMP end-of-day history (one request per security for the whole
// range) is merged in and wins a tie, each price keeping its provider and dataset.
import { appendFileSync, rmSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Core } from '../../main/composition/core';
import type { MemoryVault } from '../../main/vault/memory-vault';
import { startProviderServers, type ProviderServers } from '../support/provider-servers';
import { TEST_KEYS } from '../support/provider-servers/test-registry';
import { startAppCore, type AppCore } from '../support/app-core';
import { makeHandRepo, type HandRepo } from './agents-fixture';

/** Two securities the fake FMP server knows, priced by the ledger on two dates (EUR cash too). */
const LEDGER = `option "operating_currency" "USD"

2024-01-01 open Assets:Bank USD
2024-01-01 open Assets:Broker:Cash USD,EUR
2024-01-01 open Assets:Broker:Stocks "FIFO"
2024-01-01 open Equity:Opening

2024-01-01 * "Opening balance"
  Assets:Bank  10000 USD
  Equity:Opening

2024-01-02 * "Buy"
  Assets:Broker:Stocks  5 AAPL {100 USD}
  Assets:Broker:Stocks  4 MSFT {200 USD}
  Assets:Bank  -1300 USD

2024-01-02 * "Euros"
  Assets:Broker:Cash  100 EUR @ 1.10 USD
  Assets:Bank  -110 USD

2024-01-02 price AAPL 100 USD
2024-01-02 price MSFT 200 USD
2024-01-02 price EUR 1.10 USD
2024-01-03 price AAPL 101 USD
2024-01-03 price MSFT 202 USD
2024-01-03 price EUR 1.11 USD
`;

let servers: ProviderServers;
let r: HandRepo;
let app: AppCore;
let core: Core;
let vault: MemoryVault;

beforeAll(async () => {
  servers = await startProviderServers({ keys: TEST_KEYS });
  r = makeHandRepo(LEDGER);
});
afterAll(async () => {
  await servers.stop();
  rmSync(r.tmp, { recursive: true, force: true });
});
beforeEach(async () => {
  servers.reset();
  app = await startAppCore({ servers, ledgerRepo: r.repo, tmpPrefix: 'dawsos-pricing-app-' });
  ({ core, vault } = app);
});
afterEach(() => app.close());

const call = (channel: string, payload: unknown) => app.call(channel, payload);

function packPrices(asOf: string): { symbol: string; price: string; provider: string; dataset: string }[] {
  return core.store
    .store!.db.prepare(
      `SELECT p.symbol, p.price, p.provider, p.dataset FROM pack_prices p
       JOIN pricing_packs k ON k.pack_id = p.pack_id WHERE k.as_of = ? ORDER BY p.symbol`,
    )
    .all(asOf) as { symbol: string; price: string; provider: string; dataset: string }[];
}

describe('pricing:build in the app', () => {
  it("builds ready packs offline from the stored portfolio's ledger at HEAD, with no keys at all", async () => {
    // An uncommitted price is not read: packs name what HEAD holds.
    appendFileSync(r.ledger, '2024-01-03 price AAPL 999 USD\n');
    try {
      const res = await call('pricing:build', { date: '2024-01-02', to: '2024-01-03' });
      expect(res).toMatchObject({
        ok: true,
        value: {
          from: '2024-01-02',
          to: '2024-01-03',
          source: 'ledger',
          packs: 2,
          created: 2,
          failures: [],
          last: { as_of: '2024-01-03', state: 'ready', prices: 2, fx: 1, carried: 0, missing: [] },
        },
      });
      expect(packPrices('2024-01-03')).toEqual([
        { symbol: 'AAPL', price: '101', provider: 'ledger', dataset: 'price-directives' },
        { symbol: 'MSFT', price: '202', provider: 'ledger', dataset: 'price-directives' },
      ]);
      expect(servers.fmp.requestCount() + servers.polygon.requestCount()).toBe(0);
      const status = await call('pricing:status', { date: '2024-01-03' });
      expect(status).toMatchObject({
        ok: true,
        value: { packs: 2, builds: [{ as_of: '2024-01-03', state: 'ready' }] },
      });
      // Building the same dates again stores nothing new.
      expect(await call('pricing:build', { date: '2024-01-02', to: '2024-01-03' })).toMatchObject({
        ok: true,
        value: { packs: 2, created: 0 },
      });
    } finally {
      r.git('checkout', '--', 'main.beancount');
    }
  });

  it('has no source when no unarchived portfolio has a ledger', async () => {
    core.store.store!.db.prepare("UPDATE portfolios SET archived_at = '2024-02-01T00:00:00Z'").run();
    expect(await call('pricing:build', { date: '2024-01-02' })).toMatchObject({
      ok: false,
      error: { code: 'PRICING_SOURCE_UNAVAILABLE' },
    });
  });

  it('merges FMP history (one request per security for the range) when an FMP key is in the vault', async () => {
    core.providers.attachVault(vault);
    expect(await call('providers:setKey', { provider: 'fmp', key: TEST_KEYS.fmp })).toMatchObject({
      ok: true,
    });
    const res = await call('pricing:build', { date: '2024-01-02', to: '2024-01-03' });
    expect(res).toMatchObject({
      ok: true,
      value: { source: 'providers', packs: 2, failures: [], last: { state: 'ready', missing: [] } },
    });
    expect(servers.fmp.countsByPath()).toEqual({ '/stable/historical-price-eod/full': 2 });
    // The range fetched reaches back over the carry window before the first date, once per security.
    const asked = servers.fmp.requests.map((q) => [q.query.get('symbol'), q.query.get('to')]).sort();
    expect(asked).toEqual([
      ['AAPL', '2024-01-03'],
      ['MSFT', '2024-01-03'],
    ]);
    for (const q of servers.fmp.requests) expect(q.query.get('from')! <= '2024-01-02').toBe(true);
    // FMP's closes win over the ledger's directives on the same day, and say where they came from.
    const prices = packPrices('2024-01-03');
    expect(prices.map((p) => [p.symbol, p.provider, p.dataset])).toEqual([
      ['AAPL', 'fmp', 'historical-price-eod'],
      ['MSFT', 'fmp', 'historical-price-eod'],
    ]);
    expect(prices.map((p) => p.price)).not.toEqual(['101', '202']);
    // The rows FMP sent are kept in the store with their licence, once each: a rebuild adds none.
    const stored = (): number =>
      core.store
        .store!.db.prepare("SELECT COUNT(*) FROM provider_prices WHERE provider = 'fmp'")
        .pluck()
        .get() as number;
    const before = stored();
    expect(before).toBeGreaterThanOrEqual(4);
    expect(await call('pricing:build', { date: '2024-01-02', to: '2024-01-03' })).toMatchObject({
      ok: true,
      value: { packs: 2, created: 0 },
    });
    expect(stored()).toBe(before);
  });
});
