// Provenance and rights of what the agents derive from the user's own ledger.
import type { Provenance, Rights } from '../../shared/ipc/patterns';

/** The user's own ledger and the prices in it: no third-party licence limits export. */
export const OWN_DATA_RIGHTS: Rights = { export: true };

export function LEDGER_PROVENANCE(_commit: string, asOf: string): Provenance {
  return { provider: 'ledger', dataset: 'beancount', as_of: asOf };
}
