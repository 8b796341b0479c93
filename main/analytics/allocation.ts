// Allocation by asset class, currency, account, sector, country, issuer and commodity, and the
// concentration X-ray.
//
// Weights: the exact fraction of a bucket is value / total (both printed, so a reader can divide).
// The printed weight is rounded to WEIGHT_DECIMALS places by the largest-remainder rule: every
// fraction is truncated (floored) to WEIGHT_DECIMALS places, then the units still missing to make
// exactly 1 go, one each, to the buckets with the largest truncated remainders (ties: larger value
// first, then key). The printed weights of a dimension therefore always sum to exactly 1.
// Positions without a metadata field fall in the bucket UNCLASSIFIED.
//
// Concentration: positions are aggregated by commodity across accounts; issuer = the position's
// issuer metadata, or the commodity itself when it has none; a breach is a weight strictly above
// its threshold, compared exactly (value > threshold * total). Asset classes in
// CONCENTRATION_EXEMPT_ASSET_CLASSES (cash) count in the total but never breach. The UNCLASSIFIED
// sector never breaches (it is not a sector); its weight is reported instead.
// HHI = sum of squared position weights (1 = one position; 1/HHI = effective number of positions).
import type { Decimal } from 'decimal.js';
import { z } from 'zod';
import { ZERO, dec, money, ratio, sum } from './decimal';
import { parseInput } from './parse';
import { DecimalStringSchema, type Maybe, type Position, PositionSchema } from './types';

export const WEIGHT_DECIMALS = 6;
export const UNCLASSIFIED = 'Unclassified';
/** Default limits of the concentration X-ray (fractions of total value). */
export const SINGLE_POSITION_LIMIT = '0.10';
export const ISSUER_LIMIT = '0.10';
export const SECTOR_LIMIT = '0.30';
export const LARGEST_POSITIONS_SHOWN = 10;
export const CONCENTRATION_EXEMPT_ASSET_CLASSES: readonly string[] = ['Cash'];

export const ALLOCATION_DIMENSIONS = [
  'assetClass',
  'currency',
  'account',
  'sector',
  'country',
  'issuer',
  'commodity',
] as const;
export type AllocationDimension = (typeof ALLOCATION_DIMENSIONS)[number];

export interface AllocationBucket {
  key: string;
  value: string;
  /** Rounded by the largest-remainder rule; the weights of a dimension sum to exactly 1. */
  weight: string;
  positions: number;
}

export type Allocation = Maybe<{
  total: string;
  weightDecimals: number;
  rounding: 'largest remainder';
  dimensions: Record<AllocationDimension, AllocationBucket[]>;
}>;

function keyOf(p: Position, d: AllocationDimension): string {
  const v = p[d];
  return v === undefined || v.trim() === '' ? UNCLASSIFIED : v;
}

interface Group {
  key: string;
  value: Decimal;
  positions: number;
}

function group(positions: readonly Position[], keyFn: (p: Position) => string): Group[] {
  const m = new Map<string, Group>();
  for (const p of positions) {
    const k = keyFn(p);
    const g = m.get(k) ?? { key: k, value: ZERO, positions: 0 };
    g.value = g.value.plus(p.value);
    g.positions += 1;
    m.set(k, g);
  }
  return [...m.values()].sort(
    (a, b) => b.value.comparedTo(a.value) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0),
  );
}

/** Largest-remainder rounding of value/total to `places`; the results sum to exactly 1. */
export function largestRemainderWeights(
  values: readonly Decimal[],
  total: Decimal,
  places: number,
): Decimal[] {
  const unit = dec(10).pow(places);
  const scaled = values.map((v) => v.times(unit).div(total));
  const floors = scaled.map((s) => s.floor());
  const missing = unit.minus(sum(floors)).toNumber();
  const order = scaled
    .map((s, i) => ({ i, rem: s.minus(floors[i]!) }))
    .sort((a, b) => b.rem.comparedTo(a.rem) || values[b.i]!.comparedTo(values[a.i]!) || a.i - b.i);
  const k = Math.max(0, Math.min(values.length, Math.round(missing)));
  for (let j = 0; j < k; j += 1) floors[order[j]!.i] = floors[order[j]!.i]!.plus(1);
  return floors.map((f) => f.div(unit));
}

function buckets(groups: Group[], total: Decimal): AllocationBucket[] {
  const w = largestRemainderWeights(
    groups.map((g) => g.value),
    total,
    WEIGHT_DECIMALS,
  );
  return groups.map((g, i) => ({
    key: g.key,
    value: money(g.value),
    weight: ratio(w[i]!, WEIGHT_DECIMALS),
    positions: g.positions,
  }));
}

