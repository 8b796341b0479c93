import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { UserFacingError } from '../../shared/errors';
import { patternEnvelopeSchema, type PatternProgress } from '../../shared/ipc/patterns';
import { canonicalJson } from './canonical-json';
import { CapabilityRegistry, type CapabilityContext, type CapabilityResult } from './capability';
import { executePattern, PatternCancelledError, type ExecuteOptions, type RunInputs } from './executor';
import { validatePattern, type Pattern } from './pattern';
import { deferred, okResult, type Deferred } from './testing';

const RUN: RunInputs = {
  portfolio_id: 'pf-1',
  pricing_pack_id: 'pack-abc',
  ledger_commit_hash: 'c0ffee',
  params: { from: '2024-01-01' },
};

type Run = (input: Record<string, unknown>, ctx: CapabilityContext) => Promise<CapabilityResult>;

/** A registry whose capabilities are the given functions, each taking any object and returning any object. */
function registryOf(runs: Record<string, Run>): CapabilityRegistry {
  const registry = new CapabilityRegistry();
  for (const [name, run] of Object.entries(runs))
    registry.registerCapability(name, {
      input: z.record(z.string(), z.unknown()),
      output: z.record(z.string(), z.unknown()),
      run: (input, ctx) => run(input, ctx) as Promise<CapabilityResult<Record<string, unknown>>>,
    });
  return registry;
}

function patternOf(registry: CapabilityRegistry, steps: unknown[], panels: string[]): Pattern {
  return validatePattern(
    {
      id: 'test',
      title: 'Test',
      description: '',
      version: 1,
      inputs: { from: { type: 'date' } },
      steps,
      panels,
    },
    'test.json',
    registry,
  );
}

const constant =
  (data: Record<string, unknown>, extra: Partial<CapabilityResult> = {}): Run =>
  () =>
    Promise.resolve(okResult(data, extra));

const never: Run = () => new Promise(() => undefined);

function options(registry: CapabilityRegistry, extra: Partial<ExecuteOptions> = {}): ExecuteOptions {
  return { registry, now: () => new Date('2026-01-02T03:04:05.000Z'), ...extra };
}

