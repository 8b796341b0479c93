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

export function ledgerPriceSource(options: LedgerSourceOptions): PriceSource {
  const { entries, baseCurrencies } = options;
  const currencies = new Set<string>([...baseCurrencies, ...(options.operatingCurrencies ?? [])]);
  for (const e of entries) {
    if (e.kind === 'price') currencies.add(e.quote);
    if (e.kind === 'transaction')
      for (const p of e.postings)
        if (p.cost && 'number' in p.cost && p.cost.currency !== undefined) currencies.add(p.cost.currency);
  }
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
