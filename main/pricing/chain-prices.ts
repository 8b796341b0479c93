// The agents' price port (main/agents/book/prices.ts `PriceSource`) over a chain of pricing packs:
// THE price source of every pattern run. Built from packs stored in the encrypted store
// (fromStore: the chain ending at a pack id, each pack's id re-verified from its rows) or from
// packs assembled in memory (fromPacks: a run without a store). The pinned `pricing_pack_id` is the
// last pack's id, so it pins every pack before it, and so every price a result used.
//
// convert(commodity, base, date) uses the pack of the latest chain date on or before `date` (never
// after the last pack's date): the commodity's price in its quote currency times the rate
// quote → base (the pack's direct pair, or 1 / the inverse pair rounded half-even to
// INVERSE_RATE_SIGNIFICANT_DIGITS); a currency converts with the rate alone. Every other product
// is exact (PricingDecimal). No other path is tried: a commodity the pack lacks (missing, or
// carried past MAX_CARRY_BUSINESS_DAYS) has no conversion, and the holding is reported unpriced.
//
// Speed: each pack's prices and rates are indexed in Maps once (decimal text, parsed only when a
// conversion is first asked), conversions are memoised per pack, histories per commodity. A chain
// read from the store can reuse the packs of chains already read (fromStore's `reuse`): packs are
// immutable, so a chain that extends a known one reads only its new packs.
import type { Conversion, PricePoint, PriceSource } from '../agents/book/prices';
import type { Db } from '../store/sqlcipher';
import { Dec } from '../analytics/decimal';
import { INVERSE_RATE_SIGNIFICANT_DIGITS, PricingDecimal } from './decimal';
import { PackNotFoundError } from './errors';
import type { PackContent } from './pack';
import { readPackContent } from './pack-store';

interface PriceEntry {
  readonly quote: string;
  readonly price: string;
  readonly date: string;
}
interface RateEntry {
  readonly rate: string;
  readonly date: string;
}

/** One pack of a chain, indexed for lookups. */
export interface IndexedPack {
  readonly id: string;
  readonly asOf: string;
  readonly parentId: string | null;
  /** commodity → its price. */
  readonly prices: ReadonlyMap<string, PriceEntry>;
  /** `${from}\u0000${to}` → rate (units of `to` per `from`). */
  readonly fx: ReadonlyMap<string, RateEntry>;
}

interface PackSlot extends IndexedPack {
  /** `${commodity}\u0000${base}` → conversion (null: none). */
  readonly memo: Map<string, Conversion | null>;
}

/** A pack as the chain reader takes it: canonical content with its id. */
export type ChainPackInput = PackContent & { readonly pack_id: string };

function index(id: string, content: PackContent): PackSlot {
  const prices = new Map<string, PriceEntry>();
  for (const p of content.prices)
    prices.set(p.commodity, { quote: p.quote_currency, price: p.price, date: p.price_date });
  const fx = new Map<string, RateEntry>();
  for (const r of content.fx) fx.set(`${r.from}\u0000${r.to}`, { rate: r.rate, date: r.rate_date });
  return { id, asOf: content.as_of, parentId: content.parent_pack_id, prices, fx, memo: new Map() };
}

function provenance(content: PackContent): [provider: string, dataset: string] {
  const sources = new Set(content.prices.map((p) => `${p.provider}\u0000${p.dataset}`));
  const [only] = [...sources];
  return sources.size === 1 && only ? (only.split('\u0000') as [string, string]) : ['mixed', 'pricing-pack'];
}

const ONE = new PricingDecimal(1);
/** Pack decimals are canonical text already (checked by the id): no normalising pass. */
const dec = (text: string): PricingDecimal => new PricingDecimal(text);
/**
 * What the agents receive: the analytics' decimal (MONEY_PRECISION significant digits), so their
 * sums and ratios run at their own precision, not at PRICING_PRECISION. A price, a rate or an
 * inverse rate (28 digits) fits exactly; a product is exact whenever it has at most
 * MONEY_PRECISION digits (a ledger price times a rate always has).
 */
const out = (value: PricingDecimal): Dec => new Dec(value);
const DEC_ONE = new Dec(1);
const IDENTITY = (base: string): Conversion => ({
  rate: DEC_ONE,
  quote: base,
  localPrice: null,
  localDate: null,
  fxRate: null,
  fxDate: null,
});

export class PackChainPrices implements PriceSource {
  readonly packId: string;
  readonly asOf: string;
  /** The latest pack's provider when all its prices share one, else "mixed" (see each price's own). */
  readonly provider: string;
  readonly dataset: string;
  /** Oldest first. */
  private readonly chain: readonly PackSlot[];
  private readonly positionOf = new Map<string, number>();
  private readonly histories = new Map<string, { quote: string; points: PricePoint[] } | null>();
  private allCommodities: string[] | null = null;

  private constructor(chain: readonly PackSlot[], provider: [string, string]) {
    if (chain.length === 0) throw new RangeError('a pack chain holds at least one pack');
    this.chain = chain;
    chain.forEach((p, i) => this.positionOf.set(p.id, i));
    const last = chain[chain.length - 1]!;
    this.packId = last.id;
    this.asOf = last.asOf;
    [this.provider, this.dataset] = provider;
  }

