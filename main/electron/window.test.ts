import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { APP_ENTRY_URL } from './app-protocol';
import {
  buildWebPreferences,
  buildWindowOptions,
  createMainWindow,
  preloadPathFor,
  rendererRootFor,
  type MainWindowOptions,
} from './window';

const PRELOAD = '/opt/dawsos/out/preload/index.cjs';

describe('buildWebPreferences', () => {
  const prefs = buildWebPreferences(PRELOAD);

  // One line per hardening setting, so removing or flipping any single one fails its own test.
  it.each([
    ['sandbox', true],
    ['contextIsolation', true],
    ['nodeIntegration', false],
    ['nodeIntegrationInWorker', false],
    ['nodeIntegrationInSubFrames', false],
    ['webSecurity', true],
    ['webviewTag', false],
    ['allowRunningInsecureContent', false],
    ['experimentalFeatures', false],
    ['spellcheck', false],
  ] as const)('sets %s to %s', (key, value) => {
    expect(Object.hasOwn(prefs, key)).toBe(true);
    expect(prefs[key]).toBe(value);
  });

  it('uses the built preload', () => {
    expect(prefs.preload).toBe(PRELOAD);
  });

  it('sets nothing else (no setting slips in that loosens the page)', () => {
    expect(Object.keys(prefs).sort()).toEqual(
      [
        'allowRunningInsecureContent',
        'contextIsolation',
        'experimentalFeatures',
        'nodeIntegration',
        'nodeIntegrationInSubFrames',
        'nodeIntegrationInWorker',
        'preload',
        'sandbox',
        'spellcheck',
        'webSecurity',
        'webviewTag',
      ].sort(),
    );
  });
});

describe('buildWindowOptions', () => {
  const options = buildWindowOptions(PRELOAD);

  it('starts hidden, with a background colour, at a usable size', () => {
    expect(options.show).toBe(false);
    expect(options.backgroundColor).toMatch(/^#[0-9a-f]{6}$/i);
    expect(options.width).toBeGreaterThanOrEqual(options.minWidth);
    expect(options.height).toBeGreaterThanOrEqual(options.minHeight);
    expect(options.minWidth).toBeGreaterThanOrEqual(800);
  });

  it('carries the hardened web preferences', () => {
    expect(options.webPreferences).toEqual(buildWebPreferences(PRELOAD));
  });
});

describe('build output paths', () => {
  it('finds the preload and renderer beside out/main', () => {
    const mainDir = path.join('/opt', 'dawsos', 'out', 'main');
    expect(preloadPathFor(mainDir)).toBe(path.join('/opt', 'dawsos', 'out', 'preload', 'index.cjs'));
    expect(rendererRootFor(mainDir)).toBe(path.join('/opt', 'dawsos', 'out', 'renderer'));
  });
});

class FakeWindow {
  static created: FakeWindow[] = [];
  readonly listeners = new Map<string, () => void>();
  shown = 0;
  loadedUrl: string | null = null;
  constructor(readonly options: MainWindowOptions) {
    FakeWindow.created.push(this);
  }
  once(event: 'ready-to-show', listener: () => void): this {
    this.listeners.set(event, listener);
    return this;
  }
  show(): void {
    this.shown += 1;
  }
  loadURL(url: string): Promise<void> {
    this.loadedUrl = url;
    return Promise.resolve();
  }
}

describe('createMainWindow', () => {
  it('loads the app from app://dawsos and shows the window only once painted', async () => {
    const { window, loaded } = createMainWindow(FakeWindow, { preloadPath: PRELOAD });
    await loaded;
    expect(window.options).toEqual(buildWindowOptions(PRELOAD));
    expect(window.loadedUrl).toBe(APP_ENTRY_URL);
    expect(APP_ENTRY_URL).toBe('app://dawsos/index.html');
    expect(window.shown).toBe(0);
    window.listeners.get('ready-to-show')?.();
    expect(window.shown).toBe(1);
  });
});