export function allocation(input: readonly Position[]): Allocation {
  const positions = parseInput(z.array(PositionSchema), input, 'positions');
  const total = sum(positions.map((p) => dec(p.value)));
  if (!total.gt(0)) {
    return { defined: false, reason: 'the total value is not positive, so weights are not defined' };
  }
  const dimensions = {} as Record<AllocationDimension, AllocationBucket[]>;
  for (const d of ALLOCATION_DIMENSIONS) {
    dimensions[d] = buckets(
      group(positions, (p) => keyOf(p, d)),
      total,
    );
  }
  return {
    defined: true,
    total: money(total),
    weightDecimals: WEIGHT_DECIMALS,
    rounding: 'largest remainder',
    dimensions,
  };
}

export const ConcentrationThresholdsSchema = z.object({
  position: DecimalStringSchema,
  issuer: DecimalStringSchema,
  sector: DecimalStringSchema,
});
export type ConcentrationThresholds = z.infer<typeof ConcentrationThresholdsSchema>;
export const DEFAULT_CONCENTRATION_THRESHOLDS: ConcentrationThresholds = {
  position: SINGLE_POSITION_LIMIT,
  issuer: ISSUER_LIMIT,
  sector: SECTOR_LIMIT,
};

export interface ConcentrationItem {
  key: string;
  value: string;
  weight: string;
}

export interface ConcentrationBreach extends ConcentrationItem {
  kind: 'position' | 'issuer' | 'sector';
  threshold: string;
}

export type Concentration = Maybe<{
  total: string;
  thresholds: ConcentrationThresholds;
  largestPositions: ConcentrationItem[];
  issuers: ConcentrationItem[];
  sectors: ConcentrationItem[];
  unclassifiedSectorWeight: string;
  breaches: ConcentrationBreach[];
  /** Sum of squared position weights (by commodity), 0..1. */
  hhi: string;
  effectivePositions: string;
}>;

export function concentration(
  input: readonly Position[],
  options: { thresholds?: ConcentrationThresholds; top?: number } = {},
): Concentration {
  const positions = parseInput(z.array(PositionSchema), input, 'positions');
  const thresholds = parseInput(
    ConcentrationThresholdsSchema,
    options.thresholds ?? DEFAULT_CONCENTRATION_THRESHOLDS,
    'thresholds',
  );
  const top = options.top ?? LARGEST_POSITIONS_SHOWN;
  const total = sum(positions.map((p) => dec(p.value)));
  if (!total.gt(0)) {
    return { defined: false, reason: 'the total value is not positive, so weights are not defined' };
  }
  const item = (g: Group): ConcentrationItem => ({
    key: g.key,
    value: money(g.value),
    weight: ratio(g.value.div(total), WEIGHT_DECIMALS),
  });
  const exempt = (p: Position): boolean => CONCENTRATION_EXEMPT_ASSET_CLASSES.includes(p.assetClass ?? '');
  const byCommodity = group(positions, (p) => p.commodity);
  const exemptCommodities = new Set(positions.filter(exempt).map((p) => p.commodity));
  const byIssuer = group(
    positions.filter((p) => !exempt(p)),
    (p) => (p.issuer && p.issuer.trim() !== '' ? p.issuer : p.commodity),
  );
  const bySector = group(positions, (p) => keyOf(p, 'sector'));
  const breaches: ConcentrationBreach[] = [];
  const check = (kind: ConcentrationBreach['kind'], groups: Group[], limit: string): void => {
    const cap = dec(limit).times(total);
    for (const g of groups) if (g.value.gt(cap)) breaches.push({ kind, threshold: limit, ...item(g) });
  };
  check(
    'position',
    byCommodity.filter((g) => !exemptCommodities.has(g.key)),
    thresholds.position,
  );
  check('issuer', byIssuer, thresholds.issuer);
  check(
    'sector',
    bySector.filter((g) => g.key !== UNCLASSIFIED),
    thresholds.sector,
  );
  const hhi = sum(byCommodity.map((g) => g.value.times(g.value))).div(total.times(total));
  const unclassified = bySector.find((g) => g.key === UNCLASSIFIED)?.value ?? ZERO;
  return {
    defined: true,
    total: money(total),
    thresholds,
    largestPositions: byCommodity.slice(0, top).map(item),
    issuers: byIssuer.map(item),
    sectors: bySector.map(item),
    unclassifiedSectorWeight: ratio(unclassified.div(total), WEIGHT_DECIMALS),
    breaches,
    hhi: ratio(hhi, WEIGHT_DECIMALS),
    effectivePositions: hhi.isZero() ? '0' : ratio(dec(1).div(hhi), 2),
  };
}
