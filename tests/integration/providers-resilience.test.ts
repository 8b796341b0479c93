// The outage story, end to end over real HTTP: the breaker opens after exactly three failures and
// then refuses without calling the provider, probes once after the open period and closes; callers
// get the last good value marked stale with "FMP unavailable: …"; failed requests wait as dead
// letters and are replayed once, with nothing written twice; quota alarms fire once per threshold.
import { once } from 'node:events';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MemorySink, createLogger } from '../../main/logging/logger';
import { ProviderUnavailableError } from '../../main/providers/errors';
import { MemoryProviderDataSink } from '../../main/providers/memory-sink';
import type { ProviderRegistry, ProviderRegistryOptions } from '../../main/providers/registry';
import type { VirtualClock } from '../../main/providers/resilience/clock';
import { MemoryDeadLetterStore } from '../../main/providers/resilience/dead-letter';
import type { QuotaAlarm } from '../../main/providers/resilience/quota';
import { clientBars, startProviderServers, type ProviderServers } from '../support/provider-servers';
import { GENEROUS_PLAN, TEST_KEYS, testRegistry } from '../support/provider-servers/test-registry';

let servers: ProviderServers;
let registry: ProviderRegistry;
let clock: VirtualClock;
let sink: MemoryProviderDataSink;
let deadLetters: MemoryDeadLetterStore;

beforeAll(async () => {
  servers = await startProviderServers({ keys: TEST_KEYS });
});
afterAll(async () => {
  await servers.stop();
});
afterEach(async () => {
  await registry.idle();
  registry.close();
  servers.reset();
});

function setup(overrides: Partial<ProviderRegistryOptions> = {}): ProviderRegistry {
  sink = new MemoryProviderDataSink();
  deadLetters = new MemoryDeadLetterStore();
  ({ registry, clock } = testRegistry(servers, { sink, deadLetters, ...overrides }));
  return registry;
}

const QUOTE = '/stable/quote';
const EOD = '/stable/historical-price-eod/full';

describe('circuit breaker', () => {
  it('opens after exactly 3 consecutive failures and then rejects without calling the server', async () => {
    const r = setup({ maxAttempts: 1 });
    servers.fmp.setMode('500');
    for (let i = 1; i <= 3; i++) {
      expect(r.layer('fmp').breakerState).toBe('closed');
      await expect(r.fmp.quote('AAPL')).rejects.toBeInstanceOf(ProviderUnavailableError);
      expect(servers.fmp.requestCount(QUOTE)).toBe(i);
    }
    expect(r.layer('fmp').breakerState).toBe('open');
    servers.fmp.setMode('ok');
    const err = await r.fmp.quote('MSFT').catch((e: unknown) => e);
    expect((err as ProviderUnavailableError).failure.kind).toBe('circuit-open');
    expect((err as ProviderUnavailableError).message).toBe(
      'FMP unavailable: circuit open after repeated failures',
    );
    expect(servers.fmp.requestCount()).toBe(3);
    // Other providers are unaffected.
    expect(r.layer('polygon').breakerState).toBe('closed');
    const status = await r.status();
    expect(status.find((s) => s.provider === 'fmp')).toMatchObject({
      configured: true,
      breaker: 'open',
      quota_used: 3,
      last_failure_reason: 'circuit open after repeated failures',
      dead_letters: 2,
    });
  });

  it('a success between failures resets the count: F F S F F stays closed', async () => {
    const r = setup({ maxAttempts: 1 });
    for (const mode of ['500', '500', 'ok', '500', '500'] as const) {
      servers.fmp.setMode(mode);
      await r.fmp.quote('AAPL').catch(() => undefined);
    }
    expect(r.layer('fmp').breakerState).toBe('closed');
  });

  it('one call whose retries all fail opens it (3 attempts = 3 failures)', async () => {
    const r = setup();
    servers.fmp.setMode('503');
    await expect(r.fmp.quote('AAPL')).rejects.toBeInstanceOf(ProviderUnavailableError);
    expect(servers.fmp.requestCount()).toBe(3);
    expect(r.layer('fmp').breakerState).toBe('open');
  });

  it('after the open period lets one probe through, and closes when it succeeds', async () => {
    const r = setup({ maxAttempts: 1, breakerOpenMs: 150 });
    const states: string[] = [];
    r.events.on('breaker-state', (e) => states.push(e.state));
    servers.fmp.setMode('500');
    for (let i = 0; i < 3; i++) await r.fmp.quote('AAPL').catch(() => undefined);
    expect(r.layer('fmp').breakerState).toBe('open');
    servers.fmp.setMode('ok');
    await once(r.events, 'breaker-state');
    expect(r.layer('fmp').breakerState).toBe('half-open');
    const probe = await r.fmp.quote('AAPL');
    expect(probe.stale).toBe(false);
    expect(servers.fmp.requestCount()).toBe(4);
    expect(r.layer('fmp').breakerState).toBe('closed');
    expect(states).toEqual(['open', 'half-open', 'closed']);
    // The probe was the dead-lettered request itself, so the replay has nothing left to fetch.
    await r.idle();
    expect(servers.fmp.requestCount()).toBe(4);
    expect(await deadLetters.list('fmp')).toEqual([]);
  });

  it('half-open lets exactly one of many concurrent calls through as the probe', async () => {
    const r = setup({ maxAttempts: 1, breakerOpenMs: 150 });
    servers.fmp.setMode('500');
    for (let i = 0; i < 3; i++) await r.fmp.quote('AAPL').catch(() => undefined);
    servers.fmp.setMode({ kind: 'slow', delayMs: 50 });
    await once(r.events, 'breaker-state');
    servers.fmp.resetLog();
    const symbols = ['MSFT', 'NVDA', 'AMZN', 'META', 'JPM'];
    const outcomes = await Promise.allSettled(symbols.map((s) => r.fmp.quote(s)));
    expect(servers.fmp.requestCount()).toBe(1);
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    const refused = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    expect(refused.map((o) => (o.reason as ProviderUnavailableError).failure.kind)).toEqual(
      Array(4).fill('circuit-open'),
    );
    expect(r.layer('fmp').breakerState).toBe('closed');
  });

  it('a failed probe opens it again', async () => {
    const r = setup({ maxAttempts: 1, breakerOpenMs: 150 });
    servers.fmp.setMode('500');
    for (let i = 0; i < 3; i++) await r.fmp.quote('AAPL').catch(() => undefined);
    await once(r.events, 'breaker-state');
    expect(r.layer('fmp').breakerState).toBe('half-open');
    await r.fmp.quote('AAPL').catch(() => undefined);
    expect(servers.fmp.requestCount()).toBe(4);
    expect(r.layer('fmp').breakerState).toBe('open');
  });
});

