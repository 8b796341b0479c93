// Prices from the ledger's own `price` directives: the offline source, needing no keys.
//
// Which directives are FX rates: a directive whose commodity is a currency — an operating currency,
// a currency some price is quoted in, or a lot's cost currency — is a rate (from → quote); any
// other is a commodity price. Each date's pack covers what is held at the end of that date: held
// commodities get a price, held currencies (cash) a rate to each base currency.
import { holdings } from '../ledger/views';
import type { Entry } from '../ledger/types';
import type { PackUniverse } from './assemble';
import { addDays } from './calendar';
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
      return Promise.resolve({
        history,
        failures: [],
        universeAt(date: string): PackUniverse {
          const held = new Set(holdings(entries, addDays(date, 1)).map((h) => h.currency));
          return {
            commodities: [...held]
              .filter((c) => !currencies.has(c))
              .sort()
              .map((commodity) => ({ commodity })),
            currencies: [...held].filter((c) => currencies.has(c)).sort(),
            baseCurrencies,
          };
        },
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
  /** Commodities (not currencies) the ledger has held on or before `to`, each with the currency it is priced in. */
  readonly securities: { commodity: string; currency: string }[];
  /** Currencies that prices are quoted in or that are held as cash, other than the base currencies. */
  readonly currencies: string[];
}

/**
 * What a provider must be asked for to price a ledger up to `to`: every commodity that appears in a
 * posting by then (a superset of what any date holds, so one request per security covers a range),
 * priced in the quote currency of its latest price directive, else its cost currency, else the
 * first base currency.
 */
export function ledgerSecurities(
  entries: readonly Entry[],
  to: string,
  baseCurrencies: readonly string[],
  operatingCurrencies: readonly string[] = [],
): LedgerSecurities {
  const currencies = ledgerCurrencies(
    entries.filter((e) => e.date <= to),
    baseCurrencies,
    operatingCurrencies,
  );
  const quote = new Map<string, string>();
  const cost = new Map<string, string>();
  const seen = new Set<string>();
  for (const e of entries) {
    if (e.date > to) continue;
    if (e.kind === 'price') quote.set(e.currency, e.quote);
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
    .map((commodity) => ({ commodity, currency: quote.get(commodity) ?? cost.get(commodity) ?? fallback }));
  const needed = new Set<string>([...seen].filter((c) => currencies.has(c)));
  for (const s of securities) needed.add(s.currency);
  for (const b of baseCurrencies) needed.delete(b);
  return { securities, currencies: [...needed].sort() };
}
