import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { allChannels } from '../../shared/ipc';
import { RouterErrorCode } from '../../shared/ipc/contract';
import { createLogger, MemorySink } from '../logging/logger';
import { RECONCILE_FIRST_DELAY_MS, RECONCILE_INTERVAL_MS } from '../workspace/reconcile-schedule';
import type { AppRequest } from './app-protocol';
import { CONTENT_SECURITY_POLICY, type CspSession } from './csp';
import type { IpcInvokeEvent, IpcMainLike } from './ipc-bridge';
import type { GuardedContents, NavigationEvent } from './navigation';
import type { PermissionSession } from './permissions';
import { devServerUrl, startShell, type MainWindow, type ShellApp, type ShellElectron } from './shell';
import { buildWebPreferences, type MainWindowOptions } from './window';

type Listener = (...args: unknown[]) => void;

/** Records, in order, everything the shell asks of Electron. */
function fakeElectron(options: { lock?: boolean; isPackaged?: boolean } = {}) {
  const log: string[] = [];
  const appListeners = new Map<string, Listener>();
  let markReady: () => void = () => undefined;
  const readyPromise = new Promise<void>((resolve) => (markReady = resolve));

  const app: ShellApp = {
    isPackaged: options.isPackaged ?? false,
    enableSandbox: () => log.push('enableSandbox'),
    setPath: (name, value) => log.push(`setPath ${name} ${value}`),
    requestSingleInstanceLock: () => {
      log.push('requestSingleInstanceLock');
      return options.lock ?? true;
    },
    whenReady: () => readyPromise,
    quit: () => log.push('quit'),
    // One recorder for all of App's overloads; the listeners are called with the right arguments below.
    on: ((event: string, listener: Listener) => {
      log.push(`app.on ${event}`);
      appListeners.set(event, listener);
      return app;
    }) as ShellApp['on'],
  };

  class FakeWindow implements MainWindow {
    static readonly created: FakeWindow[] = [];
    readonly onceListeners = new Map<string, () => void>();
    readonly sent: [string, unknown][] = [];
    loadedUrl: string | null = null;
    shown = false;
    destroyed = false;
    readonly webContents = {
      isDestroyed: () => this.destroyed,
      send: (channel: string, payload: unknown) => this.sent.push([channel, payload]),
    };
    constructor(readonly options: MainWindowOptions) {
      log.push('new BrowserWindow');
      FakeWindow.created.push(this);
    }
    once(event: 'ready-to-show', listener: () => void): this {
      this.onceListeners.set(event, listener);
      return this;
    }
    show(): void {
      this.shown = true;
    }
    loadURL(url: string): Promise<void> {
      this.loadedUrl = url;
      return Promise.resolve();
    }
    isDestroyed(): boolean {
      return this.destroyed;
    }
    isMinimized(): boolean {
      return false;
    }
    restore(): void {}
    focus(): void {}
  }

  const privileged: unknown[] = [];
  const protocolHandlers = new Map<string, (request: AppRequest) => Promise<Response>>();
  const protocol: ShellElectron<FakeWindow>['protocol'] = {
    registerSchemesAsPrivileged: (schemes) => {
      log.push('registerSchemesAsPrivileged');
      privileged.push(...schemes);
    },
    handle: (scheme, handler) => {
      log.push(`protocol.handle ${scheme}`);
      protocolHandlers.set(scheme, handler);
    },
  };

  const sessionHandlers: {
    request?: Parameters<PermissionSession['setPermissionRequestHandler']>[0];
    check?: Parameters<PermissionSession['setPermissionCheckHandler']>[0];
    device?: Parameters<PermissionSession['setDevicePermissionHandler']>[0];
    displayMedia?: boolean;
    headers?: Parameters<CspSession['webRequest']['onHeadersReceived']>[0];
  } = {};
  const defaultSession: PermissionSession & CspSession = {
    setPermissionRequestHandler: (handler) => (sessionHandlers.request = handler),
    setPermissionCheckHandler: (handler) => (sessionHandlers.check = handler),
    setDevicePermissionHandler: (handler) => (sessionHandlers.device = handler),
    setDisplayMediaRequestHandler: () => (sessionHandlers.displayMedia = true),
    webRequest: { onHeadersReceived: (listener) => (sessionHandlers.headers = listener) },
  };

  const ipcHandlers = new Map<string, Parameters<IpcMainLike['handle']>[1]>();
  const ipcMain: IpcMainLike = {
    handle: (channel, listener) => {
      log.push(`ipcMain.handle ${channel}`);
      ipcHandlers.set(channel, listener);
    },
  };

  const opened: string[] = [];
  const electron: ShellElectron<FakeWindow> = {
    app,
    BrowserWindow: FakeWindow,
    ipcMain,
    protocol,
    session: { defaultSession },
    shell: {
      openExternal: (url) => {
        opened.push(url);
        return Promise.resolve();
      },
    },
  };
  return {
    electron,
    log,
    appListeners,
    markReady,
    FakeWindow,
    privileged,
    protocolHandlers,
    sessionHandlers,
    ipcHandlers,
    opened,
  };
}

