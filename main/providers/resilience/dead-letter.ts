// Requests that still failed after retries wait here until the provider is back. A letter holds the
// operation and its parameters, never the API key. `put` is an upsert by request key, so one
// request failing many times is one letter; `remove` after a successful replay.
import type { ProviderName } from '../types';
import type { RequestParams } from './request-key';

export interface DeadLetter {
  readonly key: string;
  readonly provider: ProviderName;
  readonly operation: string;
  readonly params: RequestParams;
  /** Short fixed phrase, e.g. "HTTP 503". */
  readonly reason: string;
  readonly first_failed_at: string;
  readonly last_failed_at: string;
  readonly failures: number;
}

export interface DeadLetterStore {
  /** Inserts the letter, or on an existing key bumps `failures`, `reason` and `last_failed_at`. */
  put(letter: Omit<DeadLetter, 'first_failed_at' | 'failures'>): Promise<void>;
  list(provider?: ProviderName): Promise<DeadLetter[]>;
  has(key: string): Promise<boolean>;
  remove(key: string): Promise<void>;
}

export class MemoryDeadLetterStore implements DeadLetterStore {
  private readonly letters = new Map<string, DeadLetter>();

  put(letter: Omit<DeadLetter, 'first_failed_at' | 'failures'>): Promise<void> {
    const existing = this.letters.get(letter.key);
    this.letters.set(letter.key, {
      ...letter,
      params: { ...letter.params },
      first_failed_at: existing?.first_failed_at ?? letter.last_failed_at,
      failures: (existing?.failures ?? 0) + 1,
    });
    return Promise.resolve();
  }

  list(provider?: ProviderName): Promise<DeadLetter[]> {
    const all = [...this.letters.values()].filter((l) => provider === undefined || l.provider === provider);
    // Oldest first; letters failed at the same moment keep their arrival order (the sort is stable).
    all.sort((a, b) => a.first_failed_at.localeCompare(b.first_failed_at));
    return Promise.resolve(all);
  }

  has(key: string): Promise<boolean> {
    return Promise.resolve(this.letters.has(key));
  }

  remove(key: string): Promise<void> {
    this.letters.delete(key);
    return Promise.resolve();
  }
}
