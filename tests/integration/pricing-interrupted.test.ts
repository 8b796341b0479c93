// A build whose process dies mid-way (SIGKILL while its dates are warming) must not leave those
// dates warming forever: the next status or valuation in another process sees the owner is gone,
// marks the dates failed (BUILD_INTERRUPTED) and tells the user to rebuild; a rebuild then works.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { PackNotFoundError, PackWarmingError } from '../../main/pricing/errors';
import { PriceHistory } from '../../main/pricing/history';
import { PricingService } from '../../main/pricing/service';
import { createStore, openStore, storeKeyAccount } from '../../main/store/open';
import { MemoryVault } from '../../main/vault/memory-vault';

const repo = path.resolve(import.meta.dirname, '../..');
let dir: string;
let file: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dawsos-pricing-kill-'));
  file = path.join(dir, 'dawsos.db');
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

// The child starts a build whose source never finishes, says so, and waits to be killed.
const CHILD = `
import { PricingService } from ${JSON.stringify(path.join(repo, 'main/pricing/service.ts'))};
import { openStore, storeKeyAccount } from ${JSON.stringify(path.join(repo, 'main/store/open.ts'))};
import { MemoryVault } from ${JSON.stringify(path.join(repo, 'main/vault/memory-vault.ts'))};
const file = process.env.PRICING_STORE;
const vault = new MemoryVault();
await vault.set(storeKeyAccount(file), process.env.PRICING_KEY);
const store = await openStore({ file, vault });
const service = new PricingService({ db: () => store.db });
void service.backfill('2024-01-08', '2024-01-12', {
  kind: 'providers',
  steps: () => 10,
  collect: (_range, onStep) => {
    onStep(3);
    process.stdout.write('warming\\n');
    return new Promise(() => undefined);
  },
});
setInterval(() => undefined, 1000);
`;

it('dates left warming by a killed process turn failed (BUILD_INTERRUPTED), and a rebuild works', async () => {
  const vault = new MemoryVault();
  (await createStore({ file, vault })).close();
  const key = (await vault.get(storeKeyAccount(file)))!;
  const script = path.join(dir, 'child.mts');
  fs.writeFileSync(script, CHILD);
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    cwd: repo,
    env: { ...process.env, PRICING_STORE: file, PRICING_KEY: key },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('warming')) resolve();
    });
    child.on('exit', () => reject(new Error(`child exited early: ${stderr}`)));
  });

  const store = await openStore({ file, vault });
  try {
    const service = new PricingService({ db: () => store.db });
    // While the child lives, its dates are warming: a valuation is refused with the progress.
    expect(() => service.packFor('2024-01-10')).toThrow(PackWarmingError);
    expect(service.status({ date: '2024-01-10' }).builds[0]).toMatchObject({
      state: 'warming',
      progress: { done: 3, total: 11 },
    });

    const exited = new Promise((resolve) => child.on('exit', resolve));
    child.kill('SIGKILL');
    await exited;

    expect(() => service.packFor('2024-01-10')).toThrow(PackNotFoundError);
    const status = service.status();
    expect(status.states).toMatchObject({ warming: 0, failed: 5 });
    expect(status.builds.every((b) => b.state === 'failed' && b.error_code === 'BUILD_INTERRUPTED')).toBe(
      true,
    );

    const history = new PriceHistory();
    history.addPrice({
      commodity: 'VTI',
      quote_currency: 'USD',
      date: '2024-01-08',
      price: '240',
      provider: 'fmp',
      dataset: 'eod',
    });
    const rebuilt = await service.backfill('2024-01-08', '2024-01-12', {
      kind: 'providers',
      steps: () => 1,
      collect: () =>
        Promise.resolve({
          history,
          failures: [],
          universeAt: () => ({
            commodities: [{ commodity: 'VTI' }],
            currencies: [],
            baseCurrencies: ['USD'],
          }),
        }),
    });
    expect(rebuilt.packs).toBe(5);
    expect(service.value('2024-01-12', [{ account: 'A', commodity: 'VTI', units: '2' }], 'USD').total).toBe(
      '480',
    );
  } finally {
    store.close();
    child.kill('SIGKILL');
  }
}, 60_000);