let temp: string;
let mainDir: string;
let home: string;
const logger = createLogger({ sink: new MemorySink() });

beforeEach(() => {
  temp = mkdtempSync(path.join(os.tmpdir(), 'dawsos-shell-'));
  home = path.join(temp, 'home');
  mainDir = path.join(temp, 'out', 'main');
  mkdirSync(mainDir, { recursive: true });
  mkdirSync(path.join(temp, 'out', 'renderer'));
  writeFileSync(path.join(temp, 'out', 'renderer', 'index.html'), '<!doctype html><title>DawsOS</title>');
});
afterEach(() => rmSync(temp, { recursive: true, force: true }));

function start(
  fake: ReturnType<typeof fakeElectron>,
  extra: { env?: Record<string, string>; platform?: NodeJS.Platform } = {},
) {
  return startShell(fake.electron, {
    mainDir,
    env: { DAWSOS_HOME: home, ...extra.env },
    platform: extra.platform ?? 'linux',
    homedir: temp,
    logger,
  });
}

function invoke(fake: ReturnType<typeof fakeElectron>, channel: string, url: string, payload: unknown) {
  const frame = { url };
  const sender = { id: 1, mainFrame: frame, once: () => sender };
  const event: IpcInvokeEvent = { sender, senderFrame: frame };
  const handler = fake.ipcHandlers.get(channel);
  if (!handler) throw new Error(`no handler for ${channel}`);
  return handler(event, payload);
}

describe('startShell before the app is ready', () => {
  it('switches the sandbox on, registers the scheme, points userData at the data folder, then takes the lock', () => {
    const fake = fakeElectron();
    const shell = start(fake);
    expect(shell?.dataDir).toBe(path.resolve(home));
    expect(fake.log.slice(0, 4)).toEqual([
      'enableSandbox',
      'registerSchemesAsPrivileged',
      `setPath userData ${path.resolve(home)}`,
      'requestSingleInstanceLock',
    ]);
    expect(fake.privileged).toEqual([
      { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } },
    ]);
  });

  it('guards every webContents and handles the window lifecycle before ready, but opens nothing yet', () => {
    const fake = fakeElectron();
    start(fake);
    expect([...fake.appListeners.keys()]).toEqual(
      expect.arrayContaining(['second-instance', 'web-contents-created', 'window-all-closed', 'activate']),
    );
    expect(
      fake.log.some((entry) => entry.startsWith('ipcMain.handle') || entry === 'new BrowserWindow'),
    ).toBe(false);
  });

  it('quits, and sets nothing else up, when another instance is running', async () => {
    const fake = fakeElectron({ lock: false });
    expect(start(fake)).toBeNull();
    fake.markReady();
    await Promise.resolve();
    expect(fake.log).toContain('quit');
    expect(fake.ipcHandlers.size).toBe(0);
    expect(fake.FakeWindow.created).toHaveLength(0);
    expect(fake.appListeners.has('web-contents-created')).toBe(false);
  });

  it('the web-contents guard it installs blocks foreign navigation and windows', () => {
    const fake = fakeElectron();
    start(fake);
    const listeners = new Map<string, (event: NavigationEvent) => void>();
    let openHandler: ((details: { url: string }) => { action: 'deny' }) | null = null;
    const contents: GuardedContents = {
      on: (event: string, listener: (event: NavigationEvent) => void) => listeners.set(event, listener),
      setWindowOpenHandler: (handler) => (openHandler = handler),
    };
    fake.appListeners.get('web-contents-created')?.({}, contents);
    let prevented = 0;
    for (const event of ['will-navigate', 'will-redirect', 'will-frame-navigate']) {
      listeners.get(event)?.({ url: 'https://evil.example/', preventDefault: () => (prevented += 1) });
    }
    listeners.get('will-attach-webview')?.({ url: '', preventDefault: () => (prevented += 1) });
    expect(prevented).toBe(4);
    expect(openHandler!({ url: 'https://polygon.io/' })).toEqual({ action: 'deny' });
    expect(fake.opened).toEqual(['https://polygon.io/']);
  });
});

