// The browser host of the e2e tests: the third host over the core, beside the Electron shell and
// the CLI. It serves the PRODUCTION renderer bundle (out/renderer) from 127.0.0.1 with the app's CSP
// as a header, and installs `window.dawsos` in a Playwright page as the preload would: the bridge
// object comes from preload/bridge.ts (bundled for the browser), and every call goes through a real
// IpcRouter with the real handlers of createCore()/registerHandlers(), with the calling frame's URL
// and main-frame flag as the sender. Only Electron's own transport is not exercised.
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from '@playwright/test';
import { build } from 'vite';
import { eventContract, type DawsosEvents } from '../../shared/ipc';
import { createCore, registerHandlers, type Core } from '../../main/composition/core';
import { CONTENT_SECURITY_POLICY } from '../../main/electron/csp';
import { IpcRouter } from '../../main/ipc/router';
import { createLogger, MemorySink } from '../../main/logging/logger';

const here = path.dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = path.resolve(here, '../..');
export const RENDERER_DIR = path.join(REPO_ROOT, 'out', 'renderer');

/** The name of the Playwright binding the bridge calls; the preload's equivalent is ipcRenderer.invoke. */
export const INVOKE_BINDING = '__dawsosInvoke';

const MIME_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

/** The CSP the bundle declares in its <meta> tag (the shell sends its own, stricter-or-equal, as a header). */
export function cspOf(indexHtml: string): string {
  const match = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]+)"/i.exec(indexHtml);
  if (!match?.[1]) throw new Error('The renderer bundle declares no Content-Security-Policy meta tag.');
  return match[1];
}

export interface StaticServer {
  readonly origin: string;
  url(pathAndHash?: string): string;
  close(): Promise<void>;
}

