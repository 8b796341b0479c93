// Runs one pattern: every step starts as soon as the steps it depends on have settled, so
// independent steps run concurrently. Each step races its capability against an AbortSignal fired
// by its own timeout, the pattern deadline or the caller's cancellation, so a capability that never
// settles cannot hold the run. A step that fails, times out or is skipped yields a stale panel with
// a message, its dependents are skipped, and every other panel is returned as it is. Staleness
// flows downstream: a panel built from a stale input is stale and names that input.
//
// Step states: waiting → (skipped | started) ; started → (done | stale | failed).
import type { Logger } from 'pino';
import type { z } from 'zod';
import { UserFacingError } from '../../shared/errors';
import type { Panel, PatternEnvelope, PatternProgress, Provenance, Rights } from '../../shared/ipc/patterns';
import { newTraceId } from '../logging/trace';
import { canonicalize, CanonicalJsonError } from './canonical-json';
import {
  capabilityResultSchema,
  type CapabilityContext,
  type CapabilityRegistry,
  type PinnedRunContext,
} from './capability';
import {
  asReference,
  stepDependencies,
  type Pattern,
  type PatternStep,
  type ResolvedParams,
} from './pattern';
import { PATTERN_DEADLINE_MS, STEP_TIMEOUT_MS } from './policy';

export interface RunInputs {
  readonly portfolio_id: string;
  readonly pricing_pack_id: string;
  readonly ledger_commit_hash: string;
  /** Already resolved against the pattern (see resolveParams). */
  readonly params: ResolvedParams;
}

export interface ExecuteOptions {
  readonly registry: CapabilityRegistry;
  /** Cancels the run: running steps are abandoned and executePattern rejects with PatternCancelledError. */
  readonly signal?: AbortSignal;
  readonly onProgress?: (event: PatternProgress) => void;
  /** The run's trace id (the IPC or CLI call's); a fresh one by default. */
  readonly traceId?: string;
  readonly stepTimeoutMs?: number;
  readonly deadlineMs?: number;
  readonly now?: () => Date;
  readonly logger?: Logger;
}

export class PatternCancelledError extends UserFacingError {
  constructor() {
    super('PATTERN_CANCELLED', 'The pattern run was cancelled.');
  }
}

/** Why a step's signal fired; the abort reasons this module uses. */
class StepTimeout {
  constructor(readonly ms: number) {}
}
class PatternDeadline {
  constructor(readonly ms: number) {}
}
class RunCancelled {}

/** A step whose input is missing because an upstream step produced nothing. */
class SkipStep extends Error {}
/** A failure whose message is safe to show (fixed words, no values). */
class SafeFailure extends Error {}

interface OkOutcome {
  kind: 'ok';
  data: unknown;
  ownMessage: string | null;
  /** Steps (this one or upstream) whose own result was stale, with their message. */
  staleRoots: Map<string, string | null>;
  provenance: Provenance[];
  rights: Rights;
}
type StepOutcome = OkOutcome | { kind: 'failed'; reason: string } | { kind: 'skipped'; reason: string };

const EXPORT_RANK = { false: 0, restricted: 1, true: 2 } as const;

/** The most restrictive of several rights: export is the least permissive, attributions all kept. */
export function mergeRights(all: readonly Rights[]): Rights {
  let exportRight: Rights['export'] = true;
  const attributions = new Set<string>();
  for (const rights of all) {
    if (
      EXPORT_RANK[String(rights.export) as keyof typeof EXPORT_RANK] <
      EXPORT_RANK[String(exportRight) as keyof typeof EXPORT_RANK]
    )
      exportRight = rights.export;
    if (rights.attribution) attributions.add(rights.attribution);
  }
  const merged: Rights = { export: exportRight };
  if (attributions.size > 0) merged.attribution = [...attributions].sort().join('; ');
  return merged;
}

/** Union of provenance lists, without duplicates, in a stable order. */
export function mergeProvenance(lists: readonly (readonly Provenance[])[]): Provenance[] {
  const byKey = new Map<string, Provenance>();
  for (const list of lists)
    for (const item of list)
      byKey.set(`${item.provider}\u0000${item.dataset}\u0000${item.as_of}`, {
        provider: item.provider,
        dataset: item.dataset,
        as_of: item.as_of,
      });
  return [...byKey.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, value]) => value);
}

function describeIssues(error: z.ZodError): string {
  const paths = [...new Set(error.issues.slice(0, 5).map((issue) => issue.path.join('.') || '(root)'))];
  return paths.join(', ');
}

function readPath(data: unknown, path: readonly string[]): unknown {
  let current = data;
  for (const segment of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = Object.hasOwn(current, segment) ? (current as Record<string, unknown>)[segment] : undefined;
  }
  return current;
}

