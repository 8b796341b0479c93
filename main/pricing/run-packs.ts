// The pricing packs a pattern run is pinned to. A run values a ledger (its entries at one commit)
// up to a date `asOf` with the chain of packs of chainDates(first price date, asOf): one pack per
// business day, and asOf itself, each chained to the one before. Its `pricing_pack_id` is the
// last pack's id.
//
// With a store (ensureRunPacks) the chain is the STORE's: for every date the store must hold a
// ready pack that covers what the ledger needs that date (the universe rule of ledger-source.ts:
// every needed commodity is priced or listed missing by that date's build, every needed currency
// has a rate to the run's base or is listed missing, and none of them carried from, or missing
// since, a date older than the run's ledger's latest directive for it on or before the pack's
// date) and that is chained to the previous date's pack. From the first date that fails these
// checks through asOf (only that range), the packs are built again (PricingService.backfillDates)
// from the caller's source; dates before it are reused as they are — including packs built
// earlier by `pricing:build` with provider history. A stored pack is never rebuilt because a later
// commit edited the value of an old price directive: what a ready pack covers and how recent its
// values are is checked, not the values (rebuild on purpose with `dawsos pricing build`, see
// docs/pricing-packs.md).
//
// Without a store (memoryRunPacks) the same chain is assembled in memory by the same loop
// (chain.ts) from the ledger alone, so on a fresh store both give the same pack ids.
//
// Per process, a verified (ledger key, asOf, base) → pack id is remembered per store connection
// with the pack id of every chain date (one indexed read checks it still holds: another connection
// or process may have rebuilt a date), and the last few chains read by pack id (packs are
// immutable), so a warm run reads one row per date and no pack.
import type { Entry } from '../ledger/types';
import type { Db } from '../store/sqlcipher';
import { buildPackChain, chainDates } from './chain';
import { PackChainPrices, type IndexedPack } from './chain-prices';
import { PackNotFoundError } from './errors';
import { ledgerPriceSource, ledgerUniverse, type LedgerUniverse } from './ledger-source';
import { buildsBetween, packHead, type BuildStatus } from './pack-store';
import type { PackUniverse } from './assemble';
import { PricingService, type BackfillReport } from './service';
import type { PriceSource } from './sources';

/** The ledger a run values, and the date it values it at. */
export interface RunLedger {
  readonly entries: readonly Entry[];
  /** The run's base currency (its packs need every rate to it). */
  readonly base: string;
  readonly operating: readonly string[];
  readonly asOf: string;
  /** What names `entries` (the ledger commit): with it, a verified pin is remembered per process. */
  readonly key?: string;
}

export interface EnsureRunPacksOptions extends RunLedger {
  /**
   * The source to build missing packs from, asked only when a build is needed. It must cover the
   * run's own ledger (default: the run's ledger alone); the app adds every portfolio's ledger so
   * two portfolios do not rebuild each other's packs in turn.
   */
  readonly source?: (run: RunLedger) => Promise<PriceSource>;
  readonly actor?: string;
  /** Hears how a build goes (dates with their pack so far, of the dates being built). */
  readonly onProgress?: (done: number, total: number) => void;
}

export interface RunPacks {
  /** The pack of asOf: the run's pricing_pack_id. */
  readonly packId: string;
  readonly prices: PackChainPrices;
  /** The backfill this call ran (null when the store already held every pack). */
  readonly built: BackfillReport | null;
}

/** Chains kept per process (each a few hundred bytes per price: a 10-year chain is tens of MB). */
export const CHAIN_CACHE_SIZE = 4;

const chains = new Map<string, PackChainPrices>();
/** A verified pin: the pack of asOf, and the pack ids every chain date had when it was verified. */
interface Verified {
  readonly packId: string;
  readonly fingerprint: string;
}
const verified = new WeakMap<Db, Map<string, Verified>>();

function fingerprint(dates: readonly string[], builds: ReadonlyMap<string, BuildStatus>): string {
  return dates.map((d) => builds.get(d)?.pack_id ?? '-').join(',');
}
const queues = new WeakMap<Db, Promise<unknown>>();

