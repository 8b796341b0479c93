// Prices from the ledger's own `price` directives: the offline source, needing no keys.
//
// Which directives are FX rates: a directive whose commodity is a currency — an operating currency,
// a currency some price is quoted in, or a lot's cost currency — is a rate (from → quote); any
// other is a commodity price.
//
// The universe rule (what each date's pack covers), the one rule for every pack DawsOS builds from
// a ledger (stored by a backfill or a run, or in memory): on a date D the pack covers
//   - every commodity and currency HELD at the end of D (a non-zero position in some account), and
//   - every commodity and currency the ledger QUOTES with a price directive dated within
//     MAX_CARRY_BUSINESS_DAYS business days before (or on) D — so a benchmark that is priced but
//     never held is in the packs while it is quoted, and a sold security drops out once its quotes
//     stop (it is not listed missing forever).
// Held commodities get a price, currencies a rate to each base currency. A commodity's price is
// read in one fixed quote currency: that of its first price directive (so a security quoted in two
// currencies does not switch series from one day to the next).
import type { Dec } from '../ledger/decimal';
import { holdings } from '../ledger/views';
import type { Entry } from '../ledger/types';
import type { PackUniverse } from './assemble';
import { addDays, businessDaysBefore, businessDaysBetween, MAX_CARRY_BUSINESS_DAYS } from './calendar';
import { coefExpText, dec, decText, plainDecimal } from './decimal';
import { PriceHistory } from './history';
import type { PriceSource } from './sources';
import type { PositionInput } from './valuation';

export const LEDGER_PROVIDER = 'ledger';
export const LEDGER_DATASET = 'price-directives';
export const LEDGER_IMPLICIT_DATASET = 'implicit-prices';

export interface LedgerSourceOptions {
  /** Booked ledger entries (loadLedger().entries). */
  readonly entries: readonly Entry[];
  /** The portfolios' base currencies (default: the ledger's operating currencies, else USD). */
  readonly baseCurrencies: readonly string[];
  readonly operatingCurrencies?: readonly string[];
}

/** The base currencies to use when none is given: the ledger's operating currencies, else USD. */
export function defaultBaseCurrencies(operating: readonly string[]): string[] {
  return operating.length > 0 ? [...operating] : ['USD'];
}

/**
 * The ledger's currencies: base and operating currencies, every currency a price is quoted in, every
 * lot's cost currency, and every commodity only ever posted without a cost (cash). Anything else
 * (held at cost) is a security that needs a price.
 */
export function ledgerCurrencies(
  entries: readonly Entry[],
  baseCurrencies: readonly string[],
  operatingCurrencies: readonly string[] = [],
): Set<string> {
  const currencies = new Set<string>([...baseCurrencies, ...operatingCurrencies]);
  const atCost = new Set<string>();
  const withoutCost = new Set<string>();
  for (const e of entries) {
    if (e.kind === 'price') currencies.add(e.quote);
    if (e.kind === 'transaction')
      for (const p of e.postings) {
        if (p.currency === undefined) continue;
        if (p.cost && 'number' in p.cost) {
          atCost.add(p.currency);
          if (p.cost.currency !== undefined) currencies.add(p.cost.currency);
        } else withoutCost.add(p.currency);
      }
  }
  for (const c of withoutCost) if (!atCost.has(c)) currencies.add(c);
  return currencies;
}

/** The first date D' ≤ D whose observations are still usable on D (within the carry window). */
function windowStart(date: string): string {
  let start = businessDaysBefore(date, MAX_CARRY_BUSINESS_DAYS);
  for (;;) {
    const earlier = addDays(start, -1);
    if (businessDaysBetween(earlier, date) > MAX_CARRY_BUSINESS_DAYS) return start;
    start = earlier;
  }
}

function byText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export interface LedgerUniverse {
  /** What the pack of `date` covers (see the universe rule at the top of this file). */
  at(date: string): PackUniverse;
  /**
   * After at(D): the date of the ledger's latest price directive for `commodity` quoted in `quote`,
   * on or before D (null: none).
   */
  lastPriceDate(commodity: string, quote: string): string | null;
  /** After at(D): the latest rate directive between two currencies (either direction), on or before D. */
  lastRateDate(a: string, b: string): string | null;
}

/**
 * The universe rule over a ledger, computed in one sweep over its entries in date order (asking
 * for dates in increasing order costs O(entries + dates × commodities); an earlier date restarts
 * the sweep).
 */
