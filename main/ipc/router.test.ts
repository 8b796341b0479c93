import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { UserFacingError } from '../../shared/errors';
import { defineChannel, RouterErrorCode } from '../../shared/ipc/contract';
import { createLogger, MemorySink } from '../logging/logger';
import { IpcRouter } from './router';
import type { IpcSender } from './sender';

const APP = 'app://dawsos';
const window1: IpcSender = { id: '1', frameUrl: 'app://dawsos/index.html#/status', isMainFrame: true };

const echo = defineChannel({
  channel: 'test:echo',
  request: z.object({ text: z.string().max(10) }).strict(),
  response: z.object({ text: z.string() }),
});
const slow = defineChannel({
  channel: 'test:limited',
  request: z.object({}).strict(),
  response: z.object({ n: z.number() }),
  rateLimit: { perSecond: 1, burst: 2 },
});

function setup(options: { validateResponses?: boolean; now?: () => number } = {}) {
  const sink = new MemorySink();
  const router = new IpcRouter({
    allowedOrigins: [APP],
    logger: createLogger({ sink, level: 'debug' }),
    validateResponses: options.validateResponses ?? true,
    ...(options.now ? { now: options.now } : {}),
  });
  return { router, sink };
}

describe('IpcRouter', () => {
  it('serves a valid call with its handler result and a fresh trace id per call', async () => {
    const { router } = setup();
    const traces: string[] = [];
    router.register(echo, ({ text }, ctx) => {
      traces.push(ctx.traceId);
      return { text: text.toUpperCase() };
    });
    expect(await router.handle('test:echo', { text: 'hi' }, window1)).toEqual({
      ok: true,
      value: { text: 'HI' },
    });
    await router.handle('test:echo', { text: 'again' }, window1);
    expect(traces).toHaveLength(2);
    expect(traces[0]).not.toEqual(traces[1]);
  });

  it('throws when a channel is registered twice', () => {
    const { router } = setup();
    router.register(echo, () => ({ text: '' }));
    expect(() => router.register(echo, () => ({ text: '' }))).toThrow(/registered twice: test:echo/);
  });

  it('refuses an unknown channel with its own code', async () => {
    const { router } = setup();
    const result = await router.handle('fs:readFile', { path: '/etc/passwd' }, window1);
    expect(result).toEqual({
      ok: false,
      error: { code: RouterErrorCode.UnknownChannel, message: 'Unknown channel.' },
    });
  });

  it('refuses a bad payload naming the field but not echoing the value', async () => {
    const { router } = setup();
    let called = false;
    router.register(echo, () => {
      called = true;
      return { text: '' };
    });
    const result = await router.handle('test:echo', { text: 'way-too-long-secret-value' }, window1);
    expect(called).toBe(false);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe(RouterErrorCode.BadRequest);
    expect(result.error.message).toContain('text');
    expect(result.error.message).not.toContain('way-too-long-secret-value');
    const extra = await router.handle('test:echo', { text: 'ok', injected: 'payload-value' }, window1);
    expect(extra).toMatchObject({ ok: false, error: { code: RouterErrorCode.BadRequest } });
    if (extra.ok) return;
    expect(extra.error.message).toContain('injected');
    expect(extra.error.message).not.toContain('payload-value');
  });

  it.each([
    ['another origin', { id: '1', frameUrl: 'https://evil.example/', isMainFrame: true }],
    ['a sub-frame of the app', { id: '1', frameUrl: 'app://dawsos/index.html', isMainFrame: false }],
    ['another host on the app scheme', { id: '1', frameUrl: 'app://other/index.html', isMainFrame: true }],
    ['file:// pages', { id: '1', frameUrl: 'file:///tmp/index.html', isMainFrame: true }],
    ['an unparsable URL', { id: '1', frameUrl: 'not a url', isMainFrame: true }],
  ])('refuses calls from %s', async (_name, sender) => {
    const { router } = setup();
    router.register(echo, () => ({ text: 'x' }));
    const result = await router.handle('test:echo', { text: 'a' }, sender);
    expect(result).toMatchObject({ ok: false, error: { code: RouterErrorCode.ForbiddenSender } });
  });

  it('rate-limits per window: a burst of 20, then refusals, then refills at 10 per second', async () => {
    let now = 0;
    const { router } = setup({ now: () => now });
    router.register(echo, () => ({ text: 'x' }));
    const results = [];
    for (let i = 0; i < 50; i++) results.push(await router.handle('test:echo', { text: 'a' }, window1));
    expect(results.filter((r) => r.ok)).toHaveLength(20);
    expect(results[20]).toMatchObject({ ok: false, error: { code: RouterErrorCode.RateLimited } });
    // Another window has its own bucket.
    const other = await router.handle('test:echo', { text: 'a' }, { ...window1, id: '2' });
    expect(other.ok).toBe(true);
    now += 500; // half a second refills 5 calls
    const refilled = [];
    for (let i = 0; i < 10; i++) refilled.push(await router.handle('test:echo', { text: 'a' }, window1));
    expect(refilled.filter((r) => r.ok)).toHaveLength(5);
  });

  it('applies a channel-specific limit in its own bucket', async () => {
    let now = 0;
    const { router } = setup({ now: () => now });
    let n = 0;
    router.register(slow, () => ({ n: ++n }));
    router.register(echo, () => ({ text: 'x' }));
    const first = [];
    for (let i = 0; i < 3; i++) first.push(await router.handle('test:limited', {}, window1));
    expect(first.map((r) => r.ok)).toEqual([true, true, false]);
    // The default bucket is untouched by the limited channel.
    expect((await router.handle('test:echo', { text: 'a' }, window1)).ok).toBe(true);
    now += 1000;
    expect((await router.handle('test:limited', {}, window1)).ok).toBe(true);
  });

  it('turns a handler crash into HANDLER_FAILED without stack, path or values, and logs it', async () => {
    const { router, sink } = setup();
    router.register(echo, () => {
      throw new Error('ENOENT: /home/alice/ledger/main.beancount holds 12345.67 USD');
    });
    const result = await router.handle('test:echo', { text: 'a' }, window1);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe(RouterErrorCode.HandlerFailed);
    expect(result.error.message).not.toMatch(/alice|12345|ENOENT|at /);
    expect(sink.text()).toContain('ipc handler failed');
  });

  it('passes a user-facing error through with its own code and message', async () => {
    const { router } = setup();
    router.register(echo, () => {
      throw new UserFacingError('STORE_KEY_MISMATCH', 'The store key does not match this store.');
    });
    expect(await router.handle('test:echo', { text: 'a' }, window1)).toEqual({
      ok: false,
      error: { code: 'STORE_KEY_MISMATCH', message: 'The store key does not match this store.' },
    });
  });

  it('validates responses when asked to, so a handler cannot leak fields outside the contract', async () => {
    const { router } = setup({ validateResponses: true });
    router.register(echo, () => ({ text: 5 }) as unknown as { text: string });
    expect(await router.handle('test:echo', { text: 'a' }, window1)).toMatchObject({
      ok: false,
      error: { code: RouterErrorCode.BadResponse },
    });
    const unchecked = setup({ validateResponses: false });
    unchecked.router.register(echo, () => ({ text: 5 }) as unknown as { text: string });
    expect((await unchecked.router.handle('test:echo', { text: 'a' }, window1)).ok).toBe(true);
  });

  it('writes the call trace id on every log line of the call', async () => {
    const { router, sink } = setup();
    let trace = '';
    router.register(echo, (_req, ctx) => {
      trace = ctx.traceId;
      throw new Error('boom');
    });
    await router.handle('test:echo', { text: 'a' }, window1);
    const lines = sink.lines.map((line) => JSON.parse(line) as { trace_id: string | null });
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line.trace_id).toBe(trace);
  });
});
