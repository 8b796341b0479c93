// Every failure a real provider shows, from the fake servers over real HTTP: each becomes the right
// typed failure, is retried (or not) as the policy says, waits what Retry-After asks, and never
// turns into data. Request counts are exact.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  ProviderUnavailableError,
  type ProviderError,
  type ProviderFailureKind,
} from '../../main/providers/errors';
import { MemoryProviderDataSink } from '../../main/providers/memory-sink';
import type { ProviderRegistry, ProviderRegistryOptions } from '../../main/providers/registry';
import type { VirtualClock } from '../../main/providers/resilience/clock';
import { startProviderServers, type ProviderServers } from '../support/provider-servers';
import { TEST_KEYS, fixedSecrets, testRegistry } from '../support/provider-servers/test-registry';

let servers: ProviderServers;
let registry: ProviderRegistry;
let clock: VirtualClock;
let sink: MemoryProviderDataSink;

beforeAll(async () => {
  servers = await startProviderServers({ keys: TEST_KEYS });
});
afterAll(async () => {
  await servers.stop();
});
afterEach(() => {
  registry.close();
  servers.reset();
});

function setup(overrides: Partial<ProviderRegistryOptions> = {}): ProviderRegistry {
  sink = new MemoryProviderDataSink();
  ({ registry, clock } = testRegistry(servers, { sink, requestTimeoutMs: 300, ...overrides }));
  return registry;
}

async function failureOf(call: Promise<unknown>): Promise<ProviderError> {
  const err = await call.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ProviderUnavailableError);
  return (err as ProviderUnavailableError).failure;
}

const history = (r: ProviderRegistry) => r.fmp.eodHistory('AAPL', '2024-01-01', '2024-01-31');

describe('failures that are retried (429, 5xx, timeouts, connection resets)', () => {
  it('HTTP 500 is retried with full-jitter backoff, then fails typed after 3 attempts', async () => {
    const r = setup();
    servers.fmp.setMode('500');
    const failure = await failureOf(history(r));
    expect(failure.kind).toBe('http');
    expect(failure.status).toBe(500);
    expect(failure.code).toBe('PROVIDER_HTTP_ERROR');
    expect(servers.fmp.requestCount()).toBe(3);
    // random() = 0.5: half of min(cap, 500 ms · 2^(n-1)).
    expect(clock.sleeps).toEqual([250, 500]);
    expect(sink.prices.size).toBe(0);
  });

  it('503 with Retry-After in seconds waits that long, then succeeds', async () => {
    const r = setup();
    servers.fmp.failNext(1, { kind: '503', retryAfter: '2' });
    const result = await history(r);
    expect(result.stale).toBe(false);
    expect(servers.fmp.requestCount()).toBe(2);
    expect(clock.sleeps).toEqual([2000]);
  });

  it('503 with Retry-After as an HTTP-date waits until that moment', async () => {
    const r = setup();
    const at = new Date(clock.now() + 7000).toUTCString();
    servers.fmp.failNext(1, { kind: '503', retryAfter: at });
    expect((await history(r)).stale).toBe(false);
    expect(clock.sleeps).toEqual([7000]);
  });

  it('429 with Retry-After is retried after the wait; FMP "Limit Reach" maps to rate-limited', async () => {
    const r = setup();
    servers.fmp.failNext(1, { kind: '429', retryAfter: '3' });
    expect((await history(r)).stale).toBe(false);
    expect(clock.sleeps).toEqual([3000]);
    servers.fmp.resetLog();
    servers.fmp.setMode('429');
    const failure = await failureOf(r.fmp.quote('AAPL'));
    expect(failure.kind).toBe('rate-limited');
    expect(servers.fmp.requestCount()).toBe(3);
  });

  it('a Retry-After beyond the policy maximum is not waited for: one request, dead-lettered', async () => {
    const r = setup();
    servers.fmp.setMode({ kind: '429', retryAfter: '3600' });
    const failure = await failureOf(history(r));
    expect(failure.kind).toBe('rate-limited');
    expect(failure.retryAfterMs).toBe(3_600_000);
    expect(servers.fmp.requestCount()).toBe(1);
    expect(await r.layer('fmp').status()).toMatchObject({ dead_letters: 1 });
  });

  it('a server that never answers times out; the retry gets through', async () => {
    const r = setup();
    servers.fmp.failNext(1, 'timeout');
    expect((await history(r)).stale).toBe(false);
    expect(servers.fmp.requestCount()).toBe(2);
    servers.fmp.setMode('timeout');
    const failure = await failureOf(r.fmp.quote('AAPL'));
    expect(failure.kind).toBe('timeout');
    expect(failure.code).toBe('PROVIDER_TIMEOUT');
  });

  it('a slow answer within the timeout is data; beyond it, a timeout', async () => {
    const r = setup();
    servers.fmp.setMode({ kind: 'slow', delayMs: 50 });
    expect((await history(r)).stale).toBe(false);
    servers.fmp.setMode({ kind: 'slow', delayMs: 1500 });
    expect((await failureOf(r.fmp.quote('AAPL'))).kind).toBe('timeout');
  });

  it('a connection reset is retried; a persistent one fails as a network failure', async () => {
    const r = setup();
    servers.fmp.failNext(1, 'reset');
    expect((await history(r)).stale).toBe(false);
    expect(servers.fmp.requestCount()).toBe(2);
    servers.fmp.setMode('reset');
    expect((await failureOf(r.fmp.quote('AAPL'))).kind).toBe('network');
  });
});

