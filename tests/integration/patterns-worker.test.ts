// The app's pattern runs happen in the patterns worker, not on the event loop that serves IPC
// (createCore + registerHandlers over a real encrypted store and git ledger repositories):
// - during a run on a 20k-posting ledger the router keeps answering other calls and a 1 ms timer
//   keeps ticking; the first run reports building the store's pricing packs before its first step;
//   the run's log lines reach the app's log from the worker thread, with the call's trace id;
// - a worker that dies fails the run in flight with PATTERN_WORKER_FAILED, and the next run starts
//   a new worker; a store locked under a run fails it with STORE_CHANGED_DURING_RUN, and once
//   reopened every run (reconciliation, which reads stored positions, too) uses the new connection;
// - the worker follows the store: locked → its connection is closed too (no descriptor of this
//   process is left on the store file) and nothing runs; reopened → runs are recorded through the
//   worker's own connection; a user-facing error from the worker keeps its code.
import { appendFileSync, readdirSync, readlinkSync, rmSync } from 'node:fs';
import type { Worker } from 'node:worker_threads';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { generateSyntheticLedger } from '../../main/ledger/synthetic/generate';
import { openStore } from '../../main/store/open';
import { patternEnvelopeSchema, type PatternProgress } from '../../shared/ipc/patterns';
import { startProviderServers, type ProviderServers } from '../support/provider-servers';
import { TEST_KEYS } from '../support/provider-servers/test-registry';
import { startAppCore, type AppCore } from '../support/app-core';
import { makeHandRepo, type HandRepo } from './agents-fixture';

let servers: ProviderServers;
let big: HandRepo;
let hand: HandRepo;
let app: AppCore | null = null;

beforeAll(async () => {
  servers = await startProviderServers({ keys: TEST_KEYS });
  const { text } = generateSyntheticLedger({
    seed: 11,
    targetPostings: 20_000,
    years: 2,
    securities: 30,
    priceFrequency: 'daily',
  });
  big = makeHandRepo(text);
  hand = makeHandRepo();
});
afterAll(async () => {
  await servers.stop();
  rmSync(big.tmp, { recursive: true, force: true });
  rmSync(hand.tmp, { recursive: true, force: true });
});
afterEach(async () => {
  await app?.close();
  app = null;
});

/** The app over the 20k-posting ledger, as the store's portfolio `all`. */
function startOnBigLedger(logLevel?: 'info'): Promise<AppCore> {
  return startAppCore({
    servers,
    ledgerRepo: big.repo,
    tmpPrefix: 'dawsos-patterns-worker-',
    portfolioId: 'all',
    ...(logLevel ? { logLevel } : {}),
  });
}

/** The worker thread of a running WorkerPatterns (null before the first run). */
function workerOf(a: AppCore): Worker | null {
  return (a.core.patterns as unknown as { worker: Worker | null }).worker;
}

/** This process's open file descriptors on the store file (main thread and worker alike). */
function storeFds(a: AppCore): string[] {
  const file = a.core.paths.store;
  return readdirSync('/proc/self/fd').filter((fd) => {
    try {
      return readlinkSync(`/proc/self/fd/${fd}`) === file;
    } catch {
      return false; // closed meanwhile
    }
  });
}

function firstProgress(a: AppCore): Promise<PatternProgress> {
  return new Promise((resolve) => {
    const off = a.core.events.subscribe((event) => {
      if (event.kind !== 'patternProgress') return;
      off();
      resolve(event.payload);
    });
  });
}

