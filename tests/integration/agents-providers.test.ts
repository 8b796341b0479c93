// data_harvester over the real providers layer: FRED and NewsAPI clients with their resilience
// layer, talking HTTP to the fake provider servers on 127.0.0.1. The macro panel says which series
// the provider did not have; news is tagged with NewsAPI's licence and may not be exported.
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FredMacroSource, NewsApiNewsSource } from '../../main/agents/data-harvester/provider-sources';
import type { ProviderRegistry } from '../../main/providers/registry';
import { workspaceOrchestrator } from '../../main/workspace/patterns';
import { Workspace } from '../../main/workspace/workspace';
import { startProviderServers, type ProviderServers } from '../support/provider-servers';
import { TEST_KEYS, testRegistry } from '../support/provider-servers/test-registry';
import { makeHandRepo, type HandRepo } from './agents-fixture';

let servers: ProviderServers;
let registry: ProviderRegistry;
let r: HandRepo;

beforeAll(async () => {
  servers = await startProviderServers({ keys: TEST_KEYS });
  registry = testRegistry(servers).registry;
  r = makeHandRepo();
});
afterAll(async () => {
  registry.close();
  await servers.stop();
  rmSync(r.tmp, { recursive: true, force: true });
});

describe('data_harvester over the providers layer', () => {
  it('reads FRED series up to as_of and lists the series the provider lacks', async () => {
    const ws = await Workspace.open({ ledgerFile: r.ledger });
    const orchestrator = await workspaceOrchestrator(ws, { macro: new FredMacroSource(registry.fred) });
    const pin = await ws.pin('2024-06-28');
    const env = await orchestrator.execute('macro_regime', { portfolio_id: 'main', ...pin, params: {} });
    const indicators = env.panels.indicators!;
    const data = indicators.data as {
      series: Record<string, { observations: { date: string }[] }>;
      missing: string[];
    };
    expect(Object.keys(data.series).sort()).toEqual(['CPIAUCSL', 'FEDFUNDS']);
    expect(data.missing).toEqual(['T10Y2Y', 'UNRATE', 'BAMLC0A0CM']);
    expect(data.series.FEDFUNDS!.observations.at(-1)!.date <= '2024-06-28').toBe(true);
    expect(indicators.stale).toBe(true);
    expect(indicators.message).toContain('not served: T10Y2Y');
    expect(indicators.provenance).toEqual([
      { provider: 'fred', dataset: 'series-observations', as_of: '2024-06-28' },
    ]);
    expect(indicators.rights.export).toBe('restricted');
    const regime = env.panels.regime!.data as { missing: string[] };
    expect(regime.missing).toContain('curve');
    expect(servers.fred.requests.every((q) => q.authorised)).toBe(true);
  });

  it('tags NewsAPI articles with its licence; the digest may not be exported', async () => {
    const ws = await Workspace.open({ ledgerFile: r.ledger });
    const orchestrator = await workspaceOrchestrator(ws, {
      news: new NewsApiNewsSource(registry.newsapi, { AAA: 'Alpha Corp', EUX: 'Euro Industries' }),
    });
    const pin = await ws.pin(null);
    const env = await orchestrator.execute('news_digest', {
      portfolio_id: 'main',
      ...pin,
      params: { limit: 5 },
    });
    const digest = env.panels.digest!;
    const data = digest.data as {
      count: number;
      articles: { provider: string; export: unknown; matched_holdings: string[] }[];
    };
    expect(data.count).toBe(5);
    for (const a of data.articles) {
      expect(a).toMatchObject({ provider: 'newsapi', export: false });
      expect(a.matched_holdings.length).toBeGreaterThan(0);
    }
    expect(digest.rights.export).toBe(false);
    expect(digest.provenance.map((p) => p.provider)).toContain('newsapi');
  });
});
