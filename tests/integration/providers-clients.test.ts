// Each provider client against its fake server over real HTTP on 127.0.0.1: the real paths and
// parameters, the provider's own JSON, prices as the exact decimal text, licence metadata on every
// stored row, and the number of HTTP requests each call costs.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MemoryProviderDataSink } from '../../main/providers/memory-sink';
import type { ProviderRegistry } from '../../main/providers/registry';
import type { ProviderResult } from '../../main/providers/types';
import {
  TRADING_DAYS,
  clientBars,
  fredObservations,
  newsFor,
  startProviderServers,
  type ProviderServers,
} from '../support/provider-servers';
import { TEST_KEYS, testRegistry } from '../support/provider-servers/test-registry';

let servers: ProviderServers;
let registry: ProviderRegistry;
let sink: MemoryProviderDataSink;

beforeAll(async () => {
  servers = await startProviderServers({ keys: TEST_KEYS, polygonMaxPageSize: 1000 });
});
afterAll(async () => {
  await servers.stop();
});
afterEach(() => {
  registry.close();
  servers.reset();
});

function setup(): ProviderRegistry {
  sink = new MemoryProviderDataSink();
  registry = testRegistry(servers, { sink }).registry;
  return registry;
}

function fresh<T>(result: ProviderResult<T>): T {
  expect(result.stale).toBe(false);
  return result.value;
}

describe('FMP client', () => {
  it('reads end-of-day history for a range in one request, oldest first, prices as exact decimal text', async () => {
    const r = setup();
    const bars = fresh(await r.fmp.eodHistory('AAPL', '2024-01-01', '2024-03-31'));
    const expected = clientBars('AAPL', '2024-01-01', '2024-03-31');
    expect(bars).toEqual(expected.map((b) => ({ symbol: 'AAPL', ...b })));
    expect(bars.every((b) => typeof b.close === 'string')).toBe(true);
    expect(servers.fmp.countsByPath()).toEqual({ '/stable/historical-price-eod/full': 1 });
    const logged = servers.fmp.requests[0];
    expect(logged?.query.get('symbol')).toBe('AAPL');
    expect(logged?.query.get('from')).toBe('2024-01-01');
    expect(logged?.query.get('to')).toBe('2024-03-31');
    expect(logged?.authorised).toBe(true);
    expect(sink.prices.size).toBe(expected.length);
    expect([...sink.prices.values()][0]?.licence).toEqual({
      provider: 'fmp',
      dataset: 'historical-price-eod',
    });
  });

  it('reads a quote, a profile, income statements and key metrics', async () => {
    const r = setup();
    const quote = fresh(await r.fmp.quote('MSFT'));
    const last = clientBars('MSFT', TRADING_DAYS.at(-1) ?? '', TRADING_DAYS.at(-1) ?? '')[0];
    expect(quote).toMatchObject({ symbol: 'MSFT', price: last?.close, exchange: 'NASDAQ' });
    expect(quote?.timestamp).toMatch(/^\d{4}-\d{2}-\d{2}T/);

    const profile = fresh(await r.fmp.profile('MSFT'));
    expect(profile).toMatchObject({
      symbol: 'MSFT',
      company_name: 'MSFT Holdings Inc',
      currency: 'USD',
      is_etf: false,
    });

    const income = fresh(await r.fmp.incomeStatement('MSFT', 'annual', 3));
    expect(income).toHaveLength(3);
    expect(income[0]).toMatchObject({ fiscalYear: '2024', period: 'FY', eps: '1.23' });
    expect(typeof income[0]?.revenue).toBe('string');

    const metrics = fresh(await r.fmp.keyMetrics('MSFT', 'quarter', 2));
    expect(metrics[0]).toMatchObject({ period: 'Q4', evToEBITDA: '18.75', freeCashFlowYield: null });
    expect(servers.fmp.countsByPath()).toEqual({
      '/stable/quote': 1,
      '/stable/profile': 1,
      '/stable/income-statement': 1,
      '/stable/key-metrics': 1,
    });
  });

  it('answers null for a symbol FMP does not know (it sends [])', async () => {
    const r = setup();
    expect(fresh(await r.fmp.quote('NOPE'))).toBeNull();
    expect(fresh(await r.fmp.eodHistory('NOPE', '2024-01-01', '2024-01-31'))).toEqual([]);
  });
});

