// Messages between the app's main thread (patterns-worker-client.ts) and the patterns worker
// (patterns-worker.ts). Everything that crosses is plain data (structured clone): requests, the
// envelope, progress events, log lines, and the data-set calls the worker makes back to the main
// thread, where the market-data providers (vault, breakers, quotas) live. Errors cross as
// {name, code, message}: a UserFacingError keeps its code and its user-facing message, anything
// else is reduced to its name so no stack, path or value leaves the thread that threw it.
import type { PatternProgress } from '../../shared/ipc/patterns';
import type { PinProgress } from '../orchestrator/handlers';
import type { PatternRunRequest } from '../orchestrator/orchestrator';

/** The data sets a run may read besides the ledger (what the main thread's providers can give now). */
export type DatasetKind = 'fundamentals' | 'macro' | 'news';

export interface SerializedError {
  name: string;
  /** Set for a UserFacingError: its stable code (the message is then the user-facing one). */
  code?: string;
  message: string;
}

export interface PinRequestData {
  portfolio_id: string;
  pricing_pack_id?: string;
  ledger_commit_hash?: string;
}

export interface ExecuteRequestData {
  patternId: string;
  request: PatternRunRequest;
  traceId?: string;
  fresh?: boolean;
}

/** Main thread → worker. */
export type ToWorker =
  /** The store the worker opens its own connection to (null: the store is locked or absent). */
  | { type: 'store'; connection: { file: string; key: string } | null }
  | { type: 'pin'; id: number; data: PinRequestData }
  | { type: 'execute'; id: number; data: ExecuteRequestData }
  | { type: 'datasets-reply'; id: number; kinds: DatasetKind[] }
  | { type: 'source-reply'; id: number; ok: true; value: unknown }
  | { type: 'source-reply'; id: number; ok: false; error: SerializedError };

/** Worker → main thread. */
export type FromWorker =
  | { type: 'ready' }
  | { type: 'result'; id: number; ok: true; value: unknown }
  | { type: 'result'; id: number; ok: false; error: SerializedError }
  | { type: 'progress'; id: number; event: PatternProgress }
  /** How a `pin` call's pack building goes. */
  | { type: 'pin-progress'; id: number; progress: PinProgress }
  /** A log line the worker's logger wrote (JSON, already redacted there, redacted again by the host). */
  | { type: 'log'; line: string }
  /** Which data sets the main thread can give for the next run. */
  | { type: 'datasets'; id: number }
  | { type: 'source'; id: number; kind: DatasetKind; args: unknown[] }
  | { type: 'source-cancel'; id: number };

export function serializeError(
  error: unknown,
  isUserFacing: (e: unknown) => e is Error & { code: string },
): SerializedError {
  if (isUserFacing(error)) return { name: error.name, code: error.code, message: error.message };
  const name = error instanceof Error ? error.name : 'Error';
  return { name, message: name };
}
