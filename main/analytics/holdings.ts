// Returns per holding: each holding's TWR from its own value series and its own flows (money into
// the holding = purchases, positive; money out = sale proceeds and cash income paid out of it,
// negative), exactly as a portfolio's. A holding sold out and bought again restarts like a
// portfolio that goes to zero.
import { timeWeightedReturn, type TwrOptions, type TwrResult } from './twr';
import type { HoldingSeries } from './types';

export interface HoldingReturn {
  holdingId: string;
  twr: TwrResult;
}

/** `options.detail: 'summary'` leaves out the per-day sub-periods (see TwrOptions). */
export function holdingReturns(
  holdings: readonly HoldingSeries[],
  options: TwrOptions = {},
): HoldingReturn[] {
  return holdings.map((h) => ({
    holdingId: h.holdingId,
    twr: timeWeightedReturn({ valuations: h.valuations, flows: h.flows }, options),
  }));
}
