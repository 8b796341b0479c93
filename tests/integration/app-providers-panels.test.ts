// The app's macro and news panels from the providers (createCore + registerHandlers, a real
// encrypted store, a git ledger repo, the fake FRED and NewsAPI servers on 127.0.0.1): with their
// keys in the vault, `patterns:execute` of macro_regime and news_digest cites FRED and NewsAPI;
// with FRED down the macro panel is stale with "FRED unavailable"; with no keys, or before a vault
// is attached, the panels say no source is configured. Keys are read per run: a key set while the
// app runs is used by the next run.
import { rmSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Core } from '../../main/composition/core';
import type { MemoryVault } from '../../main/vault/memory-vault';
import { patternEnvelopeSchema, type PatternEnvelope } from '../../shared/ipc/patterns';
import { startProviderServers, type ProviderServers } from '../support/provider-servers';
import { TEST_KEYS } from '../support/provider-servers/test-registry';
import { startAppCore, type AppCore } from '../support/app-core';
import { makeHandRepo, type HandRepo } from './agents-fixture';

let servers: ProviderServers;
let r: HandRepo;
let app: AppCore;
let core: Core;
let vault: MemoryVault;

beforeAll(async () => {
  servers = await startProviderServers({ keys: TEST_KEYS });
  r = makeHandRepo();
});
afterAll(async () => {
  await servers.stop();
  rmSync(r.tmp, { recursive: true, force: true });
});
beforeEach(async () => {
  servers.reset();
  app = await startAppCore({ servers, ledgerRepo: r.repo, tmpPrefix: 'dawsos-app-panels-' });
  ({ core, vault } = app);
});
afterEach(() => app.close());

const call = (channel: string, payload: unknown) => app.call(channel, payload);

async function run(patternId: string, params: Record<string, unknown> = {}): Promise<PatternEnvelope> {
  const res = await call('patterns:execute', { pattern_id: patternId, portfolio_id: 'main', params });
  expect(res).toMatchObject({ ok: true });
  return patternEnvelopeSchema.parse(res.value);
}

async function setKeys(...providers: ('fred' | 'newsapi')[]): Promise<void> {
  for (const provider of providers)
    expect(await call('providers:setKey', { provider, key: TEST_KEYS[provider] })).toMatchObject({
      ok: true,
    });
}

function expectNoSource(macro: PatternEnvelope, news: PatternEnvelope): void {
  expect(macro.panels.indicators).toMatchObject({
    stale: true,
    message: 'no macro data source is configured',
    provenance: [],
  });
  expect(news.panels.digest!.stale).toBe(true);
  expect(news.panels.digest!.message).toContain('no news source is configured');
  expect(news.panels.digest!.provenance.map((p) => p.provider)).not.toContain('newsapi');
}

describe('macro and news panels from the providers in the app', () => {
  it('cites FRED and NewsAPI once their keys are set while the app runs', async () => {
    core.providers.attachVault(vault);
    // No keys yet: exactly the panels of an app without providers, and no request sent.
    expectNoSource(await run('macro_regime', { as_of: '2024-01-05' }), await run('news_digest'));
    expect(servers.fred.requestCount() + servers.newsapi.requestCount()).toBe(0);

    await setKeys('fred', 'newsapi');
    const macro = await run('macro_regime', { as_of: '2024-01-05' });
    const indicators = macro.panels.indicators!;
    expect(indicators.provenance).toEqual([
      { provider: 'fred', dataset: 'series-observations', as_of: '2024-01-05' },
    ]);
    expect(indicators.rights.export).toBe('restricted');
    const data = indicators.data as { series: Record<string, unknown>; missing: string[] };
    // The fake FRED publishes two of the five series; the other three are named as not served.
    expect(Object.keys(data.series).sort()).toEqual(['CPIAUCSL', 'FEDFUNDS']);
    expect(data.missing).toEqual(['T10Y2Y', 'UNRATE', 'BAMLC0A0CM']);
    expect(indicators.message).not.toContain('no macro data source');
    // The fake refuses the series it does not publish; the two it has are served.
    expect(indicators.message).not.toContain('CPIAUCSL');
    expect(indicators.message).not.toContain('FEDFUNDS');
    expect(macro.panels.regime!.provenance.map((p) => p.provider)).toContain('fred');
    expect(servers.fred.requestCount()).toBeGreaterThan(0);
    expect(servers.fred.requests.every((q) => q.authorised)).toBe(true);

    const news = await run('news_digest', { limit: 5 });
    const digest = news.panels.digest!;
    expect(digest.stale).toBe(false);
    expect(digest.provenance.map((p) => p.provider)).toContain('newsapi');
    expect(digest.rights.export).toBe(false);
    const articles = (digest.data as { articles: { provider: string; export: unknown }[] }).articles;
    expect(articles.length).toBe(5);
    for (const a of articles) expect(a).toMatchObject({ provider: 'newsapi', export: false });
    expect(servers.newsapi.requests.every((q) => q.authorised)).toBe(true);
  });

  it('marks the macro panel stale with "FRED unavailable" while FRED answers 503', async () => {
    core.providers.attachVault(vault);
    await setKeys('fred');
    servers.fred.setMode('503');
    const macro = await run('macro_regime', { as_of: '2024-01-05' });
    const indicators = macro.panels.indicators!;
    expect(indicators.stale).toBe(true);
    expect(indicators.message).toContain('FRED unavailable');
    expect(indicators.message).toContain('CPIAUCSL (FRED unavailable');
    expect((indicators.data as { series: Record<string, unknown> }).series).toEqual({});
    expect(indicators.provenance.map((p) => p.provider)).toEqual(['fred']);
    expect(servers.fred.requestCount()).toBeGreaterThan(0);
    // NewsAPI has no key: its panel is unchanged.
    const news = await run('news_digest');
    expect(news.panels.digest!.message).toContain('no news source is configured');
    expect(servers.newsapi.requestCount()).toBe(0);
  });

  it('says no source is configured with no vault attached (keys cannot be read)', async () => {
    expectNoSource(await run('macro_regime', { as_of: '2024-01-05' }), await run('news_digest'));
    expect(servers.fred.requestCount() + servers.newsapi.requestCount()).toBe(0);
  });
});
