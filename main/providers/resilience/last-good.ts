// The last good answer to each request, kept so a failing provider degrades to "stale, and here is
// why" instead of an error or a zero. The store adapter implements the same port later.
import type { ProviderName } from '../types';

export interface LastGoodEntry {
  readonly provider: ProviderName;
  readonly operation: string;
  readonly value: unknown;
  /** When the value was fetched (ISO-8601 UTC). */
  readonly as_of: string;
}

export interface LastGoodCache {
  get(key: string): Promise<LastGoodEntry | null>;
  put(key: string, entry: LastGoodEntry): Promise<void>;
}

export class MemoryLastGoodCache implements LastGoodCache {
  private readonly entries = new Map<string, LastGoodEntry>();
  get(key: string): Promise<LastGoodEntry | null> {
    return Promise.resolve(this.entries.get(key) ?? null);
  }
  put(key: string, entry: LastGoodEntry): Promise<void> {
    this.entries.set(key, structuredClone(entry));
    return Promise.resolve();
  }
  get size(): number {
    return this.entries.size;
  }
}
