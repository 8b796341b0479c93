// `patterns:*` channels and the pattern envelope: the one shape every pattern run returns, to the
// renderer, the CLI (`dawsos run … --json`) and the reports. A panel always says whether it is stale,
// why, where its data came from and what its licence allows, so a failing or stale panel can be
// shown beside healthy ones instead of failing the whole screen.
import { z } from 'zod';
import { defineChannel } from './contract';

/** Pattern and step ids, panel names and parameter names: lower snake case. */
export const patternIdentifierSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-z][a-z0-9_]*$/, 'lower snake case');

/** Where a panel's data came from: the provider, its dataset and the date or instant it describes. */
export const provenanceSchema = z
  .object({
    provider: z.string().min(1).max(64),
    dataset: z.string().min(1).max(128),
    /** `YYYY-MM-DD` or an ISO 8601 instant. */
    as_of: z
      .string()
      .max(40)
      .regex(/^\d{4}-\d{2}-\d{2}(T[0-9:.]+(Z|[+-]\d{2}:\d{2}))?$/, 'ISO date or instant'),
  })
  .strict();
export type Provenance = z.infer<typeof provenanceSchema>;

/** What a panel's licence allows: export freely, not at all, or only as the provider restricts it. */
export const rightsSchema = z
  .object({
    export: z.union([z.boolean(), z.literal('restricted')]),
    attribution: z.string().min(1).max(500).optional(),
  })
  .strict();
export type Rights = z.infer<typeof rightsSchema>;

export const panelSchema = z
  .object({
    /** Plain JSON (money as decimal strings); null when the panel could not be built. */
    data: z.unknown(),
    stale: z.boolean(),
    /** Why the panel is stale, failed or skipped, or a note from the agent; null when there is none. */
    message: z.string().nullable(),
    provenance: z.array(provenanceSchema),
    rights: rightsSchema,
  })
  .strict();
export type Panel = z.infer<typeof panelSchema>;

export const patternEnvelopeSchema = z
  .object({
    pattern_id: patternIdentifierSchema,
    portfolio_id: z.string().min(1),
    pricing_pack_id: z.string().min(1),
    ledger_commit_hash: z.string().min(1),
    trace_id: z.string().min(1),
    /** When the panels were computed (ISO 8601, UTC). A cached answer keeps its original time. */
    generated_at: z.iso.datetime(),
    panels: z.record(patternIdentifierSchema, panelSchema),
  })
  .strict();
export type PatternEnvelope = z.infer<typeof patternEnvelopeSchema>;

/** How a pattern declares one of its parameters (also what the UI needs to build a form). */
export const paramDescriptorSchema = z
  .object({
    /** date: `YYYY-MM-DD`; decimal: an exact decimal written as a string (e.g. a rate `0.02`). */
    type: z.enum(['string', 'date', 'decimal', 'number', 'integer', 'boolean']),
    description: z.string().max(500).optional(),
    required: z.boolean().optional(),
    default: z.union([z.string(), z.number(), z.boolean()]).optional(),
    /** Allowed values, for `string` parameters. */
    enum: z.array(z.string()).min(1).optional(),
    /** Bounds, for `number` and `integer` parameters. */
    min: z.number().optional(),
    max: z.number().optional(),
  })
  .strict();
export type ParamDescriptor = z.infer<typeof paramDescriptorSchema>;

export const patternParamValueSchema = z.union([z.string().max(256), z.number(), z.boolean(), z.null()]);
export type PatternParamValue = z.infer<typeof patternParamValueSchema>;

export const patternSummarySchema = z.object({
  id: patternIdentifierSchema,
  title: z.string(),
  description: z.string(),
  version: z.number().int().positive(),
  inputs: z.record(z.string(), paramDescriptorSchema),
  panels: z.array(patternIdentifierSchema),
});
export type PatternSummary = z.infer<typeof patternSummarySchema>;

export const executePatternRequestSchema = z
  .object({
    pattern_id: patternIdentifierSchema,
    portfolio_id: z.string().min(1).max(128),
    params: z.record(z.string().max(64), patternParamValueSchema).optional(),
    /** Pin a past run's inputs to reproduce it; by default the latest commit and pack are used. */
    pricing_pack_id: z.string().min(1).max(128).optional(),
    ledger_commit_hash: z.string().min(1).max(128).optional(),
  })
  .strict();
export type ExecutePatternRequest = z.infer<typeof executePatternRequestSchema>;

export const patternsContract = {
  list: defineChannel({
    channel: 'patterns:list',
    request: z.object({}).strict(),
    response: z.object({ patterns: z.array(patternSummarySchema) }),
  }),
  /** Runs a pattern; progress arrives as `event:patternProgress` events carrying the call's trace id. */
  execute: defineChannel({
    channel: 'patterns:execute',
    request: executePatternRequestSchema,
    response: patternEnvelopeSchema,
    rateLimit: { perSecond: 2, burst: 6 },
  }),
} as const;

/** One step of a pattern run moving on, pushed as `event:patternProgress`. */
export const patternProgressSchema = z.object({
  trace_id: z.string(),
  pattern_id: patternIdentifierSchema,
  /** null for events about the whole run (`finished`, `cached`). */
  step_id: patternIdentifierSchema.nullable(),
  status: z.enum(['started', 'progress', 'done', 'stale', 'failed', 'skipped', 'finished', 'cached']),
  /** Steps settled so far and the pattern's step count. */
  done: z.number().int().nonnegative(),
  total: z.number().int().nonnegative(),
  /** Fraction of the step done, as the capability reported it (progress events only). */
  fraction: z.number().min(0).max(1).nullable(),
  message: z.string().nullable(),
});
export type PatternProgress = z.infer<typeof patternProgressSchema>;