describe('failures that are not retried and never become data', () => {
  const cases: [string, ProviderFailureKind][] = [
    ['truncated', 'malformed'],
    ['malformed', 'malformed'],
    ['wrong-schema', 'malformed'],
  ];
  for (const [mode, kind] of cases) {
    it(`${mode} JSON is a ${kind} failure after one request, and nothing is written`, async () => {
      const r = setup();
      servers.fmp.setMode(mode as 'truncated');
      const failure = await failureOf(history(r));
      expect(failure.kind).toBe(kind);
      expect(failure.code).toBe('PROVIDER_MALFORMED_RESPONSE');
      expect(servers.fmp.requestCount()).toBe(1);
      expect(sink.offered).toBe(0);
    });
  }

  it('empty results are empty, never zeros', async () => {
    const r = setup();
    servers.fmp.setMode('empty');
    expect(await history(r)).toMatchObject({ stale: false, value: [] });
    expect(await r.fmp.quote('AAPL')).toMatchObject({ stale: false, value: null });
    servers.polygon.setMode('empty');
    expect(await r.polygon.dailyAggregates('AAPL', '2024-01-01', '2024-01-31')).toMatchObject({ value: [] });
    servers.fred.setMode('empty');
    expect(await r.fred.observations('DGS10', '2024-01-01')).toMatchObject({ value: [] });
    servers.newsapi.setMode('empty');
    expect(await r.newsapi.everything({ q: 'AAPL', from: '2024-01-01' })).toMatchObject({ value: [] });
    expect(sink.prices.size + sink.series.size + sink.articles.size).toBe(0);
  });

  it('no key configured: a typed failure and no request at all', async () => {
    const r = setup({ secrets: fixedSecrets({}) });
    const failure = await failureOf(history(r));
    expect(failure.kind).toBe('not-configured');
    expect(servers.fmp.requestCount()).toBe(0);
  });
});

