// `dawsos reconcile` on a real encrypted store (passphrase vault) and a real git ledger: positions
// recorded from the ledger reconcile cleanly; a stored position whose value differs by more than
// 1 basis point is reported (with its difference), one below the tolerance is not. The run is
// valued with the store's pricing packs.
import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyChain } from '../../main/pricing/pack-store';
import { createStore, openStore } from '../../main/store/open';
import { saveVaultChoice } from '../../main/vault/choose';
import { PassphraseVault, passphraseVaultFile } from '../../main/vault/passphrase-vault';
import { dataPaths } from '../../main/workspace/data-dir';
import { patternEnvelopeSchema } from '../../shared/ipc/patterns';
import { cli, makeHandRepo, type HandRepo } from './agents-fixture';

const PASSPHRASE = 'reconcile test passphrase';
const TEST_COST = { N: 2 ** 12, r: 8, p: 1 };
let r: HandRepo;

function vault(): PassphraseVault {
  return new PassphraseVault({
    file: passphraseVaultFile(dataPaths(r.home).store),
    passphrase: PASSPHRASE,
    cost: TEST_COST,
  });
}

beforeAll(async () => {
  r = makeHandRepo();
  const paths = dataPaths(r.home);
  (await createStore({ file: paths.store, vault: vault() })).close();
  saveVaultChoice(paths.settings, 'passphrase');
});
afterAll(() => rmSync(r.tmp, { recursive: true, force: true }));

const reconcile = (...flags: string[]) =>
  cli(r, ['reconcile', '--ledger', r.ledger, '--portfolio', 'main', '--json', ...flags], {
    DAWSOS_STORE_PASSPHRASE: PASSPHRASE,
  });

type Diff = { commodity: string; difference: string; difference_bp: string; store_units: string };

describe('dawsos reconcile', () => {
  it('matches positions recorded from the same ledger', async () => {
    const res = await reconcile('--record');
    expect(res.err).toBe('');
    expect(res.code).toBe(0);
    const env = patternEnvelopeSchema.parse(JSON.parse(res.out));
    const data = env.panels.reconciliation!.data as {
      status: string;
      positions_checked: number;
      as_of: string;
    };
    expect(data).toMatchObject({ status: 'matched', positions_checked: 3, as_of: '2024-01-05' });
    expect(env.ledger_commit_hash).toBe(r.git('rev-parse', 'HEAD'));
    // Valued with the store's packs: the envelope's pack is a row of the store, its chain intact.
    const store = await openStore({ file: dataPaths(r.home).store, vault: vault() });
    try {
      const row = store.db
        .prepare('SELECT as_of FROM pricing_packs WHERE pack_id = ?')
        .get(env.pricing_pack_id);
      expect(row).toEqual({ as_of: '2024-01-05' });
      expect(verifyChain(store.db, env.pricing_pack_id).ok).toBe(true);
    } finally {
      store.close();
    }
  });

  it('reports a position whose stored value differs by more than 1 bp, and only that one', async () => {
    const store = await openStore({ file: dataPaths(r.home).store, vault: vault() });
    try {
      // AAA: 30.01 instead of 30 units -> 0.01 x 12 USD = 0.12 on 360 = 3.333 bp (reported).
      // EUX: 10.0001 instead of 10 -> 0.0001 x 26.4 = 0.00264 on 264 = 0.1 bp (within tolerance).
      const set = store.db.prepare(
        "UPDATE positions SET units = ? WHERE portfolio_id = 'main' AND commodity = ?",
      );
      set.run('30.01', 'AAA');
      set.run('10.0001', 'EUX');
    } finally {
      store.close();
    }
    const res = await reconcile();
    expect(res.code).toBe(1);
    const env = patternEnvelopeSchema.parse(JSON.parse(res.out));
    const data = env.panels.reconciliation!.data as { status: string; differences: Diff[]; matched: number };
    expect(data.status).toBe('mismatch');
    expect(data.matched).toBe(2);
    expect(data.differences).toHaveLength(1);
    expect(data.differences[0]).toMatchObject({
      commodity: 'AAA',
      store_units: '30.01',
      difference: '0.12',
      difference_bp: '3.3333',
    });
    // A wider tolerance accepts it.
    expect((await reconcile('--tolerance-bp', '5')).code).toBe(0);
  });

  it('refuses to open the store with a wrong passphrase', async () => {
    const res = await cli(r, ['reconcile', '--ledger', r.ledger, '--portfolio', 'main', '--json'], {
      DAWSOS_STORE_PASSPHRASE: 'not the right passphrase',
    });
    expect(res.code).toBe(1);
    expect(path.isAbsolute(r.home)).toBe(true);
    expect(res.out).not.toContain(r.home);
  });
});