describe('pattern runs in the patterns worker', () => {
  it('keeps serving IPC during a long run, and relays the run’s log lines with its trace id', async () => {
    const a = (app = await startOnBigLedger('info'));
    const events: PatternProgress[] = [];
    const off = a.core.events.subscribe((event) => {
      if (event.kind === 'patternProgress') events.push(event.payload);
    });
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    let settled = false;
    const run = a.call('patterns:execute', { pattern_id: 'performance', portfolio_id: 'all' }).finally(() => {
      settled = true;
    });
    let served = 0;
    try {
      await firstProgress(a);
      // While the worker loads the ledger, builds its packs and computes, the router answers.
      while (!settled && served < 20) {
        const status = await a.call('store:status', {});
        expect(status).toMatchObject({ ok: true, value: { state: 'open' } });
        served++;
      }
    } finally {
      await run;
      clearInterval(timer);
      off();
    }
    const res = await run;
    expect(res).toMatchObject({ ok: true });
    const envelope = patternEnvelopeSchema.parse(res.value);
    expect(envelope.panels.performance!.stale).toBe(false);
    expect(served).toBeGreaterThan(0);
    expect(ticks).toBeGreaterThan(20);
    // The first run builds the store's packs for two years of dates, and says so before step one.
    const started = events.findIndex((e) => e.status === 'started');
    const building = events.slice(0, started);
    expect(building.length).toBeGreaterThan(2);
    for (const e of building)
      expect(e).toMatchObject({
        trace_id: envelope.trace_id,
        step_id: null,
        status: 'progress',
        done: 0,
        total: 0,
      });
    expect(building.map((e) => e.message)).toContainEqual(
      expect.stringMatching(/^building pricing packs: \d+ of \d+ dates$/),
    );
    expect(building.at(-1)!.fraction).toBe(1);
    expect(building.map((e) => e.fraction)).toEqual(
      [...building.map((e) => e.fraction)].sort((x, y) => x! - y!),
    );
    const lines = a.logs.lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    const runLine = lines.find((l) => l.msg === 'pattern run');
    expect(runLine).toMatchObject({
      thread: 'patterns-worker',
      pattern: 'performance',
      trace_id: envelope.trace_id,
      level: 'info',
    });
  });

  it('fails the run in flight with PATTERN_WORKER_FAILED when the worker dies, then starts a new one', async () => {
    const a = (app = await startOnBigLedger());
    const run = a.call('patterns:execute', { pattern_id: 'performance', portfolio_id: 'all' });
    await firstProgress(a);
    const worker = workerOf(a);
    expect(worker).not.toBeNull();
    await worker!.terminate();
    expect(await run).toMatchObject({ ok: false, error: { code: 'PATTERN_WORKER_FAILED' } });

    const again = await a.call('patterns:execute', { pattern_id: 'holdings_detail', portfolio_id: 'all' });
    expect(again).toMatchObject({ ok: true });
    expect(workerOf(a)).not.toBe(worker);
  });

  it('fails a run whose store is locked under it with STORE_CHANGED_DURING_RUN; reopened, runs (reconciliation too) use the new connection', async () => {
    const a = (app = await startOnBigLedger());
    const building = new Promise<void>((resolve) => {
      const off = a.core.events.subscribe((event) => {
        if (event.kind !== 'patternProgress' || !event.payload.message?.startsWith('building pricing packs'))
          return;
        off();
        resolve();
      });
    });
    const run = a.call('patterns:execute', { pattern_id: 'performance', portfolio_id: 'all' });
    await building;
    // Locked while the worker stores the run's packs.
    a.core.store.close();
    expect(await run).toMatchObject({ ok: false, error: { code: 'STORE_CHANGED_DURING_RUN' } });

    a.core.store.attach(await openStore({ file: a.core.paths.store, vault: a.vault }));
    expect(
      await a.call('patterns:execute', { pattern_id: 'performance', portfolio_id: 'all' }),
    ).toMatchObject({
      ok: true,
    });
    // Reconciliation reads the store's positions through the reopened connection.
    const reconciled = await a.call('patterns:execute', {
      pattern_id: 'reconciliation',
      portfolio_id: 'all',
    });
    expect(reconciled).toMatchObject({ ok: true });
    const panel = patternEnvelopeSchema.parse(reconciled.value).panels.reconciliation!;
    expect(panel.message ?? '').not.toContain('internal error');
  });

  it('follows the store (locked: refused; reopened: recorded through its own connection) and keeps error codes', async () => {
    app = await startAppCore({ servers, ledgerRepo: hand.repo, tmpPrefix: 'dawsos-patterns-worker-' });
    const a = app;
    const runs = (): number =>
      a.core.store.store!.db.prepare('SELECT count(*) FROM pattern_runs').pluck().get() as number;
    expect(
      await a.call('patterns:execute', { pattern_id: 'holdings_detail', portfolio_id: 'main' }),
    ).toMatchObject({
      ok: true,
    });
    expect(runs()).toBe(1);

    // Both connections (the main thread's and the worker's) hold the store file open; locking the
    // store closes both.
    expect(storeFds(a).length).toBeGreaterThanOrEqual(2);
    a.core.store.close();
    await expect.poll(() => storeFds(a).length).toBe(0);
    expect(await a.call('patterns:execute', { pattern_id: 'risk', portfolio_id: 'main' })).toMatchObject({
      ok: false,
      error: { code: 'PORTFOLIO_FORBIDDEN' },
    });

    a.core.store.attach(await openStore({ file: a.core.paths.store, vault: a.vault }));
    expect(await a.call('patterns:execute', { pattern_id: 'risk', portfolio_id: 'main' })).toMatchObject({
      ok: true,
    });
    // The worker wrote the run through its new connection; the main thread's reopened store sees it.
    expect(runs()).toBe(2);

    // A commit with an unbalanced transaction: the worker's LedgerHasErrorsError keeps its code.
    appendFileSync(
      hand.ledger,
      '\n2024-12-30 * "Unbalanced"\n  Assets:Broker:Cash  10 USD\n  Income:Broker:Dividends  -9 USD\n',
    );
    hand.git('-c', 'commit.gpgsign=false', 'commit', '--quiet', '-am', 'unbalanced');
    expect(await a.call('patterns:execute', { pattern_id: 'risk', portfolio_id: 'main' })).toMatchObject({
      ok: false,
      error: { code: 'LEDGER_HAS_ERRORS' },
    });
  });
});
