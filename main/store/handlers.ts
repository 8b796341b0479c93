// Handlers for the `store:*` channels.
import type { DomainHandlers } from '../../shared/ipc/contract';
import type { storeContract, StoreStatus } from '../../shared/ipc/store';

export interface StoreHandlerDeps {
  status: () => StoreStatus;
}

export function createStoreHandlers(deps: StoreHandlerDeps): DomainHandlers<typeof storeContract> {
  return {
    status: () => deps.status(),
  };
}
