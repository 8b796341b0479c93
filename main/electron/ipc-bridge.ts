// The only place that calls `ipcMain.handle`. Every channel of the contract gets one handler that
// describes the calling frame to the router (its URL, whether it is the main frame, the window id)
// and hands the call over; the router does the checking. Events go the other way only for the kinds
// listed in the event contract, validated against their schema.
import type { z } from 'zod';
import { RouterErrorCode, type IpcResult } from '../../shared/ipc/contract';
import { allChannels, eventContract, type DawsosEvents } from '../../shared/ipc';
import type { IpcSender } from '../ipc/sender';

export interface IpcFrame {
  readonly url: string;
  /** Electron's WebFrameMain ids; the same frame has the same pair. */
  readonly processId?: number;
  readonly routingId?: number;
}

/**
 * Electron hands out one WebFrameMain object per frame, so identity is the test; the ids are a
 * fallback should a wrapper ever be re-created, compared only when both frames carry them.
 */
export function isSameFrame(a: IpcFrame, b: IpcFrame): boolean {
  if (a === b) return true;
  return (
    typeof a.processId === 'number' &&
    typeof a.routingId === 'number' &&
    a.processId === b.processId &&
    a.routingId === b.routingId
  );
}

export interface IpcSenderContents {
  readonly id: number;
  readonly mainFrame: IpcFrame;
  once(event: 'destroyed', listener: () => void): unknown;
}

export interface IpcInvokeEvent {
  readonly sender: IpcSenderContents;
  readonly senderFrame: IpcFrame | null;
}

export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcInvokeEvent, ...args: unknown[]) => Promise<unknown>): void;
}

export interface IpcRouterLike {
  handle(channel: string, payload: unknown, sender: IpcSender): Promise<IpcResult<unknown>>;
  forgetSender(senderId: string): void;
}

/**
 * The router's view of the caller. A null senderFrame means the frame navigated away or was
 * destroyed before the call arrived: nobody to answer, so no sender.
 */
export function senderFromEvent(event: IpcInvokeEvent): IpcSender | null {
  const frame = event.senderFrame;
  if (frame === null) return null;
  return {
    id: String(event.sender.id),
    frameUrl: frame.url,
    isMainFrame: isSameFrame(frame, event.sender.mainFrame),
  };
}

const NO_FRAME: IpcResult<never> = {
  ok: false,
  error: {
    code: RouterErrorCode.ForbiddenSender,
    message: 'Calls are accepted only from the DawsOS window.',
  },
};

/** Registers one `ipcMain.handle` per contract channel, all going through the router. */
export function wireIpc(
  ipcMain: IpcMainLike,
  router: IpcRouterLike,
  channels: readonly string[] = allChannels(),
): void {
  const tracked = new Set<number>();
  for (const channel of channels) {
    ipcMain.handle(channel, async (event, payload) => {
      const sender = senderFromEvent(event);
      if (sender === null) return NO_FRAME;
      const contents = event.sender;
      if (!tracked.has(contents.id)) {
        tracked.add(contents.id);
        // A closed window's rate-limit buckets are dropped with it.
        contents.once('destroyed', () => {
          tracked.delete(contents.id);
          router.forgetSender(sender.id);
        });
      }
      return router.handle(channel, payload, sender);
    });
  }
}

export interface EventTarget {
  isDestroyed(): boolean;
  send(channel: string, payload: unknown): void;
}

export type EventKind = Extract<keyof DawsosEvents, string>;
export type EventPayload<K extends EventKind> = z.input<DawsosEvents[K]['payload']>;

/**
 * Pushes an event to a window, only for kinds in the event contract and only with a payload that
 * matches its schema. Returns whether it was sent.
 */
export function publishEvent<K extends EventKind>(
  target: EventTarget | null,
  kind: K,
  payload: EventPayload<K>,
): boolean {
  const spec = (eventContract as Readonly<Record<string, (typeof eventContract)[EventKind] | undefined>>)[
    kind
  ];
  if (!spec || target === null || target.isDestroyed()) return false;
  const parsed = spec.payload.safeParse(payload);
  if (!parsed.success) return false;
  target.send(spec.event, parsed.data);
  return true;
}