function remember(chain: PackChainPrices): PackChainPrices {
  chains.delete(chain.packId);
  chains.set(chain.packId, chain);
  while (chains.size > CHAIN_CACHE_SIZE) chains.delete(chains.keys().next().value!);
  return chain;
}

/** The chain ending at `packId`, from the per-process cache or read from the store (reusing cached prefixes). */
export function storedChain(db: Db, packId: string): PackChainPrices {
  const hit = chains.get(packId);
  if (hit) return remember(hit);
  return remember(PackChainPrices.fromStore(db, packId, [...chains.values()].reverse()));
}

/** The first price directive's date on or before asOf (where a run's chain starts), or null. */
export function firstPriceDate(entries: readonly Entry[], asOf: string): string | null {
  let first: string | null = null;
  for (const e of entries)
    if (e.kind === 'price' && e.date <= asOf && (first === null || e.date < first)) first = e.date;
  return first;
}

/** The run's own ledger as a price source (its price directives; its base currency). */
export function runLedgerSource(run: RunLedger): PriceSource {
  return ledgerPriceSource({
    entries: run.entries,
    baseCurrencies: [run.base],
    operatingCurrencies: run.operating,
  });
}

/** The run's chain assembled in memory from its ledger (no store). */
export async function memoryRunPacks(run: RunLedger): Promise<PackChainPrices> {
  const packs = await buildPackChain(
    runLedgerSource(run),
    firstPriceDate(run.entries, run.asOf) ?? run.asOf,
    run.asOf,
  );
  return PackChainPrices.fromPacks(packs);
}

/** What the run's ledger says about a date (ledgerUniverse after at(date)). */
export type LedgerQuotes = Pick<LedgerUniverse, 'lastPriceDate' | 'lastRateDate'>;

/**
 * Whether a pack covers what the run needs on its date: every needed commodity priced or listed
 * missing, every needed currency with a rate to the base or listed missing — and nothing the
 * run's ledger knows better: a price or rate the pack carries from an earlier date, or lists
 * missing, while the ledger has a directive for it dated after that (on or before the pack's
 * date), is not covered (prices imported late, or a missing price filled in afterwards).
 */
export function packCovers(
  pack: IndexedPack,
  needed: PackUniverse,
  base: string,
  build: BuildStatus,
  ledger: LedgerQuotes,
): boolean {
  const missingPrices = new Map<string, string | null>();
  const missingFx = new Map<string, string | null>();
  for (const m of build.missing)
    if (m.kind === 'price') missingPrices.set(m.commodity, m.last_date);
    else missingFx.set(`${m.from}\u0000${m.to}`, m.last_date);
  const needFx = new Set<string>(needed.currencies);
  for (const { commodity, quote_currency } of needed.commodities) {
    if (commodity === base) continue;
    const price = pack.prices.get(commodity);
    if (price) {
      const newer = ledger.lastPriceDate(commodity, price.quote);
      if (newer !== null && newer > price.date) return false;
      needFx.add(price.quote);
      continue;
    }
    if (missingPrices.has(commodity)) {
      const known = missingPrices.get(commodity) ?? null;
      const newer = quote_currency === undefined ? null : ledger.lastPriceDate(commodity, quote_currency);
      if (newer !== null && (known === null || newer > known)) return false;
      continue;
    }
    // Not priced as a commodity and not listed: when another ledger of the store uses the same
    // name for a currency it is covered as a currency (else every run would rebuild it again).
    needFx.add(commodity);
  }
  for (const currency of needFx) {
    if (currency === base) continue;
    const rate = pack.fx.get(`${currency}\u0000${base}`) ?? pack.fx.get(`${base}\u0000${currency}`);
    const newer = ledger.lastRateDate(currency, base);
    if (rate) {
      if (newer !== null && newer > rate.date) return false;
      continue;
    }
    const key = `${currency}\u0000${base}`;
    if (!missingFx.has(key)) return false;
    const known = missingFx.get(key) ?? null;
    if (newer !== null && (known === null || newer > known)) return false;
  }
  return true;
}

