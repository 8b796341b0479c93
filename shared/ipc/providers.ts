// `providers:*` channels: the state of the market-data providers for the Status screen, and
// setting or testing a provider's API key. A key travels one way only, renderer → main → vault:
// no response carries it, masked or otherwise; `configured: true` is all that comes back.
import { z } from 'zod';
import { defineChannel } from './contract';

export const providerNameSchema = z.enum(['fmp', 'polygon', 'fred', 'newsapi']);
export type ProviderNameId = z.infer<typeof providerNameSchema>;

export const breakerStateSchema = z.enum(['closed', 'open', 'half-open']);

export const providerStatusSchema = z
  .object({
    provider: providerNameSchema,
    /** The name users read, e.g. "FMP". */
    label: z.string(),
    /** A key is in the vault. */
    configured: z.boolean(),
    breaker: breakerStateSchema,
    /** Requests counted in the current billing period, and the plan's quota (null: no quota). */
    quota_used: z.number().int().nonnegative(),
    quota: z.number().int().positive().nullable(),
    /** The billing period: `YYYY-MM-DD` (daily plans) or `YYYY-MM` (monthly). */
    period: z.string(),
    last_success_at: z.iso.datetime().nullable(),
    last_failure_at: z.iso.datetime().nullable(),
    /** Fixed words, e.g. "HTTP 503", "timed out". */
    last_failure_reason: z.string().max(100).nullable(),
    /** Requests waiting to be replayed (each will refresh a stale value). */
    dead_letters: z.number().int().nonnegative(),
    /** Calls answered with a last good value (stale) since the app started. */
    stale_served: z.number().int().nonnegative(),
  })
  .strict();
export type ProviderStatusView = z.infer<typeof providerStatusSchema>;

export const providersStatusSchema = z.object({ providers: z.array(providerStatusSchema) }).strict();
export type ProvidersStatus = z.infer<typeof providersStatusSchema>;

export const providerKeyTestSchema = z
  .object({
    provider: providerNameSchema,
    ok: z.boolean(),
    /** Null when ok; otherwise a stable code such as PROVIDER_KEY_REFUSED. */
    code: z.string().nullable(),
    /** Null when ok; otherwise fixed words, e.g. "FMP request failed: API key refused." */
    reason: z.string().max(200).nullable(),
  })
  .strict();
export type ProviderKeyTest = z.infer<typeof providerKeyTestSchema>;

/** A quota alarm (70/85/95 % of the plan, once per period) or a breaker changing state. */
export const providerAlertSchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('quota'),
      provider: providerNameSchema,
      period: z.string(),
      threshold: z.number().int().min(1).max(100),
      used: z.number().int().nonnegative(),
      quota: z.number().int().positive(),
    })
    .strict(),
  z.object({ kind: z.literal('breaker'), provider: providerNameSchema, state: breakerStateSchema }).strict(),
]);
export type ProviderAlert = z.infer<typeof providerAlertSchema>;

export const providersContract = {
  status: defineChannel({
    channel: 'providers:status',
    request: z.object({}).strict(),
    response: providersStatusSchema,
  }),
  /** Stores the key in the vault. Tight limit: one every 5 s, bursts of 3. */
  setKey: defineChannel({
    channel: 'providers:setKey',
    request: z.object({ provider: providerNameSchema, key: z.string().min(1).max(256) }).strict(),
    response: z.object({ provider: providerNameSchema, configured: z.literal(true) }).strict(),
    rateLimit: { perSecond: 0.2, burst: 3 },
  }),
  /** One cheap real request with the stored key. Tight limit: one every 10 s, bursts of 2. */
  testKey: defineChannel({
    channel: 'providers:testKey',
    request: z.object({ provider: providerNameSchema }).strict(),
    response: providerKeyTestSchema,
    rateLimit: { perSecond: 0.1, burst: 2 },
  }),
} as const;
