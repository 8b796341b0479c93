// The core's event channel: what the main process pushes to the renderer (pattern progress,
// provider alerts, task progress). The core emits; each host subscribes and forwards (the Electron
// shell to its window, the browser harness to its pages, the CLI not at all). Only kinds in the
// event contract are accepted, and only with a payload that matches its schema: a payload the
// renderer would refuse is refused here, before any listener sees it.
import type { z } from 'zod';
import { eventContract, type DawsosEvents } from '../../shared/ipc';

export type CoreEventKind = Extract<keyof DawsosEvents, string>;

/** One event, as listeners receive it: the kind and its parsed payload. */
export type CoreEvent = {
  [K in CoreEventKind]: { readonly kind: K; readonly payload: z.output<DawsosEvents[K]['payload']> };
}[CoreEventKind];

export type CoreEventListener = (event: CoreEvent) => void;

export class CoreEvents {
  private readonly listeners = new Set<CoreEventListener>();

  /**
   * Validates the payload against the kind's schema and hands it to every listener. Returns false,
   * and tells nobody, for an unknown kind or an invalid payload. A listener that throws does not
   * stop the others.
   */
  emit<K extends CoreEventKind>(kind: K, payload: z.input<DawsosEvents[K]['payload']>): boolean {
    const spec = (
      eventContract as Readonly<Record<string, (typeof eventContract)[CoreEventKind] | undefined>>
    )[kind];
    if (!spec) return false;
    const parsed = spec.payload.safeParse(payload);
    if (!parsed.success) return false;
    const event = { kind, payload: parsed.data } as CoreEvent;
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch {
        // One host's failure to forward must not keep the event from the others.
      }
    }
    return true;
  }

  /** Adds a listener; returns the function that removes it. */
  subscribe(listener: CoreEventListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  get listenerCount(): number {
    return this.listeners.size;
  }
}
