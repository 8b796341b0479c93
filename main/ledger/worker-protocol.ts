// Messages between loadLedgerInWorker (main thread) and the ledger worker. The worker reads files
// by asking the main thread, so any LedgerSource (working tree, git commit) works unchanged; it
// answers with plain JSON (decimal strings), never with class instances.
import type { LoadProgress } from './loader';
import type { LedgerError } from './types';
import type { BalancesJson, HoldingJson } from './views';

export interface WorkerLoadRequest {
  type: 'load';
  mainFile: string;
  label: string;
}
export interface WorkerReply {
  type: 'reply';
  id: number;
  ok: boolean;
  value?: string | string[];
}
export type HostMessage = WorkerLoadRequest | WorkerReply;

export interface WorkerFileRequest {
  type: 'read';
  id: number;
  file: string;
}
export interface WorkerExpandRequest {
  type: 'expand';
  id: number;
  pattern: string;
  fromFile: string;
}
export interface WorkerProgress extends LoadProgress {
  type: 'progress';
}

/** What a load in the worker returns. */
export interface WorkerLoadResult {
  errors: LedgerError[];
  files: string[];
  directives: number;
  transactions: number;
  balances: BalancesJson;
  holdings: HoldingJson[];
  operatingCurrencies: string[];
  title: string | null;
}
export interface WorkerDone {
  type: 'done';
  result: WorkerLoadResult;
}
export interface WorkerFailed {
  type: 'failed';
}
export type WorkerMessage =
  WorkerFileRequest | WorkerExpandRequest | WorkerProgress | WorkerDone | WorkerFailed;
