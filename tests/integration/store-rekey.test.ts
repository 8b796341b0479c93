// `store rekey`: the key changes, the data does not, and a crash at either dangerous moment loses
// neither the store nor the key.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../main/audit/chain';
import { StoreKeyMismatchError } from '../../main/store/errors';
import {
  inspectStoreFile,
  openStore,
  pendingStoreKeyAccount,
  rekeyTempFile,
  storeKeyAccount,
  createStore,
} from '../../main/store/open';
import { rekeyStore } from '../../main/store/rekey';
import { addNote, listNotes } from '../../main/store/repositories/notes';
import { createPortfolio } from '../../main/store/repositories/portfolios';
import { MemoryVault } from '../../main/vault/memory-vault';

let dir: string;
let file: string;
let vault: MemoryVault;

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dawsos-rekey-'));
  file = path.join(dir, 'dawsos.db');
  vault = new MemoryVault();
  const store = await createStore({ file, vault });
  createPortfolio(store.db, 'user', { portfolioId: 'p1', name: 'Main', baseCurrency: 'USD' });
  for (let i = 0; i < 50; i += 1) addNote(store.db, 'user', { portfolioId: 'p1', body: `note ${i}` });
  store.close();
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

async function contents(): Promise<{ notes: number; head: string }> {
  const store = await openStore({ file, vault });
  try {
    return { notes: listNotes(store.db, 'p1').length, head: verifyAuditChain(store.db).head };
  } finally {
    store.close();
  }
}

class SimulatedCrash extends Error {}

describe('store rekey', () => {
  it('re-encrypts under a new key: the old key no longer opens it, the data is the same', async () => {
    const before = await contents();
    const oldKey = (await vault.get(storeKeyAccount(file))) as string;
    await rekeyStore({ file, vault });
    const newKey = (await vault.get(storeKeyAccount(file))) as string;
    expect(newKey).not.toBe(oldKey);
    expect(() => inspectStoreFile(file, oldKey)).toThrow(StoreKeyMismatchError);
    expect(await contents()).toEqual(before);
    expect(await vault.get(pendingStoreKeyAccount(file))).toBeNull();
    expect(fs.readdirSync(dir).filter((name) => name.includes('tmp'))).toEqual([]);
  });

  it('a crash before the swap keeps the old file and old key; the next open cleans up', async () => {
    const before = await contents();
    const oldKey = await vault.get(storeKeyAccount(file));
    const crash = rekeyStore(
      { file, vault },
      {
        beforeSwap: () => {
          throw new SimulatedCrash();
        },
      },
    );
    await expect(crash).rejects.toBeInstanceOf(SimulatedCrash);
    expect(fs.existsSync(rekeyTempFile(file))).toBe(true);
    expect(await vault.get(pendingStoreKeyAccount(file))).not.toBeNull();
    expect(await contents()).toEqual(before);
    expect(await vault.get(storeKeyAccount(file))).toBe(oldKey);
    expect(await vault.get(pendingStoreKeyAccount(file))).toBeNull();
    expect(fs.existsSync(rekeyTempFile(file))).toBe(false);
  });

  it('a crash after the swap, before the vault update, is finished by the next open', async () => {
    const before = await contents();
    const oldKey = await vault.get(storeKeyAccount(file));
    const crash = rekeyStore(
      { file, vault },
      {
        afterSwap: () => {
          throw new SimulatedCrash();
        },
      },
    );
    await expect(crash).rejects.toBeInstanceOf(SimulatedCrash);
    const pending = await vault.get(pendingStoreKeyAccount(file));
    expect(await vault.get(storeKeyAccount(file))).toBe(oldKey);
    expect(await contents()).toEqual(before);
    expect(await vault.get(storeKeyAccount(file))).toBe(pending);
    expect(await vault.get(pendingStoreKeyAccount(file))).toBeNull();
  });

  it('can rekey twice in a row', async () => {
    const before = await contents();
    await rekeyStore({ file, vault });
    await rekeyStore({ file, vault });
    expect(await contents()).toEqual(before);
  });
});
