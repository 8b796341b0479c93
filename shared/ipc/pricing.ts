// `pricing:*` channels: build the pricing pack of a date (or a range of dates), and see each date's
// build state (warming with progress, ready, ready with carried prices, failed).
import { z } from 'zod';
import { defineChannel } from './contract';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD');
const packId = z.string().regex(/^[0-9a-f]{64}$/);

export const packBuildStateSchema = z.enum(['warming', 'ready', 'ready_carried', 'failed']);
export type PackBuildState = z.infer<typeof packBuildStateSchema>;

export const missingItemSchema = z.union([
  z
    .object({
      kind: z.literal('price'),
      commodity: z.string(),
      reason: z.enum(['no-history', 'too-old']),
      last_date: isoDate.nullable(),
    })
    .strict(),
  z
    .object({
      kind: z.literal('fx'),
      from: z.string(),
      to: z.string(),
      reason: z.enum(['no-history', 'too-old']),
      last_date: isoDate.nullable(),
    })
    .strict(),
]);

export const packBuildStatusSchema = z
  .object({
    as_of: isoDate,
    state: packBuildStateSchema,
    progress: z
      .object({ done: z.number().int().nonnegative(), total: z.number().int().nonnegative() })
      .strict(),
    pack_id: packId.nullable(),
    carried: z.number().int().nonnegative(),
    missing: z.array(missingItemSchema),
    error_code: z.string().nullable(),
    updated_at: z.string(),
  })
  .strict();
export type PackBuildStatus = z.infer<typeof packBuildStatusSchema>;

export const packSummarySchema = z
  .object({
    as_of: isoDate,
    pack_id: packId,
    parent_pack_id: packId.nullable(),
    state: z.enum(['ready', 'ready_carried']),
    /** False when the same pack was already stored (nothing new was written). */
    created: z.boolean(),
    prices: z.number().int().nonnegative(),
    fx: z.number().int().nonnegative(),
    carried: z.number().int().nonnegative(),
    /** Commodities (or FROM/TO pairs) the pack has no usable price for. */
    missing: z.array(z.string()),
  })
  .strict();
export type PackSummary = z.infer<typeof packSummarySchema>;

export const pricingBuildRequestSchema = z
  .object({
    /** The date to build, or the first date of a range. */
    date: isoDate,
    /** Last date of a range (business days from `date` to `to`); omitted for one date. */
    to: isoDate.optional(),
  })
  .strict();

export const pricingBuildResultSchema = z
  .object({
    from: isoDate,
    to: isoDate,
    source: z.enum(['ledger', 'providers']),
    packs: z.number().int().nonnegative(),
    created: z.number().int().nonnegative(),
    /** The pack of the last date built: its id pins every pack before it. */
    last: packSummarySchema.nullable(),
    failures: z.array(z.object({ item: z.string(), code: z.string() }).strict()),
  })
  .strict();
export type PricingBuildResult = z.infer<typeof pricingBuildResultSchema>;

export const pricingStatusRequestSchema = z
  .object({
    date: isoDate.optional(),
    limit: z.number().int().min(1).max(366).optional(),
  })
  .strict();

export const pricingStatusSchema = z
  .object({
    packs: z.number().int().nonnegative(),
    states: z
      .object({
        warming: z.number().int().nonnegative(),
        ready: z.number().int().nonnegative(),
        ready_carried: z.number().int().nonnegative(),
        failed: z.number().int().nonnegative(),
      })
      .strict(),
    builds: z.array(packBuildStatusSchema),
  })
  .strict();
export type PricingStatus = z.infer<typeof pricingStatusSchema>;

export const pricingContract = {
  build: defineChannel({
    channel: 'pricing:build',
    request: pricingBuildRequestSchema,
    response: pricingBuildResultSchema,
    // A build fetches from providers and writes packs: one at a time is plenty.
    rateLimit: { perSecond: 0.5, burst: 2 },
  }),
  status: defineChannel({
    channel: 'pricing:status',
    request: pricingStatusRequestSchema,
    response: pricingStatusSchema,
  }),
} as const;
