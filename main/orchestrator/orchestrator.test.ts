import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type PatternProgress } from '../../shared/ipc/patterns';
import { canonicalJson } from './canonical-json';
import { InMemoryPatternRunStore, LruCache, patternRunKey, type PatternRunStore } from './cache';
import { CapabilityRegistry, type CapabilityResult } from './capability';
import { PatternNotFoundError, PatternOrchestrator, type PatternRunRequest } from './orchestrator';
import { validatePattern, type Pattern } from './pattern';
import { okResult } from './testing';

const REQUEST: PatternRunRequest = {
  portfolio_id: 'pf-1',
  pricing_pack_id: 'pack-1',
  ledger_commit_hash: 'commit-1',
  params: { from: '2024-01-01' },
};

interface Fixture {
  orchestrator: PatternOrchestrator;
  runs: () => number;
  store: InMemoryPatternRunStore;
  setStale: (stale: boolean) => void;
}

function patternWith(registry: CapabilityRegistry, version = 1): Pattern {
  return validatePattern(
    {
      id: 'overview',
      title: 'Overview',
      description: 'Test pattern.',
      version,
      inputs: { from: { type: 'date' }, days: { type: 'integer', default: 7 } },
      steps: [{ id: 'value', capability: 'x.value', inputs: { from: { $param: 'from' } }, panel: 'value' }],
      panels: ['value'],
    },
    'overview.json',
    registry,
  );
}

function fixture(
  options: { store?: InMemoryPatternRunStore; version?: number; cacheEntries?: number } = {},
): Fixture {
  let runs = 0;
  let stale = false;
  const registry = new CapabilityRegistry();
  registry.registerCapability('x.value', {
    input: z.object({ from: z.string().nullable() }),
    output: z.object({ total: z.string() }),
    run: (_input, ctx): Promise<CapabilityResult<{ total: string }>> => {
      runs += 1;
      return Promise.resolve(
        okResult({ total: `${ctx.portfolio_id}@${ctx.pricing_pack_id}` }, stale ? { stale: true } : {}),
      );
    },
  });
  const store = options.store ?? new InMemoryPatternRunStore();
  const orchestrator = new PatternOrchestrator({
    registry,
    patterns: new Map([['overview', patternWith(registry, options.version)]]),
    runStore: store,
    cacheEntries: options.cacheEntries,
  });
  return { orchestrator, runs: () => runs, store, setStale: (value) => (stale = value) };
}

