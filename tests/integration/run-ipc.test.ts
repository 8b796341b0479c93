// patterns:list and patterns:execute as the app serves them (createCore + registerHandlers): a
// portfolio in the encrypted store whose ledger is a real git repository. A portfolio the store does
// not hold is refused before anything runs; a pinned pack that is not the ledger's is refused.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, registerHandlers, type Core } from '../../main/composition/core';
import { IpcRouter } from '../../main/ipc/router';
import { createLogger, MemorySink } from '../../main/logging/logger';
import { createStore } from '../../main/store/open';
import { createPortfolio } from '../../main/store/repositories/portfolios';
import { MemoryVault } from '../../main/vault/memory-vault';
import { patternEnvelopeSchema } from '../../shared/ipc/patterns';
import { DailyReconciliation } from '../../main/workspace/reconcile-schedule';
import { WorkspacePatterns } from '../../main/workspace/patterns-service';
import { makeHandRepo, type HandRepo } from './agents-fixture';

const SENDER = { id: 'w1', frameUrl: 'app://dawsos/index.html', isMainFrame: true };
let r: HandRepo;
let dir: string;
let core: Core;
let router: IpcRouter;

beforeAll(async () => {
  r = makeHandRepo();
  dir = mkdtempSync(path.join(os.tmpdir(), 'dawsos-run-ipc-'));
  core = createCore({
    host: 'cli',
    dataDir: dir,
    logger: createLogger({ sink: new MemorySink(), level: 'silent' }),
    openExternal: () => Promise.resolve(),
  });
  const store = await createStore({ file: core.paths.store, vault: new MemoryVault() });
  createPortfolio(store.db, 'user', {
    portfolioId: 'main',
    name: 'Main',
    baseCurrency: 'USD',
    ledgerRepo: r.repo,
  });
  createPortfolio(store.db, 'user', { portfolioId: 'nowhere', name: 'No ledger', baseCurrency: 'USD' });
  core.store.attach(store);
  router = new IpcRouter({ allowedOrigins: ['app://dawsos'], logger: core.logger, validateResponses: true });
  registerHandlers(router, core);
});
afterAll(() => {
  core.store.store?.close();
  rmSync(dir, { recursive: true, force: true });
  rmSync(r.tmp, { recursive: true, force: true });
});

describe('patterns IPC over the store and the ledger', () => {
  it('lists the shipped patterns', async () => {
    const res = await router.handle('patterns:list', {}, SENDER);
    expect(res.ok).toBe(true);
    expect((res as { value: { patterns: { id: string }[] } }).value.patterns).toHaveLength(7);
  });

  it("runs a pattern on a stored portfolio's ledger at HEAD", async () => {
    const res = await router.handle(
      'patterns:execute',
      { pattern_id: 'portfolio_overview', portfolio_id: 'main' },
      SENDER,
    );
    expect(res.ok).toBe(true);
    const env = patternEnvelopeSchema.parse((res as { value: unknown }).value);
    expect(env.ledger_commit_hash).toBe(r.git('rev-parse', 'HEAD'));
    expect((env.panels.valuation!.data as { total_value: string }).total_value).toBe('1047.5');
    const again = await router.handle(
      'patterns:execute',
      { pattern_id: 'portfolio_overview', portfolio_id: 'main', pricing_pack_id: env.pricing_pack_id },
      SENDER,
    );
    expect(again.ok).toBe(true);
  });

  it('refuses portfolios the store does not hold or that have no ledger, and unknown packs', async () => {
    for (const portfolio_id of ['someone-elses', 'nowhere'])
      expect(await router.handle('patterns:execute', { pattern_id: 'risk', portfolio_id }, SENDER)).toEqual({
        ok: false,
        error: { code: 'PORTFOLIO_FORBIDDEN', message: 'You do not have access to this portfolio.' },
      });
    const res = await router.handle(
      'patterns:execute',
      { pattern_id: 'risk', portfolio_id: 'main', pricing_pack_id: 'f'.repeat(64) },
      SENDER,
    );
    expect(res).toMatchObject({ ok: false, error: { code: 'PACK_NOT_FOUND' } });
  });

  it('reconciles every stored portfolio with a ledger on the daily schedule', async () => {
    const patterns = new WorkspacePatterns({ store: () => core.store.store, logger: core.logger });
    expect(patterns.readablePortfolios()).toEqual(['main']);
    const daily = new DailyReconciliation({
      portfolios: () => patterns.readablePortfolios(),
      reconcile: (id) => patterns.reconcile(id),
      logger: core.logger,
    });
    // The store holds no positions for it yet: the panel says so, nothing fails.
    expect(await daily.runOnce()).toEqual([{ portfolio_id: 'main', status: 'unavailable', differences: 0 }]);
  });
});
