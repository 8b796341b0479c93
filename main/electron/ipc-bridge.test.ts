import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { allChannels, eventContract } from '../../shared/ipc';
import { defineChannel, RouterErrorCode, type IpcResult } from '../../shared/ipc/contract';
import { createLogger, MemorySink } from '../logging/logger';
import { IpcRouter } from '../ipc/router';
import type { IpcSender } from '../ipc/sender';
import {
  publishEvent,
  senderFromEvent,
  wireIpc,
  type IpcFrame,
  type IpcInvokeEvent,
  type IpcMainLike,
  type IpcRouterLike,
  type IpcSenderContents,
} from './ipc-bridge';

type InvokeListener = Parameters<IpcMainLike['handle']>[1];

class FakeIpcMain implements IpcMainLike {
  readonly handlers = new Map<string, InvokeListener>();
  handle(channel: string, listener: InvokeListener): void {
    if (this.handlers.has(channel)) throw new Error(`second handler for ${channel}`);
    this.handlers.set(channel, listener);
  }
  invoke(channel: string, event: IpcInvokeEvent, payload: unknown): Promise<unknown> {
    const handler = this.handlers.get(channel);
    if (!handler) throw new Error(`No handler registered for '${channel}'`);
    return handler(event, payload);
  }
}

class FakeContents implements IpcSenderContents {
  readonly destroyedListeners: (() => void)[] = [];
  readonly mainFrame: IpcFrame;
  constructor(
    readonly id: number,
    url: string,
  ) {
    this.mainFrame = { url };
  }
  once(_event: 'destroyed', listener: () => void): this {
    this.destroyedListeners.push(listener);
    return this;
  }
  destroy(): void {
    for (const listener of this.destroyedListeners.splice(0)) listener();
  }
}

class RecordingRouter implements IpcRouterLike {
  readonly calls: { channel: string; payload: unknown; sender: IpcSender }[] = [];
  readonly forgotten: string[] = [];
  handle(channel: string, payload: unknown, sender: IpcSender): Promise<IpcResult<unknown>> {
    this.calls.push({ channel, payload, sender });
    return Promise.resolve({ ok: true, value: 'routed' });
  }
  forgetSender(senderId: string): void {
    this.forgotten.push(senderId);
  }
}

const mainFrameEvent = (contents: FakeContents): IpcInvokeEvent => ({
  sender: contents,
  senderFrame: contents.mainFrame,
});

describe('senderFromEvent', () => {
  it('describes the main frame by URL, main-frame flag and window id', () => {
    const contents = new FakeContents(7, 'app://dawsos/index.html');
    expect(senderFromEvent(mainFrameEvent(contents))).toEqual({
      id: '7',
      frameUrl: 'app://dawsos/index.html',
      isMainFrame: true,
    });
  });

  it('marks any other frame as not the main frame, even with the same URL', () => {
    const contents = new FakeContents(7, 'app://dawsos/index.html');
    const child: IpcFrame = { url: 'app://dawsos/index.html' };
    expect(senderFromEvent({ sender: contents, senderFrame: child })?.isMainFrame).toBe(false);
  });

  it('recognises the main frame by its ids when Electron hands a different wrapper', () => {
    const contents = new FakeContents(7, 'app://dawsos/index.html');
    Object.assign(contents.mainFrame, { processId: 4, routingId: 1 });
    const same: IpcFrame = { url: 'app://dawsos/index.html', processId: 4, routingId: 1 };
    const child: IpcFrame = { url: 'app://dawsos/index.html', processId: 4, routingId: 2 };
    expect(senderFromEvent({ sender: contents, senderFrame: same })?.isMainFrame).toBe(true);
    expect(senderFromEvent({ sender: contents, senderFrame: child })?.isMainFrame).toBe(false);
  });

  it('has no sender when the frame is gone', () => {
    expect(senderFromEvent({ sender: new FakeContents(1, 'app://dawsos/'), senderFrame: null })).toBeNull();
  });
});

