// Pattern runs recorded in the encrypted store, served again after a restart, and their progress
// reaching the core's event channel: patterns:execute through the real router and handlers of
// createCore()/registerHandlers(), a portfolio in a real encrypted store whose ledger is a real git
// repository. A second core over the same store (a new process, as far as the caches know) answers
// the same request from pattern_runs: a fresh trace id, byte-identical panels, no new row.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BookCache } from '../../main/agents/environment';
import { createCore, registerHandlers, type Core } from '../../main/composition/core';
import type { CoreEvent } from '../../main/composition/events';
import { IpcRouter } from '../../main/ipc/router';
import { createLogger, MemorySink } from '../../main/logging/logger';
import { canonicalJson } from '../../main/orchestrator/canonical-json';
import { listPatternRuns } from '../../main/orchestrator/store-run-store';
import { createStore, type Store } from '../../main/store/open';
import { createPortfolio } from '../../main/store/repositories/portfolios';
import { MemoryVault } from '../../main/vault/memory-vault';
import { recordPositions } from '../../main/workspace/store-positions';
import { Workspace } from '../../main/workspace/workspace';
import { patternEnvelopeSchema, type PatternEnvelope, type PatternProgress } from '../../shared/ipc/patterns';
import { makeHandRepo, type HandRepo } from './agents-fixture';

const SENDER = { id: 'w1', frameUrl: 'app://dawsos/index.html', isMainFrame: true };
const REQUEST = { pattern_id: 'portfolio_overview', portfolio_id: 'main' };
let r: HandRepo;
let dir: string;
let store: Store;

function startCore(): { core: Core; router: IpcRouter; progress: PatternProgress[] } {
  const core = createCore({
    host: 'test',
    dataDir: dir,
    logger: createLogger({ sink: new MemorySink(), level: 'silent' }),
    openExternal: () => Promise.resolve(),
  });
  core.store.attach(store);
  const router = new IpcRouter({
    allowedOrigins: ['app://dawsos'],
    logger: core.logger,
    validateResponses: true,
  });
  registerHandlers(router, core);
  const progress: PatternProgress[] = [];
  core.events.subscribe((event: CoreEvent) => {
    if (event.kind === 'patternProgress') progress.push(event.payload);
  });
  return { core, router, progress };
}

async function execute(router: IpcRouter, request: object = REQUEST): Promise<PatternEnvelope> {
  const res = await router.handle('patterns:execute', request, SENDER);
  expect(res.ok).toBe(true);
  return patternEnvelopeSchema.parse((res as { value: unknown }).value);
}

beforeAll(async () => {
  r = makeHandRepo();
  dir = mkdtempSync(path.join(os.tmpdir(), 'dawsos-pattern-runs-'));
  store = await createStore({ file: path.join(dir, 'dawsos.db'), vault: new MemoryVault() });
  createPortfolio(store.db, 'user', {
    portfolioId: 'main',
    name: 'Main',
    baseCurrency: 'USD',
    ledgerRepo: r.repo,
  });
});
afterAll(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
  rmSync(r.tmp, { recursive: true, force: true });
});

describe('pattern runs in the store', () => {
  let first: PatternEnvelope;

  it('records an executed run in pattern_runs and reports its progress as events', async () => {
    const { router, progress } = startCore();
    first = await execute(router);
    const runs = listPatternRuns(store.db, 'main');
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({
      pattern_id: 'portfolio_overview',
      trace_id: first.trace_id,
      ledger_commit_hash: r.git('rev-parse', 'HEAD'),
      pricing_pack_id: first.pricing_pack_id,
      stale: false,
    });
    expect(JSON.parse(runs[0]!.envelope_json)).toEqual(JSON.parse(canonicalJson(first)));
    // The ledger load behind the run is in the audit log, naming the commit it read.
    expect(
      store.db.prepare("SELECT target FROM audit_log WHERE action = 'ledger.load'").pluck().all(),
    ).toEqual([`ledger:${r.git('rev-parse', 'HEAD')}`]);
    // Progress events of this run reached the core's event channel, ending with `finished`.
    expect(progress.length).toBeGreaterThan(1);
    expect(
      progress.every((e) => e.trace_id === first.trace_id && e.pattern_id === 'portfolio_overview'),
    ).toBe(true);
    expect(progress.some((e) => e.step_id !== null && e.status === 'done')).toBe(true);
    expect(progress.at(-1)).toMatchObject({ step_id: null, status: 'finished' });
  });

  it('serves the same request from the store after a restart: fresh trace id, identical panels, no new row', async () => {
    const { router, progress } = startCore();
    const second = await execute(router);
    expect(second.trace_id).not.toBe(first.trace_id);
    expect(canonicalJson(second.panels)).toBe(canonicalJson(first.panels));
    expect(second.pricing_pack_id).toBe(first.pricing_pack_id);
    expect(listPatternRuns(store.db, 'main')).toHaveLength(1);
    expect(progress).toEqual([expect.objectContaining({ trace_id: second.trace_id, status: 'cached' })]);
  });

  it('always runs reconciliation (it reads the store, which the key does not cover), and records each run', async () => {
    const workspace = await Workspace.open({ ledgerFile: r.ledger });
    const pin = await workspace.pin(null);
    const pinned = await new BookCache(workspace.environment()).pinned({ portfolio_id: 'main', ...pin });
    recordPositions(store.db, 'user', 'main', pinned, pin.as_of);
    const { router } = startCore();
    const reconcile = async () =>
      (await execute(router, { pattern_id: 'reconciliation', portfolio_id: 'main' })).panels.reconciliation!
        .data as { status: string };
    expect((await reconcile()).status).toBe('matched');
    store.db
      .prepare("UPDATE positions SET units = '30.01' WHERE portfolio_id = 'main' AND commodity = 'AAA'")
      .run();
    expect((await reconcile()).status).toBe('mismatch');
    expect(
      listPatternRuns(store.db, 'main').filter((run) => run.pattern_id === 'reconciliation'),
    ).toHaveLength(2);
  });
});
