// `dawsos run --store` records its runs in the encrypted store's pattern_runs (passphrase vault, a
// real git ledger) when the store holds the portfolio, and a later identical run answers from the
// table (a new process: fresh trace id, identical panels, no new row). Reconciliation reads the
// store's positions, which the run key does not cover, so it always runs again.
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalJson } from '../../main/orchestrator/canonical-json';
import { listPatternRuns } from '../../main/orchestrator/store-run-store';
import { createStore, openStore } from '../../main/store/open';
import { createPortfolio } from '../../main/store/repositories/portfolios';
import { saveVaultChoice } from '../../main/vault/choose';
import { PassphraseVault, passphraseVaultFile } from '../../main/vault/passphrase-vault';
import { dataPaths } from '../../main/workspace/data-dir';
import { patternEnvelopeSchema, type PatternEnvelope } from '../../shared/ipc/patterns';
import { cli, makeHandRepo, type HandRepo } from './agents-fixture';

const PASSPHRASE = 'run store test passphrase';
const TEST_COST = { N: 2 ** 12, r: 8, p: 1 };
let r: HandRepo;

const vault = () =>
  new PassphraseVault({
    file: passphraseVaultFile(dataPaths(r.home).store),
    passphrase: PASSPHRASE,
    cost: TEST_COST,
  });

async function run(pattern: string, ...flags: string[]): Promise<PatternEnvelope> {
  const res = await cli(
    r,
    ['run', pattern, '--ledger', r.ledger, '--portfolio', 'main', '--json', ...flags],
    {
      DAWSOS_STORE_PASSPHRASE: PASSPHRASE,
    },
  );
  expect(res.err).toBe('');
  return patternEnvelopeSchema.parse(JSON.parse(res.out));
}

async function runs(patternId: string) {
  const store = await openStore({ file: dataPaths(r.home).store, vault: vault() });
  try {
    return listPatternRuns(store.db, 'main').filter((x) => x.pattern_id === patternId);
  } finally {
    store.close();
  }
}

beforeAll(async () => {
  r = makeHandRepo();
  const paths = dataPaths(r.home);
  const store = await createStore({ file: paths.store, vault: vault() });
  createPortfolio(store.db, 'user', {
    portfolioId: 'main',
    name: 'Main',
    baseCurrency: 'USD',
    ledgerRepo: r.repo,
  });
  store.close();
  saveVaultChoice(paths.settings, 'passphrase');
});
afterAll(() => rmSync(r.tmp, { recursive: true, force: true }));

describe('dawsos run --store', () => {
  it('records the run, and answers the same run again from the store', async () => {
    const first = await run('performance', '--store');
    expect((await runs('performance')).map((x) => x.trace_id)).toEqual([first.trace_id]);
    const second = await run('performance', '--store');
    expect(second.trace_id).not.toBe(first.trace_id);
    expect(canonicalJson(second.panels)).toBe(canonicalJson(first.panels));
    expect(await runs('performance')).toHaveLength(1);
    // Without --store nothing is read from or written to the store.
    await run('performance');
    expect(await runs('performance')).toHaveLength(1);
  });

  it('always runs reconciliation again, recording each run', async () => {
    const one = await run('reconciliation', '--store');
    const two = await run('reconciliation', '--store');
    expect((await runs('reconciliation')).map((x) => x.trace_id)).toEqual([one.trace_id, two.trace_id]);
  });
});
