// The ledger worker's entry: parses and books a ledger off the main thread (see
// load-in-worker.ts). Files are requested from the main thread, progress is posted as it goes.
import { parentPort } from 'node:worker_threads';
import { loadLedger, sortErrors } from './loader';
import type { LedgerSource } from './source';
import { balances, holdings } from './views';
import type { HostMessage, WorkerLoadResult, WorkerMessage } from './worker-protocol';

const port = parentPort;
if (port) {
  let nextId = 1;
  const pending = new Map<number, { resolve: (v: string | string[]) => void; reject: (e: Error) => void }>();
  const post = (message: WorkerMessage): void => port.postMessage(message);
  const ask = <T extends string | string[]>(message: WorkerMessage & { id: number }): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      pending.set(message.id, { resolve: resolve as (v: string | string[]) => void, reject });
      post(message);
    });

  port.on('message', (message: HostMessage) => {
    if (message.type === 'reply') {
      const p = pending.get(message.id);
      if (!p) return;
      pending.delete(message.id);
      if (message.ok && message.value !== undefined) p.resolve(message.value);
      else p.reject(new Error('source request failed'));
      return;
    }
    const source: LedgerSource = {
      label: message.label,
      readFile: (file) => ask<string>({ type: 'read', id: nextId++, file }),
      expandInclude: (pattern, fromFile) =>
        ask<string[]>({ type: 'expand', id: nextId++, pattern, fromFile }),
    };
    loadLedger(source, message.mainFile, { onProgress: (p) => post({ type: 'progress', ...p }) }).then(
      (ledger) => {
        let transactions = 0;
        for (const e of ledger.entries) if (e.kind === 'transaction') transactions++;
        const result: WorkerLoadResult = {
          errors: sortErrors(ledger.errors),
          files: ledger.files,
          directives: ledger.entries.length,
          transactions,
          balances: balances(ledger.entries),
          holdings: holdings(ledger.entries),
          operatingCurrencies: ledger.options.operatingCurrencies,
          title: ledger.options.title,
        };
        post({ type: 'done', result });
      },
      () => post({ type: 'failed' }),
    );
  });
}
