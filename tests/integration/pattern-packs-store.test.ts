// Pattern runs with a store open are valued with pricing packs held IN the store: the envelope's
// pricing_pack_id is a row of pricing_packs whose chain verifies, a second run builds nothing, a
// commit that needs more (a new holding on a recent date) rebuilds only from that date, a benchmark
// that is priced but never held is in the stored packs, a pack built beforehand with other content
// is what the run uses, and without a store the in-memory chain has the same ids as a fresh store's.
// A price the ledger gains for a date whose pack carried an older one rebuilds from that date; a
// date rebuilt on another connection is seen by a pin this connection remembered, and so is one
// rebuilt by another connection while this run's build is under way.
// Real encrypted stores on disk (passphrase vault), real git repositories, the real CLI and the
// app's WorkspacePatterns.
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, MemorySink } from '../../main/logging/logger';
import { ledgerFileSource } from '../../main/pricing/ledger-file';
import { contentOf, type Pack } from '../../main/pricing/pack';
import { readPack, readPackContent, verifyChain } from '../../main/pricing/pack-store';
import { ensureRunPacks, memoryRunPacks, runLedgerSource } from '../../main/pricing/run-packs';
import { PricingService } from '../../main/pricing/service';
import { createStore, openStore, type Store } from '../../main/store/open';
import { createPortfolio } from '../../main/store/repositories/portfolios';
import { saveVaultChoice } from '../../main/vault/choose';
import { PassphraseVault, passphraseVaultFile } from '../../main/vault/passphrase-vault';
import { storePinning } from '../../main/workspace/app-price-source';
import { dataPaths } from '../../main/workspace/data-dir';
import { WorkspacePatterns } from '../../main/workspace/patterns-service';
import { Workspace } from '../../main/workspace/workspace';
import { patternEnvelopeSchema, type PatternEnvelope } from '../../shared/ipc/patterns';
import { cli, HAND_LEDGER, makeHandRepo, type HandRepo } from './agents-fixture';

const PASSPHRASE = 'pattern packs test passphrase';
const TEST_COST = { N: 2 ** 12, r: 8, p: 1 };

/** Business days 2024-01-08 .. 2024-01-19, priced like 01-05 (BMK rising by 1 a day). */
const LATER_DAYS = ['08', '09', '10', '11', '12', '15', '16', '17', '18', '19'].map((d) => `2024-01-${d}`);
const LEDGER =
  HAND_LEDGER +
  LATER_DAYS.map(
    (d, i) =>
      `${d} price AAA 12 USD\n${d} price EUX 22 EUR\n${d} price EUR 1.20 USD\n${d} price BMK ${104 + i} USD\n`,
  ).join('');
/** Business days from the first price (01-02) to the last (01-19). */
const CHAIN_LENGTH = 4 + LATER_DAYS.length;

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function vaultFor(home: string): PassphraseVault {
  return new PassphraseVault({
    file: passphraseVaultFile(dataPaths(home).store),
    passphrase: PASSPHRASE,
    cost: TEST_COST,
  });
}

async function newStore(home: string, repo?: string): Promise<Store> {
  const paths = dataPaths(home);
  saveVaultChoice(paths.settings, 'passphrase');
  const store = await createStore({ file: paths.store, vault: vaultFor(home) });
  if (repo !== undefined)
    createPortfolio(store.db, 'user', {
      portfolioId: 'main',
      name: 'Main',
      baseCurrency: 'USD',
      ledgerRepo: repo,
    });
  return store;
}

const count = (store: Store, table: string): number =>
  store.db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;

function builds(store: Store): Map<string, { pack_id: string; updated_at: string }> {
  const rows = store.db.prepare('SELECT as_of, pack_id, updated_at FROM pack_builds').all() as {
    as_of: string;
    pack_id: string;
    updated_at: string;
  }[];
  return new Map(rows.map((r) => [r.as_of, { pack_id: r.pack_id, updated_at: r.updated_at }]));
}

function hasPack(store: Store, packId: string): boolean {
  return store.db.prepare('SELECT 1 FROM pricing_packs WHERE pack_id = ?').get(packId) !== undefined;
}

async function cliRun(r: HandRepo, pattern: string, ...flags: string[]): Promise<PatternEnvelope> {
  const res = await cli(
    r,
    ['run', pattern, '--ledger', r.ledger, '--portfolio', 'main', '--json', ...flags],
    {
      DAWSOS_STORE_PASSPHRASE: PASSPHRASE,
    },
  );
  expect(res.err).toBe('');
  expect(res.code).toBe(0);
  return patternEnvelopeSchema.parse(JSON.parse(res.out));
}

