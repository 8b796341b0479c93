// Browser entry of the e2e harness, bundled to an IIFE and added to every page as an init script.
// It installs `window.dawsos` exactly as preload/index.ts does, through the same buildBridge() and
// the same contract, but over the Playwright binding `__dawsosInvoke` instead of ipcRenderer.
import { buildBridge } from '../../preload/bridge';

type Listener = (payload: unknown) => void;

interface HarnessScope {
  /** Installed by page.exposeBinding; looked up per call because bindings may land after us. */
  __dawsosInvoke?: (channel: string, request: unknown) => Promise<unknown>;
}

const scope = globalThis as unknown as HarnessScope;
const listeners = new Map<string, Set<Listener>>();

const api = buildBridge({
  invoke: (channel, request) => {
    const invoke = scope.__dawsosInvoke;
    if (typeof invoke !== 'function') return Promise.reject(new Error('The DawsOS test binding is missing.'));
    return invoke(channel, request);
  },
  subscribe: (event, listener) => {
    const set = listeners.get(event) ?? new Set<Listener>();
    listeners.set(event, set);
    set.add(listener);
    return () => {
      set.delete(listener);
    };
  },
});

// contextBridge.exposeInMainWorld defines a read-only property; so does the harness.
Object.defineProperty(globalThis, 'dawsos', { value: api, enumerable: true });

// Test-only stand-in for webContents.send: the harness pushes an event into the page through it.
Object.defineProperty(globalThis, '__dawsosEmit', {
  value: (event: string, payload: unknown) => {
    for (const listener of listeners.get(event) ?? []) listener(payload);
  },
});