describe('startShell once ready', () => {
  async function ready(
    extra: Parameters<typeof start>[1] = {},
    options: Parameters<typeof fakeElectron>[0] = {},
  ) {
    const fake = fakeElectron(options);
    const shell = start(fake, extra);
    fake.markReady();
    await shell?.ready;
    return { fake, shell: shell! };
  }

  it('denies every permission on the default session', async () => {
    const { fake } = await ready();
    const answers: boolean[] = [];
    fake.sessionHandlers.request?.({}, 'media', (granted) => answers.push(granted));
    expect(answers).toEqual([false]);
    expect(fake.sessionHandlers.check?.({}, 'notifications')).toBe(false);
    expect(fake.sessionHandlers.device?.({})).toBe(false);
    expect(fake.sessionHandlers.displayMedia).toBe(true);
  });

  it('adds the CSP to every response of the session', async () => {
    const { fake } = await ready();
    const answers: unknown[] = [];
    fake.sessionHandlers.headers?.({ responseHeaders: {} }, (response) => answers.push(response));
    expect(answers).toEqual([{ responseHeaders: { 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } }]);
  });

  it('serves the built renderer over app:// and refuses traversal', async () => {
    const { fake } = await ready();
    const handler = fake.protocolHandlers.get('app');
    const page = await handler?.({ url: 'app://dawsos/index.html', method: 'GET' });
    expect(page?.status).toBe(200);
    expect(await page?.text()).toContain('<title>DawsOS</title>');
    expect((await handler?.({ url: 'app://dawsos/../main/x.js', method: 'GET' }))?.status).toBe(403);
  });

  it('opens one hardened window on app://dawsos, hidden until painted', async () => {
    const { fake, shell } = await ready();
    expect(fake.FakeWindow.created).toHaveLength(1);
    const window = fake.FakeWindow.created[0]!;
    expect(shell.mainWindow()).toBe(window);
    expect(window.options.webPreferences).toEqual(
      buildWebPreferences(path.join(temp, 'out', 'preload', 'index.cjs')),
    );
    expect(window.options.show).toBe(false);
    expect(window.loadedUrl).toBe('app://dawsos/index.html');
    expect(window.shown).toBe(false);
    window.onceListeners.get('ready-to-show')?.();
    expect(window.shown).toBe(true);
  });

  it('wires every contract channel to the router with the core behind it', async () => {
    const { fake } = await ready();
    expect([...fake.ipcHandlers.keys()].sort()).toEqual(allChannels().sort());
    expect(await invoke(fake, 'store:status', 'app://dawsos/index.html', {})).toMatchObject({
      ok: true,
      value: { state: 'absent', path: path.join(path.resolve(home), 'dawsos.db') },
    });
    expect(await invoke(fake, 'store:status', 'https://evil.example/', {})).toMatchObject({
      ok: false,
      error: { code: RouterErrorCode.ForbiddenSender },
    });
  });

  it('opens only allowlisted links in the OS browser when the page asks', async () => {
    const { fake } = await ready();
    await invoke(fake, 'app:openExternal', 'app://dawsos/index.html', {
      url: 'https://fred.stlouisfed.org/',
    });
    await invoke(fake, 'app:openExternal', 'app://dawsos/index.html', { url: 'https://evil.example/' });
    await invoke(fake, 'app:openExternal', 'app://dawsos/index.html', { url: 'file:///etc/passwd' });
    expect(fake.opened).toEqual(['https://fred.stlouisfed.org/']);
  });

  it('pushes contract events to the window', async () => {
    const { fake, shell } = await ready();
    const progress = { taskId: 't', kind: 'ledger', done: 0, total: null, message: 'Starting' };
    expect(shell.publish('taskProgress', progress)).toBe(true);
    expect(fake.FakeWindow.created[0]!.sent).toEqual([['event:taskProgress', progress]]);
  });

  it("forwards the core's events to the window, and stops forwarding once the app quits", async () => {
    const { fake, shell } = await ready();
    const progress = {
      trace_id: 't-1',
      pattern_id: 'risk',
      step_id: null,
      status: 'finished' as const,
      done: 2,
      total: 2,
      fraction: null,
      message: null,
    };
    expect(shell.core.events.emit('patternProgress', progress)).toBe(true);
    const window = fake.FakeWindow.created[0]!;
    expect(window.sent).toEqual([['event:patternProgress', progress]]);
    fake.appListeners.get('before-quit')?.();
    shell.core.events.emit('patternProgress', progress);
    expect(window.sent).toHaveLength(1);
  });

  it('quits when the last window closes, except on macOS', async () => {
    const linux = await ready();
    linux.fake.appListeners.get('window-all-closed')?.();
    expect(linux.fake.log).toContain('quit');
    const mac = await ready({ platform: 'darwin' });
    mac.fake.appListeners.get('window-all-closed')?.();
    expect(mac.fake.log).not.toContain('quit');
    mac.fake.appListeners.get('activate')?.();
    expect(mac.fake.FakeWindow.created).toHaveLength(2);
  });

  it('uses the development server only for an unpackaged app', async () => {
    const dev = await ready({ env: { ELECTRON_RENDERER_URL: 'http://localhost:5173' } });
    expect(dev.fake.FakeWindow.created[0]!.loadedUrl).toBe('http://localhost:5173/');
    const packaged = await ready(
      { env: { ELECTRON_RENDERER_URL: 'http://localhost:5173' } },
      { isPackaged: true },
    );
    expect(packaged.fake.FakeWindow.created[0]!.loadedUrl).toBe('app://dawsos/index.html');
  });
});

