// Pricing packs in a real encrypted store, built offline from a real ledger file's price
// directives: carried prices keep their own date, stale ones are missing (never zero), rebuilding
// stores nothing new, each pack pins its chain, a warming date refuses valuations with its
// progress, and no pricing API can change a stored pack (fast-check).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UserFacingError } from '../../shared/errors';
import { ledgerFileSource } from '../../main/pricing/ledger-file';
import { PriceHistory } from '../../main/pricing/history';
import { PackIntegrityError, PackNotFoundError, PackWarmingError } from '../../main/pricing/errors';
import { contentOf, computePackId, type Pack } from '../../main/pricing/pack';
import { countPacks, readPack, storePack, verifyChain } from '../../main/pricing/pack-store';
import { PricingService } from '../../main/pricing/service';
import type { PriceSource } from '../../main/pricing/sources';
import { packContentArb } from '../../main/pricing/testing';
import { valuePositions } from '../../main/pricing/valuation';
import { createStore, type Store } from '../../main/store/open';
import { MemoryVault } from '../../main/vault/memory-vault';
import { FsLedgerSource } from '../../main/ledger/fs-source';
import { loadLedger } from '../../main/ledger/loader';
import { ledgerPositions } from '../../main/pricing/ledger-source';

const LEDGER = `option "operating_currency" "USD"
2024-01-01 open Assets:Broker
2024-01-01 open Assets:Cash
2024-01-02 * "buy"
  Assets:Broker  10 VTI {200 USD}
  Assets:Broker  5 SAP {150 EUR}
  Assets:Cash  -2000 USD
  Assets:Cash  -750 EUR
2024-01-02 price VTI 201.50 USD
2024-01-03 price VTI 202.00 USD
2024-01-02 price SAP 151 EUR
2024-01-02 price EUR 1.10 USD
2024-01-10 price VTI 205.25 USD
`;