describe('last-good fallback', () => {
  it('with FMP down returns the last good value, stale, with when and why', async () => {
    const r = setup();
    const good = await r.fmp.quote('AAPL');
    expect(good.stale).toBe(false);
    clock.advance(3_600_000);
    servers.fmp.setMode('503');
    const stale = await r.fmp.quote('AAPL');
    expect(stale).toEqual({
      stale: true,
      value: good.value,
      as_of: good.as_of,
      message: 'FMP unavailable: HTTP 503',
      licence: { provider: 'fmp', dataset: 'quote' },
    });
    // While the breaker is open the answer is the same value, now with the breaker as the reason.
    const whileOpen = await r.fmp.quote('AAPL');
    expect(whileOpen).toMatchObject({
      stale: true,
      value: good.value,
      message: 'FMP unavailable: circuit open after repeated failures',
    });
  });

  it('never mixes requests: a symbol with no good value fails typed instead of borrowing another', async () => {
    const r = setup();
    await r.fmp.quote('AAPL');
    servers.fmp.setMode('500');
    await expect(r.fmp.quote('MSFT')).rejects.toThrow('FMP unavailable: HTTP 500');
  });
});

describe('dead letters', () => {
  it('are kept while FMP is down, replayed automatically once the breaker closes, and never duplicate a price', async () => {
    const r = setup({ maxAttempts: 1, breakerOpenMs: 150 });
    servers.fmp.setMode('500');
    const requests = [
      ['AAPL', '2024-01-01', '2024-03-31'],
      ['MSFT', '2024-01-01', '2024-03-31'],
      ['NVDA', '2024-01-01', '2024-03-31'],
      ['AMZN', '2024-01-01', '2024-03-31'], // rejected by the open breaker, no HTTP
      ['AAPL', '2024-01-01', '2024-03-31'], // the same request again: the same letter
    ] as const;
    for (const [symbol, from, to] of requests)
      await r.fmp.eodHistory(symbol, from, to).catch(() => undefined);
    expect(servers.fmp.requestCount(EOD)).toBe(3);
    const letters = await deadLetters.list('fmp');
    expect(letters.map((l) => l.params.symbol)).toEqual(['AAPL', 'MSFT', 'NVDA', 'AMZN']);
    expect(letters.find((l) => l.params.symbol === 'AAPL')?.failures).toBe(2);
    expect(letters.find((l) => l.params.symbol === 'AMZN')?.reason).toBe(
      'circuit open after repeated failures',
    );
    expect(JSON.stringify(letters)).not.toContain(TEST_KEYS.fmp);
    expect(sink.offered).toBe(0);

    // FMP comes back; after the open period one probe closes the breaker, which replays the letters.
    servers.fmp.setMode('ok');
    servers.fmp.resetLog();
    await once(r.events, 'breaker-state');
    await r.fmp.quote('AAPL');
    await r.idle();
    expect(await deadLetters.list('fmp')).toEqual([]);
    expect(servers.fmp.countsByPath()).toEqual({ [QUOTE]: 1, [EOD]: 4 });
    const expectedRows = ['AAPL', 'MSFT', 'NVDA', 'AMZN'].reduce(
      (n, s) => n + clientBars(s, '2024-01-01', '2024-03-31').length,
      0,
    );
    expect(sink.inserted).toBe(expectedRows);
    expect(sink.prices.size).toBe(expectedRows);

    // Replaying again on demand finds nothing to do: no request, no write.
    const [report] = await r.replay('fmp');
    expect(report).toEqual({ provider: 'fmp', replayed: 0, failed: 0, remaining: 0 });
    expect(servers.fmp.requestCount(EOD)).toBe(4);
    expect(sink.inserted).toBe(expectedRows);
  });

  it('a letter replayed twice (e.g. a crash before it was removed) still writes each price once', async () => {
    const r = setup({ maxAttempts: 1 });
    servers.fmp.setMode('500');
    await r.fmp.eodHistory('JPM', '2024-01-01', '2024-02-29').catch(() => undefined);
    const [letter] = await deadLetters.list('fmp');
    expect(letter).toBeDefined();
    servers.fmp.setMode('ok');
    expect(await r.replay('fmp')).toEqual([{ provider: 'fmp', replayed: 1, failed: 0, remaining: 0 }]);
    const rows = clientBars('JPM', '2024-01-01', '2024-02-29').length;
    expect(sink.inserted).toBe(rows);
    if (!letter) return;
    await deadLetters.put({ ...letter, last_failed_at: letter.last_failed_at });
    expect(await r.replay('fmp')).toEqual([{ provider: 'fmp', replayed: 1, failed: 0, remaining: 0 }]);
    expect(sink.offered).toBe(2 * rows);
    expect(sink.inserted).toBe(rows);
  });

  it('replays series points and articles without duplicates too', async () => {
    const r = setup({ maxAttempts: 1 });
    servers.fred.setMode('500');
    servers.newsapi.setMode('500');
    await r.fred.observations('DGS10', '2024-01-01', '2024-06-30').catch(() => undefined);
    await r.newsapi.everything({ q: 'AAPL', from: '2024-01-01' }).catch(() => undefined);
    servers.fred.setMode('ok');
    servers.newsapi.setMode('ok');
    await r.replay();
    await r.replay();
    const series = sink.series.size;
    const articles = sink.articles.size;
    expect(series).toBeGreaterThan(100);
    expect(articles).toBeGreaterThan(10);
    expect(sink.inserted).toBe(series + articles);
    expect(servers.fred.requestCount()).toBe(2);
    expect(servers.newsapi.requestCount()).toBe(2);
  });

  it('a replay that fails again keeps the letter', async () => {
    const r = setup({ maxAttempts: 1 });
    servers.fmp.setMode('500');
    await r.fmp.quote('AAPL').catch(() => undefined);
    expect(await r.replay('fmp')).toEqual([{ provider: 'fmp', replayed: 0, failed: 1, remaining: 1 }]);
    expect((await deadLetters.list('fmp'))[0]?.failures).toBe(2);
  });
});