describe('executePattern', () => {
  it('runs independent steps concurrently: both start before either finishes', async () => {
    const gates: Record<string, Deferred<CapabilityResult>> = { a: deferred(), b: deferred() };
    const log: string[] = [];
    const slow =
      (name: string): Run =>
      async () => {
        log.push(`start ${name}`);
        const result = await gates[name]!.promise;
        log.push(`end ${name}`);
        return result;
      };
    const registry = registryOf({ 'x.a': slow('a'), 'x.b': slow('b') });
    const pattern = patternOf(
      registry,
      [
        { id: 'a', capability: 'x.a', panel: 'a' },
        { id: 'b', capability: 'x.b', panel: 'b' },
      ],
      ['a', 'b'],
    );
    const running = executePattern(pattern, RUN, options(registry));
    await new Promise((resolve) => setImmediate(resolve));
    expect(log).toEqual(['start a', 'start b']);
    gates.b!.resolve(okResult({ v: 'b' }));
    gates.a!.resolve(okResult({ v: 'a' }));
    const envelope = await running;
    expect(log.slice(2).sort()).toEqual(['end a', 'end b']);
    expect(envelope.panels.a?.data).toEqual({ v: 'a' });
    expect(envelope.panels.b?.data).toEqual({ v: 'b' });
  });

  it('starts a dependent step only after its input is ready, and passes it the data at the path', async () => {
    const gate = deferred<CapabilityResult>();
    const seen: unknown[] = [];
    const registry = registryOf({
      'x.source': () => gate.promise,
      'x.sink': (input) => {
        seen.push(input);
        return Promise.resolve(okResult({ got: input.value }));
      },
    });
    const pattern = patternOf(
      registry,
      [
        { id: 'source', capability: 'x.source' },
        {
          id: 'sink',
          capability: 'x.sink',
          inputs: { value: { $step: 'source', path: 'a.b' }, from: { $param: 'from' }, literal: [1, 'two'] },
          panel: 'out',
        },
      ],
      ['out'],
    );
    const running = executePattern(pattern, RUN, options(registry));
    await new Promise((resolve) => setImmediate(resolve));
    expect(seen).toEqual([]);
    gate.resolve(okResult({ a: { b: [42] } }));
    const envelope = await running;
    expect(seen).toEqual([{ value: [42], from: '2024-01-01', literal: [1, 'two'] }]);
    expect(envelope.panels.out).toMatchObject({ data: { got: [42] }, stale: false, message: null });
  });

  it('gives the capability the pinned run context', async () => {
    let ctx: CapabilityContext | undefined;
    const registry = registryOf({
      'x.a': (_input, context) => {
        ctx = context;
        return Promise.resolve(okResult({}));
      },
    });
    const pattern = patternOf(registry, [{ id: 'a', capability: 'x.a', panel: 'a' }], ['a']);
    await executePattern(pattern, RUN, options(registry, { traceId: 'trace-1' }));
    expect(ctx).toMatchObject({
      portfolio_id: 'pf-1',
      pricing_pack_id: 'pack-abc',
      ledger_commit_hash: 'c0ffee',
      params: { from: '2024-01-01' },
      traceId: 'trace-1',
      patternId: 'test',
      stepId: 'a',
    });
    expect(ctx?.signal).toBeInstanceOf(AbortSignal);
  });

  it('times out a capability that never settles; the other panels are unaffected', async () => {
    let signal: AbortSignal | undefined;
    const registry = registryOf({
      'x.hang': (_input, ctx) => {
        signal = ctx.signal;
        return new Promise(() => undefined);
      },
      'x.ok': constant({ fine: true }),
    });
    const pattern = patternOf(
      registry,
      [
        { id: 'hang', capability: 'x.hang', panel: 'hang' },
        { id: 'ok', capability: 'x.ok', panel: 'ok' },
      ],
      ['hang', 'ok'],
    );
    const envelope = await executePattern(pattern, RUN, options(registry, { stepTimeoutMs: 20 }));
    expect(envelope.panels.hang).toEqual({
      data: null,
      stale: true,
      message: 'hang failed: timed out after 20 ms',
      provenance: [],
      rights: { export: false },
    });
    expect(envelope.panels.ok).toMatchObject({ data: { fine: true }, stale: false });
    expect(signal?.aborted).toBe(true);
  });

  it("honours a step's own timeout_ms", async () => {
    const registry = registryOf({ 'x.hang': never });
    const pattern = patternOf(
      registry,
      [{ id: 'hang', capability: 'x.hang', timeout_ms: 15, panel: 'hang' }],
      ['hang'],
    );
    const envelope = await executePattern(pattern, RUN, options(registry, { stepTimeoutMs: 60_000 }));
    expect(envelope.panels.hang?.message).toBe('hang failed: timed out after 15 ms');
  });

  it('stops at the pattern deadline: running steps are abandoned, unstarted ones skipped, finished ones kept', async () => {
    const registry = registryOf({ 'x.hang': never, 'x.ok': constant({ fine: true }) });
    const pattern = patternOf(
      registry,
      [
        { id: 'ok', capability: 'x.ok', panel: 'ok' },
        { id: 'hang', capability: 'x.hang', panel: 'hang' },
        { id: 'after', capability: 'x.ok', depends_on: ['hang'], panel: 'after' },
      ],
      ['ok', 'hang', 'after'],
    );
    const envelope = await executePattern(
      pattern,
      RUN,
      options(registry, { stepTimeoutMs: 60_000, deadlineMs: 25 }),
    );
    expect(envelope.panels.ok?.stale).toBe(false);
    expect(envelope.panels.hang?.message).toBe('hang failed: pattern deadline of 25 ms reached');
    expect(envelope.panels.after?.message).toBe('after skipped: input step hang failed');
  });

  it('isolates a failing step: its panel says so in safe words, dependents are skipped, others fine', async () => {
    const registry = registryOf({
      'x.boom': () => Promise.reject(new Error('account 12345 balance 9,999.00 exploded')),
      'x.user': () =>
        Promise.reject(new UserFacingError('PROVIDER_DOWN', 'The price provider is unavailable.')),
      'x.ok': constant({ fine: true }),
    });
    const pattern = patternOf(
      registry,
      [
        { id: 'boom', capability: 'x.boom', panel: 'boom' },
        { id: 'child', capability: 'x.ok', inputs: { x: { $step: 'boom' } }, panel: 'child' },
        { id: 'grandchild', capability: 'x.ok', depends_on: ['child'], panel: 'grandchild' },
        { id: 'user', capability: 'x.user', panel: 'user' },
        { id: 'ok', capability: 'x.ok', panel: 'ok' },
      ],
      ['boom', 'child', 'grandchild', 'user', 'ok'],
    );
    const envelope = await executePattern(pattern, RUN, options(registry));
    expect(envelope.panels.boom?.message).toBe('boom failed: internal error');
    expect(envelope.panels.child?.message).toBe('child skipped: input step boom failed');
    expect(envelope.panels.grandchild?.message).toBe('grandchild skipped: input step child skipped');
    expect(envelope.panels.user?.message).toBe('user failed: The price provider is unavailable.');
    expect(envelope.panels.ok).toMatchObject({ data: { fine: true }, stale: false, message: null });
    expect(canonicalJson(envelope)).not.toContain('12345');
  });

  it('fails a step whose input or output breaks its schema, without echoing values', async () => {
    const registry = new CapabilityRegistry();
    registry.registerCapability('x.strict', {
      input: z.object({ n: z.number() }),
      output: z.object({ total: z.string() }),
      run: (input) => Promise.resolve(okResult({ total: input.n } as unknown as { total: string })),
    });
    registry.registerCapability('x.malformed', {
      input: z.object({}),
      output: z.unknown(),
      run: () => Promise.resolve({ data: 1 } as unknown as CapabilityResult),
    });
    registry.registerCapability('x.float', {
      input: z.object({}),
      output: z.unknown(),
      run: () => Promise.resolve(okResult({ x: Number.NaN })),
    });
    const pattern = patternOf(
      registry,
      [
        { id: 'bad_in', capability: 'x.strict', inputs: { n: 'seven' }, panel: 'bad_in' },
        { id: 'bad_out', capability: 'x.strict', inputs: { n: 7 }, panel: 'bad_out' },
        { id: 'malformed', capability: 'x.malformed', panel: 'malformed' },
        { id: 'float', capability: 'x.float', panel: 'float' },
      ],
      ['bad_in', 'bad_out', 'malformed', 'float'],
    );
    const envelope = await executePattern(pattern, RUN, options(registry));
    expect(envelope.panels.bad_in?.message).toBe('bad_in failed: invalid input (n)');
    expect(envelope.panels.bad_out?.message).toBe(
      'bad_out failed: returned data outside its output schema (total)',
    );
    expect(envelope.panels.malformed?.message).toBe('malformed failed: returned a malformed result');
    expect(envelope.panels.float?.message).toBe('float failed: returned data that is not plain JSON');
  });

  it('fails a step whose $step path is missing, and skips one whose input has no data', async () => {
    const registry = registryOf({
      'x.src': constant({ a: 1 }),
      'x.empty': () =>
        Promise.resolve({ ...okResult({}), data: null, stale: true, message: 'No prices yet.' }),
      'x.ok': constant({ fine: true }),
    });
    const pattern = patternOf(
      registry,
      [
        { id: 'src', capability: 'x.src' },
        { id: 'empty', capability: 'x.empty', panel: 'empty' },
        {
          id: 'wrong_path',
          capability: 'x.ok',
          inputs: { v: { $step: 'src', path: 'b.c' } },
          panel: 'wrong',
        },
        { id: 'no_data', capability: 'x.ok', inputs: { v: { $step: 'empty' } }, panel: 'no_data' },
      ],
      ['empty', 'wrong', 'no_data'],
    );
    const envelope = await executePattern(pattern, RUN, options(registry));
    expect(envelope.panels.wrong?.message).toBe('wrong_path failed: input "v": b.c not found in step src');
    expect(envelope.panels.empty).toMatchObject({ data: null, stale: true, message: 'No prices yet.' });
    expect(envelope.panels.no_data?.message).toBe('no_data skipped: input step empty has no data');
  });

  it('propagates staleness downstream, naming the stale input, and merges provenance and rights', async () => {
    const registry = registryOf({
      'x.prices': constant(
        { close: '101.5' },
        {
          stale: true,
          message: 'Provider unavailable; last good prices used.',
          provenance: [{ provider: 'fmp', dataset: 'eod', as_of: '2026-01-01' }],
          rights: { export: 'restricted', attribution: 'Data by FMP' },
        },
      ),
      'x.fx': constant(
        { rate: '1.1' },
        {
          provenance: [{ provider: 'ecb', dataset: 'fx', as_of: '2026-01-02' }],
          rights: { export: true, attribution: 'ECB' },
        },
      ),
      'x.calc': constant(
        { twr: '0.05' },
        {
          provenance: [{ provider: 'ledger', dataset: 'postings', as_of: '2026-01-02' }],
          rights: { export: true },
        },
      ),
    });
    const pattern = patternOf(
      registry,
      [
        { id: 'prices', capability: 'x.prices' },
        { id: 'fx', capability: 'x.fx', panel: 'fx' },
        {
          id: 'perf',
          capability: 'x.calc',
          inputs: { p: { $step: 'prices' }, f: { $step: 'fx' } },
          panel: 'perf',
        },
        { id: 'summary', capability: 'x.calc', depends_on: ['perf'], panel: 'summary' },
      ],
      ['fx', 'perf', 'summary'],
    );
    const envelope = await executePattern(pattern, RUN, options(registry));
    expect(envelope.panels.fx?.stale).toBe(false);
    expect(envelope.panels.perf).toEqual({
      data: { twr: '0.05' },
      stale: true,
      message: 'built from stale input prices: Provider unavailable; last good prices used.',
      provenance: [
        { provider: 'ecb', dataset: 'fx', as_of: '2026-01-02' },
        { provider: 'fmp', dataset: 'eod', as_of: '2026-01-01' },
        { provider: 'ledger', dataset: 'postings', as_of: '2026-01-02' },
      ],
      rights: { export: 'restricted', attribution: 'Data by FMP; ECB' },
    });
    expect(envelope.panels.summary?.stale).toBe(true);
    expect(envelope.panels.summary?.message).toContain('built from stale input prices');
  });

  it('returns exactly the envelope, valid against its schema', async () => {
    const registry = registryOf({ 'x.a': constant({ n: 1 }) });
    const pattern = patternOf(registry, [{ id: 'a', capability: 'x.a', panel: 'main' }], ['main']);
    const envelope = await executePattern(pattern, RUN, options(registry, { traceId: 'trace-9' }));
    expect(patternEnvelopeSchema.parse(envelope)).toEqual(envelope);
    expect(Object.keys(envelope).sort()).toEqual(
      [
        'generated_at',
        'ledger_commit_hash',
        'panels',
        'pattern_id',
        'portfolio_id',
        'pricing_pack_id',
        'trace_id',
      ].sort(),
    );
    expect(envelope).toMatchObject({
      pattern_id: 'test',
      portfolio_id: 'pf-1',
      pricing_pack_id: 'pack-abc',
      ledger_commit_hash: 'c0ffee',
      trace_id: 'trace-9',
      generated_at: '2026-01-02T03:04:05.000Z',
    });
  });

  it('gives byte-identical panels on a re-run even when capabilities build keys in another order', async () => {
    let flip = false;
    const registry = registryOf({
      'x.a': () => {
        flip = !flip;
        const data = flip ? { b: '2', a: { y: 1, x: [1, 2] } } : { a: { x: [1, 2], y: 1 }, b: '2' };
        return Promise.resolve(okResult(data));
      },
    });
    const pattern = patternOf(registry, [{ id: 'a', capability: 'x.a', panel: 'main' }], ['main']);
    const first = await executePattern(pattern, RUN, { registry });
    const second = await executePattern(pattern, RUN, { registry });
    expect(first.trace_id).not.toBe(second.trace_id);
    expect(canonicalJson(second.panels)).toBe(canonicalJson(first.panels));
    expect(JSON.stringify(second.panels)).toBe(JSON.stringify(first.panels));
    const { trace_id: _t1, generated_at: _g1, ...restFirst } = first;
    const { trace_id: _t2, generated_at: _g2, ...restSecond } = second;
    expect(canonicalJson(restSecond)).toBe(canonicalJson(restFirst));
  });

  it('reports progress for every step and forwards capability progress', async () => {
    const registry = registryOf({
      'x.a': (_input, ctx) => {
        ctx.reportProgress(0.5, 'Halfway.');
        return Promise.resolve(okResult({}));
      },
      'x.bad': () => Promise.reject(new Error('nope')),
    });
    const pattern = patternOf(
      registry,
      [
        { id: 'a', capability: 'x.a', panel: 'a' },
        { id: 'bad', capability: 'x.bad', panel: 'bad' },
        { id: 'c', capability: 'x.a', depends_on: ['bad'], panel: 'c' },
      ],
      ['a', 'bad', 'c'],
    );
    const events: PatternProgress[] = [];
    await executePattern(
      pattern,
      RUN,
      options(registry, { traceId: 't', onProgress: (e) => events.push(e) }),
    );
    const byStep = (id: string | null) => events.filter((e) => e.step_id === id).map((e) => e.status);
    expect(byStep('a')).toEqual(['started', 'progress', 'done']);
    expect(byStep('bad')).toEqual(['started', 'failed']);
    expect(byStep('c')).toEqual(['skipped']);
    expect(events.at(-1)).toMatchObject({ step_id: null, status: 'finished', done: 3, total: 3 });
    expect(events.find((e) => e.status === 'progress')).toMatchObject({ fraction: 0.5, message: 'Halfway.' });
    expect(events.every((e) => e.trace_id === 't' && e.pattern_id === 'test')).toBe(true);
  });

  it('rejects with PatternCancelledError when the caller aborts, and aborts the running capability', async () => {
    let signal: AbortSignal | undefined;
    const started = deferred<void>();
    const registry = registryOf({
      'x.hang': (_input, ctx) => {
        signal = ctx.signal;
        started.resolve();
        return new Promise(() => undefined);
      },
    });
    const pattern = patternOf(registry, [{ id: 'hang', capability: 'x.hang', panel: 'hang' }], ['hang']);
    const controller = new AbortController();
    const running = executePattern(pattern, RUN, options(registry, { signal: controller.signal }));
    await started.promise;
    controller.abort();
    await expect(running).rejects.toBeInstanceOf(PatternCancelledError);
    expect(signal?.aborted).toBe(true);
  });
});
