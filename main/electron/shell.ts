// The Electron host, composed from the small hardening modules beside it. main.ts hands it the real
// Electron objects; the tests hand it fakes that record what was registered. Order matters and is
// Electron's: the sandbox switch, the privileged scheme, userData and the single-instance lock come
// before `ready`; the session, the protocol handler, IPC and the window come after.
import os from 'node:os';
import type { Logger } from 'pino';
import { createCore, registerHandlers, type Core } from '../composition/core';
import { unlockStoreAtStartup, type UnlockOutcome } from '../composition/unlock';
import { IpcRouter } from '../ipc/router';
import { createFileLogger } from '../logging/logger';
import { isAllowedExternalUrl } from '../security/external-links';
import { dataPaths, resolveDataDir } from '../workspace/data-dir';
import {
  APP_ORIGIN,
  registerAppScheme,
  serveAppProtocol,
  type ProtocolHandlerHost,
  type SchemeRegistrar,
} from './app-protocol';
import { installCspHeaders, type CspSession } from './csp';
import {
  publishEvent,
  wireIpc,
  type EventKind,
  type EventPayload,
  type EventTarget,
  type IpcMainLike,
} from './ipc-bridge';
import { installWebContentsGuard, type GuardedContents } from './navigation';
import { denyAllPermissions, type PermissionSession } from './permissions';
import { acquireSingleInstance, type FocusableWindow } from './single-instance';
import {
  createMainWindow,
  preloadPathFor,
  rendererRootFor,
  type ShellWindow,
  type WindowConstructor,
} from './window';

export interface ShellApp {
  readonly isPackaged: boolean;
  enableSandbox(): void;
  setPath(name: 'userData', path: string): void;
  requestSingleInstanceLock(): boolean;
  whenReady(): Promise<unknown>;
  quit(): void;
  on(
    event: 'second-instance' | 'window-all-closed' | 'activate' | 'before-quit',
    listener: () => void,
  ): unknown;
  on(event: 'web-contents-created', listener: (event: unknown, contents: GuardedContents) => void): unknown;
}

export interface MainWindow extends ShellWindow, FocusableWindow {
  readonly webContents: EventTarget;
}

export interface ShellElectron<W extends MainWindow> {
  readonly app: ShellApp;
  readonly BrowserWindow: WindowConstructor<W>;
  readonly ipcMain: IpcMainLike;
  readonly protocol: SchemeRegistrar & ProtocolHandlerHost;
  readonly session: { readonly defaultSession: PermissionSession & CspSession };
  readonly shell: { openExternal(url: string): Promise<void> };
}

export interface ShellOptions {
  /** Folder of the built main bundle (out/main); the preload and renderer sit beside it. */
  readonly mainDir: string;
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly platform?: NodeJS.Platform;
  readonly homedir?: string;
  /** Defaults to the rotating log file in the data folder. */
  readonly logger?: Logger;
  /** Opens the store at start (default: unlockStoreAtStartup, the keychain when the settings choose it). */
  readonly unlockStore?: (core: Core) => Promise<UnlockOutcome>;
}

export interface Shell<W extends MainWindow> {
  readonly dataDir: string;
  readonly core: Core;
  readonly router: IpcRouter;
  readonly ready: Promise<void>;
  /** How the store came out of the start-up unlock; settles after `ready`. */
  readonly unlocked: Promise<UnlockOutcome>;
  mainWindow(): W | null;
  publish<K extends EventKind>(kind: K, payload: EventPayload<K>): boolean;
}

/**
 * electron-vite's dev server, for `npm run dev` only: honoured when the app is not packaged and the
 * URL is plain http on the loopback interface.
 */
export function devServerUrl(
  isPackaged: boolean,
  env: Readonly<Record<string, string | undefined>>,
): string | null {
  const raw = env.ELECTRON_RENDERER_URL;
  if (isPackaged || !raw) return null;
  try {
    const url = new URL(raw);
    const loopback = url.hostname === 'localhost' || url.hostname === '127.0.0.1';
    return url.protocol === 'http:' && loopback ? url.origin : null;
  } catch {
    return null;
  }
}

/** Starts the app; returns null when another instance already runs (this one then quits). */
export function startShell<W extends MainWindow>(
  electron: ShellElectron<W>,
  options: ShellOptions,
): Shell<W> | null {
  const { app } = electron;
  const env = options.env ?? process.env;
  const platform = options.platform ?? process.platform;

  app.enableSandbox();
  registerAppScheme(electron.protocol);
  const dataDir = resolveDataDir({ platform, env, homedir: options.homedir ?? os.homedir() });
  app.setPath('userData', dataDir);

  let window: W | null = null;
  if (!acquireSingleInstance(app, () => window)) return null;

  const logger = options.logger ?? createFileLogger(dataPaths(dataDir).logFile);
  const devUrl = devServerUrl(app.isPackaged, env);
  const appOrigins = devUrl ? [APP_ORIGIN, devUrl] : [APP_ORIGIN];
  const openExternal = async (url: string): Promise<void> => {
    if (isAllowedExternalUrl(url)) await electron.shell.openExternal(url);
  };

  const router = new IpcRouter({ allowedOrigins: appOrigins, logger, validateResponses: !app.isPackaged });
  const core = createCore({ host: 'electron', dataDir, logger, openExternal });
  registerHandlers(router, core);
  const publish = <K extends EventKind>(kind: K, payload: EventPayload<K>): boolean =>
    publishEvent(window && !window.isDestroyed() ? window.webContents : null, kind, payload);
  // The core's events (pattern progress, provider alerts, ...) go to the window as they happen.
  const unsubscribe = core.events.subscribe((event) => {
    publish(event.kind, event.payload as EventPayload<typeof event.kind>);
  });

  installWebContentsGuard(app, { appOrigins, openExternal, logger });

  const openWindow = (): void => {
    const created = createMainWindow(electron.BrowserWindow, {
      preloadPath: preloadPathFor(options.mainDir),
      ...(devUrl ? { url: `${devUrl}/` } : {}),
    });
    window = created.window;
    created.loaded.catch((error: unknown) => logger.error({ err: error }, 'the app page failed to load'));
  };

  app.on('window-all-closed', () => {
    window = null;
    if (platform !== 'darwin') app.quit();
  });
  app.on('activate', () => {
    if (window === null || window.isDestroyed()) openWindow();
  });
  app.on('before-quit', () => {
    core.reconciliation.stop();
    // Stops the patterns worker, which closes its store connection.
    void core.patterns.close();
    unsubscribe();
  });

  const ready = app.whenReady().then(() => {
    const session = electron.session.defaultSession;
    denyAllPermissions(session);
    installCspHeaders(session);
    serveAppProtocol(electron.protocol, rendererRootFor(options.mainDir));
    wireIpc(electron.ipcMain, router);
    openWindow();
    logger.info({ host: 'electron' }, 'app started');
  });
  // The window shows the store as locked until this finishes; a keychain prompt may take a while.
  // Once the store is open, the daily reconciliation runs while the app is open.
  const unlocked = ready
    .then(() => (options.unlockStore ?? unlockStoreAtStartup)(core))
    .then((outcome) => {
      if (outcome === 'open') core.reconciliation.start();
      return outcome;
    })
    .catch((error: unknown): UnlockOutcome => {
      logger.warn({ err: error }, 'store left locked at startup');
      return 'locked';
    });

  return {
    dataDir,
    core,
    router,
    ready,
    unlocked,
    mainWindow: () => window,
    publish,
  };
}
