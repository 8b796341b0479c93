// Handlers for the `app:*` channels.
import os from 'node:os';
import type { appContract, AppStatus } from '../../shared/ipc/app';
import type { DomainHandlers } from '../../shared/ipc/contract';
import { isAllowedExternalUrl } from '../security/external-links';
import { APP_VERSION } from '../version';
import type { HealthCheck } from './doctor';

export interface AppHandlerDeps {
  host: AppStatus['host'];
  startedAt: number;
  /** Health checks shown on the Status screen (the same ones `dawsos doctor` runs). */
  checks: () => Promise<HealthCheck[]>;
  /** Opens a URL in the OS browser; the host supplies it (Electron's shell, or a recorder in tests). */
  openExternal: (url: string) => Promise<void>;
}

export function createAppHandlers(deps: AppHandlerDeps): DomainHandlers<typeof appContract> {
  return {
    status: async () => ({
      name: 'DawsOS',
      version: APP_VERSION,
      host: deps.host,
      platform: `${os.platform()} ${os.arch()}`,
      node: process.versions.node,
      uptimeSeconds: Math.round((Date.now() - deps.startedAt) / 1000),
      checks: await deps.checks(),
    }),
    openExternal: async ({ url }) => {
      if (!isAllowedExternalUrl(url)) return { opened: false };
      await deps.openExternal(url);
      return { opened: true };
    },
  };
}