describe('Polygon client', () => {
  it('follows next_url through every page, re-appending the key, and returns the whole range', async () => {
    const r = setup();
    const bars = fresh(await r.polygon.dailyAggregates('AAPL', '2015-01-01', '2024-12-31'));
    expect(bars).toEqual(
      clientBars('AAPL', '2015-01-01', '2024-12-31').map((b) => ({ symbol: 'AAPL', ...b })),
    );
    // 2609 trading days at 1000 a page: 3 pages, 3 requests, each carrying the key.
    expect(bars).toHaveLength(TRADING_DAYS.length);
    expect(servers.polygon.requestCount()).toBe(Math.ceil(TRADING_DAYS.length / 1000));
    expect(servers.polygon.requests.every((q) => q.authorised)).toBe(true);
    expect(servers.polygon.requests.slice(1).every((q) => q.query.has('cursor'))).toBe(true);
    const first = servers.polygon.requests[0];
    expect(first?.path).toBe('/v2/aggs/ticker/AAPL/range/1/day/2015-01-01/2024-12-31');
    expect(first?.query.get('adjusted')).toBe('true');
    expect(first?.query.get('sort')).toBe('asc');
  });

  it('reads FX pairs (C:EURUSD) with five-decimal rates dated in UTC', async () => {
    const r = setup();
    const bars = fresh(await r.polygon.dailyAggregates('C:EURUSD', '2024-06-01', '2024-06-30'));
    const expected = clientBars('C:EURUSD', '2024-06-01', '2024-06-30');
    expect(bars.map((b) => [b.date, b.close])).toEqual(expected.map((b) => [b.date, b.close]));
    expect(servers.polygon.requests[0]?.path).toBe(
      '/v2/aggs/ticker/C:EURUSD/range/1/day/2024-06-01/2024-06-30',
    );
    expect(sink.prices.size).toBe(expected.length);
  });
});

describe('FRED client', () => {
  it('keeps missing observations (".") as null points: not zero, not dropped', async () => {
    const r = setup();
    const points = fresh(await r.fred.observations('DGS10', '2020-01-01', '2024-12-31'));
    const expected = fredObservations('DGS10').filter(
      (o) => o.date >= '2020-01-01' && o.date <= '2024-12-31',
    );
    expect(points).toHaveLength(expected.length);
    const missing = expected.filter((o) => o.value === '.').length;
    expect(missing).toBeGreaterThan(0);
    expect(points.filter((p) => p.value === null)).toHaveLength(missing);
    expect(points.map((p) => p.value ?? '.')).toEqual(expected.map((o) => o.value));
    const request = servers.fred.requests[0];
    expect(request?.path).toBe('/fred/series/observations');
    expect(request?.query.get('file_type')).toBe('json');
    expect(request?.query.get('series_id')).toBe('DGS10');
    expect(request?.query.get('observation_start')).toBe('2020-01-01');
    expect(sink.series.size).toBe(expected.length);
  });
});

describe('NewsAPI client', () => {
  it('searches /v2/everything with the key in X-Api-Key, newest first, English', async () => {
    const r = setup();
    const articles = fresh(await r.newsapi.everything({ q: 'AAPL', from: '2024-01-01', pageSize: 50 }));
    const news = newsFor('AAPL', '2024-01-01');
    expect(articles).toHaveLength(Math.min(50, news.total));
    expect(articles[0]?.url).toBe(news.article(0).url);
    const request = servers.newsapi.requests[0];
    expect(request?.authorised).toBe(true);
    expect(request?.query.has('apiKey')).toBe(false);
    expect(request?.query.get('sortBy')).toBe('publishedAt');
    expect(request?.query.get('language')).toBe('en');
    expect(sink.articles.size).toBe(articles.length);
  });

  it('asks once per query chunk for the holdings names and tickers', async () => {
    const r = setup();
    const holdings = [
      { name: 'Apple Inc', ticker: 'AAPL' },
      { name: 'Microsoft Corporation', ticker: 'MSFT' },
    ];
    const results = await r.newsapi.forHoldings(holdings, '2024-01-01');
    expect(results).toHaveLength(1);
    expect(servers.newsapi.requests[0]?.query.get('q')).toBe(
      '("Apple Inc" OR AAPL) OR ("Microsoft Corporation" OR MSFT)',
    );
  });
});