describe("each provider's own error bodies", () => {
  it('an invalid key is refused in every provider format, once, without dead letter or breaker count', async () => {
    const wrong = { fmp: 'wrong-1', polygon: 'wrong-2', fred: 'wrong-3', newsapi: 'wrong-4' };
    const r = setup({ secrets: fixedSecrets(wrong) });
    const failures = [
      await failureOf(history(r)),
      await failureOf(r.polygon.dailyAggregates('AAPL', '2024-01-01', '2024-01-31')),
      await failureOf(r.fred.observations('DGS10', '2024-01-01')),
      await failureOf(r.newsapi.everything({ q: 'AAPL', from: '2024-01-01' })),
    ];
    expect(failures.map((f) => [f.provider, f.kind, f.code])).toEqual([
      ['fmp', 'auth', 'PROVIDER_KEY_REFUSED'],
      ['polygon', 'auth', 'PROVIDER_KEY_REFUSED'],
      ['fred', 'auth', 'PROVIDER_KEY_REFUSED'],
      ['newsapi', 'auth', 'PROVIDER_KEY_REFUSED'],
    ]);
    expect(failures.map((f) => f.status)).toEqual([401, 401, 400, 401]);
    for (const server of [servers.fmp, servers.polygon, servers.fred, servers.newsapi]) {
      expect(server.requestCount()).toBe(1);
    }
    const status = await r.status();
    expect(status.every((s) => s.breaker === 'closed' && s.dead_letters === 0)).toBe(true);
  });

  it('the invalid-key switch gives the same answer as a wrong key', async () => {
    const r = setup();
    servers.polygon.setMode('invalid-key');
    expect((await failureOf(r.polygon.dailyAggregates('AAPL', '2024-01-01', '2024-01-31'))).kind).toBe(
      'auth',
    );
  });

  it('429 and 5xx in Polygon, FRED and NewsAPI formats', async () => {
    const r = setup({ maxAttempts: 1 });
    for (const server of [servers.polygon, servers.fred, servers.newsapi]) server.setMode('429');
    expect((await failureOf(r.polygon.dailyAggregates('AAPL', '2024-01-01', '2024-01-31'))).kind).toBe(
      'rate-limited',
    );
    expect((await failureOf(r.fred.observations('DGS10', '2024-01-01'))).kind).toBe('rate-limited');
    expect((await failureOf(r.newsapi.everything({ q: 'AAPL', from: '2024-01-01' }))).kind).toBe(
      'rate-limited',
    );
    for (const server of [servers.polygon, servers.fred, servers.newsapi]) server.setMode('503');
    expect((await failureOf(r.polygon.dailyAggregates('MSFT', '2024-01-01', '2024-01-31'))).status).toBe(503);
    expect((await failureOf(r.fred.observations('DEXUSEU', '2024-01-01'))).status).toBe(503);
    expect((await failureOf(r.newsapi.everything({ q: 'MSFT', from: '2024-01-01' }))).status).toBe(503);
  });

  it('wrong schema from Polygon, FRED and NewsAPI is malformed', async () => {
    const r = setup();
    for (const server of [servers.polygon, servers.fred, servers.newsapi]) server.setMode('wrong-schema');
    expect((await failureOf(r.polygon.dailyAggregates('AAPL', '2024-01-01', '2024-01-31'))).kind).toBe(
      'malformed',
    );
    expect((await failureOf(r.fred.observations('DGS10', '2024-01-01'))).kind).toBe('malformed');
    expect((await failureOf(r.newsapi.everything({ q: 'AAPL', from: '2024-01-01' }))).kind).toBe('malformed');
  });

  it("NewsAPI's maximumResultsReached (Developer plan, beyond 100 results) is its own typed failure", async () => {
    const r = setup();
    const failure = await failureOf(
      r.newsapi.everything({ q: 'AAPL', from: '2024-01-01', pageSize: 100, page: 2 }),
    );
    expect(failure.kind).toBe('results-limit');
    expect(failure.status).toBe(426);
    expect(servers.newsapi.requestCount()).toBe(1);
  });

  it('FRED refuses an unknown series with 400: a bad request, not an outage', async () => {
    const r = setup();
    const failure = await failureOf(r.fred.observations('NOSUCH', '2024-01-01'));
    expect(failure.kind).toBe('bad-request');
    expect(r.layer('fred').breakerState).toBe('closed');
  });
});
