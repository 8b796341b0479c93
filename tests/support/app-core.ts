// The app's core as the Electron shell composes it (createCore + registerHandlers behind a real
// IpcRouter), over a real encrypted store holding one portfolio whose ledger is a git repo, with the
// providers pointed at the fake provider servers on 127.0.0.1. For integration tests that exercise
// what the window can ask for.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createCore, registerHandlers, type Core } from '../../main/composition/core';
import { IpcRouter } from '../../main/ipc/router';
import { createLogger, MemorySink } from '../../main/logging/logger';
import { VirtualClock } from '../../main/providers/resilience/clock';
import { PROVIDER_NAMES } from '../../main/providers/types';
import { createStore } from '../../main/store/open';
import { createPortfolio } from '../../main/store/repositories/portfolios';
import { MemoryVault } from '../../main/vault/memory-vault';
import type { ProviderServers } from './provider-servers';
import { GENEROUS_PLAN } from './provider-servers/test-registry';

const SENDER = { id: 'w1', frameUrl: 'app://dawsos/index.html', isMainFrame: true };

export interface AppCore {
  readonly core: Core;
  readonly router: IpcRouter;
  readonly vault: MemoryVault;
  readonly dir: string;
  /** What the app logged (empty unless `logLevel` was given). */
  readonly logs: MemorySink;
  /** One call from the app window; calls are spaced 10 s apart so the rate limits never interfere. */
  call(channel: string, payload: unknown): Promise<{ ok: boolean; value?: unknown }>;
  close(): Promise<void>;
}

export async function startAppCore(options: {
  servers: ProviderServers;
  /** The portfolio's ledger repository. */
  ledgerRepo: string;
  tmpPrefix: string;
  /** The store's portfolio id for that ledger (default `main`). */
  portfolioId?: string;
  /** Log level of the app's logger (default silent). */
  logLevel?: 'debug' | 'info';
}): Promise<AppCore> {
  const dir = mkdtempSync(path.join(os.tmpdir(), options.tmpPrefix));
  const logs = new MemorySink();
  const core = createCore({
    host: 'test',
    dataDir: dir,
    logger: createLogger({ sink: logs, level: options.logLevel ?? 'silent' }),
    openExternal: () => Promise.resolve(),
    providers: {
      baseUrls: options.servers.baseUrls,
      env: {},
      clock: new VirtualClock(Date.UTC(2026, 11, 4, 12)),
      random: () => 0.5,
      requestTimeoutMs: 2_000,
      plans: Object.fromEntries(PROVIDER_NAMES.map((n) => [n, GENEROUS_PLAN])),
    },
  });
  const vault = new MemoryVault();
  const store = await createStore({ file: core.paths.store, vault });
  createPortfolio(store.db, 'user', {
    portfolioId: options.portfolioId ?? 'main',
    name: 'Main',
    baseCurrency: 'USD',
    ledgerRepo: options.ledgerRepo,
  });
  core.store.attach(store);
  let now = 0;
  const router = new IpcRouter({
    allowedOrigins: ['app://dawsos'],
    logger: core.logger,
    validateResponses: true,
    now: () => now,
  });
  registerHandlers(router, core);
  return {
    core,
    router,
    vault,
    dir,
    logs,
    call: async (channel, payload) => {
      now += 10_000;
      return await router.handle(channel, payload, SENDER);
    },
    close: async () => {
      await core.providers.idle();
      core.providers.close();
      await core.patterns.close();
      core.store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
