// The app's pattern service with the runs in a worker thread (patterns-worker.ts), so loading a
// large ledger, building its pricing packs and computing years of returns never holds the event
// loop that serves IPC. What stays on the main thread is cheap: who may read which portfolio (one
// store query), the pattern list (read from the shipped files) and the market-data providers, which
// the worker calls back for (vault, breakers, quotas and last-good values live here).
//
// The worker starts on the first run and is kept warm. It opens its own connection to the store
// with the key of the store the main thread has open, and closes it when the store is locked. If it
// dies, the calls in flight fail with PATTERN_WORKER_FAILED and the next call starts a new one.
import type { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import { z } from 'zod';
import { UserFacingError } from '../../shared/errors';
import type { PatternEnvelope, PatternProgress } from '../../shared/ipc/patterns';
import { createPatternHandlers, type PinProgress, type RunPinning } from '../orchestrator/handlers';
import type { PatternRunOptions, PatternRunRequest } from '../orchestrator/orchestrator';
import type { Store } from '../store/open';
import { startWorker } from '../workers/start-worker';
import { WorkspacePatterns } from './patterns-service';
import {
  serializeError,
  type DatasetKind,
  type ExecuteRequestData,
  type FromWorker,
  type PinRequestData,
  type ToWorker,
} from './patterns-worker-protocol';
import type { WorkspaceEnvironmentOptions } from './workspace';

export class PatternWorkerError extends UserFacingError {
  constructor() {
    super('PATTERN_WORKER_FAILED', 'The analysis worker stopped unexpectedly; run the pattern again.');
  }
}

class DatasetUnavailableError extends UserFacingError {
  constructor() {
    super('DATASET_UNAVAILABLE', 'That data source is not configured.');
  }
}

type Datasets = Pick<WorkspaceEnvironmentOptions, DatasetKind>;

const isUserFacing = (e: unknown): e is UserFacingError => e instanceof UserFacingError;

function startPatternsWorker(workerData: { logLevel: string }): Worker {
  const worker = startWorker(
    { from: import.meta.url, source: './patterns-worker.ts', built: 'patterns-worker.js' },
    { workerData },
  );
  if (!worker) throw new PatternWorkerError();
  return worker;
}

type WorkerCall = { type: 'pin'; data: PinRequestData } | { type: 'execute'; data: ExecuteRequestData };

const pinnedSchema = z.object({ pricing_pack_id: z.string(), ledger_commit_hash: z.string() }).strict();

const LEVELS = new Set(['trace', 'debug', 'info', 'warn', 'error', 'fatal']);

export interface WorkerPatternsOptions {
  store: () => Store | null;
  logger: Logger;
  emitProgress?: (event: PatternProgress) => void;
  /** The data sets besides the ledger, asked for again before every run (keys can change). */
  datasets?: () => Promise<Datasets>;
}

interface Call {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  onProgress?: (event: PatternProgress) => void;
  onPinProgress?: (progress: PinProgress) => void;
}

export class WorkerPatterns {
  /** Access, the pattern list and the readable portfolios: answered here, from the store. */
  private readonly local: WorkspacePatterns;
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly calls = new Map<number, Call>();
  /**
   * The latest source of each data set the worker was told about, whose calls it forwards here
   * (kept when a later run finds one unconfigured, so a run in flight keeps its source; the
   * provider sources look their client up at each call anyway).
   */
  private readonly sources: Datasets = {};
  private readonly sourceCalls = new Map<number, AbortController>();
  /** The store the worker was last told about (undefined: nothing sent to this worker yet). */
  private sentStore: Store | null | undefined = undefined;

  constructor(private readonly options: WorkerPatternsOptions) {
    this.local = new WorkspacePatterns({ store: options.store, logger: options.logger });
  }

  /** Tells the worker (when one runs) which store is open now: call when the store opens or locks. */
  syncStore(): void {
    const worker = this.worker;
    if (!worker) return;
    const store = this.options.store();
    if (store === this.sentStore) return;
    this.sentStore = store;
    this.post(worker, { type: 'store', connection: store?.connectionInfo() ?? null });
  }

  private post(worker: Worker, message: ToWorker): void {
    worker.postMessage(message);
  }

  private ensure(): Worker {
    if (this.worker) return this.worker;
    const worker = startPatternsWorker({ logLevel: this.options.logger.level });
    this.worker = worker;
    this.sentStore = undefined;
    worker.on('message', (message: FromWorker) => this.onMessage(worker, message));
    const fail = (): void => {
      if (this.worker !== worker) return;
      this.worker = null;
      for (const controller of this.sourceCalls.values()) controller.abort();
      this.sourceCalls.clear();
      const calls = [...this.calls.values()];
      this.calls.clear();
      for (const call of calls) call.reject(new PatternWorkerError());
    };
    worker.on('error', (error) => {
      this.options.logger.error({ err: error }, 'pattern worker failed');
      fail();
    });
    worker.on('exit', fail);
    return worker;
  }

  private onMessage(worker: Worker, message: FromWorker): void {
    switch (message.type) {
      case 'ready':
        return;
      case 'log':
        this.relayLog(message.line);
        return;
      case 'progress':
        this.calls.get(message.id)?.onProgress?.(message.event);
        return;
      case 'pin-progress':
        this.calls.get(message.id)?.onPinProgress?.(message.progress);
        return;
      case 'result': {
        const call = this.calls.get(message.id);
        if (!call) return;
        this.calls.delete(message.id);
        if (message.ok) call.resolve(message.value);
        else
          call.reject(
            message.error.code !== undefined
              ? new UserFacingError(message.error.code, message.error.message)
              : new Error(message.error.name),
          );
        return;
      }
      case 'datasets':
        void this.answerDatasets(worker, message.id);
        return;
      case 'source':
        void this.answerSource(worker, message.id, message.kind, message.args);
        return;
      case 'source-cancel':
        this.sourceCalls.get(message.id)?.abort();
        this.sourceCalls.delete(message.id);
        return;
    }
  }

  /** A worker log line, written by the app's logger (its redaction applies again here). */
  private relayLog(line: string): void {
    let record: Record<string, unknown>;
    try {
      record = JSON.parse(line) as Record<string, unknown>;
    } catch {
      return;
    }
    const { level, msg, time: _time, pid: _pid, ...fields } = record;
    const method = typeof level === 'string' && LEVELS.has(level) ? level : 'info';
    this.options.logger[method as 'info'].call(
      this.options.logger,
      fields,
      typeof msg === 'string' ? msg : undefined,
    );
  }

  private async answerDatasets(worker: Worker, id: number): Promise<void> {
    let kinds: DatasetKind[] = [];
    try {
      const datasets = (await this.options.datasets?.()) ?? {};
      kinds = (Object.keys(datasets) as DatasetKind[]).filter((k) => datasets[k] !== undefined);
      Object.assign(this.sources, datasets);
    } catch (error) {
      this.options.logger.warn({ err: error }, 'pattern data sets unavailable');
    }
    if (this.worker === worker) this.post(worker, { type: 'datasets-reply', id, kinds });
  }

  private async answerSource(worker: Worker, id: number, kind: DatasetKind, args: unknown[]): Promise<void> {
    const controller = new AbortController();
    this.sourceCalls.set(id, controller);
    let reply: ToWorker;
    try {
      const value = await this.callSource(kind, args, controller.signal);
      reply = { type: 'source-reply', id, ok: true, value };
    } catch (error) {
      reply = { type: 'source-reply', id, ok: false, error: serializeError(error, isUserFacing) };
    } finally {
      // (Ids restart with each worker: leave a newer worker's call of the same id alone.)
      if (this.sourceCalls.get(id) === controller) this.sourceCalls.delete(id);
    }
    if (this.worker === worker && !controller.signal.aborted) this.post(worker, reply);
  }

  private callSource(kind: DatasetKind, args: unknown[], signal: AbortSignal): Promise<unknown> {
    switch (kind) {
      case 'fundamentals': {
        const source = this.sources.fundamentals;
        if (!source) throw new DatasetUnavailableError();
        const [symbols] = args as [string[]];
        return source.fundamentals(symbols, signal);
      }
      case 'macro': {
        const source = this.sources.macro;
        if (!source) throw new DatasetUnavailableError();
        const [ids, asOf, lookbackMonths] = args as [string[], string, number];
        return source.series(ids, asOf, lookbackMonths, signal);
      }
      case 'news': {
        const source = this.sources.news;
        if (!source) throw new DatasetUnavailableError();
        const [symbols, asOf, lookbackDays] = args as [string[], string, number];
        return source.articles(symbols, asOf, lookbackDays, signal);
      }
    }
  }

  /** Sends one call to the worker (starting it if needed, after telling it the current store). */
  private call(
    message: WorkerCall,
    listeners: Pick<Call, 'onProgress' | 'onPinProgress'> = {},
  ): Promise<unknown> {
    return new Promise((resolve, reject) => {
      let worker: Worker;
      try {
        worker = this.ensure();
        this.syncStore();
      } catch (error) {
        reject(error instanceof Error ? error : new PatternWorkerError());
        return;
      }
      const id = this.nextId++;
      this.calls.set(id, { resolve, reject, ...listeners });
      this.post(worker, { ...message, id });
    });
  }

  readonly pinning: RunPinning = {
    pin: async (request, onPinProgress) =>
      pinnedSchema.parse(
        await this.call({ type: 'pin', data: request }, onPinProgress ? { onPinProgress } : {}),
      ),
  };

  readonly orchestrator = {
    list: () => this.local.orchestrator.list(),
    execute: async (
      patternId: string,
      request: PatternRunRequest,
      runOptions?: PatternRunOptions,
    ): Promise<PatternEnvelope> =>
      // The worker runs this codebase's own orchestrator; the router validates the envelope
      // against the contract before it reaches a window (in development and tests).
      (await this.call(
        {
          type: 'execute',
          data: {
            patternId,
            request: { ...request, params: { ...request.params } },
            ...(runOptions?.traceId !== undefined ? { traceId: runOptions.traceId } : {}),
            ...(runOptions?.fresh ? { fresh: true } : {}),
          },
        },
        runOptions?.onProgress ? { onProgress: runOptions.onProgress } : {},
      )) as PatternEnvelope,
  };

  /** Portfolios the store holds with a ledger and not archived (what the daily reconciliation covers). */
  readablePortfolios(): string[] {
    return this.local.readablePortfolios();
  }

  /** The reconciliation pattern for one portfolio at HEAD (for DailyReconciliation). */
  async reconcile(portfolioId: string): Promise<PatternEnvelope> {
    const pin = await this.pinning.pin({ portfolio_id: portfolioId });
    return this.orchestrator.execute('reconciliation', { portfolio_id: portfolioId, ...pin, params: {} });
  }

  handlers() {
    return createPatternHandlers({
      orchestrator: this.orchestrator,
      access: this.local.access,
      pinning: this.pinning,
      emitProgress: (event) => {
        if (this.options.emitProgress) this.options.emitProgress(event);
        else
          this.options.logger.debug({ pattern: event.pattern_id, status: event.status }, 'pattern progress');
      },
    });
  }

  /**
   * Stops the worker (its store connection closes with it); calls in flight fail. A later call
   * starts a new one (a quit that was cancelled leaves the app working).
   */
  async close(): Promise<void> {
    const worker = this.worker;
    if (worker) await worker.terminate();
  }
}