export function ledgerUniverse(
  entries: readonly Entry[],
  baseCurrencies: readonly string[],
  operatingCurrencies: readonly string[] = [],
  currencies: ReadonlySet<string> = ledgerCurrencies(entries, baseCurrencies, operatingCurrencies),
): LedgerUniverse {
  let sorted = true;
  for (let i = 1; i < entries.length && sorted; i++)
    if (entries[i]!.date < entries[i - 1]!.date) sorted = false;
  // A stable sort by date only (the order within a date does not change what is held at its end).
  const ordered = sorted ? entries : [...entries].sort((a, b) => byText(a.date, b.date));
  let cursor = 0;
  let last: string | null = null;
  // Units per account, commodity and cost currency (as holdings() groups them), and how many such
  // groups are non-zero per commodity: a commodity is held while its count is positive.
  let units = new Map<string, Dec>();
  let nonZero = new Map<string, number>();
  let lastQuoted = new Map<string, string>();
  // Latest directive per commodity and quote, and per currency pair (both orders), for packCovers.
  let lastPrice = new Map<string, string>();
  let lastRate = new Map<string, string>();
  let quoteOf = new Map<string, string>();
  let previous: { covered: Set<string>; universe: PackUniverse } | null = null;
  const reset = (): void => {
    cursor = 0;
    previous = null;
    units = new Map();
    nonZero = new Map();
    lastQuoted = new Map();
    lastPrice = new Map();
    lastRate = new Map();
    quoteOf = new Map();
  };
  const bump = (commodity: string, by: number): void => {
    const n = (nonZero.get(commodity) ?? 0) + by;
    if (n === 0) nonZero.delete(commodity);
    else nonZero.set(commodity, n);
  };
  return {
    at(date: string): PackUniverse {
      if (last !== null && date < last) reset();
      last = date;
      for (; cursor < ordered.length && ordered[cursor]!.date <= date; cursor++) {
        const e = ordered[cursor]!;
        if (e.kind === 'price') {
          lastQuoted.set(e.currency, e.date);
          lastQuoted.set(e.quote, e.date);
          // A zero or negative close is no price: the history drops it, so it never makes a pack stale.
          if (e.number.sign() > 0) {
            if (currencies.has(e.currency)) {
              lastRate.set(`${e.currency}\u0000${e.quote}`, e.date);
              lastRate.set(`${e.quote}\u0000${e.currency}`, e.date);
            } else lastPrice.set(`${e.currency}\u0000${e.quote}`, e.date);
          }
          if (!currencies.has(e.currency) && !quoteOf.has(e.currency)) {
            quoteOf.set(e.currency, e.quote);
            previous = null;
          }
        } else if (e.kind === 'transaction') {
          for (const p of e.postings) {
            if (p.number === undefined || p.currency === undefined) continue;
            if (p.cost !== null && 'numberPer' in p.cost) continue;
            const key = `${p.account}\u0000${p.currency}\u0000${p.cost?.currency ?? ''}`;
            const before = units.get(key);
            const after = before === undefined ? p.number : before.addExact(p.number);
            const wasHeld = before !== undefined && !before.isZero();
            const isHeld = !after.isZero();
            units.set(key, after);
            if (wasHeld !== isHeld) bump(p.currency, isHeld ? 1 : -1);
          }
        }
      }
      const from = windowStart(date);
      const covered = new Set<string>(nonZero.keys());
      for (const [name, quoted] of lastQuoted) if (quoted >= from) covered.add(name);
      // Most days cover what the day before covered: hand out the same universe again.
      if (
        previous &&
        previous.covered.size === covered.size &&
        [...covered].every((c) => previous!.covered.has(c))
      )
        return previous.universe;
      const commodities: { commodity: string; quote_currency?: string }[] = [];
      const cash: string[] = [];
      for (const name of [...covered].sort(byText)) {
        if (currencies.has(name)) cash.push(name);
        else {
          const quote = quoteOf.get(name);
          commodities.push(
            quote === undefined ? { commodity: name } : { commodity: name, quote_currency: quote },
          );
        }
      }
      previous = { covered, universe: { commodities, currencies: cash, baseCurrencies } };
      return previous.universe;
    },
    lastPriceDate: (commodity, quote) => lastPrice.get(`${commodity}\u0000${quote}`) ?? null,
    lastRateDate: (a, b) => lastRate.get(`${a}\u0000${b}`) ?? null,
  };
}

