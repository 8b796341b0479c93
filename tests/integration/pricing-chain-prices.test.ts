// The agents' price port over a pricing pack chain agrees with the agents' interim ledger adapter
// on the same ledger (where prices are within the carry window), reads its packs from a real
// encrypted store, and refuses a chain whose rows were changed.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { LedgerPriceSource } from '../../main/agents/book/prices';
import { FsLedgerSource } from '../../main/ledger/fs-source';
import { loadLedger } from '../../main/ledger/loader';
import { PackChainPrices } from '../../main/pricing/chain-prices';
import { PackIntegrityError } from '../../main/pricing/errors';
import { ledgerFileSource } from '../../main/pricing/ledger-file';
import { PricingService } from '../../main/pricing/service';
import { createStore, type Store } from '../../main/store/open';
import { MemoryVault } from '../../main/vault/memory-vault';

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
2024-01-04 price SAP 152.5 EUR
2024-01-02 price EUR 1.10 USD
2024-01-05 price EUR 1.0925 USD
`;

let dir: string;
let store: Store;
let file: string;
beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dawsos-chain-prices-'));
  file = path.join(dir, 'main.beancount');
  fs.writeFileSync(file, LEDGER);
  store = await createStore({ file: path.join(dir, 'dawsos.db'), vault: new MemoryVault() });
});
afterEach(() => {
  store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

it('converts and lists history as the interim ledger adapter does, from the packs', async () => {
  const report = await new PricingService({ db: () => store.db }).backfill(
    '2024-01-02',
    '2024-01-05',
    (await ledgerFileSource(file)).source,
  );
  const packs = PackChainPrices.fromStore(store.db, report.last_pack_id!);
  const ledger = await loadLedger(new FsLedgerSource(dir), 'main.beancount');
  const interim = new LedgerPriceSource(ledger.entries, '2024-01-05');
  expect(packs.asOf).toBe('2024-01-05');
  expect(packs.provider).toBe('ledger');
  for (const date of ['2024-01-02', '2024-01-03', '2024-01-04', '2024-01-05'])
    for (const commodity of ['VTI', 'SAP', 'EUR', 'USD']) {
      const a = packs.convert(commodity, 'USD', date);
      const b = interim.convert(commodity, 'USD', date);
      expect(a?.rate.toString(), `${commodity} ${date}`).toBe(b?.rate.toString());
      expect(a?.localDate ?? null).toBe(b?.localDate ?? null);
    }
  for (const commodity of ['VTI', 'SAP']) {
    const a = packs.history(commodity)!;
    const b = interim.history(commodity)!;
    expect(a.quote).toBe(b.quote);
    expect(a.points.map((p) => [p.date, p.price.toString()])).toEqual(
      b.points.map((p) => [p.date, p.price.toString()]),
    );
  }
  expect(packs.commodities()).toEqual(['SAP', 'VTI']);
  expect(packs.convert('VTI', 'USD', '2023-12-29')).toBeNull();

  store.db.exec('DROP TRIGGER pack_fx_no_update');
  store.db.prepare("UPDATE pack_fx SET rate = '2'").run();
  expect(() => PackChainPrices.fromStore(store.db, report.last_pack_id!)).toThrow(PackIntegrityError);
});
