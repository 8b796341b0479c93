// The preload: builds `window.dawsos` from the IPC contract, one function per channel and one
// subscription function per event kind. It holds no logic and never exposes ipcRenderer itself.
import { contextBridge, ipcRenderer } from 'electron';
import type { DawsosBridge } from '../shared/ipc';
import { buildBridge } from './bridge';

const api = buildBridge({
  invoke: (channel, request) => ipcRenderer.invoke(channel, request),
  subscribe: (event, listener) => {
    const wrapped = (_event: unknown, payload: unknown) => listener(payload);
    ipcRenderer.on(event, wrapped);
    return () => {
      ipcRenderer.removeListener(event, wrapped);
    };
  },
}) satisfies DawsosBridge;

contextBridge.exposeInMainWorld('dawsos', api);
