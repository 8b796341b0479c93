// Price history as the pack builder reads it: dated closes per commodity and dated rates per
// currency pair, from any source (ledger price directives, provider history), each observation
// carrying the provider and dataset it came from (licence metadata). Lookups are "the latest
// observation on or before a date", by binary search over each series sorted by date.
import { isDecimalText, isPositiveDecimal, normaliseDecimal } from './decimal';

export interface PriceObservation {
  readonly commodity: string;
  readonly quote_currency: string;
  readonly date: string;
  readonly price: string;
  readonly provider: string;
  readonly dataset: string;
}

export interface FxObservation {
  readonly from: string;
  readonly to: string;
  readonly date: string;
  readonly rate: string;
  readonly provider: string;
  readonly dataset: string;
}

interface Dated {
  readonly date: string;
}

function latestOnOrBefore<T extends Dated>(series: readonly T[], date: string): T | null {
  let lo = 0;
  let hi = series.length - 1;
  let found: T | null = null;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const item = series[mid]!;
    if (item.date <= date) {
      found = item;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

function addTo<T extends Dated>(map: Map<string, T[]>, key: string, item: T): void {
  const list = map.get(key);
  if (list) list.push(item);
  else map.set(key, [item]);
}

/**
 * Sorted, de-duplicated series. When one source gives two values for the same key and date (e.g. two
 * ledger price directives), the LAST one added wins, as Beancount's price map keeps the last.
 * Non-positive or malformed values are dropped: a zero close is not a price.
 */
export class PriceHistory {
  private readonly prices = new Map<string, PriceObservation[]>();
  private readonly rates = new Map<string, FxObservation[]>();
  private sorted = true;

  addPrice(observation: PriceObservation): void {
    if (!isDecimalText(observation.price) || !isPositiveDecimal(observation.price)) return;
    addTo(this.prices, `${observation.commodity}\u0000${observation.quote_currency}`, {
      ...observation,
      price: normaliseDecimal(observation.price),
    });
    this.sorted = false;
  }

  addRate(observation: FxObservation): void {
    if (observation.from === observation.to) return;
    if (!isDecimalText(observation.rate) || !isPositiveDecimal(observation.rate)) return;
    addTo(this.rates, `${observation.from}\u0000${observation.to}`, {
      ...observation,
      rate: normaliseDecimal(observation.rate),
    });
    this.sorted = false;
  }

  private sort(): void {
    if (this.sorted) return;
    for (const map of [this.prices, this.rates] as Map<string, Dated[]>[]) {
      for (const [key, list] of map) {
        // Stable sort by date, then keep the last of each date.
        const byDate = list
          .map((item, i) => ({ item, i }))
          .sort((a, b) => (a.item.date < b.item.date ? -1 : a.item.date > b.item.date ? 1 : a.i - b.i));
        const out: Dated[] = [];
        for (const { item } of byDate) {
          if (out.length && out[out.length - 1]!.date === item.date) out[out.length - 1] = item;
          else out.push(item);
        }
        map.set(key, out);
      }
    }
    this.sorted = true;
  }

  /** One history holding both; where both have a value for the same key and date, `b`'s wins. */
  static merge(a: PriceHistory, b: PriceHistory): PriceHistory {
    const out = new PriceHistory();
    for (const h of [a, b]) {
      h.sort();
      for (const list of h.prices.values()) for (const o of list) out.addPrice(o);
      for (const list of h.rates.values()) for (const o of list) out.addRate(o);
    }
    return out;
  }

  commodities(): string[] {
    return [...new Set([...this.prices.keys()].map((key) => key.split('\u0000')[0] ?? ''))].sort();
  }

  pairs(): { from: string; to: string }[] {
    return [...this.rates.keys()].sort().map((key) => {
      const [from = '', to = ''] = key.split('\u0000');
      return { from, to };
    });
  }

  /**
   * The latest close of `commodity` dated on or before `date`, in `quote` when given; otherwise in
   * whichever quote currency has the latest observation (ties: the first currency in code order).
   */
  priceOnOrBefore(commodity: string, date: string, quote?: string): PriceObservation | null {
    this.sort();
    if (quote !== undefined)
      return latestOnOrBefore(this.prices.get(`${commodity}\u0000${quote}`) ?? [], date);
    let best: PriceObservation | null = null;
    for (const key of this.quoteKeys(commodity)) {
      const hit = latestOnOrBefore(this.prices.get(key) ?? [], date);
      if (hit && (best === null || hit.date > best.date)) best = hit;
    }
    return best;
  }

  private quoteKeys(commodity: string): string[] {
    const prefix = `${commodity}\u0000`;
    return [...this.prices.keys()].filter((key) => key.startsWith(prefix)).sort();
  }

  rateOnOrBefore(from: string, to: string, date: string): FxObservation | null {
    this.sort();
    return latestOnOrBefore(this.rates.get(`${from}\u0000${to}`) ?? [], date);
  }

  hasRateSeries(from: string, to: string): boolean {
    return this.rates.has(`${from}\u0000${to}`);
  }
}