describe('wireIpc', () => {
  it('registers exactly one handler per contract channel', () => {
    const ipcMain = new FakeIpcMain();
    wireIpc(ipcMain, new RecordingRouter());
    expect([...ipcMain.handlers.keys()].sort()).toEqual(allChannels().sort());
    expect(allChannels().length).toBeGreaterThan(0);
  });

  it('hands each call to the router with its channel, payload and sender', async () => {
    const ipcMain = new FakeIpcMain();
    const router = new RecordingRouter();
    wireIpc(ipcMain, router, ['app:status']);
    const contents = new FakeContents(3, 'app://dawsos/index.html');
    expect(await ipcMain.invoke('app:status', mainFrameEvent(contents), { a: 1 })).toEqual({
      ok: true,
      value: 'routed',
    });
    expect(router.calls).toEqual([
      {
        channel: 'app:status',
        payload: { a: 1 },
        sender: { id: '3', frameUrl: 'app://dawsos/index.html', isMainFrame: true },
      },
    ]);
  });

  it('refuses a call whose frame is gone without reaching the router', async () => {
    const ipcMain = new FakeIpcMain();
    const router = new RecordingRouter();
    wireIpc(ipcMain, router, ['app:status']);
    const result = await ipcMain.invoke(
      'app:status',
      { sender: new FakeContents(3, 'app://dawsos/'), senderFrame: null },
      {},
    );
    expect(result).toMatchObject({ ok: false, error: { code: RouterErrorCode.ForbiddenSender } });
    expect(router.calls).toEqual([]);
  });

  it('forgets a window’s rate-limit state once, when the window goes away', async () => {
    const ipcMain = new FakeIpcMain();
    const router = new RecordingRouter();
    wireIpc(ipcMain, router, ['app:status', 'store:status']);
    const contents = new FakeContents(9, 'app://dawsos/index.html');
    await ipcMain.invoke('app:status', mainFrameEvent(contents), {});
    await ipcMain.invoke('store:status', mainFrameEvent(contents), {});
    expect(contents.destroyedListeners).toHaveLength(1);
    contents.destroy();
    expect(router.forgotten).toEqual(['9']);
  });

  it('with the real router: serves the app’s main frame, refuses sub-frames and other origins', async () => {
    const channel = defineChannel({
      channel: 'test:ping',
      request: z.object({}).strict(),
      response: z.literal('pong'),
    });
    const router = new IpcRouter({
      allowedOrigins: ['app://dawsos'],
      logger: createLogger({ sink: new MemorySink() }),
      validateResponses: true,
    });
    router.register(channel, () => 'pong' as const);
    const ipcMain = new FakeIpcMain();
    wireIpc(ipcMain, router, [channel.channel]);

    const app = new FakeContents(1, 'app://dawsos/index.html');
    expect(await ipcMain.invoke('test:ping', mainFrameEvent(app), {})).toEqual({ ok: true, value: 'pong' });

    const subFrame = { sender: app, senderFrame: { url: 'app://dawsos/index.html' } };
    expect(await ipcMain.invoke('test:ping', subFrame, {})).toMatchObject({
      ok: false,
      error: { code: RouterErrorCode.ForbiddenSender },
    });
    const foreign = new FakeContents(2, 'https://evil.example/');
    expect(await ipcMain.invoke('test:ping', mainFrameEvent(foreign), {})).toMatchObject({
      ok: false,
      error: { code: RouterErrorCode.ForbiddenSender },
    });
    expect(await ipcMain.invoke('test:ping', mainFrameEvent(app), { extra: true })).toMatchObject({
      ok: false,
      error: { code: RouterErrorCode.BadRequest },
    });
  });
});

describe('publishEvent', () => {
  const progress = { taskId: 't1', kind: 'ledger', done: 1, total: 4, message: 'Reading files' };

  function target(destroyed = false) {
    const sent: [string, unknown][] = [];
    return {
      sent,
      isDestroyed: () => destroyed,
      send: (channel: string, payload: unknown) => sent.push([channel, payload]),
    };
  }

  it('sends a contract event on its own channel', () => {
    const window = target();
    expect(publishEvent(window, 'taskProgress', progress)).toBe(true);
    expect(window.sent).toEqual([[eventContract.taskProgress.event, progress]]);
  });

  it('sends nothing for a kind outside the contract, a bad payload or a closed window', () => {
    const window = target();
    expect(publishEvent(window, 'notAnEvent' as 'taskProgress', progress)).toBe(false);
    expect(publishEvent(window, 'taskProgress', { ...progress, done: -1 })).toBe(false);
    expect(window.sent).toEqual([]);
    const closed = target(true);
    expect(publishEvent(closed, 'taskProgress', progress)).toBe(false);
    expect(publishEvent(null, 'taskProgress', progress)).toBe(false);
    expect(closed.sent).toEqual([]);
  });
});
