// A pattern is data: a list of steps, each calling one agent capability with inputs that are
// literals, the run's parameters (`{"$param": name}`) or another step's data (`{"$step": id,
// "path": "a.b"}`), and the panels those steps fill. This module holds its zod schema, the checks
// run when a pattern is loaded (known capabilities, no cycles, no dangling references, unique ids,
// every panel filled by exactly one step), and the validation of a run's parameters.
import { z } from 'zod';
import { UserFacingError } from '../../shared/errors';
import {
  paramDescriptorSchema,
  patternIdentifierSchema,
  type ParamDescriptor,
  type PatternParamValue,
  type PatternSummary,
} from '../../shared/ipc/patterns';
import { capabilityNameSchema, type CapabilityRegistry } from './capability';
import { PATTERN_DEADLINE_MS } from './policy';

export const stepSchema = z
  .object({
    id: patternIdentifierSchema,
    capability: capabilityNameSchema,
    description: z.string().max(500).optional(),
    /** Input name → literal JSON, `{"$param": name}` or `{"$step": id, "path"?: "a.b"}` (at any depth). */
    inputs: z.record(z.string().min(1).max(64), z.unknown()).default({}),
    depends_on: z.array(patternIdentifierSchema).optional(),
    timeout_ms: z.number().int().positive().max(PATTERN_DEADLINE_MS).optional(),
    /** The panel this step's result fills; steps without one only feed other steps. */
    panel: patternIdentifierSchema.optional(),
  })
  .strict();
export type PatternStep = z.infer<typeof stepSchema>;

export const patternSchema = z
  .object({
    id: patternIdentifierSchema,
    title: z.string().min(1).max(200),
    description: z.string().max(2000),
    version: z.number().int().positive(),
    inputs: z.record(patternIdentifierSchema, paramDescriptorSchema).default({}),
    steps: z.array(stepSchema).min(1).max(64),
    panels: z.array(patternIdentifierSchema).min(1),
  })
  .strict();
export type Pattern = z.infer<typeof patternSchema>;

export type InputReference =
  { kind: 'param'; name: string } | { kind: 'step'; step: string; path: string[] | null };

/** Says whether a value is a reference; throws on a malformed one (an object with `$` keys). */
export function asReference(value: unknown): InputReference | null {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return null;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  if (!keys.some((key) => key.startsWith('$'))) return null;
  if (keys.length === 1 && typeof record.$param === 'string' && record.$param.length > 0)
    return { kind: 'param', name: record.$param };
  if (
    typeof record.$step === 'string' &&
    keys.every((key) => key === '$step' || key === 'path') &&
    (record.path === undefined || (typeof record.path === 'string' && record.path.length > 0))
  ) {
    const path = typeof record.path === 'string' ? record.path.split('.') : null;
    if (path?.some((segment) => segment.length === 0)) throw new Error('malformed reference path');
    return { kind: 'step', step: record.$step, path };
  }
  throw new Error('malformed reference (use {"$param": name} or {"$step": id, "path"?: "a.b"})');
}

/** Every reference inside one input value, at any depth. */
export function referencesIn(value: unknown): InputReference[] {
  const ref = asReference(value);
  if (ref) return [ref];
  if (Array.isArray(value)) return value.flatMap(referencesIn);
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(referencesIn);
  return [];
}

/** The steps a step waits for: its `depends_on` plus every step its inputs read. Sorted, unique. */
export function stepDependencies(step: PatternStep): string[] {
  const deps = new Set(step.depends_on ?? []);
  for (const value of Object.values(step.inputs))
    for (const ref of referencesIn(value)) if (ref.kind === 'step') deps.add(ref.step);
  return [...deps].sort();
}

