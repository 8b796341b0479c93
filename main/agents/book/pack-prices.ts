// The agents' PriceSource over pricing packs (main/pricing, format dawsos-pack-v1): one pack per
// business day from the ledger's first price date to the pack date (and the pack date itself when
// it is not a business day), each chained to the previous one by parent_pack_id, assembled offline
// from the ledger's price directives by the pricing module's own ledger source and assembler. The
// pinned `pricing_pack_id` is the last pack's id, so it pins every pack before it, and so every
// price a result used. A price on a date is read from the latest pack dated on or before it: what
// the pack holds (carried at most MAX_CARRY_BUSINESS_DAYS business days, never invented), or
// nothing, in which case the holding is reported unpriced.
//
// The pack universe is every commodity the ledger prices (not only what is held on that date), so
// a benchmark that is not held is pinned by the same pack chain.
import type { Decimal } from 'decimal.js';
import { Dec } from '../../analytics/decimal';
import type { Entry } from '../../ledger/types';
import { assemblePack, type PackUniverse } from '../../pricing/assemble';
import { businessDaysBetween, isBusinessDay, addDays } from '../../pricing/calendar';
import {
  ledgerCurrencies,
  ledgerPriceSource,
  LEDGER_DATASET,
  LEDGER_PROVIDER,
} from '../../pricing/ledger-source';
import { computePackId, type PackContentInput } from '../../pricing/pack';
import type { Conversion, PricePoint, PriceSource } from './prices';

interface DayPack {
  date: string;
  id: string;
  prices: Map<string, { quote: string; price: Decimal; date: string }>;
  fx: Map<string, { rate: Decimal; date: string }>;
}

const ONE = new Dec(1);

export class PackChainPriceSource implements PriceSource {
  readonly provider = LEDGER_PROVIDER;
  readonly dataset = LEDGER_DATASET;
  readonly packId: string;
  readonly packCount: number;
  private readonly packs: DayPack[] = [];
  private readonly quoteOf = new Map<string, string>();
  private readonly memo = new Map<string, Conversion | null>();

  private constructor(
    readonly asOf: string,
    packs: DayPack[],
    quoteOf: Map<string, string>,
  ) {
    this.packs = packs;
    this.quoteOf = quoteOf;
    this.packId =
      packs.at(-1)?.id ??
      computePackId({ format: 'dawsos-pack-v1', as_of: asOf, parent_pack_id: null, prices: [], fx: [] });
    this.packCount = packs.length;
  }

  static async build(
    entries: readonly Entry[],
    base: string,
    operating: readonly string[],
    asOf: string,
  ): Promise<PackChainPriceSource> {
    let first: string | null = null;
    for (const e of entries)
      if (e.kind === 'price' && e.date <= asOf && (first === null || e.date < first)) first = e.date;
    const currencies = ledgerCurrencies(entries, [base], operating);
    const collected = await ledgerPriceSource({
      entries,
      baseCurrencies: [base],
      operatingCurrencies: operating,
    }).collect({ from: first ?? asOf, to: asOf }, () => undefined);
    const history = collected.history;
    const quoteOf = new Map<string, string>();
    for (const e of entries)
      if (e.kind === 'price' && e.date <= asOf && !currencies.has(e.currency) && !quoteOf.has(e.currency))
        quoteOf.set(e.currency, e.quote);
    const universe: PackUniverse = {
      commodities: [...quoteOf]
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([commodity, quote_currency]) => ({ commodity, quote_currency })),
      currencies: [...currencies].filter((c) => c !== base).sort(),
      baseCurrencies: [base],
    };
    const packs: DayPack[] = [];
    if (first !== null) {
      let parent: string | null = null;
      for (let d = first; d <= asOf; d = addDays(d, 1)) {
        if (!isBusinessDay(d) && d !== asOf) continue;
        const { content } = assemblePack(history, universe, d, parent);
        const id = computePackId(content);
        packs.push(dayPack(d, id, content));
        parent = id;
      }
    }
    return new PackChainPriceSource(asOf, packs, quoteOf);
  }

  commodities(): string[] {
    return [...this.quoteOf.keys()].sort();
  }

  /** The commodity's prices as the packs hold them (one point per distinct observation date). */
  history(commodity: string): { quote: string; points: PricePoint[] } | null {
    const quote = this.quoteOf.get(commodity);
    if (quote === undefined) return null;
    const points: PricePoint[] = [];
    for (const pack of this.packs) {
      const p = pack.prices.get(commodity);
      if (!p || p.quote !== quote) continue;
      if (points.length > 0 && points[points.length - 1]!.date === p.date) continue;
      points.push({ date: p.date, price: p.price });
    }
    return { quote, points };
  }

  private packOn(date: string): DayPack | null {
    let lo = 0;
    let hi = this.packs.length - 1;
    let found: DayPack | null = null;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.packs[mid]!.date <= date) {
        found = this.packs[mid]!;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  }

  private rate(pack: DayPack, currency: string, base: string): { rate: Decimal; date: string } | null {
    if (currency === base) return { rate: ONE, date: pack.date };
    const direct = pack.fx.get(`${currency}\u0000${base}`);
    if (direct) return direct;
    const inverse = pack.fx.get(`${base}\u0000${currency}`);
    return inverse && !inverse.rate.isZero() ? { rate: ONE.div(inverse.rate), date: inverse.date } : null;
  }

  convert(commodity: string, base: string, date: string): Conversion | null {
    if (date > this.asOf) date = this.asOf;
    if (commodity === base)
      return { rate: ONE, quote: base, localPrice: null, localDate: null, fxRate: null, fxDate: null };
    const pack = this.packOn(date);
    if (!pack) return null;
    const key = `${pack.id}\u0000${commodity}\u0000${base}`;
    const hit = this.memo.get(key);
    if (hit !== undefined) return hit;
    let out: Conversion | null = null;
    const price = pack.prices.get(commodity);
    if (price) {
      const fx = this.rate(pack, price.quote, base);
      if (fx)
        out = {
          rate: price.quote === base ? price.price : price.price.times(fx.rate),
          quote: price.quote,
          localPrice: price.price,
          localDate: price.date,
          fxRate: price.quote === base ? null : fx.rate,
          fxDate: price.quote === base ? null : fx.date,
        };
    } else {
      const fx = this.rate(pack, commodity, base);
      if (fx)
        out = {
          rate: fx.rate,
          quote: base,
          localPrice: fx.rate,
          localDate: fx.date,
          fxRate: null,
          fxDate: null,
        };
    }
    if (this.memo.size > 200_000) this.memo.clear();
    this.memo.set(key, out);
    return out;
  }

  /** Business days between a price's date and the date it is used for (for staleness notes). */
  static age(priceDate: string, date: string): number {
    return businessDaysBetween(priceDate, date);
  }
}

function dayPack(date: string, id: string, content: PackContentInput): DayPack {
  const prices = new Map<string, { quote: string; price: Decimal; date: string }>();
  for (const p of content.prices)
    prices.set(p.commodity, { quote: p.quote_currency, price: new Dec(p.price), date: p.price_date });
  const fx = new Map<string, { rate: Decimal; date: string }>();
  for (const r of content.fx) fx.set(`${r.from}\u0000${r.to}`, { rate: new Dec(r.rate), date: r.rate_date });
  return { date, id, prices, fx };
}
