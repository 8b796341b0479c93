// `app:*` channels: what the About / Status screen needs to show that the core is alive.
import { z } from 'zod';
import { defineChannel } from './contract';

export const healthCheckSchema = z.object({
  name: z.string(),
  ok: z.boolean(),
  detail: z.string(),
});

export const appStatusSchema = z.object({
  name: z.literal('DawsOS'),
  version: z.string(),
  host: z.enum(['electron', 'cli', 'test']),
  platform: z.string(),
  node: z.string(),
  uptimeSeconds: z.number().nonnegative(),
  checks: z.array(healthCheckSchema),
});
export type AppStatus = z.infer<typeof appStatusSchema>;

export const appContract = {
  status: defineChannel({
    channel: 'app:status',
    request: z.object({}).strict(),
    response: appStatusSchema,
  }),
  /** Asks the main process to open an external link; it opens only allowlisted https: URLs. */
  openExternal: defineChannel({
    channel: 'app:openExternal',
    request: z.object({ url: z.string().max(2048) }).strict(),
    response: z.object({ opened: z.boolean() }),
    rateLimit: { perSecond: 1, burst: 3 },
  }),
} as const;
