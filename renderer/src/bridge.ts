// The renderer's only way out of its sandbox: `window.dawsos`, built by the preload from the IPC
// contract. Screens get it through getBridge() so a missing bridge (the page opened outside the
// app, or a broken preload) shows a clear screen instead of a crash.
import type { DawsosBridge } from '../../shared/ipc';

declare global {
  interface Window {
    readonly dawsos?: DawsosBridge;
  }
}

export function getBridge(): DawsosBridge | null {
  const bridge = window.dawsos;
  return bridge && typeof bridge === 'object' ? bridge : null;
}
