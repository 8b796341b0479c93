// Values positions with one pack, exactly. A position in the base currency is worth its units; a
// currency (cash) is converted with the pack's rate; anything else is units × its pack price, then
// converted from the price's quote currency. FX uses the pack's direct pair (from → base) or the
// inverse pair (base → from) as 1 / rate, rounded to INVERSE_RATE_SIGNIFICANT_DIGITS. There is no
// triangulation through a third currency: a conversion the pack cannot make directly is reported
// missing. A position without a price or rate is listed in `missing` and left out of the total,
// never valued at zero; `complete` says whether the total covers every position.
import {
  dec,
  decText,
  INVERSE_RATE_SIGNIFICANT_DIGITS,
  PricingDecimal,
  type PricingDecimal as D,
} from './decimal';
import type { Pack } from './pack';

export interface PositionInput {
  readonly account: string;
  readonly commodity: string;
  /** Exact decimal text. */
  readonly units: string;
}

export interface PriceUsed {
  readonly commodity: string;
  readonly quote_currency: string;
  readonly price: string;
  readonly price_date: string;
  readonly carried: boolean;
  readonly provider: string;
  readonly dataset: string;
  readonly pack_id: string;
  readonly pack_date: string;
}

export interface FxUsed {
  readonly from: string;
  readonly to: string;
  /** The rate applied (from → to); for an inverse pair, 1 / the stored rate. */
  readonly rate: string;
  readonly inverse: boolean;
  readonly rate_date: string;
  readonly carried: boolean;
  readonly provider: string;
  readonly dataset: string;
  readonly pack_id: string;
  readonly pack_date: string;
}

export interface PositionValue {
  readonly account: string;
  readonly commodity: string;
  readonly units: string;
  /** In the base currency, exact decimal text. */
  readonly value: string;
}

export type MissingPrice =
  | { readonly account: string; readonly commodity: string; readonly reason: 'no-price' }
  | {
      readonly account: string;
      readonly commodity: string;
      readonly reason: 'no-fx';
      readonly currency: string;
    };

export interface Valuation {
  readonly pack_id: string;
  readonly as_of: string;
  readonly base_currency: string;
  readonly positions: PositionValue[];
  /** Sum of the valued positions. Covers every position only when `complete`. */
  readonly total: string;
  readonly complete: boolean;
  readonly prices_used: PriceUsed[];
  readonly fx_used: FxUsed[];
  readonly missing: MissingPrice[];
}

interface Rate {
  value: D;
  used: FxUsed;
}

function rateFor(pack: Pack, from: string, to: string): Rate | null {
  const direct = pack.fx.find((r) => r.from === from && r.to === to);
  const base = { pack_id: pack.pack_id, pack_date: pack.as_of };
  if (direct)
    return {
      value: dec(direct.rate),
      used: {
        ...base,
        from,
        to,
        rate: direct.rate,
        inverse: false,
        rate_date: direct.rate_date,
        carried: direct.carried,
        provider: direct.provider,
        dataset: direct.dataset,
      },
    };
  const inverse = pack.fx.find((r) => r.from === to && r.to === from);
  if (!inverse) return null;
  const value = new PricingDecimal(1)
    .div(dec(inverse.rate))
    .toSignificantDigits(INVERSE_RATE_SIGNIFICANT_DIGITS, PricingDecimal.ROUND_HALF_EVEN);
  return {
    value,
    used: {
      ...base,
      from,
      to,
      rate: decText(value),
      inverse: true,
      rate_date: inverse.rate_date,
      carried: inverse.carried,
      provider: inverse.provider,
      dataset: inverse.dataset,
    },
  };
}

export function valuePositions(
  holdings: readonly PositionInput[],
  pack: Pack,
  baseCurrency: string,
): Valuation {
  const positions: PositionValue[] = [];
  const missing: MissingPrice[] = [];
  const pricesUsed = new Map<string, PriceUsed>();
  const fxUsed = new Map<string, FxUsed>();
  let total = new PricingDecimal(0);
  const convert = (amount: D, currency: string): D | null => {
    if (currency === baseCurrency) return amount;
    const rate = rateFor(pack, currency, baseCurrency);
    if (!rate) return null;
    fxUsed.set(`${currency}\u0000${baseCurrency}`, rate.used);
    return amount.mul(rate.value);
  };
  for (const h of holdings) {
    const units = dec(h.units);
    let value: D | null;
    const price = pack.prices.find((p) => p.commodity === h.commodity);
    if (h.commodity === baseCurrency) value = units;
    else if (price) {
      value = convert(units.mul(dec(price.price)), price.quote_currency);
      if (value === null) {
        missing.push({
          account: h.account,
          commodity: h.commodity,
          reason: 'no-fx',
          currency: price.quote_currency,
        });
        continue;
      }
      pricesUsed.set(price.commodity, {
        commodity: price.commodity,
        quote_currency: price.quote_currency,
        price: price.price,
        price_date: price.price_date,
        carried: price.carried,
        provider: price.provider,
        dataset: price.dataset,
        pack_id: pack.pack_id,
        pack_date: pack.as_of,
      });
    } else {
      // A currency held as cash, or a commodity the pack has no price for.
      value = rateFor(pack, h.commodity, baseCurrency) ? convert(units, h.commodity) : null;
      if (value === null) {
        missing.push({ account: h.account, commodity: h.commodity, reason: 'no-price' });
        continue;
      }
    }
    total = total.add(value);
    positions.push({ account: h.account, commodity: h.commodity, units: h.units, value: decText(value) });
  }
  const byKey = <T>(map: Map<string, T>): T[] =>
    [...map.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, v]) => v);
  return {
    pack_id: pack.pack_id,
    as_of: pack.as_of,
    base_currency: baseCurrency,
    positions,
    total: decText(total),
    complete: missing.length === 0,
    prices_used: byKey(pricesUsed),
    fx_used: byKey(fxUsed),
    missing,
  };
}
