// The main window and the web preferences every DawsOS page runs with. The renderer is a sandboxed
// web page: no Node, no Electron, an isolated world for the preload, web security on, and nothing
// that would let it load remote or insecure content or host other pages.
import path from 'node:path';
import { APP_ENTRY_URL } from './app-protocol';

export interface HardenedWebPreferences {
  readonly preload: string;
  readonly sandbox: true;
  readonly contextIsolation: true;
  readonly nodeIntegration: false;
  readonly nodeIntegrationInWorker: false;
  readonly nodeIntegrationInSubFrames: false;
  readonly webSecurity: true;
  readonly webviewTag: false;
  readonly allowRunningInsecureContent: false;
  readonly experimentalFeatures: false;
  readonly spellcheck: false;
}

export function buildWebPreferences(preloadPath: string): HardenedWebPreferences {
  return {
    preload: preloadPath,
    sandbox: true,
    contextIsolation: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    webviewTag: false,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    spellcheck: false,
  };
}

/** The renderer's page background (--bg in renderer/src/styles.css), so the first paint does not flash. */
export const WINDOW_BACKGROUND = '#f3f5f8';

export interface MainWindowOptions {
  readonly width: number;
  readonly height: number;
  readonly minWidth: number;
  readonly minHeight: number;
  readonly show: false;
  readonly title: string;
  readonly backgroundColor: string;
  readonly webPreferences: HardenedWebPreferences;
}

export function buildWindowOptions(preloadPath: string): MainWindowOptions {
  return {
    width: 1280,
    height: 820,
    minWidth: 960,
    minHeight: 600,
    // Shown on ready-to-show, once the first frame is painted.
    show: false,
    title: 'DawsOS',
    backgroundColor: WINDOW_BACKGROUND,
    webPreferences: buildWebPreferences(preloadPath),
  };
}

/** Where the build puts the preload (out/preload/index.cjs), given the folder of out/main/index.js. */
export function preloadPathFor(mainDir: string): string {
  return path.join(mainDir, '..', 'preload', 'index.cjs');
}

/** Where the build puts the renderer (out/renderer), given the folder of out/main/index.js. */
export function rendererRootFor(mainDir: string): string {
  return path.join(mainDir, '..', 'renderer');
}

export interface ShellWindow {
  once(event: 'ready-to-show', listener: () => void): unknown;
  show(): void;
  loadURL(url: string): Promise<void>;
}

export type WindowConstructor<W extends ShellWindow> = new (options: MainWindowOptions) => W;

export interface CreateWindowOptions {
  readonly preloadPath: string;
  /** The page to load; the app's own entry unless a development server is in use. */
  readonly url?: string;
}

/** Creates the main window, shows it once painted and loads the app. */
export function createMainWindow<W extends ShellWindow>(
  BrowserWindow: WindowConstructor<W>,
  options: CreateWindowOptions,
): { window: W; loaded: Promise<void> } {
  const window = new BrowserWindow(buildWindowOptions(options.preloadPath));
  window.once('ready-to-show', () => window.show());
  const loaded = window.loadURL(options.url ?? APP_ENTRY_URL);
  return { window, loaded };
}