  /**
   * The chain ending at `packId`, read from the store. Walking back, a pack that one of `reuse`'s
   * chains already holds ends the read: that chain's packs up to it are taken as they are.
   * Throws PackNotFoundError when a pack of the chain is absent, PackIntegrityError when one's rows
   * do not hash to its id.
   */
  static fromStore(db: Db, packId: string, reuse: readonly PackChainPrices[] = []): PackChainPrices {
    const read: PackSlot[] = [];
    let prefix: readonly PackSlot[] = [];
    let lastContent: PackContent | null = null;
    let id: string | null = packId;
    while (id !== null) {
      const known = reuse.find((c) => c.positionOf.has(id!));
      if (known) {
        prefix = known.chain.slice(0, known.positionOf.get(id)! + 1);
        break;
      }
      const content = readPackContent(db, id);
      if (content === null) throw new PackNotFoundError(read.at(-1)?.asOf ?? 'the requested date', 'absent');
      lastContent ??= content;
      read.push(index(id, content));
      id = content.parent_pack_id;
    }
    const chain = [...prefix, ...read.reverse()];
    const last = chain[chain.length - 1]!;
    const known = reuse.find((c) => c.packId === last.id);
    return new PackChainPrices(
      chain,
      lastContent
        ? provenance(lastContent)
        : known
          ? [known.provider, known.dataset]
          : ['mixed', 'pricing-pack'],
    );
  }

  /** A chain of packs held in memory (oldest first, each the parent of the next). */
  static fromPacks(packs: readonly ChainPackInput[]): PackChainPrices {
    for (let i = 1; i < packs.length; i++)
      if (packs[i]!.parent_pack_id !== packs[i - 1]!.pack_id) throw new RangeError('packs are not a chain');
    const last = packs[packs.length - 1];
    return new PackChainPrices(
      packs.map((p) => index(p.pack_id, p)),
      last ? provenance(last) : ['mixed', 'pricing-pack'],
    );
  }

  /** Number of packs in the chain. */
  get packCount(): number {
    return this.chain.length;
  }

  /** The chain's packs, oldest first (read-only views). */
  packs(): readonly IndexedPack[] {
    return this.chain;
  }

  /** Whether the chain holds the pack `id`. */
  holds(id: string): boolean {
    return this.positionOf.has(id);
  }

  private packOn(date: string): PackSlot | null {
    let lo = 0;
    let hi = this.chain.length - 1;
    let found: PackSlot | null = null;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const pack = this.chain[mid]!;
      if (pack.asOf <= date) {
        found = pack;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  }

  private static rate(
    pack: PackSlot,
    from: string,
    to: string,
  ): { value: PricingDecimal; date: string } | null {
    const direct = pack.fx.get(`${from}\u0000${to}`);
    if (direct) return { value: dec(direct.rate), date: direct.date };
    const inverse = pack.fx.get(`${to}\u0000${from}`);
    if (!inverse) return null;
    return {
      value: ONE.div(dec(inverse.rate)).toSignificantDigits(
        INVERSE_RATE_SIGNIFICANT_DIGITS,
        PricingDecimal.ROUND_HALF_EVEN,
      ),
      date: inverse.date,
    };
  }

  convert(commodity: string, base: string, date: string): Conversion | null {
    if (commodity === base) return IDENTITY(base);
    const pack = this.packOn(date > this.asOf ? this.asOf : date);
    if (pack === null) return null;
    const key = `${commodity}\u0000${base}`;
    const hit = pack.memo.get(key);
    if (hit !== undefined) return hit;
    const out = PackChainPrices.conversion(pack, commodity, base);
    pack.memo.set(key, out);
    return out;
  }

  private static conversion(pack: PackSlot, commodity: string, base: string): Conversion | null {
    const price = pack.prices.get(commodity);
    if (!price) {
      const fx = PackChainPrices.rate(pack, commodity, base);
      if (!fx) return null;
      const rate = out(fx.value);
      return { rate, quote: base, localPrice: rate, localDate: fx.date, fxRate: null, fxDate: null };
    }
    const local = dec(price.price);
    if (price.quote === base) {
      const rate = out(local);
      return { rate, quote: base, localPrice: rate, localDate: price.date, fxRate: null, fxDate: null };
    }
    const fx = PackChainPrices.rate(pack, price.quote, base);
    if (!fx) return null;
    return {
      rate: out(local.mul(fx.value)),
      quote: price.quote,
      localPrice: out(local),
      localDate: price.date,
      fxRate: out(fx.value),
      fxDate: fx.date,
    };
  }

  /** The commodity's closes as the packs hold them, in its first quote currency, each close once. */
  history(commodity: string): { quote: string; points: PricePoint[] } | null {
    const hit = this.histories.get(commodity);
    if (hit !== undefined) return hit;
    let quote: string | null = null;
    const points: PricePoint[] = [];
    for (const pack of this.chain) {
      const price = pack.prices.get(commodity);
      if (!price) continue;
      quote ??= price.quote;
      if (price.quote !== quote) continue;
      // A carried price repeats an earlier close: the history keeps each close once, at its own date.
      if (points.length > 0 && points[points.length - 1]!.date >= price.date) continue;
      points.push({ date: price.date, price: new Dec(price.price) });
    }
    const out = quote === null ? null : { quote, points };
    this.histories.set(commodity, out);
    return out;
  }

  commodities(): string[] {
    if (this.allCommodities === null) {
      const all = new Set<string>();
      for (const pack of this.chain) for (const c of pack.prices.keys()) all.add(c);
      this.allCommodities = [...all].sort();
    }
    return [...this.allCommodities];
  }
}
