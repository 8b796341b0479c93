// Pattern benchmark: `portfolio_overview` and `performance` on a synthetic ledger of 100,000
// postings over 10 years with 300 securities (weekly price directives, main/ledger/synthetic/).
//   cold   : open the workspace (parse + book the ledger), assemble the pack chain in memory (no
//            store: main/pricing/run-packs.ts memoryRunPacks), run the pattern
//   warm   : a new orchestrator over the already-loaded workspace (agents recompute everything)
//   cached : the same orchestrator again (the run cache answers)
// With --store it then pins the same ledger to packs in an encrypted store (MemoryVault) as the app
// does: the first pin builds and stores the chain, a cold read re-reads it from the store with no
// cache, a warm pin answers from the per-process cache, and the pattern runs over the stored chain.
// With --app it runs the patterns as the app does (WorkerPatterns over an encrypted store holding the
// portfolio: the worker loads the ledger, builds and stores the packs, runs), and measures the MAIN
// thread's event loop meanwhile (monitorEventLoopDelay: the longest stall is how long an IPC call
// could have waited), then the same runs in-process (WorkspacePatterns on the main thread, the
// packs already stored) for comparison.
// Prints its figures; never asserts a time.  Run: npx tsx bench/patterns.bench.ts [--store] [--app]
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createLogger, MemorySink } from '../main/logging/logger';
import { createPortfolio } from '../main/store/repositories/portfolios';
import { WorkspacePatterns } from '../main/workspace/patterns-service';
import { WorkerPatterns } from '../main/workspace/patterns-worker-client';
import { generateSyntheticLedger } from '../main/ledger/synthetic/generate';
import { canonicalJson } from '../main/orchestrator/canonical-json';
import { PackChainPrices } from '../main/pricing/chain-prices';
import { createStore } from '../main/store/open';
import { MemoryVault } from '../main/vault/memory-vault';
import { workspaceOrchestrator } from '../main/workspace/patterns';
import { Workspace } from '../main/workspace/workspace';

const PATTERNS = ['portfolio_overview', 'performance'] as const;
const PORTFOLIO = 'portfolio-1';