export function ledgerPriceSource(options: LedgerSourceOptions): PriceSource {
  const { entries, baseCurrencies } = options;
  const currencies = ledgerCurrencies(entries, baseCurrencies, options.operatingCurrencies);
  return {
    kind: 'ledger',
    steps: () => 1,
    collect(range, onStep) {
      const history = new PriceHistory();
      for (const e of entries) {
        if (e.kind !== 'price' || e.date > range.to) continue;
        const dataset = e.implicit ? LEDGER_IMPLICIT_DATASET : LEDGER_DATASET;
        const value = coefExpText(e.number.coef, e.number.exp);
        if (currencies.has(e.currency))
          history.addRate({
            from: e.currency,
            to: e.quote,
            date: e.date,
            rate: value,
            provider: LEDGER_PROVIDER,
            dataset,
          });
        else
          history.addPrice({
            commodity: e.currency,
            quote_currency: e.quote,
            date: e.date,
            price: value,
            provider: LEDGER_PROVIDER,
            dataset,
          });
      }
      onStep(1);
      const universe = ledgerUniverse(entries, baseCurrencies, options.operatingCurrencies, currencies);
      return Promise.resolve({
        history,
        failures: [],
        universeAt: (date: string) => universe.at(date),
      });
    },
  };
}

/** Positions held at the end of `date` (per account and commodity), in the shape valuePositions takes. */
export function ledgerPositions(entries: readonly Entry[], date: string): PositionInput[] {
  const per = new Map<string, PositionInput>();
  for (const h of holdings(entries, addDays(date, 1))) {
    const key = `${h.account}\u0000${h.currency}`;
    const prev = per.get(key);
    // holdings() splits a commodity by cost currency; a valuation wants one position per commodity.
    per.set(key, {
      account: h.account,
      commodity: h.currency,
      units: prev ? decText(dec(prev.units).add(dec(plainDecimal(h.units)))) : plainDecimal(h.units),
    });
  }
  return [...per.values()];
}

export interface LedgerSecurities {
  /**
   * Commodities (not currencies) the ledger has held or quoted on or before `to`, each with the
   * currency it is priced in.
   */
  readonly securities: { commodity: string; currency: string }[];
  /** Currencies that prices are quoted in or that are held as cash, other than the base currencies. */
  readonly currencies: string[];
}

/**
 * What a provider must be asked for to price a ledger up to `to`: every commodity that appears in a
 * posting or is quoted by a price directive by then (a superset of what any date's universe holds,
 * so one request per security covers a range, and a benchmark that is quoted but never held is
 * asked for too), priced in the quote currency of its first price directive (the quote the packs
 * fix, see ledgerUniverse), else its cost currency, else the first base currency.
 */
export function ledgerSecurities(
  entries: readonly Entry[],
  to: string,
  baseCurrencies: readonly string[],
  operatingCurrencies: readonly string[] = [],
): LedgerSecurities {
  const upTo = entries.filter((e) => e.date <= to);
  const currencies = ledgerCurrencies(upTo, baseCurrencies, operatingCurrencies);
  const quote = new Map<string, { date: string; quote: string }>();
  const cost = new Map<string, string>();
  const seen = new Set<string>();
  for (const e of upTo) {
    if (e.kind === 'price') {
      seen.add(e.currency);
      const first = quote.get(e.currency);
      if (first === undefined || e.date < first.date) quote.set(e.currency, { date: e.date, quote: e.quote });
    }
    if (e.kind === 'transaction')
      for (const p of e.postings) {
        if (p.currency === undefined) continue;
        seen.add(p.currency);
        if (p.cost && 'number' in p.cost && p.cost.currency !== undefined)
          cost.set(p.currency, p.cost.currency);
      }
  }
  const fallback = baseCurrencies[0] ?? 'USD';
  const securities = [...seen]
    .filter((c) => !currencies.has(c))
    .sort()
    .map((commodity) => ({
      commodity,
      currency: quote.get(commodity)?.quote ?? cost.get(commodity) ?? fallback,
    }));
  const needed = new Set<string>([...seen].filter((c) => currencies.has(c)));
  for (const s of securities) needed.add(s.currency);
  for (const b of baseCurrencies) needed.delete(b);
  return { securities, currencies: [...needed].sort() };
}
