// A provider registry wired to the fake servers, for integration tests: fixed distinctive keys,
// a virtual clock (backoff and rate-limit waits return at once and are recorded), fixed jitter,
// generous plans unless a test sets its own, and short timeouts.
import type { Logger } from 'pino';
import {
  createProviderRegistry,
  type ProviderRegistry,
  type ProviderRegistryOptions,
} from '../../../main/providers/registry';
import { VirtualClock } from '../../../main/providers/resilience/clock';
import type { ProviderPlan } from '../../../main/providers/resilience/policy';
import type { ProviderName, SecretSource } from '../../../main/providers/types';
import type { ProviderServers } from './index';

/** Distinctive key values, so a test can search every output for them. */
export const TEST_KEYS: Readonly<Record<ProviderName, string>> = {
  fmp: 'fmpK3y-QX7f3a9c51e2d4-secret',
  polygon: 'p0lyK3y-b81e44a09c3f-secret',
  fred: 'fr3dK3y0a1b2c3d4e5f60718293a4b5c',
  newsapi: 'n3wsK3y-5d6e7f8091a2-secret',
};

export function fixedSecrets(keys: Partial<Record<ProviderName, string | null>>): SecretSource {
  return { getKey: (provider) => Promise.resolve(keys[provider] ?? null) };
}

export const GENEROUS_PLAN: ProviderPlan = {
  bucketCapacity: 10_000,
  refillPerSecond: 10_000,
  quota: null,
  period: 'day',
};

export interface TestRegistry {
  readonly registry: ProviderRegistry;
  readonly clock: VirtualClock;
}

export function testRegistry(
  servers: ProviderServers,
  overrides: Partial<ProviderRegistryOptions> & { logger?: Logger } = {},
): TestRegistry {
  const clock = overrides.clock instanceof VirtualClock ? overrides.clock : new VirtualClock();
  const registry = createProviderRegistry({
    secrets: fixedSecrets(TEST_KEYS),
    baseUrls: servers.baseUrls,
    env: {},
    clock,
    random: () => 0.5,
    requestTimeoutMs: 2_000,
    plans: { fmp: GENEROUS_PLAN, polygon: GENEROUS_PLAN, fred: GENEROUS_PLAN, newsapi: GENEROUS_PLAN },
    ...overrides,
  });
  return { registry, clock };
}