let dir: string;
let store: Store;
let service: PricingService;
let ledgerFile: string;

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dawsos-pricing-'));
  ledgerFile = path.join(dir, 'ledger', 'main.beancount');
  fs.mkdirSync(path.dirname(ledgerFile));
  fs.writeFileSync(ledgerFile, LEDGER);
  store = await createStore({ file: path.join(dir, 'dawsos.db'), vault: new MemoryVault() });
  service = new PricingService({ db: () => store.db });
});
afterEach(() => {
  store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function ledgerSource(text = LEDGER): Promise<PriceSource> {
  fs.writeFileSync(ledgerFile, text);
  return (await ledgerFileSource(ledgerFile)).source;
}

function rowCounts(): Record<string, number> {
  const out: Record<string, number> = {};
  for (const t of ['pricing_packs', 'pack_prices', 'pack_fx', 'audit_log'])
    out[t] = store.db.prepare(`SELECT count(*) FROM ${t}`).pluck().get() as number;
  return out;
}

describe('packs from ledger price directives (offline, no keys)', () => {
  it('prices every held commodity, marks carried prices with their own date, and values exactly', async () => {
    const built = await service.build('2024-01-03', await ledgerSource());
    expect(built).toMatchObject({
      state: 'ready_carried',
      prices: 2,
      fx: 1,
      carried: 2,
      missing: [],
      created: true,
    });
    const pack = service.packFor('2024-01-03');
    expect(pack.pack_id).toBe(built.pack_id);
    expect(pack.prices.map((p) => [p.commodity, p.price, p.price_date, p.carried, p.provider])).toEqual([
      ['SAP', '151', '2024-01-02', true, 'ledger'],
      ['VTI', '202', '2024-01-03', false, 'ledger'],
    ]);
    expect(pack.fx).toEqual([
      {
        from: 'EUR',
        to: 'USD',
        rate: '1.1',
        rate_date: '2024-01-02',
        carried: true,
        provider: 'ledger',
        dataset: 'price-directives',
      },
    ]);
    const ledger = await loadLedger(new FsLedgerSource(path.dirname(ledgerFile)), 'main.beancount');
    const valuation = service.value('2024-01-03', ledgerPositions(ledger.entries, '2024-01-03'), 'USD');
    // 10 × 202 + 5 × 151 × 1.1 − 2000 − 750 × 1.1
    expect(valuation.total).toBe('25.5');
    expect(valuation.complete).toBe(true);
    expect(valuation.prices_used.every((p) => p.pack_id === pack.pack_id)).toBe(true);
    expect(service.status({ date: '2024-01-03' }).builds[0]).toMatchObject({
      state: 'ready_carried',
      carried: 2,
    });
  });

  it('beyond the carry window a commodity is missing, listed, and never valued at zero', async () => {
    // 2024-01-12: VTI from 01-10 (2 business days) is carried; SAP and EUR from 01-02 (8) are too old.
    const built = await service.build('2024-01-12', await ledgerSource());
    expect(built.missing).toEqual(['SAP', 'EUR/USD']);
    const valuation = valuePositions(
      [
        { account: 'Assets:Broker', commodity: 'VTI', units: '10' },
        { account: 'Assets:Broker', commodity: 'SAP', units: '5' },
      ],
      service.packFor('2024-01-12'),
      'USD',
    );
    expect(valuation.positions).toEqual([
      { account: 'Assets:Broker', commodity: 'VTI', units: '10', value: '2052.5' },
    ]);
    expect(valuation.missing).toEqual([{ account: 'Assets:Broker', commodity: 'SAP', reason: 'no-price' }]);
    expect(valuation.complete).toBe(false);
  });

  it('building the same pack twice from the same inputs gives the same id and stores nothing new', async () => {
    const first = await service.build('2024-01-03', await ledgerSource());
    const before = rowCounts();
    const second = await service.build('2024-01-03', await ledgerSource());
    expect(second.pack_id).toBe(first.pack_id);
    expect(second.created).toBe(false);
    expect(rowCounts()).toEqual(before);
  });

  it('chains each date to the one before; the last id pins the whole range', async () => {
    const report = await service.backfill('2024-01-02', '2024-01-12', await ledgerSource());
    expect(report.packs).toBe(9);
    report.dates.forEach((d, i) =>
      expect(d.parent_pack_id).toBe(i === 0 ? null : report.dates[i - 1]!.pack_id),
    );
    expect(verifyChain(store.db, report.last_pack_id!)).toEqual({ ok: true, length: 9, firstBroken: null });

    // A changed price on 01-04 leaves earlier ids alone and changes every id from 01-04 on.
    const other = await createStore({ file: path.join(dir, 'other.db'), vault: new MemoryVault() });
    try {
      const changed = await new PricingService({ db: () => other.db }).backfill(
        '2024-01-02',
        '2024-01-12',
        await ledgerSource(`${LEDGER}2024-01-04 price SAP 152 EUR\n`),
      );
      const same = report.dates.map((d, i) => d.pack_id === changed.dates[i]!.pack_id);
      expect(same).toEqual([true, true, false, false, false, false, false, false, false]);
    } finally {
      other.close();
    }
  });

  it('notices a pack whose rows were changed behind its back (triggers removed with the key)', async () => {
    const report = await service.backfill('2024-01-02', '2024-01-04', await ledgerSource());
    const middle = report.dates[1]!.pack_id;
    store.db.exec('DROP TRIGGER pack_prices_no_update');
    store.db.prepare("UPDATE pack_prices SET price = '999' WHERE pack_id = ? AND symbol = 'VTI'").run(middle);
    expect(() => readPack(store.db, middle)).toThrow(PackIntegrityError);
    expect(verifyChain(store.db, report.last_pack_id!)).toEqual({
      ok: false,
      length: 1,
      firstBroken: middle,
    });
  });
});

/** A source that stops half-way until the test releases it. */
function gatedSource(history: PriceHistory): { source: PriceSource; release(): void; fail(e: Error): void } {
  let release!: () => void;
  let fail!: (e: Error) => void;
  const gate = new Promise<void>((resolve, reject) => {
    release = resolve;
    fail = reject;
  });
  return {
    release: () => release(),
    fail: (e) => fail(e),
    source: {
      kind: 'providers',
      steps: () => 2,
      async collect(_range, onStep) {
        onStep(1);
        await gate;
        onStep(2);
        return {
          history,
          failures: [],
          universeAt: () => ({
            commodities: [{ commodity: 'VTI' }],
            currencies: [],
            baseCurrencies: ['USD'],
          }),
        };
      },
    },
  };
}

describe('warming', () => {
  const history = new PriceHistory();
  history.addPrice({
    commodity: 'VTI',
    quote_currency: 'USD',
    date: '2024-01-05',
    price: '210',
    provider: 'fmp',
    dataset: 'eod',
  });

  it('a valuation of a warming date is refused with its progress, never half-priced', async () => {
    const gated = gatedSource(history);
    const building = service.build('2024-01-05', gated.source);
    await new Promise((resolve) => setImmediate(resolve));
    let error: unknown;
    try {
      service.value('2024-01-05', [{ account: 'A', commodity: 'VTI', units: '1' }], 'USD');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PackWarmingError);
    expect(error).toBeInstanceOf(UserFacingError);
    expect(error).toMatchObject({
      code: 'PACK_WARMING',
      date: '2024-01-05',
      progress: { done: 1, total: 3 },
    });
    expect(service.status({ date: '2024-01-05' }).builds[0]).toMatchObject({
      state: 'warming',
      progress: { done: 1, total: 3 },
    });
    gated.release();
    await building;
    expect(service.value('2024-01-05', [{ account: 'A', commodity: 'VTI', units: '2' }], 'USD').total).toBe(
      '420',
    );
  });

  it('a rebuild makes the date warming again; a failed source leaves it failed, and valuations refuse both', async () => {
    const first = gatedSource(history);
    first.release();
    await service.build('2024-01-05', first.source);
    const gated = gatedSource(history);
    const rebuilding = service.build('2024-01-05', gated.source);
    await new Promise((resolve) => setImmediate(resolve));
    expect(() => service.packFor('2024-01-05')).toThrow(PackWarmingError);
    gated.fail(Object.assign(new Error('down'), { code: 'PROVIDER_UNAVAILABLE' }));
    await expect(rebuilding).rejects.toThrow('down');
    expect(service.status({ date: '2024-01-05' }).builds[0]).toMatchObject({
      state: 'failed',
      error_code: 'PROVIDER_UNAVAILABLE',
    });
    expect(() => service.packFor('2024-01-05')).toThrow(PackNotFoundError);
    expect(() => service.packFor('2024-01-08')).toThrow(PackNotFoundError);
  });
});

describe('determinism (property)', () => {
  const observation = fc.record({
    commodity: fc.constantFrom('AAA', 'BBB', 'CCC', 'EUR'),
    day: fc.integer({ min: 1, max: 20 }),
    price: fc
      .tuple(fc.integer({ min: 0, max: 5000 }), fc.integer({ min: 0, max: 99 }))
      .map(([i, f]) => `${i}.${f}`),
  });

  function sourceOf(observations: { commodity: string; day: number; price: string }[]): PriceSource {
    return {
      kind: 'providers',
      steps: () => 1,
      collect(_range, onStep) {
        const history = new PriceHistory();
        for (const o of observations) {
          const date = `2024-01-${String(o.day).padStart(2, '0')}`;
          if (o.commodity === 'EUR')
            history.addRate({
              from: 'EUR',
              to: 'USD',
              date,
              rate: o.price,
              provider: 'polygon',
              dataset: 'fx',
            });
          else
            history.addPrice({
              commodity: o.commodity,
              quote_currency: 'EUR',
              date,
              price: o.price,
              provider: 'fmp',
              dataset: 'eod',
            });
        }
        onStep(1);
        return Promise.resolve({
          history,
          failures: [],
          universeAt: () => ({
            commodities: ['AAA', 'BBB', 'CCC'].map((commodity) => ({ commodity })),
            currencies: ['EUR'],
            baseCurrencies: ['USD'],
          }),
        });
      },
    };
  }

  it('building the same range twice from the same inputs gives the same ids and stores nothing new; other inputs, other ids', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        // One value per commodity and day (two different closes for one day are conflicting inputs: the last wins).
        fc.uniqueArray(observation, { maxLength: 30, selector: (o) => `${o.commodity}/${o.day}` }),
        observation,
        async (observations, extra) => {
          run += 1;
          const fresh = await createStore({
            file: path.join(dir, `det-${run}.db`),
            vault: new MemoryVault(),
          });
          try {
            const s = new PricingService({ db: () => fresh.db });
            const first = await s.backfill('2024-01-08', '2024-01-19', sourceOf(observations));
            const counts = fresh.db.prepare('SELECT count(*) FROM pack_prices').pluck().get();
            // The same observations in another order: the same packs.
            const second = await s.backfill(
              '2024-01-08',
              '2024-01-19',
              sourceOf([...observations].reverse()),
            );
            expect(second.dates.map((d) => d.pack_id)).toEqual(first.dates.map((d) => d.pack_id));
            expect(second.created).toBe(0);
            expect(fresh.db.prepare('SELECT count(*) FROM pack_prices').pluck().get()).toBe(counts);
            // One more observation that a pack uses changes that pack's id and every later one.
            const changed = await s.backfill('2024-01-08', '2024-01-19', sourceOf([...observations, extra]));
            const extraDate = `2024-01-${String(extra.day).padStart(2, '0')}`;
            const differs = changed.dates.map((d, i) => d.pack_id !== first.dates[i]!.pack_id);
            const firstDiff = differs.indexOf(true);
            if (firstDiff >= 0) {
              expect(differs.slice(firstDiff).every(Boolean)).toBe(true);
              expect(changed.dates[firstDiff]!.as_of >= extraDate).toBe(true);
            }
          } finally {
            fresh.close();
          }
        },
      ),
      { numRuns: 25 },
    );
  }, 120_000);
});

