// Where finished runs are kept. A run is identified by everything its panels may depend on:
// (pattern id + version, portfolio, ledger commit, pricing pack, canonical parameters). Two layers:
// an in-memory LRU for this session, and the PatternRunStore port that records every run (the
// store's `pattern_runs` table in the app, an in-memory adapter in tests and until it exists).
//
// Policy: a run with any stale panel is recorded but never served again, from memory or from the
// store: staleness comes from a provider outage or a failed step, and the next run should try again
// rather than repeat yesterday's gap for as long as the commit and pack stay the same.
import type { PatternEnvelope } from '../../shared/ipc/patterns';
import { canonicalHash, canonicalJson } from './canonical-json';
import type { ResolvedParams } from './pattern';
import { PATTERN_CACHE_ENTRIES } from './policy';

export interface PatternRunKey {
  readonly pattern_id: string;
  readonly pattern_version: number;
  readonly portfolio_id: string;
  readonly ledger_commit_hash: string;
  readonly pricing_pack_id: string;
  readonly params: ResolvedParams;
}

/** SHA-256 (hex) of the key's canonical JSON: the same inputs always give the same key. */
export function patternRunKey(key: PatternRunKey): string {
  return canonicalHash({
    pattern_id: key.pattern_id,
    pattern_version: key.pattern_version,
    portfolio_id: key.portfolio_id,
    ledger_commit_hash: key.ledger_commit_hash,
    pricing_pack_id: key.pricing_pack_id,
    params: key.params,
  });
}

/** One executed run, as the `pattern_runs` table holds it. */
export interface PatternRunRecord {
  /** patternRunKey() of the run's inputs. */
  readonly key: string;
  readonly pattern_id: string;
  readonly pattern_version: number;
  readonly portfolio_id: string;
  readonly ledger_commit_hash: string;
  readonly pricing_pack_id: string;
  /** Canonical JSON of the resolved parameters. */
  readonly params_json: string;
  readonly trace_id: string;
  readonly generated_at: string;
  readonly duration_ms: number;
  /** True when any panel is stale; such runs are never served from the cache. */
  readonly stale: boolean;
  /** Canonical JSON of the whole envelope. */
  readonly envelope_json: string;
}

/** The port the store implements over its `pattern_runs` table. */
export interface PatternRunStore {
  record(run: PatternRunRecord): Promise<void>;
  /** The most recent run with this key that is not stale, if any. */
  find(key: string): Promise<PatternRunRecord | undefined>;
}

export function runRecordOf(
  key: PatternRunKey,
  envelope: PatternEnvelope,
  durationMs: number,
): PatternRunRecord {
  return {
    key: patternRunKey(key),
    pattern_id: key.pattern_id,
    pattern_version: key.pattern_version,
    portfolio_id: key.portfolio_id,
    ledger_commit_hash: key.ledger_commit_hash,
    pricing_pack_id: key.pricing_pack_id,
    params_json: canonicalJson(key.params),
    trace_id: envelope.trace_id,
    generated_at: envelope.generated_at,
    duration_ms: Math.max(0, Math.round(durationMs)),
    stale: Object.values(envelope.panels).some((panel) => panel.stale),
    envelope_json: canonicalJson(envelope),
  };
}

/** The in-memory adapter: for tests, and for hosts without a store. */
export class InMemoryPatternRunStore implements PatternRunStore {
  readonly runs: PatternRunRecord[] = [];

  record(run: PatternRunRecord): Promise<void> {
    this.runs.push(run);
    return Promise.resolve();
  }

  find(key: string): Promise<PatternRunRecord | undefined> {
    return Promise.resolve(this.runs.findLast((run) => run.key === key && !run.stale));
  }
}

/** A least-recently-used map with a fixed number of entries. */
export class LruCache<V> {
  private readonly entries = new Map<string, V>();

  constructor(private readonly capacity: number = PATTERN_CACHE_ENTRIES) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new Error('LRU capacity must be a positive integer');
  }

  get(key: string): V | undefined {
    const value = this.entries.get(key);
    if (value === undefined) return undefined;
    this.entries.delete(key);
    this.entries.set(key, value);
    return value;
  }

  set(key: string, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    while (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.entries.delete(oldest.value);
    }
  }

  get size(): number {
    return this.entries.size;
  }
}
