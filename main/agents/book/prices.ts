// The prices the agents value with, behind a small port (PriceSource) so where prices come from
// can change without touching the agents. Implementations:
// - PackChainPrices (main/pricing/chain-prices.ts), used by every run (CLI, demo, app): a chain of
//   pricing packs (format dawsos-pack-v1), the store's when a store is open, else assembled in
//   memory from the ledger's price directives by the same code (main/pricing/run-packs.ts); its
//   last pack id pins every price a result used.
// - LedgerPriceSource (below): the first, interim adapter straight over the price directives (no
//   carry window); kept as the reference the pack-based sources are compared with in tests.
//
// Lookup rule: the price of a commodity on a date is the last one dated on or before it. A
// commodity is converted to the base currency directly (COMMODITY in BASE), by the inverse of a
// base-currency price (BASE in COMMODITY), or through its quote currency (COMMODITY in Q, then Q
// in BASE, directly or inverted). Nothing else is guessed.
import { createHash } from 'node:crypto';
import type { Decimal } from 'decimal.js';
import { Dec } from '../../analytics/decimal';
import { canonicalJson } from '../../orchestrator/canonical-json';
import type { Entry } from '../../ledger/types';
import { indexAtOrBefore } from '../../analytics/lookup';

export interface PricePoint {
  date: string;
  price: Decimal;
}

/** How a commodity was converted to base currency on a date: the factor and the prices behind it. */
export interface Conversion {
  /** Base-currency value of one unit. */
  rate: Decimal;
  /** The quote currency of the commodity's own price (the base when priced in it directly). */
  quote: string;
  /** The commodity's price in `quote` and its date (null for the base currency itself). */
  localPrice: Decimal | null;
  localDate: string | null;
  /** Units of base for one unit of `quote` and its date (null when quote = base). */
  fxRate: Decimal | null;
  fxDate: string | null;
}

export interface PriceSource {
  /** Pricing pack id: pins every price this source can return. */
  readonly packId: string;
  /** The pack's date: no price after it is visible. */
  readonly asOf: string;
  /** Where the prices come from (provenance). */
  readonly provider: string;
  readonly dataset: string;
  /** Value of one unit of `commodity` in `base` on `date`, or null when no price path exists. */
  convert(commodity: string, base: string, date: string): Conversion | null;
  /** The commodity's own price history (in its first quote currency) up to the pack date. */
  history(commodity: string): { quote: string; points: PricePoint[] } | null;
  /** Every commodity that has a price. */
  commodities(): string[];
}

const ONE = new Dec(1);

function lastAtOrBefore(points: readonly PricePoint[], date: string): PricePoint | null {
  const found = indexAtOrBefore(points, date);
  return found < 0 ? null : points[found]!;
}

/** The pack content the ledger adapter hashes: every price directive up to the pack date. */
export interface LedgerPackContent {
  format: 'dawsos-ledger-prices-v1';
  as_of: string;
  prices: [date: string, commodity: string, price: string, quote: string][];
}

export class LedgerPriceSource implements PriceSource {
  readonly provider = 'ledger';
  readonly dataset = 'price-directives';
  readonly packId: string;
  /** commodity -> quote -> ascending points */
  private readonly series = new Map<string, Map<string, PricePoint[]>>();
  private readonly firstQuote = new Map<string, string>();
  private readonly memo = new Map<string, Conversion | null>();

  constructor(
    entries: readonly Entry[],
    readonly asOf: string,
  ) {
    const content: LedgerPackContent = { format: 'dawsos-ledger-prices-v1', as_of: asOf, prices: [] };
    for (const e of entries) {
      if (e.kind !== 'price' || e.date > asOf) continue;
      const text = e.number.toString();
      content.prices.push([e.date, e.currency, text, e.quote]);
      let byQuote = this.series.get(e.currency);
      if (!byQuote) this.series.set(e.currency, (byQuote = new Map<string, PricePoint[]>()));
      if (!this.firstQuote.has(e.currency)) this.firstQuote.set(e.currency, e.quote);
      let points = byQuote.get(e.quote);
      if (!points) byQuote.set(e.quote, (points = []));
      const point = { date: e.date, price: new Dec(text) };
      // Two prices on one date: the later directive wins, as in Beancount's price map.
      if (points.length > 0 && points[points.length - 1]!.date === e.date) points[points.length - 1] = point;
      else points.push(point);
    }
    this.packId = createHash('sha256').update(canonicalJson(content)).digest('hex');
  }

  commodities(): string[] {
    return [...this.series.keys()].sort();
  }

  history(commodity: string): { quote: string; points: PricePoint[] } | null {
    const quote = this.firstQuote.get(commodity);
    if (quote === undefined) return null;
    return { quote, points: this.series.get(commodity)!.get(quote)! };
  }

  private direct(commodity: string, quote: string, date: string): PricePoint | null {
    const points = this.series.get(commodity)?.get(quote);
    return points ? lastAtOrBefore(points, date) : null;
  }

  /** Units of `base` per unit of `currency` (direct or inverted). */
  private fx(currency: string, base: string, date: string): PricePoint | null {
    const d = this.direct(currency, base, date);
    if (d) return d;
    const inv = this.direct(base, currency, date);
    if (inv && !inv.price.isZero()) return { date: inv.date, price: ONE.div(inv.price) };
    return null;
  }

  convert(commodity: string, base: string, date: string): Conversion | null {
    if (date > this.asOf) date = this.asOf;
    if (commodity === base)
      return { rate: ONE, quote: base, localPrice: null, localDate: null, fxRate: null, fxDate: null };
    const key = `${commodity}\u0000${base}\u0000${date}`;
    const hit = this.memo.get(key);
    if (hit !== undefined) return hit;
    let out: Conversion | null = null;
    const direct = this.fx(commodity, base, date);
    if (direct) {
      out = {
        rate: direct.price,
        quote: base,
        localPrice: direct.price,
        localDate: direct.date,
        fxRate: null,
        fxDate: null,
      };
    } else {
      for (const quote of this.series.get(commodity)?.keys() ?? []) {
        const local = this.direct(commodity, quote, date);
        const fx = local ? this.fx(quote, base, date) : null;
        if (local && fx) {
          out = {
            rate: local.price.times(fx.price),
            quote,
            localPrice: local.price,
            localDate: local.date,
            fxRate: fx.price,
            fxDate: fx.date,
          };
          break;
        }
      }
    }
    if (this.memo.size > 200_000) this.memo.clear();
    this.memo.set(key, out);
    return out;
  }
}

/** The last price date in the ledger (the default pack date), or null when it has no prices. */
export function lastPriceDate(entries: readonly Entry[]): string | null {
  let last: string | null = null;
  for (const e of entries) if (e.kind === 'price' && (last === null || e.date > last)) last = e.date;
  return last;
}
