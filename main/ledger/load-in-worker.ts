// Loads a ledger in a worker thread so the event loop that serves IPC stays responsive, and
// reports progress (bytes parsed, entries booked). The worker is the bundle's `ledger-worker`
// entry (electron.vite.config.ts); run from TypeScript sources (tests, tsx) it is worker.ts with
// tsx's loader.
import type { Worker } from 'node:worker_threads';
import { startWorker } from '../workers/start-worker';
import { LedgerWorkerError } from './errors';
import type { LoadProgress } from './loader';
import type { LedgerSource } from './source';
import type { HostMessage, WorkerLoadResult, WorkerMessage } from './worker-protocol';

export type { WorkerLoadResult } from './worker-protocol';

export interface WorkerLoadOptions {
  onProgress?: (progress: LoadProgress) => void;
}

function startLedgerWorker(): Worker {
  const worker = startWorker({ from: import.meta.url, source: './worker.ts', built: 'ledger-worker.js' });
  if (!worker) throw new LedgerWorkerError();
  return worker;
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
    const w = startLedgerWorker();
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
