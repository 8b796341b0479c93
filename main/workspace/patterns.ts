// The orchestrator over a workspace: the agents registered against the workspace's environment and
// the shipped patterns loaded against that registry. Used by `dawsos run`, `dawsos demo` and
// `dawsos reconcile`.
import { registerAgents } from '../agents';
import { CapabilityRegistry } from '../orchestrator/capability';
import type { PatternRunStore } from '../orchestrator/cache';
import { bundledPatternsDir, loadPatterns } from '../orchestrator/loader';
import { PatternOrchestrator } from '../orchestrator/orchestrator';
import type { Logger } from 'pino';
import type { Workspace, WorkspaceEnvironmentOptions } from './workspace';

export async function workspaceOrchestrator(
  workspace: Workspace,
  options: WorkspaceEnvironmentOptions & {
    runStore?: PatternRunStore;
    logger?: Logger;
    patternsDir?: string;
  } = {},
): Promise<PatternOrchestrator> {
  const registry = new CapabilityRegistry();
  registerAgents(registry, workspace.environment(options));
  const patterns = await loadPatterns(options.patternsDir ?? bundledPatternsDir(), registry);
  return new PatternOrchestrator({
    registry,
    patterns,
    ...(options.runStore ? { runStore: options.runStore } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
  });
}
