// `store:*` channels: the state of the encrypted local store, for the Status screen.
import { z } from 'zod';
import { defineChannel } from './contract';

export const storeStatusSchema = z.object({
  /** absent: no store file yet; locked: file present but not opened (no key); open: in use. */
  state: z.enum(['absent', 'locked', 'open']),
  schemaVersion: z.number().int().nonnegative().nullable(),
  sizeBytes: z.number().int().nonnegative().nullable(),
  /** Shown only to the local user on the Status screen; never logged. */
  path: z.string(),
});
export type StoreStatus = z.infer<typeof storeStatusSchema>;

export const storeContract = {
  status: defineChannel({
    channel: 'store:status',
    request: z.object({}).strict(),
    response: storeStatusSchema,
  }),
} as const;
