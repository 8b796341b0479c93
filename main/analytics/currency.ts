// Currency effect separated from local price effect, for a holding priced in a foreign currency.
//
// Inputs: the holding's value series and flows in its LOCAL (quote) currency, and the FX series
// (units of base currency per unit of local currency; the rate on a date is the last one dated on
// or before it). For each TWR sub-period (start, end]:
//   r_local = local TWR sub-period return (flows at the boundaries, as in twr.ts)
//   r_fx    = x_end / x_start - 1
//   total   = (1 + r_local)(1 + r_fx) - 1 = r_local + r_fx + r_local * r_fx
// The cross term r_local * r_fx (the price move earned on the currency move) is reported on its
// own, not folded into either effect. Over the period, each effect is linked over the included
// sub-periods: R_local = prod(1 + r_local) - 1, R_fx = prod(1 + r_fx) - 1, and the same identity
// holds: total = R_local + R_fx + R_local * R_fx.
// `total` equals the base-currency TWR of the series converted at x (values at their date's
// rate) when each inflow is converted at the sub-period's start rate and each outflow at its end
// rate: (V_i x_i + out x_i) / (V_{i-1} x_{i-1} + in x_{i-1}) = (1 + r_local)(1 + r_fx).
import type { Decimal } from 'decimal.js';
import { RatioDec, dec, quotient, ratio } from './decimal';
import { indexAtOrBefore } from './lookup';
import { assertIncreasingDates, parseInput } from './parse';
import { computeTwr } from './twr';
import { type FxSeries, FxSeriesSchema, type Maybe, type ValuedSeries } from './types';

export interface CurrencySubPeriod {
  start: string;
  end: string;
  startRate: string;
  startRateDate: string;
  endRate: string;
  endRateDate: string;
  localReturn: string;
  fxReturn: string;
  crossTerm: string;
  totalReturn: string;
}

export type CurrencyDecomposition = Maybe<{
  base: string;
  quote: string;
  localReturn: string;
  fxReturn: string;
  crossTerm: string;
  totalReturn: string;
  identity: 'total = local + fx + local * fx';
  subPeriods: CurrencySubPeriod[];
}>;

export function currencyDecomposition(local: ValuedSeries, fxInput: FxSeries): CurrencyDecomposition {
  const fx = parseInput(FxSeriesSchema, fxInput, 'FX series');
  assertIncreasingDates(
    fx.rates.map((r) => r.date),
    'FX rate',
  );
  const { result, returns, growth } = computeTwr(local);
  if (growth === null) {
    return { defined: false, reason: result.cumulativeReason ?? 'the holding has no return' };
  }
  let fxGrowth: Decimal = new RatioDec(1);
  const subPeriods: CurrencySubPeriod[] = [];
  for (let i = 0; i < result.subPeriods.length; i += 1) {
    const p = result.subPeriods[i]!;
    const rl = returns[i];
    if (rl === null || rl === undefined) continue;
    const a = indexAtOrBefore(fx.rates, p.start);
    const b = indexAtOrBefore(fx.rates, p.end);
    if (a < 0) return { defined: false, reason: `no FX rate on or before ${p.start}` };
    const xa = fx.rates[a]!;
    const xb = fx.rates[b]!;
    if (!dec(xa.rate).gt(0)) return { defined: false, reason: `the FX rate on ${xa.date} is not positive` };
    const rx = quotient(dec(xb.rate), xa.rate).minus(1);
    fxGrowth = fxGrowth.times(rx.plus(1));
    const cross = rl.times(rx);
    subPeriods.push({
      start: p.start,
      end: p.end,
      startRate: xa.rate,
      startRateDate: xa.date,
      endRate: xb.rate,
      endRateDate: xb.date,
      localReturn: ratio(rl),
      fxReturn: ratio(rx),
      crossTerm: ratio(cross),
      totalReturn: ratio(rl.plus(rx).plus(cross)),
    });
  }
  const rl = growth.minus(1);
  const rx = fxGrowth.minus(1);
  const cross = rl.times(rx);
  return {
    defined: true,
    base: fx.base,
    quote: fx.quote,
    localReturn: ratio(rl),
    fxReturn: ratio(rx),
    crossTerm: ratio(cross),
    totalReturn: ratio(rl.plus(rx).plus(cross)),
    identity: 'total = local + fx + local * fx',
    subPeriods,
  };
}