async function listen(handler: http.RequestListener): Promise<StaticServer> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    url: (pathAndHash = '/') => `${origin}${pathAndHash.startsWith('/') ? '' : '/'}${pathAndHash}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Serves fixed HTML pages by path (no CSP): stand-ins for foreign sites and test-only frame hosts. */
export function startPageServer(pages: Readonly<Record<string, string>>): Promise<StaticServer> {
  return listen((req, res) => {
    const pathname = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    const body = pages[pathname];
    if (body === undefined) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('not found');
      return;
    }
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' }).end(body);
  });
}

export interface RendererServerOptions {
  root?: string;
  /** Test-only pages under `/__harness__/<name>`, served without the app's CSP; read on each request. */
  testPages?: Readonly<Record<string, string>>;
}

/**
 * Serves the built renderer like the app:// protocol handler: files under root only, and the shell's
 * own policy (main/electron/csp.ts) as the CSP header of every response.
 */
export async function startRendererServer(options: RendererServerOptions = {}): Promise<StaticServer> {
  const root = path.resolve(options.root ?? RENDERER_DIR);
  try {
    await stat(path.join(root, 'index.html'));
  } catch {
    throw new Error(`No renderer bundle in ${root}: run "npx electron-vite build" first.`);
  }
  const csp = CONTENT_SECURITY_POLICY;
  const testPages = options.testPages ?? {};

  return listen((req, res) => {
    const send = (
      status: number,
      type: string,
      body: string | Buffer,
      headers: Record<string, string> = {},
    ) => res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store', ...headers }).end(body);
    const appHeaders = { 'Content-Security-Policy': csp, 'X-Content-Type-Options': 'nosniff' };

    if (req.method !== 'GET' && req.method !== 'HEAD') {
      send(405, 'text/plain; charset=utf-8', 'method not allowed', appHeaders);
      return;
    }
    let pathname: string;
    try {
      pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://127.0.0.1').pathname);
    } catch {
      send(400, 'text/plain; charset=utf-8', 'bad request', appHeaders);
      return;
    }
    const testPage = pathname.startsWith('/__harness__/') ? testPages[pathname.slice(13)] : undefined;
    if (testPage !== undefined) {
      send(200, 'text/html; charset=utf-8', testPage);
      return;
    }
    const file = path.resolve(root, `.${pathname === '/' ? '/index.html' : pathname}`);
    if (file !== root && !file.startsWith(root + path.sep)) {
      send(403, 'text/plain; charset=utf-8', 'forbidden', appHeaders);
      return;
    }
    void (async () => {
      try {
        if (!(await stat(file)).isFile()) throw new Error('not a file');
        const body = await readFile(file);
        const type = MIME_TYPES[path.extname(file)] ?? 'application/octet-stream';
        send(200, type, body, appHeaders);
      } catch {
        send(404, 'text/plain; charset=utf-8', 'not found', appHeaders);
      }
    })();
  });
}

/** Bundles tests/support/bridge-entry.ts (and with it preload/bridge.ts and the contract) to one IIFE. */
export async function buildBridgeScript(): Promise<string> {
  const output = await build({
    configFile: false,
    root: REPO_ROOT,
    logLevel: 'silent',
    publicDir: false,
    define: { 'process.env.NODE_ENV': JSON.stringify('production') },
    build: {
      write: false,
      minify: false,
      sourcemap: false,
      emptyOutDir: false,
      target: 'es2022',
      lib: {
        entry: path.join(here, 'bridge-entry.ts'),
        formats: ['iife'],
        name: 'dawsosHarnessBridge',
        fileName: () => 'bridge.js',
      },
    },
  });
  const outputs = Array.isArray(output) ? output : [output];
  for (const result of outputs) {
    if (!('output' in result)) continue;
    const chunk = result.output.find((item) => item.type === 'chunk');
    if (chunk && 'code' in chunk) return chunk.code;
  }
  throw new Error('Bundling the bridge for the browser produced no script.');
}

/**
 * The router's clock (it drives the rate-limit buckets). It follows real time until a test freezes it,
 * so a test can hold a window's bucket empty, or refill it, without waiting on the wall clock.
 */
export class HarnessClock {
  private frozenAt: number | null = null;
  private offsetMs = 0;

  readonly now = (): number => (this.frozenAt ?? performance.now()) + this.offsetMs;

  freeze(): void {
    // A whole millisecond, so `frozen + advance - frozen` is exact: with a fractional timestamp the
    // subtraction can come out at 999.9999… ms and refill 9.99… tokens instead of 10.
    this.frozenAt ??= Math.ceil(performance.now());
  }

  advance(ms: number): void {
    this.offsetMs += ms;
  }
}

export interface BrowserHostOptions {
  /** The bundled bridge (buildBridgeScript()); build it once per worker, it takes a moment. */
  bridgeScript: string;
}

export interface BrowserHost {
  /** The app's origin, the only one the router accepts. */
  readonly origin: string;
  /** URL of the app, e.g. url('#/status'). */
  url(hash?: string): string;
  /** Serves a test-only page from the app's origin (never the app itself) and returns its URL. */
  addTestPage(name: string, html: string): string;
  readonly dataDir: string;
  readonly core: Core;
  readonly router: IpcRouter;
  readonly clock: HarnessClock;
  /** Every log line the core and the router wrote. */
  readonly logs: MemorySink;
  /** URLs the core asked the OS to open (the Electron host would call shell.openExternal). */
  readonly openedExternally: readonly string[];
  /** Installs `window.dawsos` in every frame the page loads from now on. */
  install(page: Page): Promise<void>;
  /** The sender id the router sees for a page (its rate-limit bucket). */
  senderIdOf(page: Page): string | undefined;
  /**
   * Pushes an event to the page, as the shell's webContents.send would. The core's own events
   * (core.events, e.g. pattern progress) reach every installed page the same way, by themselves.
   */
  emit<K extends Extract<keyof DawsosEvents, string>>(page: Page, kind: K, payload: unknown): Promise<void>;
  close(): Promise<void>;
}

export async function startBrowserHost(options: BrowserHostOptions): Promise<BrowserHost> {
  const testPages: Record<string, string> = {};
  const server = await startRendererServer({ testPages });
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'dawsos-e2e-'));
  const logs = new MemorySink();
  const logger = createLogger({ level: 'debug', sink: logs });
  const openedExternally: string[] = [];
  const core = createCore({
    host: 'test',
    dataDir,
    logger,
    openExternal: (url) => {
      openedExternally.push(url);
      return Promise.resolve();
    },
  });
  const clock = new HarnessClock();
  const router = new IpcRouter({
    allowedOrigins: [server.origin],
    logger,
    validateResponses: true,
    now: clock.now,
  });
  registerHandlers(router, core);

  const senderIds = new WeakMap<Page, string>();
  let nextPage = 1;

  // The core's events go to every installed page, as the shell forwards them to its window.
  const pages = new Set<Page>();
  const push = (page: Page, event: string, body: unknown): Promise<void> =>
    page.evaluate(
      ([name, payload]) =>
        (globalThis as unknown as { __dawsosEmit: (e: string, p: unknown) => void }).__dawsosEmit(
          name,
          payload,
        ),
      [event, body] as const,
    );
  const unsubscribe = core.events.subscribe((event) => {
    const channel = eventContract[event.kind].event;
    for (const page of pages)
      push(page, channel, event.payload).catch(() => {
        // The page navigated or closed meanwhile: nobody left to tell.
      });
  });

  return {
    origin: server.origin,
    url: (hash = '') => server.url(`/${hash}`),
    addTestPage(name, html) {
      testPages[name] = html;
      return server.url(`/__harness__/${name}`);
    },
    dataDir,
    core,
    router,
    clock,
    logs,
    openedExternally,
    senderIdOf: (page) => senderIds.get(page),
    async install(page) {
      // One id per page, as the Electron shell uses one per webContents.
      const id = `page-${nextPage++}`;
      senderIds.set(page, id);
      pages.add(page);
      page.on('close', () => {
        pages.delete(page);
        router.forgetSender(id);
      });
      await page.exposeBinding(INVOKE_BINDING, (source, channel: unknown, payload: unknown) =>
        router.handle(channel as string, payload, {
          id,
          frameUrl: source.frame.url(),
          isMainFrame: source.frame === source.page.mainFrame(),
        }),
      );
      await page.addInitScript({ content: options.bridgeScript });
    },
    async emit(page, kind, payload) {
      const spec = eventContract[kind];
      const checked = spec.payload.parse(payload);
      await push(page, spec.event, checked);
    },
    async close() {
      unsubscribe();
      pages.clear();
      await server.close();
      await core.patterns.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
