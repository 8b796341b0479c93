// Helpers for tests of the orchestrator and of hosts that use it (the CLI, the IPC harness): a
// registry holding every capability the shipped patterns call, each answering with plain data that
// echoes its inputs, and a deferred promise for steering when a capability settles.
import { z } from 'zod';
import { CapabilityRegistry, type CapabilityContext, type CapabilityResult } from './capability';
import { PATTERN_CAPABILITY_NAMES } from './capability-catalogue';

export interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
}

export function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

export function okResult<T>(data: T, extra: Partial<CapabilityResult<T>> = {}): CapabilityResult<T> {
  return {
    data,
    provenance: [{ provider: 'ledger', dataset: 'demo', as_of: '2026-01-02' }],
    rights: { export: true },
    ...extra,
  };
}

/**
 * A registry with every capability the shipped patterns call. Each accepts any object input and
 * returns `{capability, inputs, portfolio_id, pricing_pack_id, ledger_commit_hash, holdings: [],
 * articles: [], series: {}}` so `$step` paths used by the patterns resolve.
 */
export function catalogueRegistry(
  names: readonly string[] = PATTERN_CAPABILITY_NAMES,
  calls: { name: string; input: unknown; ctx: CapabilityContext }[] = [],
): CapabilityRegistry {
  const registry = new CapabilityRegistry();
  for (const name of names)
    registry.registerCapability(name, {
      input: z.record(z.string(), z.unknown()),
      output: z.record(z.string(), z.unknown()),
      run: (input, ctx) => {
        calls.push({ name, input, ctx });
        return Promise.resolve(
          okResult({
            capability: name,
            inputs: input,
            portfolio_id: ctx.portfolio_id,
            pricing_pack_id: ctx.pricing_pack_id,
            ledger_commit_hash: ctx.ledger_commit_hash,
            holdings: [],
            articles: [],
            series: {},
          }),
        );
      },
    });
  return registry;
}
