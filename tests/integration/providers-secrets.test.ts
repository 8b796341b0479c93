// Provider keys never leak. Keys are set to distinctive values; every client runs through success,
// every failure mode and a seeded chaos run, with a debug-level logger. The keys must appear in no
// log line, no error message or stack, no returned value, no dead letter, no last-good entry and
// no status report — while the servers confirm the keys were really sent.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemorySink, createLogger } from '../../main/logging/logger';
import { MemoryProviderDataSink } from '../../main/providers/memory-sink';
import type { ProviderRegistry } from '../../main/providers/registry';
import { MemoryDeadLetterStore } from '../../main/providers/resilience/dead-letter';
import { MemoryLastGoodCache } from '../../main/providers/resilience/last-good';
import { PROVIDER_NAMES } from '../../main/providers/types';
import { mulberry32 } from '../support/provider-servers/prng';
import {
  startProviderServers,
  type FailureMode,
  type FakeProviderServer,
  type ProviderServers,
} from '../support/provider-servers';
import { GENEROUS_PLAN, TEST_KEYS, testRegistry } from '../support/provider-servers/test-registry';

const MODES: FailureMode[] = [
  '500',
  { kind: '503', retryAfter: '1' },
  { kind: '429', retryAfter: '1' },
  '429',
  'timeout',
  { kind: 'slow', delayMs: 20 },
  'reset',
  'truncated',
  'malformed',
  'wrong-schema',
  'empty',
  'invalid-key',
];

let servers: ProviderServers;
beforeAll(async () => {
  servers = await startProviderServers({ keys: TEST_KEYS, polygonMaxPageSize: 40 });
});
afterAll(async () => {
  await servers.stop();
});

/** Everything a caller, a log reader or the store could see. */
const seen: string[] = [];

function record(value: unknown): void {
  if (value instanceof Error) {
    seen.push(value.message, value.stack ?? '', JSON.stringify(value), String(value));
    const failure = (value as { failure?: Error }).failure;
    if (failure) record(failure);
    return;
  }
  seen.push(JSON.stringify(value));
}

async function run(call: () => Promise<unknown>): Promise<void> {
  try {
    record(await call());
  } catch (err) {
    record(err);
  }
}

function everyCall(r: ProviderRegistry, i: number): (() => Promise<unknown>)[] {
  const symbol = ['AAPL', 'MSFT', 'C:EURUSD', 'NVDA'][i % 4] ?? 'AAPL';
  const stock = symbol.startsWith('C:') ? 'JPM' : symbol;
  return [
    () => r.fmp.eodHistory(stock, '2024-01-01', '2024-02-15'),
    () => r.fmp.quote(stock),
    () => r.fmp.profile(stock),
    () => r.fmp.incomeStatement(stock, 'annual', 2),
    () => r.fmp.keyMetrics(stock, 'quarter', 2),
    () => r.polygon.dailyAggregates(symbol, '2024-01-01', '2024-03-31'),
    () => r.fred.observations(i % 2 ? 'DGS10' : 'DEXUSEU', '2024-01-01', '2024-03-31'),
    () => r.newsapi.everything({ q: stock, from: '2024-01-01', pageSize: 20 }),
    () => r.newsapi.everything({ q: stock, from: '2024-01-01', pageSize: 100, page: 2 }),
  ];
}

describe('provider keys', () => {
  it('appear in no log line, error, stack, returned value, dead letter, cached value or status', async () => {
    const logSink = new MemorySink();
    const logger = createLogger({ level: 'debug', sink: logSink });
    const deadLetters = new MemoryDeadLetterStore();
    const lastGood = new MemoryLastGoodCache();
    const lastGoodEntries: unknown[] = [];
    // While failure modes run, no fallback: every failure must surface as a thrown error to inspect.
    let fallback = false;
    const watchingLastGood = {
      get: (key: string) => (fallback ? lastGood.get(key) : Promise.resolve(null)),
      put: async (key: string, entry: Parameters<MemoryLastGoodCache['put']>[1]) => {
        lastGoodEntries.push(entry);
        await lastGood.put(key, entry);
      },
    };
    const dataSink = new MemoryProviderDataSink();
    const plans = Object.fromEntries(PROVIDER_NAMES.map((n) => [n, { ...GENEROUS_PLAN, quota: 400 }]));
    const { registry: r } = testRegistry(servers, {
      logger,
      sink: dataSink,
      deadLetters,
      lastGood: watchingLastGood,
      plans,
      requestTimeoutMs: 200,
      breakerOpenMs: 30,
    });
    const all: FakeProviderServer[] = [servers.fmp, servers.polygon, servers.fred, servers.newsapi];
    r.events.on('quota-alarm', record);
    r.events.on('breaker-state', record);

    // Success.
    for (const call of everyCall(r, 0)) await run(call);
    // Every failure mode on every provider (breakers open along the way; wait them out).
    for (const [m, mode] of MODES.entries()) {
      for (const server of all) server.setMode(mode);
      for (const call of everyCall(r, m)) await run(call);
      for (const server of all) server.setMode('ok');
      await new Promise((resolve) => setTimeout(resolve, 40));
      for (const call of everyCall(r, m + 1)) await run(call);
    }
    // Chaos, now with last-good fallbacks: each request draws a random failure from a seeded generator.
    fallback = true;
    const rand = mulberry32(20260105);
    for (let round = 0; round < 6; round++) {
      for (const server of all) {
        for (let k = 0; k < 4; k++) {
          const mode = MODES[Math.floor(rand() * MODES.length)] ?? '500';
          server.failNext(1, mode === 'timeout' ? 'reset' : mode);
        }
      }
      for (const call of everyCall(r, round)) await run(call);
      await new Promise((resolve) => setTimeout(resolve, 40));
    }
    // Replays, status.
    for (const server of all) server.setMode('ok');
    await new Promise((resolve) => setTimeout(resolve, 40));
    record(await r.replay());
    await r.idle();
    record(await r.status());
    record(await deadLetters.list());
    record(lastGoodEntries);
    record([...dataSink.prices.values(), ...dataSink.series.values(), ...dataSink.articles.values()]);

    // The keys were really used: every server saw authorised requests.
    for (const server of all) expect(server.requests.some((q) => q.authorised)).toBe(true);
    // The run exercised what it claims to.
    const log = logSink.text();
    expect(logSink.lines.length).toBeGreaterThan(200);
    expect(log).toContain('"level":"debug"');
    expect(log).toContain('provider retry');
    expect(log).toContain('circuit open');
    expect(seen.some((s) => s.includes('"stale":true'))).toBe(true);
    expect(seen.some((s) => s.includes('unavailable: API key refused'))).toBe(true);
    expect(dataSink.prices.size).toBeGreaterThan(0);

    const haystack = [log, ...seen].join('\n');
    for (const key of Object.values(TEST_KEYS)) {
      expect(haystack.includes(key), `key ${key.slice(0, 4)}… leaked`).toBe(false);
    }
    r.close();
  }, 120_000);
});
