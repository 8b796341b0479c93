import { describe, expect, it } from 'vitest';
import { contract } from '../../shared/ipc';
import {
  patternEnvelopeSchema,
  patternProgressSchema,
  type PatternProgress,
} from '../../shared/ipc/patterns';
import { createLogger, MemorySink } from '../logging/logger';
import { IpcRouter } from '../ipc/router';
import type { IpcSender } from '../ipc/sender';
import { PATTERN_CAPABILITY_NAMES } from './capability-catalogue';
import { type CapabilityContext } from './capability';
import { createPatternHandlers, type PortfolioAccess, type RunPinning } from './handlers';
import { bundledPatternsDir, loadPatterns } from './loader';
import { PatternOrchestrator } from './orchestrator';
import { catalogueRegistry } from './testing';

const SENDER: IpcSender = { id: 'window-1', frameUrl: 'app://dawsos/index.html', isMainFrame: true };

async function harness() {
  const calls: { name: string; input: unknown; ctx: CapabilityContext }[] = [];
  const registry = catalogueRegistry(PATTERN_CAPABILITY_NAMES, calls);
  const orchestrator = new PatternOrchestrator({
    registry,
    patterns: await loadPatterns(bundledPatternsDir(), registry),
  });
  const access: PortfolioAccess = { canRead: (id) => Promise.resolve(id === 'mine') };
  const pins: unknown[] = [];
  const pinning: RunPinning = {
    pin: (request, onProgress) => {
      pins.push(request);
      // Pinning a run that needs packs built reports how the build goes.
      if (request.pricing_pack_id === undefined) {
        onProgress?.({ fraction: 0.5, message: 'building pricing packs: 50 of 100 dates' });
        onProgress?.({ fraction: 1, message: 'building pricing packs: 100 of 100 dates' });
      }
      return Promise.resolve({
        pricing_pack_id: request.pricing_pack_id ?? 'pack-latest',
        ledger_commit_hash: request.ledger_commit_hash ?? 'head',
      });
    },
  };
  const events: PatternProgress[] = [];
  const router = new IpcRouter({
    allowedOrigins: ['app://dawsos'],
    logger: createLogger({ sink: new MemorySink(), level: 'silent' }),
    validateResponses: true,
  });
  router.registerDomain(
    contract.patterns,
    createPatternHandlers({ orchestrator, access, pinning, emitProgress: (e) => events.push(e) }),
  );
  return { router, calls, pins, events };
}

describe('patterns IPC handlers', () => {
  it('patterns:list returns every shipped pattern with its panels', async () => {
    const { router } = await harness();
    const result = await router.handle('patterns:list', {}, SENDER);
    expect(result.ok).toBe(true);
    const value = (result as { value: { patterns: { id: string; panels: string[] }[] } }).value;
    expect(value.patterns.map((p) => p.id)).toContain('portfolio_overview');
    expect(value.patterns.find((p) => p.id === 'risk')?.panels).toEqual(['risk', 'concentration']);
  });

  it('refuses a portfolio the user may not read, and runs no step (IDOR)', async () => {
    const { router, calls, pins, events } = await harness();
    const result = await router.handle(
      'patterns:execute',
      { pattern_id: 'portfolio_overview', portfolio_id: 'someone-elses' },
      SENDER,
    );
    expect(result).toEqual({
      ok: false,
      error: { code: 'PORTFOLIO_FORBIDDEN', message: 'You do not have access to this portfolio.' },
    });
    expect(calls).toEqual([]);
    expect(pins).toEqual([]);
    expect(events).toEqual([]);
  });

  it('runs a pattern for a readable portfolio, pinned to the latest commit and pack, with progress', async () => {
    const { router, calls, events } = await harness();
    const result = await router.handle(
      'patterns:execute',
      { pattern_id: 'portfolio_overview', portfolio_id: 'mine', params: { from: '2024-01-01' } },
      SENDER,
    );
    expect(result.ok).toBe(true);
    const envelope = patternEnvelopeSchema.parse((result as { value: unknown }).value);
    expect(envelope).toMatchObject({
      portfolio_id: 'mine',
      pricing_pack_id: 'pack-latest',
      ledger_commit_hash: 'head',
    });
    expect(Object.keys(envelope.panels).sort()).toEqual(
      ['allocation', 'concentration', 'income', 'performance', 'valuation'].sort(),
    );
    expect(Object.values(envelope.panels).every((panel) => !panel.stale)).toBe(true);
    expect(new Set(calls.map((call) => call.ctx.portfolio_id))).toEqual(new Set(['mine']));
    expect(events.at(-1)).toMatchObject({ status: 'finished', trace_id: envelope.trace_id });
    expect(events.filter((e) => e.status === 'started')).toHaveLength(7);
    // Pinning's progress comes first, as run-level events of the same trace.
    expect(events.slice(0, 2)).toEqual(
      [0.5, 1].map((fraction) => ({
        trace_id: envelope.trace_id,
        pattern_id: 'portfolio_overview',
        step_id: null,
        status: 'progress',
        done: 0,
        total: 0,
        fraction,
        message: `building pricing packs: ${fraction * 100} of 100 dates`,
      })),
    );
    for (const event of events) expect(patternProgressSchema.parse(event)).toEqual(event);
    expect(calls.every((call) => call.ctx.traceId === envelope.trace_id)).toBe(true);
  });

  it('reproduces a run pinned to a given commit and pack', async () => {
    const { router } = await harness();
    const result = await router.handle(
      'patterns:execute',
      {
        pattern_id: 'reconciliation',
        portfolio_id: 'mine',
        pricing_pack_id: 'pack-old',
        ledger_commit_hash: 'abc123',
      },
      SENDER,
    );
    expect((result as { value: unknown }).value).toMatchObject({
      pricing_pack_id: 'pack-old',
      ledger_commit_hash: 'abc123',
    });
  });

  it('answers unknown patterns and bad parameters with their own codes', async () => {
    const { router } = await harness();
    const unknown = await router.handle(
      'patterns:execute',
      { pattern_id: 'nope', portfolio_id: 'mine' },
      SENDER,
    );
    expect(unknown).toMatchObject({ ok: false, error: { code: 'PATTERN_NOT_FOUND' } });
    const bad = await router.handle(
      'patterns:execute',
      { pattern_id: 'news_digest', portfolio_id: 'mine', params: { lookback_days: 365 } },
      SENDER,
    );
    expect(bad).toMatchObject({ ok: false, error: { code: 'PATTERN_PARAMS_INVALID' } });
  });
});
