// Events the main process pushes to the renderer. The preload exposes one subscription function
// per kind (`dawsos.events.onTaskProgress(listener)`); nothing else can be listened to.
import { z } from 'zod';
import { defineEvent } from './contract';
import { patternProgressSchema } from './patterns';
import { providerAlertSchema } from './providers';

export const taskProgressSchema = z.object({
  taskId: z.string(),
  kind: z.string(),
  done: z.number().nonnegative(),
  total: z.number().nonnegative().nullable(),
  message: z.string(),
});
export type TaskProgress = z.infer<typeof taskProgressSchema>;

export const eventContract = {
  patternProgress: defineEvent({ event: 'event:patternProgress', payload: patternProgressSchema }),
  providerAlert: defineEvent({ event: 'event:providerAlert', payload: providerAlertSchema }),
  taskProgress: defineEvent({ event: 'event:taskProgress', payload: taskProgressSchema }),
} as const;