async function appRun(store: Store, pattern: string, params: Record<string, string> = {}) {
  const patterns = new WorkspacePatterns({
    store: () => store,
    logger: createLogger({ sink: new MemorySink(), level: 'silent' }),
  });
  const pin = await patterns.pinning.pin({ portfolio_id: 'main' });
  return patterns.orchestrator.execute(pattern, { portfolio_id: 'main', ...pin, params });
}

const totalValue = (env: PatternEnvelope): string =>
  (env.panels.valuation!.data as { total_value: string }).total_value;

describe('runs with a store are valued with the stored chain', () => {
  let r: HandRepo;
  beforeAll(() => {
    r = makeHandRepo(LEDGER);
  });
  afterAll(() => rmSync(r.tmp, { recursive: true, force: true }));

  it('an app run and dawsos run --store cite a stored pack whose chain verifies; a second run builds nothing', async () => {
    let store = await newStore(r.home, r.repo);
    let appEnvelope: PatternEnvelope;
    try {
      appEnvelope = await appRun(store, 'portfolio_overview');
      expect(hasPack(store, appEnvelope.pricing_pack_id)).toBe(true);
      expect(verifyChain(store.db, appEnvelope.pricing_pack_id)).toEqual({
        ok: true,
        length: CHAIN_LENGTH,
        firstBroken: null,
      });
      expect(totalValue(appEnvelope)).toBe('1047.5');
      // BMK is priced but never held: the stored packs price it while it is quoted.
      const bmk = store.db
        .prepare("SELECT price FROM pack_prices WHERE pack_id = ? AND symbol = 'BMK'")
        .pluck()
        .get(appEnvelope.pricing_pack_id);
      expect(bmk).toBe(String(104 + LATER_DAYS.length - 1));
    } finally {
      store.close();
    }

    // The CLI in its own connection: same ledger, same packs, nothing new stored.
    const perf = await cliRun(r, 'performance', '--store', '--from', '2024-01-02', '--benchmark', 'BMK');
    expect(perf.pricing_pack_id).toBe(appEnvelope.pricing_pack_id);
    const benchmark = (perf.panels.performance!.data as Json).benchmark as Json;
    expect(benchmark.defined).toBe(true);
    // 113 / 100 - 1: the benchmark's closes came from the stored packs.
    expect(Number(benchmark.benchmarkReturn)).toBeCloseTo(0.13, 12);

    store = await openStore({ file: dataPaths(r.home).store, vault: vaultFor(r.home) });
    try {
      expect(count(store, 'pricing_packs')).toBe(CHAIN_LENGTH);
      const before = builds(store);
      const again = await appRun(store, 'risk', { benchmark: 'BMK' });
      expect(again.pricing_pack_id).toBe(appEnvelope.pricing_pack_id);
      expect(count(store, 'pricing_packs')).toBe(CHAIN_LENGTH);
      expect(builds(store)).toEqual(before);
    } finally {
      store.close();
    }
  });

  it('a commit that adds a holding on a recent date rebuilds the packs from that date only', async () => {
    const store = await openStore({ file: dataPaths(r.home).store, vault: vaultFor(r.home) });
    try {
      const before = builds(store);
      const packsBefore = count(store, 'pricing_packs');
      writeFileSync(
        r.ledger,
        `${LEDGER}
2024-01-01 commodity CCC
2024-01-17 * "Buy CCC"
  Assets:Broker:Stocks  1 CCC {50 USD}
  Assets:Broker:Cash  -50 USD
2024-01-17 price CCC 50 USD
2024-01-18 price CCC 51 USD
2024-01-19 price CCC 52 USD
`,
      );
      r.git('-c', 'commit.gpgsign=false', 'commit', '--quiet', '-am', 'buy CCC');
      const env = await appRun(store, 'portfolio_overview');
      expect(env.ledger_commit_hash).toBe(r.git('rev-parse', 'HEAD'));
      expect(totalValue(env)).toBe('1049.5'); // 1047.5 - 50 cash + 52 CCC
      const after = builds(store);
      const rebuilt = [...after.keys()]
        .filter((d) => after.get(d)!.pack_id !== before.get(d)!.pack_id)
        .sort();
      expect(rebuilt).toEqual(['2024-01-17', '2024-01-18', '2024-01-19']);
      for (const d of [...after.keys()].filter((d) => d < '2024-01-17'))
        expect(after.get(d)).toEqual(before.get(d));
      expect(count(store, 'pricing_packs')).toBe(packsBefore + 3);
      expect(verifyChain(store.db, env.pricing_pack_id)).toMatchObject({ ok: true, length: CHAIN_LENGTH });
    } finally {
      store.close();
    }
  });
});

