// Builds the object exposed as `window.dawsos` from the contract. The transport is injected so the
// same code backs the Electron preload (ipcRenderer) and the browser harness (Playwright bindings).
import type { Contract, EventContract, IpcResult } from '../shared/ipc/contract';
import { contract, eventContract, type DawsosBridge } from '../shared/ipc';

export interface BridgeTransport {
  invoke(channel: string, request: unknown): Promise<unknown>;
  subscribe(event: string, listener: (payload: unknown) => void): () => void;
}

export function buildBridge(transport: BridgeTransport): DawsosBridge {
  const domains: Record<string, Record<string, (request: unknown) => Promise<IpcResult<unknown>>>> = {};
  const domainsSpec: Contract = contract;
  const eventsSpec: EventContract = eventContract;
  for (const [domain, methods] of Object.entries(domainsSpec)) {
    const api: Record<string, (request: unknown) => Promise<IpcResult<unknown>>> = {};
    for (const [method, spec] of Object.entries(methods)) {
      const channel = spec.channel;
      api[method] = (request: unknown) => transport.invoke(channel, request) as Promise<IpcResult<unknown>>;
    }
    domains[domain] = Object.freeze(api);
  }
  const events: Record<string, (listener: (payload: unknown) => void) => () => void> = {};
  for (const [kind, spec] of Object.entries(eventsSpec)) {
    const name = `on${kind.charAt(0).toUpperCase()}${kind.slice(1)}`;
    const event = spec.event;
    events[name] = (listener) => {
      if (typeof listener !== 'function') throw new TypeError(`${name} needs a listener function`);
      return transport.subscribe(event, listener);
    };
  }
  return Object.freeze({ ...domains, events: Object.freeze(events) }) as unknown as DawsosBridge;
}
