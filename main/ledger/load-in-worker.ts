// Loads a ledger in a worker thread so the event loop that serves IPC stays responsive, and
// reports progress (bytes parsed, entries booked). The worker is the bundle's `ledger-worker`
// entry (electron.vite.config.ts); run from TypeScript sources (tests, tsx) it is worker.ts with
// tsx's loader.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { LedgerWorkerError } from './errors';
import type { LoadProgress } from './loader';
import type { LedgerSource } from './source';
import type { HostMessage, WorkerLoadResult, WorkerMessage } from './worker-protocol';

export type { WorkerLoadResult } from './worker-protocol';

export interface WorkerLoadOptions {
  onProgress?: (progress: LoadProgress) => void;
}

function startWorker(): Worker {
  const here = import.meta.url;
  if (here.endsWith('.ts')) {
    // From TypeScript sources: register tsx's loader inside the worker, then import worker.ts.
    // (`execArgv: ['--import', 'tsx']` does not reach a worker's entry module on Node 20.)
    const tsxPackage = createRequire(here).resolve('tsx/package.json');
    const api = new URL('./dist/esm/api/index.mjs', pathToFileURL(tsxPackage)).href;
    const entry = new URL('./worker.ts', here).href;
    const code = `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`;
    return new Worker(code, { eval: true });
  }
  // Built: out/main/ledger-worker.js beside the entry, or one level up from a shared chunk.
  for (const candidate of ['./ledger-worker.js', '../ledger-worker.js']) {
    const url = new URL(candidate, here);
    if (existsSync(fileURLToPath(url))) return new Worker(url);
  }
  throw new LedgerWorkerError();
}

/**
 * A ledger worker kept alive between loads: the first load pays for starting the worker and for
 * the JIT warming up; later loads run warm (see bench/ledger.bench.ts, "warm"). Loads are queued
 * and run one at a time. `close()` stops the worker.
 */
export interface LedgerWorker {
  load(source: LedgerSource, mainFile: string, options?: WorkerLoadOptions): Promise<WorkerLoadResult>;
  close(): Promise<void>;
}

interface Current {
  source: LedgerSource;
  options: WorkerLoadOptions;
  resolve: (result: WorkerLoadResult) => void;
  reject: (error: Error) => void;
}

export function createLedgerWorker(): LedgerWorker {
  let worker: Worker | null = null;
  let current: Current | null = null;
  let queue: Promise<unknown> = Promise.resolve();

  const fail = (): void => {
    const c = current;
    current = null;
    worker = null; // a broken worker is replaced on the next load
    c?.reject(new LedgerWorkerError());
  };
  const ensure = (): Worker => {
    if (worker) return worker;
    const w = startWorker();
    const send = (message: HostMessage): void => w.postMessage(message);
    w.on('message', (message: WorkerMessage) => {
      const c = current;
      if (!c) return;
      switch (message.type) {
        case 'progress':
          c.options.onProgress?.({
            bytesParsed: message.bytesParsed,
            totalBytes: message.totalBytes,
            entriesBooked: message.entriesBooked,
          });
          return;
        case 'read':
          c.source.readFile(message.file).then(
            (value) => send({ type: 'reply', id: message.id, ok: true, value }),
            () => send({ type: 'reply', id: message.id, ok: false }),
          );
          return;
        case 'expand':
          c.source.expandInclude(message.pattern, message.fromFile).then(
            (value) => send({ type: 'reply', id: message.id, ok: true, value }),
            () => send({ type: 'reply', id: message.id, ok: false }),
          );
          return;
        case 'done':
          current = null;
          c.resolve(message.result);
          return;
        case 'failed':
          current = null;
          c.reject(new LedgerWorkerError());
          return;
      }
    });
    w.on('error', fail);
    w.on('exit', () => {
      if (worker === w) fail();
    });
    worker = w;
    return w;
  };

  return {
    load(source, mainFile, options = {}) {
      const run = (): Promise<WorkerLoadResult> =>
        new Promise<WorkerLoadResult>((resolve, reject) => {
          current = { source, options, resolve, reject };
          ensure().postMessage({ type: 'load', mainFile, label: source.label } satisfies HostMessage);
        });
      const result = queue.then(run, run);
      queue = result.catch(() => undefined);
      return result;
    },
    async close() {
      const w = worker;
      worker = null;
      if (w) await w.terminate();
    },
  };
}

/** Loads once in a fresh worker and stops it. */
export async function loadLedgerInWorker(
  source: LedgerSource,
  mainFile: string,
  options: WorkerLoadOptions = {},
): Promise<WorkerLoadResult> {
  const worker = createLedgerWorker();
  try {
    return await worker.load(source, mainFile, options);
  } finally {
    await worker.close();
  }
}