async function main(): Promise<void> {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'dawsos-patterns-bench-'));
  try {
    const t0 = performance.now();
    const ledger = generateSyntheticLedger({
      seed: 7,
      years: 10,
      startYear: 2015,
      securities: 300,
      targetPostings: 100_000,
      currencies: ['USD', 'EUR', 'GBP'],
      portfolios: 3,
      priceFrequency: 'weekly',
    });
    const file = path.join(tmp, 'main.beancount');
    writeFileSync(file, ledger.text);
    process.stdout.write(
      `ledger: ${ledger.postings} postings, ${ledger.transactions} transactions, ${ledger.prices} prices, ` +
        `${(ledger.text.length / 1e6).toFixed(1)} MB (generated in ${(performance.now() - t0).toFixed(0)} ms)\n`,
    );
    for (const pattern of PATTERNS) {
      const c0 = performance.now();
      const workspace = await Workspace.open({ ledgerFile: file });
      const pin = await workspace.pin(null);
      const c1 = performance.now();
      const request = { portfolio_id: PORTFOLIO, ...pin, params: { benchmark: 'TAAB' } };
      const cold = await (await workspaceOrchestrator(workspace)).execute(pattern, request);
      const c2 = performance.now();
      const orchestrator = await workspaceOrchestrator(workspace);
      const w0 = performance.now();
      const warm = await orchestrator.execute(pattern, request);
      const w1 = performance.now();
      const cached = await orchestrator.execute(pattern, request);
      const w2 = performance.now();
      const same = canonicalJson(cold.panels) === canonicalJson(warm.panels);
      const stale = Object.entries(warm.panels)
        .filter(([, p]) => p.stale)
        .map(([n]) => n);
      process.stdout.write(
        `${pattern.padEnd(18)} cold ${(c2 - c0).toFixed(0).padStart(6)} ms (load+pack ${(c1 - c0).toFixed(0)} ms, run ${(c2 - c1).toFixed(0)} ms)` +
          `  warm ${(w1 - w0).toFixed(0).padStart(5)} ms  cached ${(w2 - w1).toFixed(1).padStart(6)} ms` +
          `  envelope ${(canonicalJson(cached).length / 1e6).toFixed(2)} MB  identical panels: ${same}` +
          `${stale.length ? `  stale: ${stale.join(',')}` : ''}\n`,
      );
    }
    if (process.argv.includes('--store')) {
      const store = await createStore({ file: path.join(tmp, 'dawsos.db'), vault: new MemoryVault() });
      try {
        const workspace = await Workspace.open({ ledgerFile: file });
        const s0 = performance.now();
        const pin = await workspace.pin(null, workspace.commit, { db: store.db });
        const s1 = performance.now();
        const chain = PackChainPrices.fromStore(store.db, pin.pricing_pack_id);
        const s2 = performance.now();
        await workspace.pin(null, workspace.commit, { db: store.db });
        const s3 = performance.now();
        const request = { portfolio_id: PORTFOLIO, ...pin, params: { benchmark: 'TAAB' } };
        await (await workspaceOrchestrator(workspace)).execute('performance', request);
        const s4 = performance.now();
        process.stdout.write(
          `store: first pin (build + store ${chain.packCount} packs) ${(s1 - s0).toFixed(0)} ms, ` +
            `cold chain read ${(s2 - s1).toFixed(0)} ms, warm pin ${(s3 - s2).toFixed(1)} ms, ` +
            `performance over the stored chain ${(s4 - s3).toFixed(0)} ms\n`,
        );
      } finally {
        store.close();
      }
    }
    if (process.argv.includes('--app')) await appRuns(tmp, file);
    const rss = process.memoryUsage().rss / 1e6;
    process.stdout.write(`peak-ish RSS ${rss.toFixed(0)} MB, node ${process.version}\n`);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** The main thread's event-loop delay while `work` runs: the longest stall and the 99th percentile. */
async function loopDelay<T>(
  work: () => Promise<T>,
): Promise<{ value: T; ms: number; maxStall: number; p99: number }> {
  const histogram = monitorEventLoopDelay({ resolution: 5 });
  histogram.enable();
  const t0 = performance.now();
  try {
    const value = await work();
    return {
      value,
      ms: performance.now() - t0,
      maxStall: histogram.max / 1e6,
      p99: histogram.percentile(99) / 1e6,
    };
  } finally {
    histogram.disable();
  }
}

async function appRuns(tmp: string, file: string): Promise<void> {
  const vault = new MemoryVault();
  const store = await createStore({ file: path.join(tmp, 'app.db'), vault });
  createPortfolio(store.db, 'bench', {
    portfolioId: PORTFOLIO,
    name: 'Bench',
    baseCurrency: 'USD',
    ledgerRepo: file,
  });
  const logger = createLogger({ sink: new MemorySink(), level: 'silent' });
  const line = (label: string, r: { ms: number; maxStall: number; p99: number }): void => {
    process.stdout.write(
      `${label.padEnd(44)} ${r.ms.toFixed(0).padStart(6)} ms   main-thread longest stall ${r.maxStall.toFixed(0).padStart(5)} ms` +
        `  p99 ${r.p99.toFixed(1)} ms\n`,
    );
  };
  const runWith = async (
    patterns: WorkerPatterns | WorkspacePatterns,
    pattern: string,
    params: Record<string, string> = { benchmark: 'TAAB' },
  ) => {
    const pin = await patterns.pinning.pin({ portfolio_id: PORTFOLIO });
    return patterns.orchestrator.execute(pattern, { portfolio_id: PORTFOLIO, ...pin, params });
  };
  try {
    const app = new WorkerPatterns({ store: () => store, logger });
    try {
      line(
        'app (worker): overview, first run (+ packs)',
        await loopDelay(() => runWith(app, 'portfolio_overview')),
      );
      line('app (worker): performance', await loopDelay(() => runWith(app, 'performance')));
      line(
        'app (worker): overview again (recorded run)',
        await loopDelay(() => runWith(app, 'portfolio_overview')),
      );
    } finally {
      await app.close();
    }
    // The same runs on the main thread (what the app did before the worker); packs already stored.
    const inProcess = new WorkspacePatterns({ store: () => store, logger });
    // (Other parameters than the worker's run, so the recorded run is not served again.)
    line(
      'in-process: performance, cold workspace',
      await loopDelay(() => runWith(inProcess, 'performance', { benchmark: 'TAAB', from: '2015-01-02' })),
    );
  } finally {
    store.close();
  }
}

await main();