describe('immutability through every pricing API (property)', () => {
  it('random attempted edits leave a stored pack and its id unchanged; changed input gives a new id', async () => {
    const source = await ledgerSource();
    await fc.assert(
      fc.asyncProperty(
        packContentArb,
        fc.constantFrom(
          'store-changed',
          'mutate-read',
          'valuation',
          'sql-update',
          'sql-delete',
          'sql-insert',
          'rebuild',
        ),
        fc.nat(),
        async (content, attack, n) => {
          const parent =
            content.parent_pack_id === null
              ? null
              : storePack(store.db, {
                  ...content,
                  parent_pack_id: null,
                  as_of: '2024-03-14',
                  prices: [],
                  fx: [],
                }).pack.pack_id;
          const original = storePack(store.db, { ...content, parent_pack_id: parent }).pack;
          const snapshot = JSON.stringify(original);
          const rows = rowCounts();
          switch (attack) {
            case 'store-changed': {
              const row = original.prices[n % Math.max(1, original.prices.length)];
              const changed = row
                ? {
                    ...contentOf(original),
                    prices: original.prices.map((p) => (p === row ? { ...p, price: `${p.price}7` } : p)),
                  }
                : {
                    ...contentOf(original),
                    as_of: '2024-03-16',
                    fx: original.fx.map((r) => ({ ...r, carried: true })),
                  };
              const stored = storePack(store.db, changed).pack;
              expect(stored.pack_id).not.toBe(original.pack_id);
              expect(stored.pack_id).toBe(computePackId(changed));
              break;
            }
            case 'mutate-read': {
              const read = readPack(store.db, original.pack_id) as Pack;
              expect(() => {
                (read as { as_of: string }).as_of = '1999-01-01';
              }).toThrow(TypeError);
              expect(() => (read.prices as unknown[]).push({})).toThrow(TypeError);
              break;
            }
            case 'valuation':
              valuePositions(
                original.prices.map((p) => ({ account: 'A', commodity: p.commodity, units: '-3.5' })),
                original,
                'USD',
              );
              break;
            case 'sql-update':
              // Triggers fire per row: only a pack with rows in a table can be attacked there.
              if (original.prices.length > 0)
                expect(() =>
                  store.db
                    .prepare("UPDATE pack_prices SET price = '1' WHERE pack_id = ?")
                    .run(original.pack_id),
                ).toThrow(/immutable/);
              expect(() =>
                store.db
                  .prepare("UPDATE pricing_packs SET as_of = '2000-01-01' WHERE pack_id = ?")
                  .run(original.pack_id),
              ).toThrow(/immutable/);
              break;
            case 'sql-delete':
              if (original.fx.length > 0)
                expect(() =>
                  store.db.prepare('DELETE FROM pack_fx WHERE pack_id = ?').run(original.pack_id),
                ).toThrow(/immutable/);
              expect(() =>
                store.db.prepare('DELETE FROM pricing_packs WHERE pack_id = ?').run(original.pack_id),
              ).toThrow(/immutable/);
              break;
            case 'sql-insert':
              expect(() =>
                store.db
                  .prepare(
                    "INSERT INTO pack_prices (pack_id, symbol, price, currency, provider, dataset, price_date, carried) VALUES (?, 'ZZZZZ', '1', 'USD', 'x', 'y', '2024-03-15', 0)",
                  )
                  .run(original.pack_id),
              ).toThrow(/immutable/);
              break;
            case 'rebuild':
              await service.build(original.as_of, source);
              break;
          }
          if (attack === 'mutate-read' || attack === 'valuation' || attack.startsWith('sql'))
            expect(rowCounts()).toEqual(rows);
          const after = readPack(store.db, original.pack_id);
          expect(JSON.stringify(after)).toBe(snapshot);
          expect(computePackId(contentOf(after!))).toBe(original.pack_id);
        },
      ),
      { numRuns: 60 },
    );
    expect(countPacks(store.db)).toBeGreaterThan(0);
  }, 120_000);
});
