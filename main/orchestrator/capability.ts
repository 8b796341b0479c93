// Capabilities: what agents offer the orchestrator. An agent registers each capability under
// `<agent>.<capability>` with a zod schema for its input and for its output data, and a `run`
// function. The registry is the only thing the pattern loader checks step capabilities against, so
// a pattern naming a capability no agent registered is refused when it is loaded, not when it runs.
import { z } from 'zod';
import { provenanceSchema, rightsSchema, type Provenance, type Rights } from '../../shared/ipc/patterns';

export const capabilityNameSchema = z
  .string()
  .max(129)
  .regex(/^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$/, '<agent>.<capability> in lower snake case');

/**
 * What a capability returns. `data` is plain JSON (money as decimal strings) or null when there is
 * nothing to show; `stale` says the data is older than asked for (e.g. a provider's last good answer)
 * and `message` says why, in fixed words. Provenance and rights travel to the panel.
 */
export const capabilityResultSchema = z
  .object({
    data: z.unknown(),
    stale: z.boolean().optional(),
    message: z.string().max(1000).optional(),
    provenance: z.array(provenanceSchema),
    rights: rightsSchema,
  })
  .strict();

export interface CapabilityResult<T = unknown> {
  data: T | null;
  stale?: boolean;
  message?: string;
  provenance: Provenance[];
  rights: Rights;
}

/** The run's pinned inputs: everything a result may depend on besides the step's own inputs. */
export interface PinnedRunContext {
  readonly portfolio_id: string;
  readonly pricing_pack_id: string;
  readonly ledger_commit_hash: string;
  /** The pattern's parameters after validation and defaults. */
  readonly params: Readonly<Record<string, string | number | boolean | null>>;
}

export interface CapabilityContext extends PinnedRunContext {
  readonly traceId: string;
  readonly patternId: string;
  readonly stepId: string;
  /** Aborted on the step timeout, the pattern deadline or cancellation; pass it to I/O. */
  readonly signal: AbortSignal;
  /** Reports how far the step has got (0..1) with an optional note in fixed words. */
  reportProgress(fraction: number, message?: string): void;
}

export interface CapabilityDefinition<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  /** Validates the step's resolved inputs before `run` is called. */
  readonly input: I;
  /** Validates `data` of the result (unless it is null). */
  readonly output: O;
  run(input: z.output<I>, ctx: CapabilityContext): Promise<CapabilityResult<z.input<O>>>;
  /** One line for `docs/patterns.md` and `dawsos patterns list`. */
  readonly description?: string;
}

export class CapabilityRegistry {
  private readonly capabilities = new Map<string, CapabilityDefinition>();

  registerCapability<I extends z.ZodType, O extends z.ZodType>(
    name: string,
    definition: CapabilityDefinition<I, O>,
  ): void {
    const parsed = capabilityNameSchema.safeParse(name);
    if (!parsed.success) throw new Error(`Capability name must be <agent>.<capability>: ${name}`);
    if (this.capabilities.has(name)) throw new Error(`Capability registered twice: ${name}`);
    this.capabilities.set(name, definition);
  }

  has(name: string): boolean {
    return this.capabilities.has(name);
  }

  get(name: string): CapabilityDefinition | undefined {
    return this.capabilities.get(name);
  }

  names(): string[] {
    return [...this.capabilities.keys()].sort();
  }
}
