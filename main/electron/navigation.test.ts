import { describe, expect, it } from 'vitest';
import {
  hardenWebContents,
  installWebContentsGuard,
  isAppUrl,
  NAVIGATION_EVENTS,
  type GuardedContents,
  type NavigationEvent,
  type NavigationPolicy,
  type PreventableEvent,
} from './navigation';

type Listener = ((event: NavigationEvent) => void) | ((event: PreventableEvent) => void);

class FakeContents implements GuardedContents {
  readonly listeners = new Map<string, Listener[]>();
  windowOpenHandler: ((details: { url: string }) => { action: 'deny' }) | null = null;
  on(event: string, listener: Listener | ((event: PreventableEvent) => void)): this {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return this;
  }
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void {
    this.windowOpenHandler = handler;
  }
  /** Emits an event the way Electron does and reports whether some listener cancelled it. */
  emit(event: string, url = ''): boolean {
    let prevented = false;
    for (const listener of this.listeners.get(event) ?? []) {
      listener({ url, preventDefault: () => (prevented = true) });
    }
    return prevented;
  }
}

function setup(appOrigins: readonly string[] = ['app://dawsos']) {
  const opened: string[] = [];
  const policy: NavigationPolicy = {
    appOrigins,
    openExternal: (url) => {
      opened.push(url);
      return Promise.resolve();
    },
  };
  const contents = new FakeContents();
  hardenWebContents(contents, policy);
  return { contents, opened };
}

const FOREIGN = [
  'https://evil.example/',
  'http://localhost:5173/',
  'file:///etc/passwd',
  'app://evil/index.html',
  'app://dawsos.evil/index.html',
  'javascript:alert(1)',
  'data:text/html,<script>1</script>',
  'about:blank',
  'chrome://gpu',
  'https://financialmodelingprep.com/',
  'not a url',
];

describe('isAppUrl', () => {
  it('accepts only the app origins', () => {
    expect(isAppUrl('app://dawsos/index.html', ['app://dawsos'])).toBe(true);
    expect(isAppUrl('app://dawsos/holdings?x=1#y', ['app://dawsos'])).toBe(true);
    for (const url of FOREIGN) expect(isAppUrl(url, ['app://dawsos']), url).toBe(false);
  });
});

describe('hardenWebContents', () => {
  it.each(NAVIGATION_EVENTS)('%s: cancels every navigation off the app origin', (event) => {
    const { contents, opened } = setup();
    expect(contents.listeners.get(event)).toHaveLength(1);
    for (const url of FOREIGN) expect(contents.emit(event, url), url).toBe(true);
    expect(opened).toEqual([]);
  });

  it.each(NAVIGATION_EVENTS)('%s: lets the app move between its own pages', (event) => {
    const { contents } = setup();
    expect(contents.emit(event, 'app://dawsos/index.html')).toBe(false);
    expect(contents.emit(event, 'app://dawsos/holdings')).toBe(false);
  });

  it('allows the development server origin only when it is configured', () => {
    const { contents } = setup(['app://dawsos', 'http://localhost:5173']);
    expect(contents.emit('will-navigate', 'http://localhost:5173/')).toBe(false);
    expect(contents.emit('will-navigate', 'http://localhost:5174/')).toBe(true);
  });

  it('refuses every <webview>', () => {
    const { contents } = setup();
    expect(contents.listeners.get('will-attach-webview')).toHaveLength(1);
    expect(contents.emit('will-attach-webview')).toBe(true);
  });

  it('denies every new window, and sends only allowlisted https links to the OS browser', () => {
    const { contents, opened } = setup();
    const handler = contents.windowOpenHandler;
    expect(handler).not.toBeNull();
    const allowed = 'https://financialmodelingprep.com/developer/docs';
    for (const url of [
      allowed,
      ...FOREIGN.filter((url) => !url.includes('financialmodelingprep')),
      'http://polygon.io/',
      'https://user:pw@polygon.io/',
      'app://dawsos/x',
    ]) {
      expect(handler!({ url }), url).toEqual({ action: 'deny' });
    }
    expect(opened).toEqual([allowed]);
  });

  it('keeps denying when the OS browser cannot be opened', async () => {
    const contents = new FakeContents();
    hardenWebContents(contents, {
      appOrigins: ['app://dawsos'],
      openExternal: () => Promise.reject(new Error('no browser')),
    });
    expect(contents.windowOpenHandler!({ url: 'https://polygon.io/' })).toEqual({ action: 'deny' });
    await new Promise((resolve) => setImmediate(resolve));
  });
});

describe('installWebContentsGuard', () => {
  it('hardens every webContents the app creates', () => {
    let created: ((event: unknown, contents: GuardedContents) => void) | null = null;
    installWebContentsGuard(
      { on: (_event: 'web-contents-created', listener) => (created = listener) },
      { appOrigins: ['app://dawsos'], openExternal: () => Promise.resolve() },
    );
    expect(created).not.toBeNull();
    for (let i = 0; i < 2; i += 1) {
      const contents = new FakeContents();
      created!({}, contents);
      for (const event of NAVIGATION_EVENTS) expect(contents.emit(event, 'https://evil.example/')).toBe(true);
      expect(contents.emit('will-attach-webview')).toBe(true);
      expect(contents.windowOpenHandler!({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    }
  });
});