describe('quota accounting', () => {
  it('raises 70, 85 and 95 % alarms once each per period, logs them without the key, and stops at 100 %', async () => {
    const sinkLog = new MemorySink();
    const logger = createLogger({ level: 'debug', sink: sinkLog });
    const r = setup({ logger, plans: { fmp: { ...GENEROUS_PLAN, quota: 20, period: 'day' } } });
    const alarms: QuotaAlarm[] = [];
    r.events.on('quota-alarm', (a) => alarms.push(a));
    for (let i = 0; i < 20; i++) await r.fmp.quote('AAPL');
    expect(alarms.map((a) => [a.threshold, a.used])).toEqual([
      [70, 14],
      [85, 17],
      [95, 19],
    ]);
    expect(alarms[0]).toMatchObject({ provider: 'fmp', quota: 20, period: '2026-01-05' });
    const alarmLines = sinkLog.lines.filter((l) => l.includes('quota at'));
    expect(alarmLines).toHaveLength(3);
    expect(sinkLog.text()).not.toContain(TEST_KEYS.fmp);

    // At 100 % the provider is not called; the caller gets the last good value, stale.
    const refused = await r.fmp.quote('AAPL');
    expect(refused).toMatchObject({
      stale: true,
      message: 'FMP unavailable: plan quota used up for this period',
    });
    expect(servers.fmp.requestCount()).toBe(20);
    expect((await r.layer('fmp').status()).quota_used).toBe(20);

    // Concurrent callers cannot overshoot the quota either.
    clock.advance(24 * 3_600_000);
    servers.fmp.resetLog();
    await Promise.allSettled(
      ['AAPL', 'MSFT', 'NVDA', 'AMZN', 'META', 'JPM', 'XOM', 'V'].flatMap((s) =>
        [0, 1, 2].map(() => r.fmp.profile(s)),
      ),
    );
    expect(servers.fmp.requestCount()).toBe(20);
    alarms.splice(3);

    // A new billing period starts from zero, and its alarms fire again (once).
    clock.advance(24 * 3_600_000);
    for (let i = 0; i < 15; i++) await r.fmp.quote('AAPL');
    expect(alarms.map((a) => `${a.period}:${a.threshold}`)).toEqual([
      '2026-01-05:70',
      '2026-01-05:85',
      '2026-01-05:95',
      '2026-01-07:70',
    ]);
  });
});
