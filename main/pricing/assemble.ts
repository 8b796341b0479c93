// Assembles the content of one date's pack from price history: for each commodity the latest close
// on or before the date, and for each currency that must be converted to a base currency the latest
// rate (the direct pair when the history has it, else the inverse pair). A value older than the
// pack date is marked carried with its own date; one older than MAX_CARRY_BUSINESS_DAYS is not used
// and the commodity or pair is listed as missing — a pack never holds a zero or invented price.
import { businessDaysBetween, MAX_CARRY_BUSINESS_DAYS } from './calendar';
import type { PriceHistory } from './history';
import { PACK_FORMAT, type PackContentInput, type PackFx, type PackPrice } from './pack';

export interface PackUniverse {
  /** Commodities to price (securities, funds, …), optionally in a fixed quote currency. */
  readonly commodities: readonly { commodity: string; quote_currency?: string }[];
  /** Currencies held as cash, which need a rate to each base currency but no price. */
  readonly currencies: readonly string[];
  /** The portfolios' base currencies: every quote or cash currency gets a rate to each of them. */
  readonly baseCurrencies: readonly string[];
}

export type MissingItem =
  | { kind: 'price'; commodity: string; reason: 'no-history' | 'too-old'; last_date: string | null }
  | { kind: 'fx'; from: string; to: string; reason: 'no-history' | 'too-old'; last_date: string | null };

export interface AssembledPack {
  readonly content: PackContentInput;
  readonly missing: MissingItem[];
  readonly carried: number;
}

function withinWindow(observed: string, date: string): boolean {
  return businessDaysBetween(observed, date) <= MAX_CARRY_BUSINESS_DAYS;
}

export function missingLabel(item: MissingItem): string {
  return item.kind === 'price' ? item.commodity : `${item.from}/${item.to}`;
}

export function assemblePack(
  history: PriceHistory,
  universe: PackUniverse,
  date: string,
  parentPackId: string | null,
): AssembledPack {
  const missing: MissingItem[] = [];
  const prices: PackPrice[] = [];
  const bases = new Set(universe.baseCurrencies);
  const needFx = new Set<string>(universe.currencies.filter((c) => !bases.has(c)));
  const seen = new Set<string>();
  for (const { commodity, quote_currency } of universe.commodities) {
    if (seen.has(commodity) || bases.has(commodity)) continue;
    seen.add(commodity);
    const hit = history.priceOnOrBefore(commodity, date, quote_currency);
    if (hit === null || !withinWindow(hit.date, date)) {
      missing.push({
        kind: 'price',
        commodity,
        reason: hit ? 'too-old' : 'no-history',
        last_date: hit?.date ?? null,
      });
      continue;
    }
    prices.push({
      commodity,
      quote_currency: hit.quote_currency,
      price: hit.price,
      price_date: hit.date,
      carried: hit.date < date,
      provider: hit.provider,
      dataset: hit.dataset,
    });
    needFx.add(hit.quote_currency);
  }

  const fx: PackFx[] = [];
  for (const currency of [...needFx].sort()) {
    for (const base of [...bases].sort()) {
      if (currency === base) continue;
      const direct = history.rateOnOrBefore(currency, base, date);
      const inverse = history.rateOnOrBefore(base, currency, date);
      // Prefer a usable direct rate; else a usable inverse; the newer wins when both are usable.
      const usable = [direct, inverse].filter((r) => r !== null && withinWindow(r.date, date));
      const pick = usable.sort((a, b) => (a!.date > b!.date ? -1 : a!.date < b!.date ? 1 : 0))[0] ?? null;
      if (pick === null || pick === undefined) {
        const last =
          [direct, inverse]
            .map((r) => r?.date ?? '')
            .sort()
            .pop() || null;
        missing.push({
          kind: 'fx',
          from: currency,
          to: base,
          reason: last ? 'too-old' : 'no-history',
          last_date: last,
        });
        continue;
      }
      if (fx.some((r) => r.from === pick.from && r.to === pick.to)) continue;
      fx.push({
        from: pick.from,
        to: pick.to,
        rate: pick.rate,
        rate_date: pick.date,
        carried: pick.date < date,
        provider: pick.provider,
        dataset: pick.dataset,
      });
    }
  }
  const carried = prices.filter((p) => p.carried).length + fx.filter((r) => r.carried).length;
  return {
    content: { format: PACK_FORMAT, as_of: date, parent_pack_id: parentPackId, prices, fx },
    missing,
    carried,
  };
}