describe('PatternOrchestrator', () => {
  it('lists patterns with their panels and inputs', () => {
    expect(fixture().orchestrator.list()).toEqual([
      {
        id: 'overview',
        title: 'Overview',
        description: 'Test pattern.',
        version: 1,
        inputs: { from: { type: 'date' }, days: { type: 'integer', default: 7 } },
        panels: ['value'],
      },
    ]);
  });

  it('refuses an unknown pattern id', async () => {
    await expect(fixture().orchestrator.execute('nope', REQUEST)).rejects.toBeInstanceOf(
      PatternNotFoundError,
    );
  });

  it('answers a repeated run from the cache with a fresh trace id and the same panels', async () => {
    const { orchestrator, runs } = fixture();
    const events: PatternProgress[] = [];
    const first = await orchestrator.execute('overview', REQUEST);
    const second = await orchestrator.execute('overview', REQUEST, { onProgress: (e) => events.push(e) });
    expect(runs()).toBe(1);
    expect(second.trace_id).not.toBe(first.trace_id);
    expect(canonicalJson(second.panels)).toBe(canonicalJson(first.panels));
    expect(second.generated_at).toBe(first.generated_at);
    expect(events.map((e) => e.status)).toEqual(['cached']);
  });

  it('runs again, and records the run, when asked for a fresh run of a key that ran before', async () => {
    const { orchestrator, runs, store } = fixture();
    await orchestrator.execute('overview', REQUEST);
    const fresh = await orchestrator.execute('overview', REQUEST, { fresh: true });
    expect(runs()).toBe(2);
    expect(store.runs.map((r) => r.trace_id)).toEqual([expect.any(String), fresh.trace_id]);
  });

  it('treats omitted parameters and their explicit defaults as the same run', async () => {
    const { orchestrator, runs } = fixture();
    await orchestrator.execute('overview', REQUEST);
    await orchestrator.execute('overview', { ...REQUEST, params: { from: '2024-01-01', days: 7 } });
    await orchestrator.execute('overview', { ...REQUEST, params: { days: '7', from: '2024-01-01' } });
    expect(runs()).toBe(1);
  });

  it.each([
    ['portfolio', { portfolio_id: 'pf-2' }],
    ['ledger commit', { ledger_commit_hash: 'commit-2' }],
    ['pricing pack', { pricing_pack_id: 'pack-2' }],
    ['parameters', { params: { from: '2024-06-30' } }],
    ['a parameter default made explicit with another value', { params: { from: '2024-01-01', days: 8 } }],
  ])('runs again when the %s changes', async (_part, change: Partial<PatternRunRequest>) => {
    const { orchestrator, runs } = fixture();
    await orchestrator.execute('overview', REQUEST);
    await orchestrator.execute('overview', { ...REQUEST, ...change });
    expect(runs()).toBe(2);
  });

  it('runs again when the pattern version changes (keys differ)', () => {
    const key = {
      pattern_id: 'overview',
      pattern_version: 1,
      portfolio_id: 'pf-1',
      ledger_commit_hash: 'c',
      pricing_pack_id: 'p',
      params: { a: 1, b: null },
    };
    expect(patternRunKey({ ...key, params: { b: null, a: 1 } })).toBe(patternRunKey(key));
    expect(patternRunKey({ ...key, pattern_version: 2 })).not.toBe(patternRunKey(key));
    expect(patternRunKey({ ...key, pattern_id: 'risk' })).not.toBe(patternRunKey(key));
  });

  it('does not cache a run with a stale panel, but records it', async () => {
    const { orchestrator, runs, store, setStale } = fixture();
    setStale(true);
    const stale = await orchestrator.execute('overview', REQUEST);
    expect(stale.panels.value?.stale).toBe(true);
    setStale(false);
    const fresh = await orchestrator.execute('overview', REQUEST);
    expect(fresh.panels.value?.stale).toBe(false);
    await orchestrator.execute('overview', REQUEST);
    expect(runs()).toBe(2);
    expect(store.runs.map((run) => run.stale)).toEqual([true, false]);
  });

  it('records each executed run with its key and canonical envelope, and a new session reuses it', async () => {
    const store = new InMemoryPatternRunStore();
    const first = fixture({ store });
    const envelope = await first.orchestrator.execute('overview', REQUEST);
    expect(store.runs).toHaveLength(1);
    const record = store.runs[0]!;
    expect(record).toMatchObject({
      pattern_id: 'overview',
      pattern_version: 1,
      portfolio_id: 'pf-1',
      ledger_commit_hash: 'commit-1',
      pricing_pack_id: 'pack-1',
      params_json: '{"days":7,"from":"2024-01-01"}',
      trace_id: envelope.trace_id,
      generated_at: envelope.generated_at,
      stale: false,
      envelope_json: canonicalJson(envelope),
    });
    const second = fixture({ store });
    const again = await second.orchestrator.execute('overview', REQUEST);
    expect(second.runs()).toBe(0);
    expect(canonicalJson(again.panels)).toBe(canonicalJson(envelope.panels));
    expect(again.trace_id).not.toBe(envelope.trace_id);
  });

  it('still answers when the run store fails', async () => {
    const broken: PatternRunStore = {
      record: () => Promise.reject(new Error('disk full')),
      find: () => Promise.reject(new Error('disk gone')),
    };
    const registry = new CapabilityRegistry();
    registry.registerCapability('x.value', {
      input: z.object({ from: z.string().nullable() }),
      output: z.object({ total: z.string() }),
      run: () => Promise.resolve(okResult({ total: '1' })),
    });
    const orchestrator = new PatternOrchestrator({
      registry,
      patterns: new Map([['overview', patternWith(registry)]]),
      runStore: broken,
    });
    const envelope = await orchestrator.execute('overview', REQUEST);
    expect(envelope.panels.value?.data).toEqual({ total: '1' });
  });

  it('evicts the least recently used run when the cache is full', async () => {
    const { orchestrator, runs } = fixture({
      cacheEntries: 2,
      store: {
        record: () => Promise.resolve(),
        find: () => Promise.resolve(undefined),
      } as unknown as InMemoryPatternRunStore,
    });
    const at = (pack: string) => orchestrator.execute('overview', { ...REQUEST, pricing_pack_id: pack });
    await at('a');
    await at('b');
    await at('a');
    await at('c');
    expect(runs()).toBe(3);
    await at('a');
    expect(runs()).toBe(3);
    await at('b');
    expect(runs()).toBe(4);
  });
});

describe('LruCache', () => {
  it('keeps the most recently used entries', () => {
    const cache = new LruCache<number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    expect(cache.get('a')).toBe(1);
    cache.set('c', 3);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBe(1);
    expect(cache.size).toBe(2);
  });
});