/**
 * Makes sure the store holds the run's chain (see the top of this file) and returns the pack of
 * asOf with a reader over the stored chain. Calls on one store connection run one at a time.
 */
export function ensureRunPacks(db: Db, options: EnsureRunPacksOptions): Promise<RunPacks> {
  const previous = queues.get(db) ?? Promise.resolve();
  const next = previous.then(
    () => ensure(db, options),
    () => ensure(db, options),
  );
  queues.set(
    db,
    next.catch(() => undefined),
  );
  return next;
}

/**
 * The index of the first chain date whose stored pack does not serve the run (see the top of this
 * file), or dates.length when every one does.
 */
function firstUnserved(
  db: Db,
  options: EnsureRunPacksOptions,
  dates: readonly string[],
  builds: ReadonlyMap<string, BuildStatus>,
): number {
  // 1. Each date has a ready pack, chained to the previous date's (read from the pack heads).
  let failAt = dates.findIndex((d, i) => {
    const b = builds.get(d);
    if (!b || (b.state !== 'ready' && b.state !== 'ready_carried') || b.pack_id === null) return true;
    if (i === 0) return false;
    return packHead(db, b.pack_id)?.parent_pack_id !== builds.get(dates[i - 1]!)!.pack_id;
  });
  if (failAt < 0) failAt = dates.length;
  // 2. Each of those packs covers what the run needs on its date (read from the chain they form).
  if (failAt > 0) {
    const chain = storedChain(db, builds.get(dates[failAt - 1]!)!.pack_id!);
    const byId = new Map(chain.packs().map((p) => [p.id, p]));
    const universe = ledgerUniverse(options.entries, [options.base], options.operating);
    for (let i = 0; i < failAt; i++) {
      const build = builds.get(dates[i]!)!;
      const pack = byId.get(build.pack_id!);
      if (!pack || !packCovers(pack, universe.at(dates[i]!), options.base, build, universe)) return i;
    }
  }
  return failAt;
}

/**
 * Builds before giving up. Another connection (the app's pricing:build, another process) may build
 * the same dates at the same time and take some over, so what a build stored is checked again
 * like any stored chain before the run uses it; a build that lost a date builds again from there.
 */
export const RUN_PACK_BUILD_ATTEMPTS = 3;

async function ensure(db: Db, options: EnsureRunPacksOptions): Promise<RunPacks> {
  const { asOf, base } = options;
  const memoKey = options.key === undefined ? null : `${options.key}\u0000${asOf}\u0000${base}`;
  let known = verified.get(db);
  if (!known) verified.set(db, (known = new Map<string, Verified>()));
  const dates = chainDates(firstPriceDate(options.entries, asOf) ?? asOf, asOf);
  let builds = buildsBetween(db, dates[0]!, asOf);
  if (memoKey !== null) {
    // A verified pin holds while every date still has the pack it had then (another connection or
    // process may have rebuilt a date since: then check again).
    const hit = known.get(memoKey);
    if (hit !== undefined && hit.fingerprint === fingerprint(dates, builds))
      return { packId: hit.packId, prices: storedChain(db, hit.packId), built: null };
  }
  let built: BackfillReport | null = null;
  for (let attempt = 0; ; attempt++) {
    const failAt = firstUnserved(db, options, dates, builds);
    if (failAt === dates.length) {
      const packId = builds.get(asOf)!.pack_id!;
      const prices = storedChain(db, packId);
      if (memoKey !== null) known.set(memoKey, { packId, fingerprint: fingerprint(dates, builds) });
      return { packId, prices, built };
    }
    if (attempt === RUN_PACK_BUILD_ATTEMPTS) throw new PackNotFoundError(asOf, 'failed');
    const run: RunLedger = options;
    const source = options.source ? await options.source(run) : runLedgerSource(run);
    built = await new PricingService({
      db: () => db,
      ...(options.actor ? { actor: options.actor } : {}),
    }).backfillDates(dates.slice(failAt), source, undefined, options.onProgress);
    builds = buildsBetween(db, dates[0]!, asOf);
  }
}
