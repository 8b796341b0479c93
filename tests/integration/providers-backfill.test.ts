// Bulk history costs one HTTP request per security per range, never one per day: a 200-security,
// 10-year backfill from FMP is exactly 200 requests, from Polygon exactly 200 at its 50,000-bar
// page size, and every bar arrives once with its exact decimal close.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryProviderDataSink } from '../../main/providers/memory-sink';
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
beforeAll(async () => {
  servers = await startProviderServers({ keys: TEST_KEYS });
});
afterAll(async () => {
  await servers.stop();
});

describe('200-security, 10-year backfill', () => {
  it('FMP: one request per security for the whole range', async () => {
    const sink = new MemoryProviderDataSink();
    const { registry } = testRegistry(servers, { sink, requestTimeoutMs: 20_000 });
    expect(SYMBOLS).toHaveLength(200);
    for (const symbol of SYMBOLS) {
      const result = await registry.fmp.eodHistory(symbol, FIXTURE_START, FIXTURE_END);
      expect(result.stale).toBe(false);
      expect(result.value).toHaveLength(TRADING_DAYS.length);
    }
    expect(servers.fmp.countsByPath()).toEqual({ '/stable/historical-price-eod/full': 200 });
    expect(sink.prices.size).toBe(200 * TRADING_DAYS.length);
    expect(sink.inserted).toBe(sink.offered);
    const sample = sink.prices.get(`fmp|historical-price-eod|QAAZ|2020-06-01`);
    expect(sample?.close).toBe(clientBars('QAAZ', '2020-06-01', '2020-06-01')[0]?.close);
    registry.close();
  }, 120_000);

  it('Polygon: one request per security at its page size, a page more only past 50,000 bars', async () => {
    servers.polygon.resetLog();
    const sink = new MemoryProviderDataSink();
    const { registry } = testRegistry(servers, { sink, requestTimeoutMs: 20_000 });
    for (const symbol of SYMBOLS) {
      const result = await registry.polygon.dailyAggregates(symbol, FIXTURE_START, FIXTURE_END);
      expect(result.value).toHaveLength(TRADING_DAYS.length);
    }
    expect(servers.polygon.requestCount()).toBe(200);
    expect(sink.prices.size).toBe(200 * TRADING_DAYS.length);
    registry.close();
  }, 120_000);
});