describe('daily reconciliation in the shell', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  async function startWith(outcome: 'open' | 'absent' | 'locked') {
    const sink = new MemorySink();
    const fake = fakeElectron();
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const shell = startShell(fake.electron, {
      mainDir,
      env: { DAWSOS_HOME: home },
      platform: 'linux',
      homedir: temp,
      logger: createLogger({ sink }),
      unlockStore: () => Promise.resolve(outcome),
    })!;
    fake.markReady();
    await shell.ready;
    expect(await shell.unlocked).toBe(outcome);
    const runs = () => sink.lines.filter((l) => l.includes('scheduled reconciliation finished')).length;
    return { fake, runs };
  }

  it('starts once the store opens at start-up, runs after its first delay, and stops on quit', async () => {
    const { fake, runs } = await startWith('open');
    await vi.advanceTimersByTimeAsync(RECONCILE_FIRST_DELAY_MS - 1);
    expect(runs()).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    await vi.waitFor(() => expect(runs()).toBe(1));
    await vi.advanceTimersByTimeAsync(RECONCILE_INTERVAL_MS);
    await vi.waitFor(() => expect(runs()).toBe(2));
    fake.appListeners.get('before-quit')?.();
    await vi.advanceTimersByTimeAsync(RECONCILE_INTERVAL_MS * 2);
    expect(runs()).toBe(2);
  });

  it('does not start while the store stays absent or locked', async () => {
    for (const outcome of ['absent', 'locked'] as const) {
      const { runs } = await startWith(outcome);
      await vi.advanceTimersByTimeAsync(RECONCILE_FIRST_DELAY_MS + RECONCILE_INTERVAL_MS);
      expect(runs()).toBe(0);
      vi.useRealTimers();
    }
  });
});

describe('devServerUrl', () => {
  it('accepts only plain http on loopback, never in a packaged app', () => {
    expect(devServerUrl(false, { ELECTRON_RENDERER_URL: 'http://127.0.0.1:5173' })).toBe(
      'http://127.0.0.1:5173',
    );
    expect(devServerUrl(true, { ELECTRON_RENDERER_URL: 'http://127.0.0.1:5173' })).toBeNull();
    expect(devServerUrl(false, { ELECTRON_RENDERER_URL: 'http://evil.example:5173' })).toBeNull();
    expect(devServerUrl(false, { ELECTRON_RENDERER_URL: 'https://localhost:5173' })).toBeNull();
    expect(devServerUrl(false, { ELECTRON_RENDERER_URL: 'nonsense' })).toBeNull();
    expect(devServerUrl(false, {})).toBeNull();
  });
});
