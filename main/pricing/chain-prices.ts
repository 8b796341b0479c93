// The agents' price port (main/agents/book/prices.ts `PriceSource`) over a pricing pack chain, so
// the orchestrator can value with real packs instead of its interim ledger adapter: give it the id
// of the last pack and it reads that pack's chain (each pack's id re-verified from its rows).
//
// convert(commodity, base, date) uses the pack of the latest chain date on or before `date`: the
// commodity's price in its quote currency times the rate quote → base (the pack's direct pair, or
// 1 / the inverse pair rounded to INVERSE_RATE_SIGNIFICANT_DIGITS); a currency converts with the
// rate alone. No other path is tried, and a commodity the pack lacks (missing) has no conversion.
import type { Conversion, PricePoint, PriceSource } from '../agents/book/prices';
import type { Db } from '../store/sqlcipher';
import { dec, INVERSE_RATE_SIGNIFICANT_DIGITS, PricingDecimal } from './decimal';
import { PackNotFoundError } from './errors';
import type { Pack, PackFx } from './pack';
import { readPack } from './pack-store';

function rate(pack: Pack, from: string, to: string): { value: PricingDecimal; date: string } | null {
  const direct: PackFx | undefined = pack.fx.find((r) => r.from === from && r.to === to);
  if (direct) return { value: dec(direct.rate), date: direct.rate_date };
  const inverse = pack.fx.find((r) => r.from === to && r.to === from);
  if (!inverse) return null;
  return {
    value: new PricingDecimal(1)
      .div(dec(inverse.rate))
      .toSignificantDigits(INVERSE_RATE_SIGNIFICANT_DIGITS, PricingDecimal.ROUND_HALF_EVEN),
    date: inverse.rate_date,
  };
}

export class PackChainPrices implements PriceSource {
  readonly packId: string;
  readonly asOf: string;
  /** The latest pack's provider when all its prices share one, else "mixed" (see each price's own). */
  readonly provider: string;
  readonly dataset: string;
  /** Oldest first. */
  private readonly chain: Pack[];

  /** Reads the chain ending at `packId` (at most `maxPacks` packs back). */
  constructor(db: Db, packId: string, maxPacks = Number.POSITIVE_INFINITY) {
    const chain: Pack[] = [];
    let id: string | null = packId;
    while (id !== null && chain.length < maxPacks) {
      const pack = readPack(db, id);
      if (pack === null) throw new PackNotFoundError(chain[0]?.as_of ?? 'the requested date', 'absent');
      chain.push(pack);
      id = pack.parent_pack_id;
    }
    this.chain = chain.reverse();
    const last = this.chain[this.chain.length - 1]!;
    this.packId = last.pack_id;
    this.asOf = last.as_of;
    const sources = new Set(last.prices.map((p) => `${p.provider}\u0000${p.dataset}`));
    const [only] = [...sources];
    [this.provider, this.dataset] =
      sources.size === 1 && only ? (only.split('\u0000') as [string, string]) : ['mixed', 'pricing-pack'];
  }

  private packOn(date: string): Pack | null {
    let lo = 0;
    let hi = this.chain.length - 1;
    let found: Pack | null = null;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const pack = this.chain[mid]!;
      if (pack.as_of <= date) {
        found = pack;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  }

  convert(commodity: string, base: string, date: string): Conversion | null {
    const pack = this.packOn(date > this.asOf ? this.asOf : date);
    if (commodity === base)
      return {
        rate: new PricingDecimal(1),
        quote: base,
        localPrice: null,
        localDate: null,
        fxRate: null,
        fxDate: null,
      };
    if (pack === null) return null;
    const price = pack.prices.find((p) => p.commodity === commodity);
    if (!price) {
      const fx = rate(pack, commodity, base);
      return fx
        ? {
            rate: fx.value,
            quote: base,
            localPrice: fx.value,
            localDate: fx.date,
            fxRate: null,
            fxDate: null,
          }
        : null;
    }
    const local = dec(price.price);
    if (price.quote_currency === base)
      return {
        rate: local,
        quote: base,
        localPrice: local,
        localDate: price.price_date,
        fxRate: null,
        fxDate: null,
      };
    const fx = rate(pack, price.quote_currency, base);
    if (!fx) return null;
    return {
      rate: local.mul(fx.value),
      quote: price.quote_currency,
      localPrice: local,
      localDate: price.price_date,
      fxRate: fx.value,
      fxDate: fx.date,
    };
  }

  history(commodity: string): { quote: string; points: PricePoint[] } | null {
    let quote: string | null = null;
    const points: PricePoint[] = [];
    for (const pack of this.chain) {
      const price = pack.prices.find((p) => p.commodity === commodity);
      if (!price) continue;
      quote ??= price.quote_currency;
      if (price.quote_currency !== quote) continue;
      // A carried price repeats an earlier close: the history keeps each close once, at its own date.
      if (points.length > 0 && points[points.length - 1]!.date === price.price_date) continue;
      points.push({ date: price.price_date, price: dec(price.price) });
    }
    return quote === null ? null : { quote, points };
  }

  commodities(): string[] {
    const all = new Set<string>();
    for (const pack of this.chain) for (const p of pack.prices) all.add(p.commodity);
    return [...all].sort();
  }
}
