// Registers every agent's capabilities into the orchestrator's registry. A host builds one
// AgentEnvironment (ledger, prices, optional datasets and store) and calls registerAgents once.
import type { CapabilityRegistry } from '../orchestrator/capability';
import { registerDataHarvester } from './data-harvester';
import { BookCache, type AgentEnvironment } from './environment';
import { registerFinancialAnalyst } from './financial-analyst';
import { registerMacroHound } from './macro-hound';
import { registerNewsScout } from './news-scout';
import { registerReconciler } from './reconciler';

export type { AgentEnvironment, LedgerSnapshot } from './environment';

export function registerAgents(registry: CapabilityRegistry, env: AgentEnvironment): BookCache {
  const books = new BookCache(env);
  registerFinancialAnalyst(registry, books);
  registerMacroHound(registry, env);
  registerDataHarvester(registry, env, books);
  registerNewsScout(registry);
  registerReconciler(registry, env, books);
  return books;
}
