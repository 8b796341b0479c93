// The whole IPC contract: every channel the renderer may call, grouped by domain, and every event
// it may subscribe to. The preload builds `window.dawsos` from these objects and the router refuses
// any channel not listed here.
import type { BridgeOf, Contract, DomainContract, EventBridgeOf } from './contract';
import { appContract } from './app';
import { eventContract } from './events';
import { patternsContract } from './patterns';
import { providersContract } from './providers';
import { pricingContract } from './pricing';
import { storeContract } from './store';

export const contract = {
  app: appContract,
  store: storeContract,
  patterns: patternsContract,
  providers: providersContract,
  pricing: pricingContract,
} as const satisfies Contract;

export { eventContract };

export type DawsosContract = typeof contract;
export type DawsosEvents = typeof eventContract;

/** The type of `window.dawsos`. */
export type DawsosBridge = BridgeOf<DawsosContract> & { readonly events: EventBridgeOf<DawsosEvents> };

/** Every channel name in the contract, for the router and the tests. */
export function allChannels(): string[] {
  const domains: Contract = contract;
  return Object.values(domains).flatMap((domain: DomainContract) =>
    Object.values(domain).map((spec) => spec.channel),
  );
}