describe('packs the store already holds, and the chain without a store', () => {
  let r: HandRepo;
  beforeAll(() => {
    r = makeHandRepo(LEDGER);
  });
  afterAll(() => rmSync(r.tmp, { recursive: true, force: true }));

  it('a pack built beforehand with other content is what the run uses', async () => {
    // A build from another source (a ledger file with AAA at 13 on 01-19) before any run.
    const other = path.join(r.tmp, 'other.beancount');
    writeFileSync(other, LEDGER.replace('2024-01-19 price AAA 12 USD', '2024-01-19 price AAA 13 USD'));
    const store = await newStore(r.home, r.repo);
    try {
      const report = await new PricingService({ db: () => store.db }).backfill(
        '2024-01-02',
        '2024-01-19',
        (await ledgerFileSource(other)).source,
      );
      const packs = count(store, 'pricing_packs');
      const env = await appRun(store, 'portfolio_overview');
      expect(env.pricing_pack_id).toBe(report.last_pack_id);
      expect(totalValue(env)).toBe('1077.5'); // 30 AAA at 13 instead of 12
      expect(count(store, 'pricing_packs')).toBe(packs);
    } finally {
      store.close();
    }
  });

  it('without a store the in-memory chain ends with the id a fresh store stores for the same ledger', async () => {
    const memory = await (await Workspace.open({ ledgerFile: r.ledger })).pin(null);
    const store = await newStore(path.join(r.tmp, 'fresh'));
    try {
      const stored = await (
        await Workspace.open({ ledgerFile: r.ledger })
      ).pin(null, undefined, {
        db: store.db,
      });
      expect(stored.pricing_pack_id).toBe(memory.pricing_pack_id);
      expect(verifyChain(store.db, stored.pricing_pack_id)).toMatchObject({ ok: true, length: CHAIN_LENGTH });
      // The chain reader's fast read gives exactly what the validating read gives.
      for (let id: string | null = stored.pricing_pack_id; id !== null;) {
        const pack: Pack = readPack(store.db, id)!;
        expect(readPackContent(store.db, id)).toEqual(contentOf(pack));
        id = pack.parent_pack_id;
      }
    } finally {
      store.close();
    }
    // The app's pinning (every portfolio's ledger + the run's) stores the same chain on a fresh store.
    const appStore = await newStore(path.join(r.tmp, 'fresh-app'), r.repo);
    try {
      const workspace = await Workspace.open({ ledgerFile: r.ledger });
      const viaApp = await workspace.pin(null, undefined, storePinning(appStore));
      expect(viaApp.pricing_pack_id).toBe(memory.pricing_pack_id);
      expect(hasPack(appStore, viaApp.pricing_pack_id)).toBe(true);
    } finally {
      appStore.close();
    }
  });
});

