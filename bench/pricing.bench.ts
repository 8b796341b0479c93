// Pricing pack backfill: 200 securities × 10 years (the fake FMP server's full fixture) plus the
// EUR/USD rate from the fake Polygon server, into a real encrypted store: one pack per business
// day, chained. Prints the HTTP requests made (200 FMP + 1 Polygon expected), the packs stored,
// and how long fetching, assembling/storing and re-running (nothing new to store) took.
// Run: npx tsx bench/pricing.bench.ts   (optional: PACKS_PER_TRANSACTION is in main/pricing/service.ts)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { providerPriceSource, type SecuritySpec } from '../main/pricing/provider-source';
import { verifyChain } from '../main/pricing/pack-store';
import { PACKS_PER_TRANSACTION, PricingService } from '../main/pricing/service';
import type { PriceSource } from '../main/pricing/sources';
import { createStore } from '../main/store/open';
import { MemoryVault } from '../main/vault/memory-vault';
import { FIXTURE_END, FIXTURE_START, SYMBOLS, startProviderServers } from '../tests/support/provider-servers';
import { TEST_KEYS, testRegistry } from '../tests/support/provider-servers/test-registry';

function timed(source: PriceSource, marks: { collected: number }): PriceSource {
  return {
    ...source,
    async collect(range, onStep) {
      const result = await source.collect(range, onStep);
      marks.collected = performance.now();
      return result;
    },
  };
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dawsos-pricing-bench-'));
  const servers = await startProviderServers({ keys: TEST_KEYS });
  const { registry } = testRegistry(servers, { requestTimeoutMs: 30_000 });
  const store = await createStore({ file: path.join(dir, 'dawsos.db'), vault: new MemoryVault() });
  try {
    const securities: SecuritySpec[] = SYMBOLS.map((symbol) => ({
      commodity: symbol.replace('.', '-'),
      symbol,
      currency: 'USD',
      provider: 'fmp',
    }));
    const source = providerPriceSource({
      securities,
      fxPairs: [{ from: 'EUR', to: 'USD' }],
      baseCurrencies: ['USD', 'EUR'],
      fmp: registry.fmp,
      polygon: registry.polygon,
    });
    const service = new PricingService({ db: () => store.db });
    const marks = { collected: 0 };
    const start = performance.now();
    const report = await service.backfill(FIXTURE_START, FIXTURE_END, timed(source, marks));
    const end = performance.now();
    const fmpRequests = servers.fmp.requestCount();
    const polygonRequests = servers.polygon.requestCount();
    const again = performance.now();
    const rerun = await service.backfill(FIXTURE_START, FIXTURE_END, source);
    const rerunEnd = performance.now();
    const chainStart = performance.now();
    const chain = verifyChain(store.db, report.last_pack_id!);
    const chainEnd = performance.now();
    const prices = store.db.prepare('SELECT count(*) FROM pack_prices').pluck().get() as number;
    const size =
      fs.statSync(path.join(dir, 'dawsos.db')).size +
      (fs.existsSync(path.join(dir, 'dawsos.db-wal'))
        ? fs.statSync(path.join(dir, 'dawsos.db-wal')).size
        : 0);
    const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
    console.log(
      `pricing backfill: ${securities.length} securities + 1 FX pair, ${FIXTURE_START}..${FIXTURE_END}`,
    );
    console.log(
      `  HTTP requests          ${fmpRequests + polygonRequests} (FMP ${fmpRequests}, Polygon ${polygonRequests})`,
    );
    console.log(
      `  packs stored           ${report.created} of ${report.packs} dates (${prices} price rows), ${PACKS_PER_TRANSACTION} packs per transaction`,
    );
    console.log(`  fetch (bulk history)   ${s(marks.collected - start)}`);
    console.log(
      `  assemble + store       ${s(end - marks.collected)} (${((end - marks.collected) / report.packs).toFixed(2)} ms per pack)`,
    );
    console.log(`  total                  ${s(end - start)}`);
    console.log(
      `  re-run, nothing new    ${s(rerunEnd - again)} (created ${rerun.created}, same last id: ${rerun.last_pack_id === report.last_pack_id}, ${servers.fmp.requestCount() + servers.polygon.requestCount() - fmpRequests - polygonRequests} more requests)`,
    );
    console.log(
      `  verify whole chain     ${s(chainEnd - chainStart)} (${chain.length} packs, ok ${chain.ok})`,
    );
    console.log(`  store size             ${(size / 1024 / 1024).toFixed(1)} MiB`);
  } finally {
    store.close();
    registry.close();
    await servers.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

await main();
