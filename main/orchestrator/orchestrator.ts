// The orchestrator a host creates once: the loaded patterns, the capability registry, the cache and
// the run recorder. `execute` validates the parameters, answers from the cache when the same inputs
// ran before without a stale panel, and otherwise runs the pattern and records the run.
import type { Logger } from 'pino';
import { UserFacingError } from '../../shared/errors';
import {
  patternEnvelopeSchema,
  type PatternEnvelope,
  type PatternParamValue,
  type PatternProgress,
  type PatternSummary,
} from '../../shared/ipc/patterns';
import { newTraceId } from '../logging/trace';
import { canonicalJson } from './canonical-json';
import type { CapabilityRegistry } from './capability';
import { LruCache, patternRunKey, runRecordOf, type PatternRunKey, type PatternRunStore } from './cache';
import { executePattern } from './executor';
import { patternSummaries, resolveParams, type Pattern } from './pattern';

export class PatternNotFoundError extends UserFacingError {
  constructor() {
    super('PATTERN_NOT_FOUND', 'No pattern with that id.');
  }
}

export interface OrchestratorOptions {
  readonly registry: CapabilityRegistry;
  readonly patterns: ReadonlyMap<string, Pattern>;
  readonly runStore?: PatternRunStore;
  readonly cacheEntries?: number;
  readonly stepTimeoutMs?: number;
  readonly deadlineMs?: number;
  readonly now?: () => Date;
  readonly logger?: Logger;
}

export interface PatternRunRequest {
  readonly portfolio_id: string;
  readonly pricing_pack_id: string;
  readonly ledger_commit_hash: string;
  readonly params?: Readonly<Record<string, PatternParamValue | undefined>>;
}

export interface PatternRunOptions {
  readonly signal?: AbortSignal;
  readonly onProgress?: (event: PatternProgress) => void;
  readonly traceId?: string;
  /**
   * Run even when the same key ran before (the run is still recorded and cached): for patterns that
   * read state the key does not cover, such as the store's positions that reconciliation compares.
   */
  readonly fresh?: boolean;
}

export class PatternOrchestrator {
  /** Canonical JSON of fresh (non-stale) envelopes, by run key. */
  private readonly cache: LruCache<string>;

  constructor(private readonly options: OrchestratorOptions) {
    this.cache = new LruCache(options.cacheEntries);
  }

  list(): PatternSummary[] {
    return patternSummaries(this.options.patterns.values());
  }

  pattern(id: string): Pattern | undefined {
    return this.options.patterns.get(id);
  }

  async execute(
    patternId: string,
    request: PatternRunRequest,
    runOptions: PatternRunOptions = {},
  ): Promise<PatternEnvelope> {
    const pattern = this.options.patterns.get(patternId);
    if (!pattern) throw new PatternNotFoundError();
    const params = resolveParams(pattern, request.params);
    const traceId = runOptions.traceId ?? newTraceId();
    const runKey: PatternRunKey = {
      pattern_id: pattern.id,
      pattern_version: pattern.version,
      portfolio_id: request.portfolio_id,
      ledger_commit_hash: request.ledger_commit_hash,
      pricing_pack_id: request.pricing_pack_id,
      params,
    };
    const key = patternRunKey(runKey);

    const cached = runOptions.fresh ? undefined : (this.cache.get(key) ?? (await this.fromStore(key)));
    if (cached !== undefined) {
      this.cache.set(key, cached);
      const envelope = patternEnvelopeSchema.parse(JSON.parse(cached));
      runOptions.onProgress?.({
        trace_id: traceId,
        pattern_id: pattern.id,
        step_id: null,
        status: 'cached',
        done: pattern.steps.length,
        total: pattern.steps.length,
        fraction: null,
        message: null,
      });
      return { ...envelope, trace_id: traceId };
    }

    const started = performance.now();
    const envelope = await executePattern(
      pattern,
      {
        portfolio_id: request.portfolio_id,
        pricing_pack_id: request.pricing_pack_id,
        ledger_commit_hash: request.ledger_commit_hash,
        params,
      },
      {
        registry: this.options.registry,
        signal: runOptions.signal,
        onProgress: runOptions.onProgress,
        traceId,
        stepTimeoutMs: this.options.stepTimeoutMs,
        deadlineMs: this.options.deadlineMs,
        now: this.options.now,
        logger: this.options.logger,
      },
    );
    const record = runRecordOf(runKey, envelope, performance.now() - started);
    if (!record.stale) this.cache.set(key, canonicalJson(envelope));
    try {
      await this.options.runStore?.record(record);
    } catch (error) {
      // A run the store could not record is still a good answer; say so in the log and go on.
      this.options.logger?.warn(
        { errName: (error as Error).name, pattern: pattern.id },
        'pattern run not recorded',
      );
    }
    return envelope;
  }

  private async fromStore(key: string): Promise<string | undefined> {
    if (!this.options.runStore) return undefined;
    try {
      const run = await this.options.runStore.find(key);
      if (!run || run.stale || run.key !== key) return undefined;
      return patternEnvelopeSchema.safeParse(JSON.parse(run.envelope_json)).success
        ? run.envelope_json
        : undefined;
    } catch (error) {
      this.options.logger?.warn({ errName: (error as Error).name }, 'pattern run store lookup failed');
      return undefined;
    }
  }
}
