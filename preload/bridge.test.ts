import { describe, expect, it } from 'vitest';
import { allChannels, contract, eventContract } from '../shared/ipc';
import type { Contract } from '../shared/ipc/contract';
import { buildBridge } from './bridge';

function recordingTransport() {
  const calls: [string, unknown][] = [];
  const subscriptions: string[] = [];
  return {
    calls,
    subscriptions,
    transport: {
      invoke: (channel: string, request: unknown) => {
        calls.push([channel, request]);
        return Promise.resolve({ ok: true, value: null });
      },
      subscribe: (event: string) => {
        subscriptions.push(event);
        return () => undefined;
      },
    },
  };
}

describe('preload bridge', () => {
  it('exposes exactly one function per contract channel, and each calls only its own channel', async () => {
    const { calls, transport } = recordingTransport();
    const bridge = buildBridge(transport) as unknown as Record<
      string,
      Record<string, (r: unknown) => Promise<unknown>>
    >;
    const exposed: string[] = [];
    const spec: Contract = contract;
    for (const [domain, methods] of Object.entries(spec)) {
      expect(Object.keys(bridge[domain] ?? {}).sort()).toEqual(Object.keys(methods).sort());
      for (const [method, channelSpec] of Object.entries(methods)) {
        await bridge[domain]?.[method]?.({ probe: method });
        expect(calls.at(-1)).toEqual([channelSpec.channel, { probe: method }]);
        exposed.push(channelSpec.channel);
      }
    }
    expect(exposed.sort()).toEqual(allChannels().sort());
    expect(Object.keys(bridge).sort()).toEqual([...Object.keys(contract), 'events'].sort());
  });

  it('offers no generic invoke, send or on, and cannot be modified by the page', () => {
    const { transport } = recordingTransport();
    const bridge = buildBridge(transport) as unknown as Record<string, unknown>;
    for (const name of ['invoke', 'send', 'on', 'ipcRenderer', 'sendSync'])
      expect(bridge[name]).toBeUndefined();
    expect(Object.isFrozen(bridge)).toBe(true);
    expect(() => {
      bridge.invoke = () => undefined;
    }).toThrow();
  });

  it('has one subscription function per event kind, subscribing only to that event', () => {
    const { subscriptions, transport } = recordingTransport();
    const bridge = buildBridge(transport);
    const events = bridge.events as unknown as Record<string, (listener: unknown) => () => void>;
    const expected = Object.keys(eventContract).map((k) => `on${k.charAt(0).toUpperCase()}${k.slice(1)}`);
    expect(Object.keys(events).sort()).toEqual([...expected].sort());
    for (const name of expected) events[name]?.(() => undefined);
    expect(subscriptions).toEqual(Object.values(eventContract).map((e) => e.event));
    expect(new Set(subscriptions).size).toBe(expected.length);
    expect(() => events[expected[0] ?? '']?.('not a function')).toThrow(TypeError);
  });
});
