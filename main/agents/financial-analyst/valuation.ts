// Positions at the pack date valued in base currency, with the prices (and their dates and FX
// rates) each value used, so a value can be recomputed by hand: value = units x price x fx.
import type { Decimal } from 'decimal.js';
import { ZERO, dec, money, ratio } from '../../analytics/decimal';
import type { Position } from '../../analytics/types';
import { WEIGHT_DECIMALS } from '../../analytics/allocation';
import { positionsAt } from '../book/book';
import type { PinnedInputs } from '../environment';
import type { FundamentalsData } from '../data-harvester/schemas';

export interface ValuedLot {
  acquired: string | null;
  label: string | null;
  units: string;
  cost_per_unit: string;
  cost_currency: string;
  cost_basis: string | null;
}

export interface ValuedHolding {
  commodity: string;
  account: string;
  kind: 'security' | 'cash';
  units: string;
  price: string | null;
  price_quote: string | null;
  price_date: string | null;
  fx_rate: string | null;
  fx_date: string | null;
  value: string;
  cost_basis: string | null;
  unrealized: string | null;
  weight: string | null;
  lots: ValuedLot[];
}

export interface Valuation {
  base: string;
  as_of: string;
  pricing_pack_id: string;
  formula: 'value = units x price x fx (fx = 1 when priced in base)';
  total_value: string;
  securities_value: string;
  cash_value: string;
  cost_basis: string;
  unrealized: string;
  holdings: ValuedHolding[];
  unpriced: string[];
}

export function valuePositions(p: PinnedInputs, asOf: string): { valuation: Valuation; values: Decimal[] } {
  const rows = positionsAt(p.snapshot.entries, p.selection, asOf);
  const holdings: ValuedHolding[] = [];
  const values: Decimal[] = [];
  const unpriced: string[] = [];
  let total = ZERO;
  let cash = ZERO;
  let securities = ZERO;
  let costTotal = ZERO;
  let unrealizedTotal = ZERO;
  for (const row of rows) {
    const conv = p.prices.convert(row.commodity, p.base, asOf);
    if (conv === null) unpriced.push(row.commodity);
    const value = conv === null ? ZERO : row.units.times(conv.rate);
    const isSecurity = row.lots.length > 0;
    let costBasis: Decimal | null = null;
    const lots: ValuedLot[] = [];
    if (isSecurity) {
      costBasis = ZERO;
      for (const l of row.lots) {
        const fx = p.prices.convert(l.cost.currency, p.base, l.cost.date ?? asOf);
        const lotCost = fx === null ? null : l.units.times(dec(l.cost.number.toString())).times(fx.rate);
        if (lotCost === null) costBasis = null;
        else if (costBasis !== null) costBasis = costBasis.plus(lotCost);
        lots.push({
          acquired: l.cost.date,
          label: l.cost.label,
          units: money(l.units),
          cost_per_unit: l.cost.number.toString(),
          cost_currency: l.cost.currency,
          cost_basis: lotCost === null ? null : money(lotCost),
        });
      }
    }
    total = total.plus(value);
    if (isSecurity) securities = securities.plus(value);
    else cash = cash.plus(value);
    if (costBasis !== null) {
      costTotal = costTotal.plus(costBasis);
      unrealizedTotal = unrealizedTotal.plus(value.minus(costBasis));
    }
    values.push(value);
    holdings.push({
      commodity: row.commodity,
      account: row.account,
      kind: isSecurity ? 'security' : 'cash',
      units: money(row.units),
      price: conv?.localPrice ? money(conv.localPrice) : conv ? '1' : null,
      price_quote: conv ? conv.quote : null,
      price_date: conv?.localDate ?? null,
      fx_rate: conv?.fxRate ? money(conv.fxRate) : null,
      fx_date: conv?.fxDate ?? null,
      value: money(value),
      cost_basis: costBasis === null ? null : money(costBasis),
      unrealized: costBasis === null ? null : money(value.minus(costBasis)),
      weight: null,
      lots,
    });
  }
  if (total.gt(0)) holdings.forEach((h, i) => (h.weight = ratio(values[i]!.div(total), WEIGHT_DECIMALS)));
  return {
    values,
    valuation: {
      base: p.base,
      as_of: asOf,
      pricing_pack_id: p.prices.packId,
      formula: 'value = units x price x fx (fx = 1 when priced in base)',
      total_value: money(total),
      securities_value: money(securities),
      cash_value: money(cash),
      cost_basis: money(costTotal),
      unrealized: money(unrealizedTotal),
      holdings,
      unpriced: [...new Set(unpriced)].sort(),
    },
  };
}

/** The valued holdings as analytics positions, classified from fundamentals and the ledger. */
export function positionsForAllocation(
  valuation: Valuation,
  fundamentals: FundamentalsData | null,
): Position[] {
  return valuation.holdings.map((h) => {
    const f = fundamentals?.commodities[h.commodity] ?? {};
    const cash = h.kind === 'cash';
    const pos: Position = {
      commodity: h.commodity,
      account: h.account,
      value: h.value,
      assetClass: cash ? 'Cash' : (f.asset_class ?? undefined),
      currency: cash ? h.commodity : (h.price_quote ?? undefined),
      sector: cash ? undefined : f.sector,
      country: cash ? undefined : f.country,
      issuer: cash ? undefined : f.issuer,
    };
    for (const k of Object.keys(pos) as (keyof Position)[]) if (pos[k] === undefined) delete pos[k];
    return pos;
  });
}
