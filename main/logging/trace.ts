// The trace id of the call being served, carried through async work with AsyncLocalStorage so a
// log line written deep inside the core still names the IPC or CLI call it belongs to.
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

const storage = new AsyncLocalStorage<{ traceId: string }>();

export function newTraceId(): string {
  return randomUUID();
}

export function runWithTrace<T>(traceId: string, fn: () => T): T {
  return storage.run({ traceId }, fn);
}

export function currentTraceId(): string | undefined {
  return storage.getStore()?.traceId;
}