describe('ensureRunPacks', () => {
  let r: HandRepo;
  beforeAll(() => {
    r = makeHandRepo(LEDGER);
  });
  afterAll(() => rmSync(r.tmp, { recursive: true, force: true }));

  it('pins a weekend date with a leaf pack, rebuilds only after a date rebuilt on purpose, and answers a warm pin from memory', async () => {
    const workspace = await Workspace.open({ ledgerFile: r.ledger });
    const snapshot = await workspace.load(workspace.commit);
    const run = (asOf: string, key?: string) => ({
      entries: snapshot.entries,
      base: 'USD',
      operating: ['USD'],
      asOf,
      ...(key === undefined ? {} : { key }),
    });
    const store = await newStore(path.join(r.tmp, 'ensure'));
    try {
      // Saturday 01-13: the business days 01-02..01-12 and the Saturday itself.
      const saturday = await ensureRunPacks(store.db, run('2024-01-13'));
      expect(saturday.built!.dates.map((d) => d.as_of).at(-1)).toBe('2024-01-13');
      expect(verifyChain(store.db, saturday.packId)).toMatchObject({ ok: true, length: 10 });
      // A later run chains 01-15 to Friday 01-12, not to the Saturday pack, and builds only 01-15..01-19.
      const later = await ensureRunPacks(store.db, run('2024-01-19'));
      expect(later.built!.dates.map((d) => d.as_of)).toEqual(LATER_DAYS.slice(5));
      expect(later.prices.holds(saturday.packId)).toBe(false);
      expect(later.packId).toBe((await memoryRunPacks(run('2024-01-19'))).packId);

      // 01-10 rebuilt on purpose from another source: the next run rebuilds the dates after it only.
      const other = path.join(r.tmp, 'other.beancount');
      writeFileSync(other, LEDGER.replace('2024-01-10 price AAA 12 USD', '2024-01-10 price AAA 12.5 USD'));
      await new PricingService({ db: () => store.db }).build(
        '2024-01-10',
        (await ledgerFileSource(other)).source,
      );
      const rebuilt = await ensureRunPacks(store.db, run('2024-01-19', 'commit-a'));
      expect(rebuilt.built!.dates.map((d) => d.as_of)).toEqual(LATER_DAYS.slice(3));
      expect(rebuilt.prices.convert('AAA', 'USD', '2024-01-10')!.rate.toString()).toBe('12.5');
      expect(verifyChain(store.db, rebuilt.packId)).toMatchObject({ ok: true, length: CHAIN_LENGTH });

      // Warm: the verified pin and its chain are remembered for this connection.
      const packs = count(store, 'pricing_packs');
      const warm = await ensureRunPacks(store.db, run('2024-01-19', 'commit-a'));
      expect(warm.built).toBeNull();
      expect(warm.packId).toBe(rebuilt.packId);
      expect(warm.prices).toBe(rebuilt.prices);
      expect(count(store, 'pricing_packs')).toBe(packs);
    } finally {
      store.close();
    }
  });
});

describe('what the ledger knows better than a stored pack', () => {
  let r: HandRepo;
  beforeAll(() => {
    r = makeHandRepo(LEDGER);
  });
  afterAll(() => rmSync(r.tmp, { recursive: true, force: true }));

  async function entriesOf(text: string) {
    const file = path.join(r.tmp, `ledger-${Math.random().toString(36).slice(2)}.beancount`);
    writeFileSync(file, text);
    const workspace = await Workspace.open({ ledgerFile: file });
    return (await workspace.load(workspace.commit)).entries;
  }
  const run = (entries: Awaited<ReturnType<typeof entriesOf>>, key: string) => ({
    entries,
    base: 'USD',
    operating: ['USD'],
    asOf: '2024-01-19',
    key,
  });

  it('a price imported after its date was packed (carried) rebuilds from that date, and a rebuild on another connection is seen by a remembered pin', async () => {
    const late = '2024-01-12 price BMK 108 USD\n';
    expect(LEDGER).toContain(late);
    const store = await newStore(path.join(r.tmp, 'late'));
    let other: Store | null = null;
    try {
      // Commit 1 has no BMK close on 01-12: that pack carries 01-11's 107.
      const first = await ensureRunPacks(store.db, run(await entriesOf(LEDGER.replace(late, '')), 'c1'));
      expect(first.prices.convert('BMK', 'USD', '2024-01-12')!.rate.toString()).toBe('107');
      // Commit 2 adds it: the packs from 01-12 on are rebuilt, the ones before are kept.
      const second = await ensureRunPacks(store.db, run(await entriesOf(LEDGER), 'c2'));
      expect(second.built!.dates.map((d) => d.as_of)).toEqual(LATER_DAYS.slice(4));
      expect(second.prices.convert('BMK', 'USD', '2024-01-12')!.rate.toString()).toBe('108');
      expect(second.packId).toBe((await memoryRunPacks(run(await entriesOf(LEDGER), 'c2'))).packId);

      // Another connection (the app's pricing:build, another process) rebuilds 01-16 on purpose:
      // the pin remembered for commit 2 is checked again and the dates after 01-16 follow.
      other = await openStore({
        file: dataPaths(path.join(r.tmp, 'late')).store,
        vault: vaultFor(path.join(r.tmp, 'late')),
      });
      const file = path.join(r.tmp, 'other-16.beancount');
      writeFileSync(file, LEDGER.replace('2024-01-16 price AAA 12 USD', '2024-01-16 price AAA 13 USD'));
      await new PricingService({ db: () => other!.db }).build(
        '2024-01-16',
        (await ledgerFileSource(file)).source,
      );
      const third = await ensureRunPacks(store.db, run(await entriesOf(LEDGER), 'c2'));
      expect(third.packId).not.toBe(second.packId);
      expect(third.built!.dates.map((d) => d.as_of)).toEqual(LATER_DAYS.slice(7));
      expect(third.prices.convert('AAA', 'USD', '2024-01-16')!.rate.toString()).toBe('13');
      expect(verifyChain(store.db, third.packId)).toMatchObject({ ok: true, length: CHAIN_LENGTH });
    } finally {
      other?.close();
      store.close();
    }
  });

  it('a build another connection takes over halfway is checked again: the run uses the packs the store says each date has', async () => {
    const home = path.join(r.tmp, 'race');
    const store = await newStore(home);
    let other: Store | null = null;
    try {
      other = await openStore({ file: dataPaths(home).store, vault: vaultFor(home) });
      const otherDb = other.db;
      const file = path.join(r.tmp, 'other-10.beancount');
      writeFileSync(file, LEDGER.replace('2024-01-10 price AAA 12 USD', '2024-01-10 price AAA 12.5 USD'));
      const otherSource = (await ledgerFileSource(file)).source;
      const entries = await entriesOf(LEDGER);
      let raced = false;
      const result = await ensureRunPacks(store.db, {
        ...run(entries, 'race'),
        // While this run's build collects its prices, another connection builds 01-10 on purpose.
        source: (ledger) => {
          const own = runLedgerSource(ledger);
          return Promise.resolve({
            ...own,
            async collect(range, onStep) {
              const collected = await own.collect(range, onStep);
              if (!raced) {
                raced = true;
                await new PricingService({ db: () => otherDb }).build('2024-01-10', otherSource);
              }
              return collected;
            },
          });
        },
      });
      expect(raced).toBe(true);
      // The run's chain passes through the pack the store holds for every date, 01-10 included.
      const rows = store.db.prepare('SELECT as_of, pack_id FROM pack_builds').all() as {
        as_of: string;
        pack_id: string;
      }[];
      for (const row of rows)
        if (row.as_of <= '2024-01-19') expect(result.prices.holds(row.pack_id)).toBe(true);
      // (The other build's 01-10 pack chained to nothing: the dates before it were still warming under
      // this build. Checked again, it is not part of a chain, so the run built 01-10 on again.)
      expect(rows.find((row) => row.as_of === '2024-01-19')!.pack_id).toBe(result.packId);
      expect(verifyChain(store.db, result.packId)).toMatchObject({ ok: true, length: CHAIN_LENGTH });
    } finally {
      other?.close();
      store.close();
    }
  });
});