/** What `patterns:list` and `dawsos patterns list` show of each pattern, sorted by id. */
export function patternSummaries(patterns: Iterable<Pattern>): PatternSummary[] {
  return [...patterns]
    .map((p) => ({
      id: p.id,
      title: p.title,
      description: p.description,
      version: p.version,
      inputs: p.inputs,
      panels: [...p.panels],
    }))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

export class PatternValidationError extends UserFacingError {
  constructor(
    readonly file: string,
    readonly problems: readonly string[],
  ) {
    super('PATTERN_INVALID', `Pattern file ${file} is invalid: ${problems.join('; ')}`);
  }
}

function checkParamDescriptor(name: string, param: ParamDescriptor, problems: string[]): void {
  if (param.default !== undefined) {
    const checked = coerceParam(param, param.default);
    if (!checked.ok) problems.push(`input "${name}": default ${checked.reason}`);
  }
  if (param.enum && param.type !== 'string') problems.push(`input "${name}": enum is only for strings`);
  if ((param.min !== undefined || param.max !== undefined) && !['number', 'integer'].includes(param.type))
    problems.push(`input "${name}": min/max are only for numbers`);
}

function findCycle(steps: readonly PatternStep[]): string[] | null {
  const deps = new Map(steps.map((step) => [step.id, stepDependencies(step)]));
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (id: string): string[] | null => {
    const seen = state.get(id);
    if (seen === 'done') return null;
    if (seen === 'visiting') return [...stack.slice(stack.indexOf(id)), id];
    state.set(id, 'visiting');
    stack.push(id);
    for (const dep of deps.get(id) ?? []) {
      if (!deps.has(dep)) continue;
      const cycle = visit(dep);
      if (cycle) return cycle;
    }
    stack.pop();
    state.set(id, 'done');
    return null;
  };
  for (const step of steps) {
    const cycle = visit(step.id);
    if (cycle) return cycle;
  }
  return null;
}

/**
 * Parses and checks one pattern. `file` names the pattern in errors (a file name, never a full
 * path). Throws PatternValidationError listing every problem found, each naming its step.
 */
export function validatePattern(raw: unknown, file: string, registry: CapabilityRegistry): Pattern {
  const parsed = patternSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.slice(0, 10).map((issue) => {
      const [first, index, ...rest] = issue.path;
      const steps = (raw as { steps?: { id?: unknown }[] } | null)?.steps;
      const stepId = first === 'steps' && typeof index === 'number' ? steps?.[index]?.id : undefined;
      const where =
        typeof stepId === 'string'
          ? `step "${stepId}"${rest.length > 0 ? ` ${rest.join('.')}` : ''}`
          : issue.path.join('.') || '(pattern)';
      return `${where}: ${issue.message}`;
    });
    throw new PatternValidationError(file, problems);
  }
  const pattern = parsed.data;
  const problems: string[] = [];
  const expectedFile = `${pattern.id}.json`;
  if (file.endsWith('.json') && file !== expectedFile)
    problems.push(`pattern id "${pattern.id}" does not match the file name (expected ${expectedFile})`);

  for (const [name, param] of Object.entries(pattern.inputs)) checkParamDescriptor(name, param, problems);

  const stepIds = new Set<string>();
  for (const step of pattern.steps) {
    if (stepIds.has(step.id)) problems.push(`step "${step.id}": duplicate step id`);
    stepIds.add(step.id);
  }
  const panels = new Set<string>();
  for (const panel of pattern.panels) {
    if (panels.has(panel)) problems.push(`panel "${panel}" is listed twice`);
    panels.add(panel);
  }
  const panelOwners = new Map<string, string>();
  for (const step of pattern.steps) {
    const where = `step "${step.id}"`;
    if (!registry.has(step.capability)) problems.push(`${where}: unknown capability "${step.capability}"`);
    for (const dep of step.depends_on ?? [])
      if (!stepIds.has(dep)) problems.push(`${where}: depends on unknown step "${dep}"`);
    for (const [name, value] of Object.entries(step.inputs)) {
      let refs: InputReference[];
      try {
        refs = referencesIn(value);
      } catch (error) {
        problems.push(`${where}: input "${name}": ${(error as Error).message}`);
        continue;
      }
      for (const ref of refs) {
        if (ref.kind === 'param' && !(ref.name in pattern.inputs))
          problems.push(`${where}: input "${name}" uses undeclared parameter "${ref.name}"`);
        if (ref.kind === 'step' && !stepIds.has(ref.step))
          problems.push(`${where}: input "${name}" reads unknown step "${ref.step}"`);
        if (ref.kind === 'step' && ref.step === step.id)
          problems.push(`${where}: input "${name}" reads its own step`);
      }
    }
    if (step.panel !== undefined) {
      if (!panels.has(step.panel)) problems.push(`${where}: fills panel "${step.panel}" not in panels`);
      const owner = panelOwners.get(step.panel);
      if (owner) problems.push(`${where}: panel "${step.panel}" is already filled by step "${owner}"`);
      else panelOwners.set(step.panel, step.id);
    }
  }
  for (const panel of panels)
    if (!panelOwners.has(panel)) problems.push(`panel "${panel}" is filled by no step`);
  if (problems.length === 0) {
    const cycle = findCycle(pattern.steps);
    if (cycle) problems.push(`step "${cycle[0]}": dependency cycle ${cycle.join(' -> ')}`);
  }
  if (problems.length > 0) throw new PatternValidationError(file, problems);
  return pattern;
}