function resolveValue(
  value: unknown,
  inputName: string,
  params: ResolvedParams,
  deps: ReadonlyMap<string, StepOutcome>,
): unknown {
  const ref = asReference(value);
  if (ref?.kind === 'param') return params[ref.name] ?? null;
  if (ref?.kind === 'step') {
    const outcome = deps.get(ref.step);
    if (!outcome || outcome.kind !== 'ok' || outcome.data === null)
      throw new SkipStep(`input step ${ref.step} has no data`);
    if (!ref.path) return outcome.data;
    const found = readPath(outcome.data, ref.path);
    if (found === undefined)
      throw new SafeFailure(`input "${inputName}": ${ref.path.join('.')} not found in step ${ref.step}`);
    return found;
  }
  if (Array.isArray(value)) return value.map((item) => resolveValue(item, inputName, params, deps));
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, resolveValue(item, inputName, params, deps)]),
    );
  return value;
}

/** Settles with the promise, or rejects with the signal's reason as soon as it aborts. */
function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    if (signal.aborted) {
      promise.catch(() => undefined);
      reject(signal.reason as Error);
      return;
    }
    const onAbort = () => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: Error) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

function panelFrom(step: PatternStep, outcome: StepOutcome): Panel {
  if (outcome.kind !== 'ok')
    return {
      data: null,
      stale: true,
      message: `${step.id} ${outcome.kind}: ${outcome.reason}`,
      provenance: [],
      rights: { export: false },
    };
  const stale = outcome.staleRoots.size > 0;
  let message = outcome.ownMessage;
  if (stale) {
    message = [...outcome.staleRoots.keys()]
      .sort()
      .map((root) => {
        const why = outcome.staleRoots.get(root);
        return root === step.id
          ? (why ?? `${step.id} returned stale data`)
          : `built from stale input ${root}${why ? `: ${why}` : ''}`;
      })
      .join('; ');
  }
  return { data: outcome.data, stale, message, provenance: outcome.provenance, rights: outcome.rights };
}

