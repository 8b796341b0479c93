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

export function loadLedgerInWorker(
  source: LedgerSource,
  mainFile: string,
  options: WorkerLoadOptions = {},
): Promise<WorkerLoadResult> {
  const worker = startWorker();
  const send = (message: HostMessage): void => worker.postMessage(message);
  return new Promise<WorkerLoadResult>((resolve, reject) => {
    let settled = false;
    const finish = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      fn();
      void worker.terminate();
    };
    worker.on('message', (message: WorkerMessage) => {
      switch (message.type) {
        case 'progress':
          options.onProgress?.({
            bytesParsed: message.bytesParsed,
            totalBytes: message.totalBytes,
            entriesBooked: message.entriesBooked,
          });
          return;
        case 'read':
          source.readFile(message.file).then(
            (value) => send({ type: 'reply', id: message.id, ok: true, value }),
            () => send({ type: 'reply', id: message.id, ok: false }),
          );
          return;
        case 'expand':
          source.expandInclude(message.pattern, message.fromFile).then(
            (value) => send({ type: 'reply', id: message.id, ok: true, value }),
            () => send({ type: 'reply', id: message.id, ok: false }),
          );
          return;
        case 'done':
          finish(() => resolve(message.result));
          return;
        case 'failed':
          finish(() => reject(new LedgerWorkerError()));
          return;
      }
    });
    worker.on('error', () => finish(() => reject(new LedgerWorkerError())));
    worker.on('exit', () => finish(() => reject(new LedgerWorkerError())));
    send({ type: 'load', mainFile, label: source.label });
  });
}
