// Backfill from the local provider servers into a real encrypted store. A 200-security, 10-year
// backfill (FMP end-of-day history) with EUR/USD (Polygon C:EURUSD aggregates) costs exactly
// 201 HTTP requests — one per security and one per currency pair for the whole range, never one
// per day — and stores one pack per business day, each chained to the one before, each price with
// its provider and dataset. A security the provider does not know, or a pair whose provider is
// down, ends up listed as missing (never zero) while everything else is priced.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dec, decText, PricingDecimal } from '../../main/pricing/decimal';
import { verifyChain } from '../../main/pricing/pack-store';
import { providerPriceSource, type SecuritySpec } from '../../main/pricing/provider-source';
import { PricingService } from '../../main/pricing/service';
import { valuePositions } from '../../main/pricing/valuation';
import { createStore, type Store } from '../../main/store/open';
import { MemoryVault } from '../../main/vault/memory-vault';
import {
  FIXTURE_END,
  FIXTURE_START,
  SYMBOLS,
  TRADING_DAYS,
  clientBars,
  startProviderServers,
  type ProviderServers,
} from '../support/provider-servers';
import { TEST_KEYS, testRegistry } from '../support/provider-servers/test-registry';

let servers: ProviderServers;
let dir: string;
beforeAll(async () => {
  servers = await startProviderServers({ keys: TEST_KEYS });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dawsos-backfill-'));
});
afterAll(async () => {
  await servers.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function newStore(name: string): Promise<Store> {
  return createStore({ file: path.join(dir, `${name}.db`), vault: new MemoryVault() });
}

const commodityOf = (symbol: string): string => symbol.replace('.', '-');

describe('backfill from provider history', () => {
  it('200 securities × 10 years: 201 HTTP requests, one chained pack per business day', async () => {
    servers.reset();
    const { registry } = testRegistry(servers, { requestTimeoutMs: 30_000 });
    const store = await newStore('full');
    try {
      const securities: SecuritySpec[] = SYMBOLS.map((symbol) => ({
        commodity: commodityOf(symbol),
        symbol,
        currency: 'USD',
        provider: 'fmp',
      }));
      expect(securities).toHaveLength(200);
      const service = new PricingService({ db: () => store.db });
      const report = await service.backfill(
        FIXTURE_START,
        FIXTURE_END,
        providerPriceSource({
          securities,
          fxPairs: [{ from: 'EUR', to: 'USD' }],
          baseCurrencies: ['USD', 'EUR'],
          fmp: registry.fmp,
          polygon: registry.polygon,
        }),
      );

      // Exactly one request per security and one per pair, for the whole ten years.
      expect(servers.fmp.countsByPath()).toEqual({ '/stable/historical-price-eod/full': 200 });
      expect(servers.polygon.countsByPath()).toEqual({
        [`/v2/aggs/ticker/C:EURUSD/range/1/day/2014-12-25/${FIXTURE_END}`]: 1,
      });
      expect(servers.fmp.requestCount() + servers.polygon.requestCount()).toBe(201);

      // One pack per business day (the fixture's trading days are the weekdays), all new, chained.
      expect(report.packs).toBe(TRADING_DAYS.length);
      expect(report.created).toBe(TRADING_DAYS.length);
      expect(report.dates.map((d) => d.as_of)).toEqual(TRADING_DAYS);
      expect(report.failures).toEqual([]);
      expect(report.dates.every((d) => d.prices === 200 && d.fx === 1 && d.missing.length === 0)).toBe(true);
      expect(verifyChain(store.db, report.last_pack_id!)).toEqual({
        ok: true,
        length: TRADING_DAYS.length,
        firstBroken: null,
      });
      expect(service.status().states).toEqual({
        warming: 0,
        ready: TRADING_DAYS.length,
        ready_carried: 0,
        failed: 0,
      });

      // The prices are the providers' closes, exactly, with licence metadata.
      const pack = service.packFor('2020-06-01');
      const close = clientBars('QAAZ', '2020-06-01', '2020-06-01')[0]!.close;
      expect(pack.prices.find((p) => p.commodity === 'QAAZ')).toEqual({
        commodity: 'QAAZ',
        quote_currency: 'USD',
        price: close,
        price_date: '2020-06-01',
        carried: false,
        provider: 'fmp',
        dataset: 'historical-price-eod',
      });
      const eurusd = clientBars('C:EURUSD', '2020-06-01', '2020-06-01')[0]!.close;
      expect(pack.fx).toEqual([
        {
          from: 'EUR',
          to: 'USD',
          rate: eurusd,
          rate_date: '2020-06-01',
          carried: false,
          provider: 'polygon',
          dataset: 'aggregates-daily:fx',
        },
      ]);
      // EUR cash in a USD portfolio uses the pair directly; USD in a EUR portfolio uses its inverse.
      expect(valuePositions([{ account: 'A', commodity: 'EUR', units: '2' }], pack, 'USD').total).toBe(
        decText(dec(eurusd).mul(2)),
      );
      const inEur = valuePositions([{ account: 'A', commodity: 'USD', units: '1' }], pack, 'EUR');
      expect(inEur.fx_used[0]).toMatchObject({ from: 'USD', to: 'EUR', inverse: true });
      expect(inEur.total).toBe(decText(new PricingDecimal(1).div(dec(eurusd)).toSignificantDigits(28)));

      // Building the same range again from the same history stores nothing and gives the same ids.
      const again = await service.backfill('2020-06-01', '2020-06-05', {
        kind: 'providers',
        steps: () => 0,
        collect: async () => {
          const { history, failures } = await providerPriceSource({
            securities,
            fxPairs: [{ from: 'EUR', to: 'USD' }],
            baseCurrencies: ['USD', 'EUR'],
            fmp: registry.fmp,
            polygon: registry.polygon,
          }).collect({ from: '2020-05-25', to: '2020-06-05' }, () => undefined);
          expect(failures).toEqual([]);
          return {
            history,
            failures: [],
            universeAt: () => ({
              commodities: securities.map((s) => ({ commodity: s.commodity, quote_currency: 'USD' })),
              currencies: [],
              baseCurrencies: ['USD', 'EUR'],
            }),
          };
        },
      });
      expect(again.created).toBe(0);
      expect(again.dates.map((d) => d.pack_id)).toEqual(
        report.dates.filter((d) => d.as_of >= '2020-06-01' && d.as_of <= '2020-06-05').map((d) => d.pack_id),
      );
    } finally {
      store.close();
      registry.close();
    }
  }, 600_000);

  it('an unknown security and a pair whose provider is down are missing, never zero; the rest is priced', async () => {
    servers.reset();
    servers.polygon.setMode('500');
    const { registry } = testRegistry(servers, { requestTimeoutMs: 5_000, maxAttempts: 1 });
    const store = await newStore('partial');
    try {
      const service = new PricingService({ db: () => store.db });
      const report = await service.backfill(
        '2024-03-04',
        '2024-03-08',
        providerPriceSource({
          securities: [
            { commodity: 'AAPL', currency: 'USD', provider: 'fmp' },
            { commodity: 'NOSUCH', currency: 'USD', provider: 'fmp' },
          ],
          fxPairs: [{ from: 'EUR', to: 'USD' }],
          baseCurrencies: ['USD', 'EUR'],
          fmp: registry.fmp,
          polygon: registry.polygon,
        }),
      );
      expect(servers.fmp.requestCount()).toBe(2);
      expect(report.failures.map((f) => f.item)).toEqual(['EUR/USD']);
      expect(report.failures[0]?.code).toMatch(/^PROVIDER_/);
      expect(report.dates.map((d) => [d.as_of, d.prices, d.missing])).toEqual(
        ['2024-03-04', '2024-03-05', '2024-03-06', '2024-03-07', '2024-03-08'].map((d) => [
          d,
          1,
          ['NOSUCH', 'USD/EUR'],
        ]),
      );
      const valuation = service.value(
        '2024-03-08',
        [
          { account: 'A', commodity: 'AAPL', units: '1' },
          { account: 'A', commodity: 'NOSUCH', units: '1' },
        ],
        'USD',
      );
      expect(valuation.positions.map((p) => p.commodity)).toEqual(['AAPL']);
      expect(valuation.missing).toEqual([{ account: 'A', commodity: 'NOSUCH', reason: 'no-price' }]);
    } finally {
      store.close();
      registry.close();
    }
  }, 120_000);
});