// ---- parameters ------------------------------------------------------------------------------

export type ResolvedParams = Record<string, string | number | boolean | null>;

export class PatternParamsError extends UserFacingError {
  constructor(patternId: string, problems: readonly string[]) {
    super('PATTERN_PARAMS_INVALID', `Invalid parameters for pattern ${patternId}: ${problems.join('; ')}`);
  }
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DECIMAL_RE = /^-?\d{1,30}(\.\d{1,30})?$/;

function isRealDate(text: string): boolean {
  const match = DATE_RE.exec(text);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

type Coerced = { ok: true; value: string | number | boolean } | { ok: false; reason: string };

/** Checks one value against its descriptor; strings are accepted for numbers and booleans (CLI flags). */
function coerceParam(param: ParamDescriptor, value: string | number | boolean): Coerced {
  switch (param.type) {
    case 'string':
      if (typeof value !== 'string') return { ok: false, reason: 'must be a string' };
      if (param.enum && !param.enum.includes(value))
        return { ok: false, reason: `must be one of ${param.enum.join(', ')}` };
      return { ok: true, value };
    case 'date':
      return typeof value === 'string' && isRealDate(value)
        ? { ok: true, value }
        : { ok: false, reason: 'must be a date YYYY-MM-DD' };
    case 'decimal': {
      const text = typeof value === 'number' && Number.isFinite(value) ? String(value) : value;
      return typeof text === 'string' && DECIMAL_RE.test(text)
        ? { ok: true, value: text }
        : { ok: false, reason: 'must be a decimal number written like 0.02' };
    }
    case 'number':
    case 'integer': {
      const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
      if (typeof number !== 'number' || !Number.isFinite(number))
        return { ok: false, reason: 'must be a number' };
      if (param.type === 'integer' && !Number.isInteger(number))
        return { ok: false, reason: 'must be a whole number' };
      if (param.min !== undefined && number < param.min)
        return { ok: false, reason: `must be ≥ ${param.min}` };
      if (param.max !== undefined && number > param.max)
        return { ok: false, reason: `must be ≤ ${param.max}` };
      return { ok: true, value: number };
    }
    case 'boolean':
      if (typeof value === 'boolean') return { ok: true, value };
      if (value === 'true' || value === 'false') return { ok: true, value: value === 'true' };
      return { ok: false, reason: 'must be true or false' };
  }
}

/**
 * Validates a run's parameters against the pattern's declared inputs and fills defaults. Absent
 * optional parameters without a default become null, so `{}` and `{from: null}` give the same
 * resolved parameters (and the same cache key). Messages name the parameter, never echo its value.
 */
export function resolveParams(
  pattern: Pattern,
  raw: Readonly<Record<string, PatternParamValue | undefined>> = {},
): ResolvedParams {
  const problems: string[] = [];
  for (const name of Object.keys(raw))
    if (!(name in pattern.inputs)) problems.push(`${name.slice(0, 64)}: unknown parameter`);
  const resolved: ResolvedParams = {};
  for (const [name, param] of Object.entries(pattern.inputs)) {
    const given = raw[name];
    const value = given === undefined || given === null ? param.default : given;
    if (value === undefined) {
      if (param.required) problems.push(`${name}: required`);
      resolved[name] = null;
      continue;
    }
    const checked = coerceParam(param, value);
    if (checked.ok) resolved[name] = checked.value;
    else problems.push(`${name}: ${checked.reason}`);
  }
  if (problems.length > 0) throw new PatternParamsError(pattern.id, problems);
  return resolved;
}
