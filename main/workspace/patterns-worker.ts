// The patterns worker's entry: the app's pattern runs (ledger loads, pricing packs, the agents'
// analytics) happen here, off the event loop that serves IPC. It hosts a WorkspacePatterns over
// its own connection to the encrypted store (opened with the key the main thread sends, closed
// when the main thread says the store is locked), so pattern_runs, the packs and the audit rows
// it writes go through SQLite's locking like any other connection's. The market-data providers
// stay on the main thread: the worker asks it which data sets exist for a run and forwards each
// data-set call there. Log lines go to the main thread, which writes them to the app's log.
import { parentPort, workerData } from 'node:worker_threads';
import { UserFacingError } from '../../shared/errors';
import type { FundamentalsSource, MacroSource, NewsSource } from '../agents/data-harvester/sources';
import type { LevelWithSilent } from 'pino';
import { createLogger } from '../logging/logger';
import { runWithTrace } from '../logging/trace';
import { openKeyed, Store } from '../store/open';
import { WorkspacePatterns } from './patterns-service';
import {
  serializeError,
  type DatasetKind,
  type FromWorker,
  type SerializedError,
  type ToWorker,
} from './patterns-worker-protocol';
import type { WorkspaceEnvironmentOptions } from './workspace';

const isUserFacing = (e: unknown): e is UserFacingError => e instanceof UserFacingError;

class StoreChangedError extends UserFacingError {
  constructor() {
    super(
      'STORE_CHANGED_DURING_RUN',
      'The store was locked or reopened while the pattern ran; run it again.',
    );
  }
}

/** An error that came back from the main thread, with the code a UserFacingError had there. */
function revive(error: SerializedError): Error {
  return error.code !== undefined ? new UserFacingError(error.code, error.message) : new Error(error.name);
}

const port = parentPort;
if (port) {
  const post = (message: FromWorker): void => port.postMessage(message);
  const { logLevel } = (workerData ?? {}) as { logLevel?: string };
  const logger = createLogger({
    level: (logLevel ?? 'info') as LevelWithSilent,
    sink: { write: (line) => post({ type: 'log', line }) },
  }).child({ thread: 'patterns-worker' });

  // The main thread sends the store whenever the one it has open changes (opened, locked, rekeyed).
  // The old connection closes at once, even under a run in flight: a locked store is locked.
  let store: Store | null = null;
  let storeGeneration = 0;
  const setStore = (connection: { file: string; key: string } | null): void => {
    storeGeneration++;
    store?.close();
    store = null;
    // The main thread opened (and migrated) this store with this key; a second connection only
    // applies the key and the connection settings.
    if (connection) store = new Store(openKeyed(connection.file, connection.key), connection.file);
  };

  // Calls the worker makes to the main thread (data sets), by id.
  let nextId = 1;
  const waiting = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  const ask = (message: FromWorker & { id: number }, signal?: AbortSignal): Promise<unknown> =>
    new Promise((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
        return;
      }
      const onAbort = (): void => {
        waiting.delete(message.id);
        post({ type: 'source-cancel', id: message.id });
        reject(signal?.reason instanceof Error ? signal.reason : new Error('aborted'));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      waiting.set(message.id, {
        resolve: (value) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(value);
        },
        reject: (error) => {
          signal?.removeEventListener('abort', onAbort);
          reject(error);
        },
      });
      post(message);
    });
  const source = (kind: DatasetKind, args: unknown[], signal: AbortSignal): Promise<never> =>
    ask({ type: 'source', id: nextId++, kind, args }, signal) as Promise<never>;

  // Stand-ins for the main thread's sources: same ports, each call answered over there.
  const proxies: { [K in DatasetKind]: NonNullable<WorkspaceEnvironmentOptions[K]> } = {
    fundamentals: {
      fundamentals: (symbols, signal) => source('fundamentals', [symbols], signal),
    } satisfies FundamentalsSource,
    macro: {
      series: (ids, asOf, lookbackMonths, signal) => source('macro', [ids, asOf, lookbackMonths], signal),
    } satisfies MacroSource,
    news: {
      articles: (symbols, asOf, lookbackDays, signal) =>
        source('news', [symbols, asOf, lookbackDays], signal),
    } satisfies NewsSource,
  };

  const patterns = new WorkspacePatterns({
    store: () => (store?.isOpen ? store : null),
    logger,
    datasets: async () => {
      const kinds = (await ask({ type: 'datasets', id: nextId++ })) as DatasetKind[];
      return Object.fromEntries(kinds.map((kind) => [kind, proxies[kind]]));
    },
  });

  const answer = (id: number, work: () => Promise<unknown>): void => {
    const generation = storeGeneration;
    work().then(
      (value) => post({ type: 'result', id, ok: true, value }),
      (error: unknown) => {
        // A call whose store was locked (or reopened) under it fails with that reason, whatever
        // the closed connection made it throw.
        const reason = storeGeneration !== generation ? new StoreChangedError() : error;
        if (!isUserFacing(reason)) logger.error({ err: reason }, 'pattern worker call failed');
        post({ type: 'result', id, ok: false, error: serializeError(reason, isUserFacing) });
      },
    );
  };

  port.on('message', (message: ToWorker) => {
    switch (message.type) {
      case 'store':
        try {
          setStore(message.connection);
        } catch (error) {
          // The next run finds no store and answers as a locked store would.
          store = null;
          logger.error({ err: error }, 'pattern worker could not open the store');
        }
        return;
      case 'pin':
        answer(message.id, () =>
          patterns.pinning.pin(message.data, (progress) =>
            post({ type: 'pin-progress', id: message.id, progress }),
          ),
        );
        return;
      case 'execute': {
        const { patternId, request, traceId, fresh } = message.data;
        const id = message.id;
        const run = async (): Promise<unknown> => {
          const started = performance.now();
          const envelope = await patterns.orchestrator.execute(patternId, request, {
            ...(traceId !== undefined ? { traceId } : {}),
            ...(fresh ? { fresh } : {}),
            onProgress: (event) => post({ type: 'progress', id, event }),
          });
          // What ran and how long it took; never a figure of the portfolio.
          logger.info(
            {
              pattern: patternId,
              ms: Math.round(performance.now() - started),
              panels: Object.keys(envelope.panels).length,
              stale: Object.values(envelope.panels).filter((p) => p.stale).length,
            },
            'pattern run',
          );
          return envelope;
        };
        answer(id, traceId !== undefined ? () => runWithTrace(traceId, run) : run);
        return;
      }
      case 'datasets-reply':
      case 'source-reply': {
        const waiter = waiting.get(message.id);
        if (!waiter) return;
        waiting.delete(message.id);
        if (message.type === 'datasets-reply') waiter.resolve(message.kinds);
        else if (message.ok) waiter.resolve(message.value);
        else waiter.reject(revive(message.error));
        return;
      }
    }
  });
  post({ type: 'ready' });
}
