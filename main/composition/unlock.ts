// Opening the store when a host starts. With the OS keychain (the default vault) the app can open
// the store without asking anything: the key is in the keychain. With a passphrase vault the user
// must type the passphrase, so the store stays locked until the UI offers that. A failure leaves
// the store locked and the file untouched (openStore checks the key read-only first).
import fs from 'node:fs';
import { chooseVaultKind } from '../vault/choose';
import type { KeyVault } from '../vault/key-vault';
import { KeychainVault } from '../vault/keychain-vault';
import { openStore } from '../store/open';
import type { Core } from './core';

export type UnlockOutcome = 'open' | 'absent' | 'locked';

export async function unlockStoreAtStartup(core: Core, vault?: KeyVault): Promise<UnlockOutcome> {
  if (!fs.existsSync(core.paths.store)) return 'absent';
  let chosen: KeyVault;
  try {
    if (vault) chosen = vault;
    else if (chooseVaultKind(undefined, core.paths.settings) === 'keychain') chosen = new KeychainVault();
    else return 'locked';
  } catch (error) {
    core.logger.warn({ err: error }, 'store left locked: settings unreadable');
    return 'locked';
  }
  try {
    const store = await openStore({ file: core.paths.store, vault: chosen });
    core.store.attach(store);
    core.providers.attachVault(chosen);
    core.logger.info({ vault: chosen.kind }, 'store opened at startup');
    return 'open';
  } catch (error) {
    core.logger.warn({ err: error, vault: chosen.kind }, 'store left locked at startup');
    return 'locked';
  }
}