export async function executePattern(
  pattern: Pattern,
  inputs: RunInputs,
  options: ExecuteOptions,
): Promise<PatternEnvelope> {
  const traceId = options.traceId ?? newTraceId();
  const now = options.now ?? (() => new Date());
  const stepTimeoutMs = options.stepTimeoutMs ?? STEP_TIMEOUT_MS;
  const deadlineMs = options.deadlineMs ?? PATTERN_DEADLINE_MS;
  const total = pattern.steps.length;
  let settled = 0;

  const emit = (event: Omit<PatternProgress, 'trace_id' | 'pattern_id' | 'done' | 'total'>) => {
    if (!options.onProgress) return;
    try {
      options.onProgress({ trace_id: traceId, pattern_id: pattern.id, done: settled, total, ...event });
    } catch (error) {
      options.logger?.warn({ errName: (error as Error).name }, 'pattern progress listener threw');
    }
  };

  if (options.signal?.aborted) throw new PatternCancelledError();
  const run = new AbortController();
  const deadline = setTimeout(() => run.abort(new PatternDeadline(deadlineMs)), deadlineMs);
  const onCancel = () => run.abort(new RunCancelled());
  options.signal?.addEventListener('abort', onCancel, { once: true });

  const pinned: PinnedRunContext = {
    portfolio_id: inputs.portfolio_id,
    pricing_pack_id: inputs.pricing_pack_id,
    ledger_commit_hash: inputs.ledger_commit_hash,
    params: inputs.params,
  };
  const byId = new Map(pattern.steps.map((step) => [step.id, step]));
  const outcomes = new Map<string, Promise<StepOutcome>>();

  const reasonOf = (reason: unknown, timeoutMs: number): string => {
    if (reason instanceof StepTimeout) return `timed out after ${timeoutMs} ms`;
    if (reason instanceof PatternDeadline) return `pattern deadline of ${reason.ms} ms reached`;
    if (reason instanceof RunCancelled) return 'run cancelled';
    if (reason instanceof SafeFailure || reason instanceof UserFacingError) return reason.message;
    return 'internal error';
  };

  const runStep = async (step: PatternStep, deps: ReadonlyMap<string, StepOutcome>): Promise<StepOutcome> => {
    const capability = options.registry.get(step.capability);
    if (!capability) return { kind: 'failed', reason: `capability ${step.capability} is not registered` };
    const input: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(step.inputs))
      input[name] = resolveValue(value, name, inputs.params, deps);
    const checkedInput = capability.input.safeParse(input);
    if (!checkedInput.success) throw new SafeFailure(`invalid input (${describeIssues(checkedInput.error)})`);

    const timeoutMs = Math.min(step.timeout_ms ?? stepTimeoutMs, deadlineMs);
    const controller = new AbortController();
    const onRunAbort = () => controller.abort(run.signal.reason);
    if (run.signal.aborted) controller.abort(run.signal.reason);
    run.signal.addEventListener('abort', onRunAbort, { once: true });
    const timer = setTimeout(() => controller.abort(new StepTimeout(timeoutMs)), timeoutMs);
    let finished = false;
    const ctx: CapabilityContext = {
      ...pinned,
      traceId,
      patternId: pattern.id,
      stepId: step.id,
      signal: controller.signal,
      reportProgress: (fraction, message) => {
        if (finished || controller.signal.aborted || !Number.isFinite(fraction)) return;
        emit({
          step_id: step.id,
          status: 'progress',
          fraction: Math.min(1, Math.max(0, fraction)),
          message: message ?? null,
        });
      },
    };
    emit({ step_id: step.id, status: 'started', fraction: null, message: null });
    let raw: unknown;
    try {
      raw = await raceAbort(
        Promise.resolve().then(() => capability.run(checkedInput.data, ctx)),
        controller.signal,
      );
    } catch (error) {
      const reason: unknown = controller.signal.aborted ? controller.signal.reason : error;
      return { kind: 'failed', reason: reasonOf(reason, timeoutMs) };
    } finally {
      finished = true;
      clearTimeout(timer);
      run.signal.removeEventListener('abort', onRunAbort);
    }

    const result = capabilityResultSchema.safeParse(raw);
    if (!result.success) return { kind: 'failed', reason: 'returned a malformed result' };
    let data: unknown = null;
    if (result.data.data !== null && result.data.data !== undefined) {
      const checkedOutput = capability.output.safeParse(result.data.data);
      if (!checkedOutput.success)
        return {
          kind: 'failed',
          reason: `returned data outside its output schema (${describeIssues(checkedOutput.error)})`,
        };
      try {
        data = canonicalize(checkedOutput.data);
      } catch (error) {
        if (error instanceof CanonicalJsonError)
          return { kind: 'failed', reason: 'returned data that is not plain JSON' };
        throw error;
      }
    }
    const upstream = [...deps.values()].filter((dep): dep is OkOutcome => dep.kind === 'ok');
    const staleRoots = new Map<string, string | null>();
    for (const dep of upstream) for (const [root, why] of dep.staleRoots) staleRoots.set(root, why);
    if (result.data.stale === true || data === null) staleRoots.set(step.id, result.data.message ?? null);
    return {
      kind: 'ok',
      data,
      ownMessage: result.data.message ?? null,
      staleRoots,
      provenance: mergeProvenance([result.data.provenance, ...upstream.map((dep) => dep.provenance)]),
      rights: mergeRights([result.data.rights, ...upstream.map((dep) => dep.rights)]),
    };
  };

  const settle = async (step: PatternStep): Promise<StepOutcome> => {
    const depIds = stepDependencies(step);
    const depOutcomes = await Promise.all(depIds.map((id) => outcomeOf(id)));
    const deps = new Map(depIds.map((id, index) => [id, depOutcomes[index] as StepOutcome]));
    let outcome: StepOutcome;
    const blocked = depIds.find((id) => deps.get(id)?.kind !== 'ok');
    if (blocked) {
      outcome = { kind: 'skipped', reason: `input step ${blocked} ${deps.get(blocked)?.kind ?? 'missing'}` };
    } else if (run.signal.aborted) {
      outcome = { kind: 'skipped', reason: `not started: ${reasonOf(run.signal.reason, 0)}` };
    } else {
      try {
        outcome = await runStep(step, deps);
      } catch (error) {
        if (error instanceof SkipStep) outcome = { kind: 'skipped', reason: error.message };
        else {
          if (!(error instanceof SafeFailure))
            options.logger?.warn(
              { step: step.id, capability: step.capability, errName: (error as Error).name },
              'pattern step failed unexpectedly',
            );
          outcome = { kind: 'failed', reason: reasonOf(error, 0) };
        }
      }
    }
    settled += 1;
    if (outcome.kind === 'ok') {
      const stale = outcome.staleRoots.size > 0;
      emit({ step_id: step.id, status: stale ? 'stale' : 'done', fraction: null, message: null });
    } else emit({ step_id: step.id, status: outcome.kind, fraction: null, message: outcome.reason });
    return outcome;
  };

  function outcomeOf(id: string): Promise<StepOutcome> {
    let outcome = outcomes.get(id);
    if (!outcome) {
      const step = byId.get(id);
      outcome = step ? settle(step) : Promise.resolve({ kind: 'failed', reason: 'unknown step' } as const);
      outcomes.set(id, outcome);
    }
    return outcome;
  }

  let results: StepOutcome[];
  try {
    results = await Promise.all(pattern.steps.map((step) => outcomeOf(step.id)));
  } finally {
    clearTimeout(deadline);
    options.signal?.removeEventListener('abort', onCancel);
  }
  if (run.signal.reason instanceof RunCancelled) throw new PatternCancelledError();

  const panels: Record<string, Panel> = {};
  pattern.steps.forEach((step, index) => {
    if (step.panel !== undefined) panels[step.panel] = panelFrom(step, results[index] as StepOutcome);
  });
  emit({ step_id: null, status: 'finished', fraction: null, message: null });
  return {
    pattern_id: pattern.id,
    portfolio_id: inputs.portfolio_id,
    pricing_pack_id: inputs.pricing_pack_id,
    ledger_commit_hash: inputs.ledger_commit_hash,
    trace_id: traceId,
    generated_at: now().toISOString(),
    panels: canonicalize(panels),
  };
}