describe('two portfolios with different ledgers in one store', () => {
  let a: HandRepo;
  let b: HandRepo;
  beforeAll(() => {
    a = makeHandRepo(LEDGER);
    // Another ledger: its own portfolio name and a holding the first ledger never has.
    b = makeHandRepo(
      LEDGER.replaceAll('portfolio: "main"', 'portfolio: "other"') +
        `2024-01-01 commodity DDD
2024-01-03 * "Buy DDD"
  Assets:Broker:Stocks  2 DDD {30 USD}
  Assets:Broker:Cash  -60 USD
${['2024-01-03', '2024-01-04', '2024-01-05', ...LATER_DAYS].map((d) => `${d} price DDD 31 USD`).join('\n')}
`,
    );
  });
  afterAll(() => {
    rmSync(a.tmp, { recursive: true, force: true });
    rmSync(b.tmp, { recursive: true, force: true });
  });

  it("share the store's packs: neither rebuilds the other's", async () => {
    const store = await newStore(a.home, a.repo);
    try {
      createPortfolio(store.db, 'user', {
        portfolioId: 'other',
        name: 'Other',
        baseCurrency: 'USD',
        ledgerRepo: b.repo,
      });
      const patterns = new WorkspacePatterns({
        store: () => store,
        logger: createLogger({ sink: new MemorySink(), level: 'silent' }),
      });
      const run = async (portfolio_id: string) => {
        const pin = await patterns.pinning.pin({ portfolio_id });
        return patterns.orchestrator.execute('portfolio_overview', { portfolio_id, ...pin, params: {} });
      };
      const main = await run('main');
      const packs = count(store, 'pricing_packs');
      const before = builds(store);
      const other = await run('other');
      expect(other.pricing_pack_id).toBe(main.pricing_pack_id);
      expect(totalValue(other)).toBe('1049.5'); // 1047.5 - 60 cash + 2 DDD at 31
      expect((await run('main')).pricing_pack_id).toBe(main.pricing_pack_id);
      expect(count(store, 'pricing_packs')).toBe(packs);
      expect(builds(store)).toEqual(before);
    } finally {
      store.close();
    }
  });
});
