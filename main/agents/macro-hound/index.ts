// macro_hound: names the macro regime from FRED series by the documented rule in regime.ts, with
// every indicator value, the observations behind it and each rule's conditions.
import { z } from 'zod';
import type { CapabilityRegistry } from '../../orchestrator/capability';
import type { AgentEnvironment } from '../environment';
import { macroSeriesSchema } from '../data-harvester/sources';
import { macroRegime } from './regime';

export function registerMacroHound(registry: CapabilityRegistry, env: AgentEnvironment): void {
  registry.registerCapability('macro_hound.regime', {
    description: 'Macro regime from FRED series by a documented rule, with the values that drove it.',
    input: z.object({
      as_of: z
        .string()
        .regex(/^\d{4}-\d{2}-\d{2}$/)
        .nullable()
        .optional(),
      series: z.record(z.string(), macroSeriesSchema),
    }),
    output: z.record(z.string(), z.unknown()),
    async run(input, ctx) {
      const prices = await env.prices(ctx.pricing_pack_id, ctx.ledger_commit_hash);
      const asOf = input.as_of ?? prices.asOf;
      const r = macroRegime(input.series, asOf);
      const allMissing = r.missing.length === r.indicators.length;
      return {
        data: allMissing ? null : { ...r },
        ...(r.missing.length > 0
          ? { stale: true, message: `indicators not available: ${r.missing.join(', ')}` }
          : {}),
        provenance: [],
        rights: { export: true },
      };
    },
  });
}
