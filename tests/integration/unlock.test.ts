// The app opens an existing store at startup with the vault that holds its key, and otherwise
// leaves it locked without touching the file.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCore } from '../../main/composition/core';
import { unlockStoreAtStartup } from '../../main/composition/unlock';
import { createLogger, MemorySink } from '../../main/logging/logger';
import { createStore } from '../../main/store/open';
import { MemoryVault } from '../../main/vault/memory-vault';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function newCore() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dawsos-unlock-'));
  dirs.push(dataDir);
  return createCore({
    host: 'test',
    dataDir,
    logger: createLogger({ sink: new MemorySink() }),
    openExternal: () => Promise.resolve(),
  });
}

const digest = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

describe('unlockStoreAtStartup', () => {
  it('reports absent when there is no store yet, and creates none', async () => {
    const core = newCore();
    expect(await unlockStoreAtStartup(core, new MemoryVault())).toBe('absent');
    expect(fs.existsSync(core.paths.store)).toBe(false);
    expect(core.store.status().state).toBe('absent');
  });

  it('opens the store with the vault holding its key, so status says open', async () => {
    const core = newCore();
    const vault = new MemoryVault();
    (await createStore({ file: core.paths.store, vault })).close();
    expect(await unlockStoreAtStartup(core, vault)).toBe('open');
    const status = core.store.status();
    expect(status.state).toBe('open');
    expect(status.schemaVersion).toBeGreaterThan(0);
    core.store.store?.close();
  });

  it('leaves the store locked and byte-for-byte unchanged when the vault has no key for it', async () => {
    const core = newCore();
    (await createStore({ file: core.paths.store, vault: new MemoryVault() })).close();
    const before = digest(core.paths.store);
    expect(await unlockStoreAtStartup(core, new MemoryVault())).toBe('locked');
    expect(core.store.status().state).toBe('locked');
    expect(digest(core.paths.store)).toBe(before);
  });

  it('waits for the passphrase when the user chose the passphrase vault', async () => {
    const core = newCore();
    (await createStore({ file: core.paths.store, vault: new MemoryVault() })).close();
    fs.writeFileSync(core.paths.settings, JSON.stringify({ vault: 'passphrase' }));
    expect(await unlockStoreAtStartup(core)).toBe('locked');
  });
});
