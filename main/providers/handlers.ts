// Handlers for the `providers:*` channels, over the ProviderService. setKey hands the key to the
// vault and answers `configured: true` only; nothing the renderer receives ever carries a key.
import type { DomainHandlers } from '../../shared/ipc/contract';
import type { providersContract } from '../../shared/ipc/providers';
import type { ProviderService } from './service';

export function createProviderHandlers(
  service: Pick<ProviderService, 'status' | 'setKey' | 'testKey'>,
): DomainHandlers<typeof providersContract> {
  return {
    status: async () => ({ providers: await service.status() }),
    setKey: async ({ provider, key }) => {
      await service.setKey(provider, key);
      return { provider, configured: true as const };
    },
    testKey: ({ provider }) => service.testKey(provider),
  };
}
