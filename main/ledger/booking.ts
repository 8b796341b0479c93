// Booking: completes each transaction (interpolates the one missing number per currency, fills
// missing currencies) and matches reductions against the lots held, following Beancount 2.3.5's
// booking_full.py step by step: categorize postings by currency, book reductions per group,
// interpolate per group. Booking methods STRICT (with its "total match" exception), FIFO, LIFO and
// NONE behave as Beancount's. AVERAGE is DawsOS's own (Beancount 2.3.5 rejects it): a reduction
// first merges every matching lot into one lot at the average cost, then reduces that lot; see
// docs/ledger-differences.md.
import { Dec } from './decimal';
import { Inventory, InventoryOverlay, formatPosition, inventoryString } from './inventory';
import type {
  Booking,
  Cost,
  CostSpec,
  LedgerError,
  LedgerErrorType,
  LedgerOptions,
  Posting,
  Transaction,
  Entry,
} from './types';

const HALF = Dec.parse('0.5')!;
const MAXIMUM_TOLERANCE = HALF;
const MAX_TOLERANCE_DIGITS = 5;

// None = null, MISSING = undefined.
type Cur = string | null | undefined;
interface Refer {
  index: number;
  units: Cur;
  cost: Cur;
  price: Cur;
}

export function isCostSpec(cost: CostSpec | Cost | null): cost is CostSpec {
  return cost !== null && 'numberPer' in cost;
}

/** The weight of a booked posting (Beancount's convert.get_weight); null when it has none yet. */
export function weight(p: Posting): { number: Dec; currency: string } | null {
  const cost = p.cost;
  if (p.number === undefined || p.currency === undefined) return null;
  if (cost !== null && !isCostSpec(cost))
    return { number: cost.number.mul(p.number), currency: cost.currency };
  const price = p.price;
  if (price !== null) {
    if (price.number === undefined || price.currency === undefined) return null;
    return { number: price.number.mul(p.number), currency: price.currency };
  }
  return { number: p.number, currency: p.currency };
}

export type Tolerances = Map<string, Dec> & { fallback?: Dec };

/** Beancount's interpolate.infer_tolerances. */
export function inferTolerances(postings: readonly Posting[], options: LedgerOptions): Tolerances {
  const tolerances: Tolerances = new Map(options.inferredToleranceDefault);
  const useCost = options.inferToleranceFromCost;
  const multiplier = options.inferredToleranceMultiplier;
  let costTolerances: Map<string, Dec> | null = null;
  for (let pi = 0; pi < postings.length; pi++) {
    const p = postings[pi]!;
    if (p.automatic) continue;
    const number = p.number;
    const currency = p.currency;
    if (number === undefined || currency === undefined) continue;
    const expo = number.exp;
    if (expo < 0) {
      const tolerance = Dec.small(1, expo).mul(multiplier);
      const prev = tolerances.get(currency);
      if (prev === undefined || tolerance.cmp(prev) > 0) tolerances.set(currency, tolerance);
      if (!useCost) continue;
      costTolerances ??= new Map();
      const cost = p.cost;
      if (cost !== null) {
        let costTolerance: Dec;
        if (!isCostSpec(cost)) {
          const t = tolerance.mul(cost.number);
          costTolerance = t.cmp(MAXIMUM_TOLERANCE) < 0 ? t : MAXIMUM_TOLERANCE;
        } else {
          costTolerance = MAXIMUM_TOLERANCE;
          for (const n of [cost.numberTotal, cost.numberPer]) {
            if (n === null || n === undefined) continue;
            const t = tolerance.mul(n);
            if (t.cmp(costTolerance) < 0) costTolerance = t;
          }
        }
        const cc = cost.currency;
        if (cc !== undefined) costTolerances.set(cc, (costTolerances.get(cc) ?? Dec.ZERO).add(costTolerance));
      }
      const price = p.price;
      if (price && price.number !== undefined && price.currency !== undefined) {
        const t = tolerance.mul(price.number);
        const pt = t.cmp(MAXIMUM_TOLERANCE) < 0 ? t : MAXIMUM_TOLERANCE;
        costTolerances.set(price.currency, (costTolerances.get(price.currency) ?? Dec.ZERO).add(pt));
      }
    }
  }
  if (costTolerances)
    for (const [c, t] of costTolerances) {
      const prev = tolerances.get(c);
      if (prev === undefined || t.cmp(prev) > 0) tolerances.set(c, t);
    }
  const fallback = tolerances.get('*');
  if (fallback !== undefined) {
    tolerances.delete('*');
    tolerances.fallback = fallback;
  }
  return tolerances;
}

export function toleranceFor(tolerances: Tolerances, currency: string): Dec {
  return tolerances.get(currency) ?? tolerances.fallback ?? Dec.ZERO;
}

function quantizeWithTolerance(tolerances: Tolerances, currency: string, number: Dec): Dec {
  const tolerance = toleranceFor(tolerances, currency);
  if (!tolerance.isZero()) {
    const quantum = tolerance.mul(Dec.fromInt(2)).normalize();
    if (quantum.digits() < MAX_TOLERANCE_DIGITS) return number.quantize(quantum.exp);
  }
  return number;
}

export interface BookingResult {
  entries: Entry[];
  errors: LedgerError[];
  /** Final inventories per account after booking (before plugins such as pad). */
  balances: Map<string, Inventory>;
}

interface Ctx {
  errors: LedgerError[];
  options: LedgerOptions;
  methods: Map<string, Booking>;
  balances: Map<string, Inventory>;
}

function err(ctx: Ctx, type: LedgerErrorType, file: string, line: number, message: string): void {
  ctx.errors.push({ type, file, line, message });
}

const EMPTY = new Inventory();

function bucketOf(r: Refer): string | null {
  if (typeof r.cost === 'string') return r.cost;
  if (typeof r.price === 'string') return r.price;
  if (r.cost === null && r.price === null && typeof r.units === 'string') return r.units;
  return null;
}

function addToGroup(
  groups: Map<string, Refer[]>,
  sortIndex: Map<string, number>,
  currency: string,
  r: Refer,
): void {
  if (!sortIndex.has(currency)) sortIndex.set(currency, r.index);
  const g = groups.get(currency);
  if (g) g.push(r);
  else groups.set(currency, [r]);
}

function categorize(ctx: Ctx, entry: Transaction): { groups: [string, Refer[]][]; ok: boolean } {
  const groups = new Map<string, Refer[]>();
  const sortIndex = new Map<string, number>();
  const autoPostings: Refer[] = [];
  const unknown: Refer[] = [];
  const postings = entry.postings;
  let ok = true;
  for (let index = 0; index < postings.length; index++) {
    const p = postings[index]!;
    const units: Cur = p.unitsMissing ? null : p.currency;
    let cost: Cur = p.cost === null ? null : p.cost.currency;
    let price: Cur = p.price === null ? null : p.price.currency;
    if (cost === undefined && typeof price === 'string') cost = price;
    if (price === undefined && typeof cost === 'string') price = cost;
    const refer: Refer = { index, units, cost, price };
    if (p.unitsMissing && price === null) autoPostings.push(refer);
    else {
      const currency = bucketOf(refer);
      if (currency !== null) addToGroup(groups, sortIndex, currency, refer);
      else unknown.push(refer);
    }
  }
  if (unknown.length === 1 && groups.size === 1) {
    const r = unknown.pop()!;
    const other = groups.keys().next().value as string;
    if (r.price === null && r.cost === null) r.units = other;
    else {
      if (r.price === undefined) r.price = other;
      if (r.cost === undefined) r.cost = other;
    }
    addToGroup(groups, sortIndex, bucketOf(r)!, r);
  }
  for (const r of unknown) {
    const p = postings[r.index]!;
    const balance = ctx.balances.get(p.account) ?? EMPTY;
    if (r.units === undefined) {
      const cs = balance.currencies();
      if (cs.size === 1) r.units = [...cs][0]!;
    }
    if (r.cost === undefined || r.price === undefined) {
      const ccs = balance.costCurrencies();
      if (ccs.size === 1) {
        const c = [...ccs][0]!;
        if (r.price === undefined) r.price = c;
        if (r.cost === undefined) r.cost = c;
      }
    }
    const currency = bucketOf(r);
    if (currency !== null) addToGroup(groups, sortIndex, currency, r);
    else {
      err(ctx, 'interpolation', entry.file, p.line, `Failed to categorize posting ${r.index + 1}`);
      ok = false;
    }
  }
  for (const refers of groups.values()) {
    for (let ri = 0; ri < refers.length; ri++) {
      const r = refers[ri]!;
      if (r.units !== undefined) continue;
      const balance = ctx.balances.get(postings[r.index]!.account);
      if (!balance) continue;
      const cs = balance.currencies();
      if (cs.size === 1) r.units = [...cs][0]!;
    }
  }
  if (autoPostings.length > 1) {
    const last = autoPostings[autoPostings.length - 1]!;
    err(
      ctx,
      'interpolation',
      entry.file,
      postings[last.index]!.line,
      'You may not have more than one auto-posting per currency',
    );
    ok = false;
    autoPostings.length = 1;
  }
  for (const r of autoPostings) {
    for (const currency of groups.keys()) {
      if (!sortIndex.has(currency)) sortIndex.set(currency, r.index);
      groups.get(currency)!.push({ index: r.index, units: currency, cost: null, price: null });
    }
  }
  for (const refers of groups.values()) {
    for (let ri = 0; ri < refers.length; ri++) {
      const r = refers[ri]!;
      if (r.units !== undefined && r.cost !== undefined && r.price !== undefined) continue;
      const line = postings[r.index]!.line;
      if (r.units === undefined) unresolved(ctx, entry, line, 'units');
      if (r.cost === undefined) unresolved(ctx, entry, line, 'cost');
      if (r.price === undefined) unresolved(ctx, entry, line, 'price');
      ok = false;
    }
  }
  const sorted = [...groups.entries()];
  if (sorted.length > 1) sorted.sort((a, b) => sortIndex.get(a[0])! - sortIndex.get(b[0])!);
  return { groups: sorted, ok };
}

function unresolved(ctx: Ctx, entry: Transaction, line: number, name: string): void {
  err(ctx, 'interpolation', entry.file, line, `Could not resolve ${name} currency`);
}

function replaceCurrencies(postings: readonly Posting[], refers: Refer[]): Posting[] {
  const out: Posting[] = [];
  let inOrder = true;
  for (let i = 1; i < refers.length; i++) if (refers[i]!.index < refers[i - 1]!.index) inOrder = false;
  const ordered = inOrder ? refers : [...refers].sort((a, b) => a.index - b.index);
  for (let ri = 0; ri < ordered.length; ri++) {
    const r = ordered[ri]!;
    const p = postings[r.index]!;
    if (p.unitsMissing) {
      out.push({ ...p, unitsMissing: false, number: undefined, currency: r.units ?? undefined });
      continue;
    }
    let q = p;
    if (p.currency === undefined) q = { ...q, currency: r.units ?? undefined };
    if (p.cost && p.cost.currency === undefined)
      q = { ...q, cost: { ...(p.cost as CostSpec), currency: r.cost ?? undefined } };
    if (p.price && p.price.currency === undefined)
      q = { ...q, price: { number: p.price.number, currency: r.price ?? undefined } };
    out.push(q);
  }
  return out;
}

function computeCostNumber(spec: CostSpec, number: Dec): Dec | null {
  const per = spec.numberPer;
  const total = spec.numberTotal;
  if (per === undefined || total === undefined) return null;
  if (total !== null) {
    const units = number.abs();
    let costTotal = total;
    costTotal = costTotal.add(per.mul(units));
    return costTotal.div(units);
  }
  return per;
}

function specToCost(p: Posting): Posting {
  const spec = p.cost;
  if (!isCostSpec(spec)) return p;
  let unit: Dec | undefined;
  if (spec.numberTotal !== null && spec.numberTotal !== undefined && p.number !== undefined) {
    let costTotal = spec.numberTotal;
    if (spec.numberPer !== undefined) costTotal = costTotal.add(spec.numberPer.mul(p.number.abs()));
    unit = costTotal.div(p.number.abs()) ?? undefined;
  } else unit = spec.numberPer;
  if (unit === undefined || spec.currency === undefined) return p; // left incomplete; reported later
  return {
    ...p,
    cost: { number: unit, currency: spec.currency, date: spec.date, label: spec.label, key: undefined },
  };
}

/** Beancount's position.to_string for a posting whose cost may still be a CostSpec. */
function postingText(p: Posting): string {
  const cost = p.cost;
  const units = `${p.number?.toString() ?? ''} ${p.currency ?? ''}`.trim();
  if (cost && isCostSpec(cost)) {
    const parts: string[] = [];
    if (cost.numberPer !== undefined || (cost.numberTotal !== null && cost.numberTotal !== undefined)) {
      const amount: string[] = [];
      if (cost.numberPer !== undefined) amount.push(cost.numberPer.toString());
      if (cost.numberTotal !== null && cost.numberTotal !== undefined)
        amount.push('#', cost.numberTotal.toString());
      if (cost.currency !== undefined) amount.push(cost.currency);
      parts.push(amount.join(' '));
    }
    if (cost.date) parts.push(cost.date);
    if (cost.label) parts.push(`"${cost.label}"`);
    if (cost.merge) parts.push('*');
    return `${units} {${parts.join(', ')}}`;
  }
  if (cost) return formatPosition(p.number, p.currency, cost);
  return units;
}

function pyStr(s: string): string {
  return s.includes("'") && !s.includes('"')
    ? `"${s}"`
    : `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}
function pyDate(d: string): string {
  const [y, m, day] = d.split('-').map(Number);
  return `datetime.date(${y}, ${m}, ${day})`;
}
function pyDec(d: Dec | undefined | null): string {
  if (d === undefined) return "<class 'beancount.core.number.MISSING'>";
  if (d === null) return 'None';
  return `Decimal('${d.toString()}')`;
}
function pyMetaValue(v: unknown): string {
  if (typeof v === 'string') return pyStr(v);
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (v === null) return 'None';
  if (v instanceof Dec) return pyDec(v);
  if (typeof v === 'object' && v !== null && 'date' in v) return pyDate((v as { date: string }).date);
  if (typeof v === 'object' && v !== null && 'number' in v) {
    const a = v as { number: Dec; currency: string };
    return `${a.number.toString()} ${a.currency}`;
  }
  const o = v as Record<string, string>;
  return pyStr(o.account ?? o.currency ?? o.tag ?? '');
}

/** Python's repr of a Beancount Posting, as Beancount puts it in "No position matches" errors. */
function postingRepr(p: Posting, file: string): string {
  const units =
    `${p.number?.toString() ?? "<class 'beancount.core.number.MISSING'>"} ${p.currency ?? ''}`.trim();
  let cost = 'None';
  const c = p.cost;
  if (c && isCostSpec(c)) {
    cost = `CostSpec(number_per=${pyDec(c.numberPer)}, number_total=${pyDec(c.numberTotal)}, currency=${c.currency === undefined ? "<class 'beancount.core.number.MISSING'>" : pyStr(c.currency)}, date=${c.date ? pyDate(c.date) : 'None'}, label=${c.label === null ? 'None' : pyStr(c.label)}, merge=${c.merge ? 'True' : 'False'})`;
  }
  const price = p.price ? `${p.price.number?.toString() ?? ''} ${p.price.currency ?? ''}`.trim() : 'None';
  const meta = [`'filename': ${pyStr(file)}`, `'lineno': ${p.line}`];
  if (p.meta) for (const [k, v] of Object.entries(p.meta)) meta.push(`${pyStr(k)}: ${pyMetaValue(v)}`);
  return `Posting(account=${pyStr(p.account)}, units=${units}, cost=${cost}, price=${price}, flag=${p.flag === null ? 'None' : pyStr(p.flag)}, meta={${meta.join(', ')}})`;
}

/** Reductions of one currency group: Beancount's book_reductions (+ DawsOS AVERAGE). */
function bookReductions(ctx: Ctx, entry: Transaction, group: Posting[]): Posting[] | null {
  // Balances as this group's earlier reductions left them (an overlay, not a copy).
  let local: Map<string, InventoryOverlay> | null = null;
  const booked: Posting[] = [];
  for (let pi = 0; pi < group.length; pi++) {
    const p = group[pi]!;
    const spec = p.cost;
    if (spec === null || p.number === undefined || !isCostSpec(spec)) {
      booked.push(p);
      continue;
    }
    const base = ctx.balances.get(p.account) ?? EMPTY;
    const overlay = local?.get(p.account);
    const method = ctx.methods.get(p.account) ?? ctx.options.bookingMethod;
    const currency = p.currency!;
    const reduces = overlay ? overlay.isReducedBy(p.number, currency) : base.isReducedBy(p.number, currency);
    if (method !== 'NONE' && reduces) {
      const costNumber = computeCostNumber(spec, p.number);
      const matches: { number: Dec; currency: string; cost: Cost }[] = [];
      for (const pos of overlay ? overlay.positions() : base.positions.values()) {
        if (currency && pos.currency !== currency) continue;
        if (pos.cost === null) continue;
        if (costNumber !== null && !pos.cost.number.eq(costNumber)) continue;
        if (typeof spec.currency === 'string' && pos.cost.currency !== spec.currency) continue;
        if (spec.date && pos.cost.date !== spec.date) continue;
        if (spec.label && pos.cost.label !== spec.label) continue;
        matches.push(pos as { number: Dec; currency: string; cost: Cost });
      }
      if (matches.length === 0) {
        err(
          ctx,
          'no_matching_lot',
          entry.file,
          entry.line,
          `No position matches "${postingRepr(p, entry.file)}" against balance ${inventoryString(overlay ? overlay.positions() : base.positions.values())}`,
        );
        return null;
      }
      const reductions = handleMatches(ctx, entry, p, matches, method);
      if (reductions === null) return null;
      local ??= new Map();
      let mine = overlay;
      if (!mine) local.set(p.account, (mine = new InventoryOverlay(base)));
      for (const r of reductions) {
        booked.push(r);
        const c = r.cost as Cost;
        mine.add(r.number!, r.currency!, c);
      }
    } else {
      booked.push(spec.date === null ? { ...p, cost: { ...spec, date: entry.date } } : p);
    }
  }
  return booked;
}

function handleMatches(
  ctx: Ctx,
  entry: Transaction,
  p: Posting,
  matches: { number: Dec; currency: string; cost: Cost }[],
  method: Booking,
): Posting[] | null {
  const number = p.number!;
  const out: Posting[] = [];
  let insufficient = false;
  const list = (): string => matches.map((m) => formatPosition(m.number, m.currency, m.cost)).join(', ');
  switch (method) {
    case 'STRICT': {
      if (matches.length > 1) {
        let sum = Dec.ZERO;
        for (const m of matches) sum = sum.add(m.number);
        if (sum.eq(number.neg())) {
          for (const m of matches) out.push({ ...p, number: m.number.neg(), cost: m.cost });
        } else {
          err(
            ctx,
            'ambiguous_lot',
            entry.file,
            entry.line,
            `Ambiguous matches for "${postingText(p)}": ${list()}`,
          );
          return null;
        }
      } else {
        const m = matches[0]!;
        const size = m.number.abs().cmp(number.abs()) <= 0 ? m.number.abs() : number.abs();
        const units = number.sign() < 0 ? size.neg() : size;
        out.push({ ...p, number: units, currency: m.currency, cost: m.cost });
        insufficient = !units.eq(number);
      }
      break;
    }
    case 'FIFO':
    case 'LIFO': {
      const sign = number.sign() < 0 ? -1 : 1;
      let remaining = number.abs();
      const order = matches
        .map((m, i) => ({ m, i }))
        .sort((a, b) => {
          const da = a.m.cost.date ?? '';
          const db = b.m.cost.date ?? '';
          const c = da < db ? -1 : da > db ? 1 : 0;
          return (method === 'LIFO' ? -c : c) || a.i - b.i;
        });
      for (const { m } of order) {
        if (remaining.sign() <= 0) break;
        if (m.number.sign() * sign > 0) continue;
        const size = m.number.abs().cmp(remaining) <= 0 ? m.number.abs() : remaining;
        out.push({ ...p, number: sign < 0 ? size.neg() : size, currency: m.currency, cost: m.cost });
        remaining = remaining.sub(size);
      }
      insufficient = remaining.sign() > 0;
      break;
    }
    case 'AVERAGE': {
      // DawsOS: merge the matching lots of one cost currency into one lot at the average cost.
      const costCurrencies = new Set(matches.map((m) => m.cost.currency));
      if (costCurrencies.size !== 1) {
        err(
          ctx,
          'ambiguous_lot',
          entry.file,
          entry.line,
          `Cannot merge positions in multiple currencies: ${list()}`,
        );
        return null;
      }
      let units = Dec.ZERO;
      let total = Dec.ZERO;
      let date: string | null = null;
      for (const m of matches) {
        units = units.add(m.number);
        total = total.add(m.number.mul(m.cost.number));
        if (m.cost.date !== null && (date === null || m.cost.date < date)) date = m.cost.date;
      }
      const average = total.div(units)!;
      const merged: Cost = { number: average, currency: matches[0]!.cost.currency, date, label: null };
      if (matches.length > 1 || !matches[0]!.cost.number.eq(average) || matches[0]!.cost.label !== null) {
        for (const m of matches)
          out.push({
            ...p,
            flag: 'M',
            number: m.number.neg(),
            currency: m.currency,
            cost: m.cost,
            price: null,
          });
        out.push({ ...p, flag: 'M', number: units, currency: p.currency, cost: merged, price: null });
      }
      const size = units.abs().cmp(number.abs()) <= 0 ? units.abs() : number.abs();
      const reduced = number.sign() < 0 ? size.neg() : size;
      out.push({ ...p, number: reduced, cost: merged });
      insufficient = !reduced.eq(number);
      break;
    }
    case 'NONE':
      out.push(p);
      break;
  }
  if (insufficient) {
    err(
      ctx,
      'insufficient_lots',
      entry.file,
      entry.line,
      `Not enough lots to reduce "${postingText(p)}": ${list()}`,
    );
    return null;
  }
  return out;
}

/** Beancount's interpolate_group. */
function interpolateGroup(
  ctx: Ctx,
  entry: Transaction,
  postings: Posting[],
  currency: string,
  tolerances: Tolerances,
): Posting[] {
  const incomplete: [number, number][] = []; // [kind, index]: 1 units, 2 cost per, 3 cost total, 4 price
  for (let i = 0; i < postings.length; i++) {
    const p = postings[i]!;
    if (p.number === undefined) incomplete.push([1, i]);
    const cost = p.cost;
    if (isCostSpec(cost)) {
      if (cost.numberPer === undefined) incomplete.push([2, i]);
      if (cost.numberTotal === undefined) incomplete.push([3, i]);
    }
    if (p.price && p.price.number === undefined) incomplete.push([4, i]);
  }
  let out: Posting[];
  if (incomplete.length === 0) out = postings.map(specToCost);
  else if (incomplete.length > 1) {
    const p = postings[incomplete[0]![1]]!;
    err(
      ctx,
      'interpolation',
      entry.file,
      p.line,
      `Too many missing numbers for currency group '${currency}'`,
    );
    return [];
  } else {
    const [missing, index] = incomplete[0]!;
    const inc = postings[index]!;
    const others = postings.map((p, i) => (i === index ? p : specToCost(p)));
    // Residual of the complete postings (all in this group's currency).
    let residual: Dec | null = null;
    for (let i = 0; i < others.length; i++) {
      if (i === index) continue;
      const w = weight(others[i]!);
      if (w === null) continue;
      residual = residual === null ? w.number : residual.add(w.number);
    }
    const w = residual === null || residual.isZero() ? Dec.ZERO : residual.neg();
    let replaced: Posting | null = null;
    const spec = isCostSpec(inc.cost) ? inc.cost : null;
    if (missing === 1) {
      let units: Dec;
      if (spec) {
        if (spec.numberPer !== undefined && spec.numberPer.isZero()) {
          err(ctx, 'interpolation', entry.file, inc.line, 'Cannot infer per-unit cost only from total');
          return postings;
        }
        units = w.sub(spec.numberTotal ?? Dec.ZERO).div(spec.numberPer!) ?? Dec.ZERO;
      } else if (inc.price && inc.price.number !== undefined) {
        units = w.div(inc.price.number) ?? Dec.ZERO;
      } else units = w;
      units = quantizeWithTolerance(tolerances, inc.currency!, units);
      if (!w.isZero()) replaced = { ...inc, number: units, automatic: true };
    } else if (missing === 2) {
      if (!inc.number!.isZero()) {
        const per = w.sub(spec!.numberTotal ?? Dec.ZERO).div(inc.number!)!;
        replaced = { ...inc, cost: { ...spec!, numberPer: per }, automatic: true };
      }
    } else if (missing === 3) {
      const total = w.sub(spec!.numberPer!.mul(inc.number!));
      replaced = { ...inc, cost: { ...spec!, numberTotal: total }, automatic: true };
    } else {
      if (inc.cost !== null) {
        err(
          ctx,
          'interpolation',
          entry.file,
          inc.line,
          'Cannot infer price for postings with units held at cost',
        );
        return postings;
      }
      const priceNumber = inc.number!.isZero() ? null : w.div(inc.number!)!.abs();
      if (priceNumber === null) {
        err(ctx, 'interpolation', entry.file, inc.line, 'Cannot infer a price from zero units');
        return postings;
      }
      replaced = { ...inc, price: { number: priceNumber, currency: inc.price!.currency }, automatic: true };
    }
    if (replaced !== null) others[index] = specToCost(replaced);
    else others.splice(index, 1);
    out = others;
  }
  for (let pi = 0; pi < out.length; pi++) {
    const p = out[pi]!;
    const cost = p.cost;
    if (cost === null || isCostSpec(cost)) continue;
    if (p.number !== undefined && p.number.isZero())
      err(
        ctx,
        'interpolation',
        entry.file,
        p.line,
        `Amount is zero: "${p.number.toString()} ${p.currency ?? ''}"`,
      );
    if (cost.number.sign() < 0)
      err(
        ctx,
        'interpolation',
        entry.file,
        p.line,
        `Cost is negative: "${formatPosition(undefined, undefined, cost).replace(/^\{|\}$/g, '')}"`,
      );
  }
  return out;
}

export interface BookOptions {
  /** Called after every transaction with the count so far (progress reporting). */
  onProgress?: (booked: number) => void;
}

/** Books every transaction of `entries` (sorted) in order. */
export function book(entries: Entry[], options: LedgerOptions, bookOptions: BookOptions = {}): BookingResult {
  const methods = new Map<string, Booking>();
  for (let ei = 0; ei < entries.length; ei++) {
    const e = entries[ei]!;
    if (e.kind === 'open' && e.booking) methods.set(e.account, e.booking);
  }
  const ctx: Ctx = { errors: [], options, methods, balances: new Map() };
  const out: Entry[] = [];
  // validate_missing_eliminated's errors, reported after every booking error as in Beancount.
  const incomplete: LedgerError[] = [];
  let count = 0;
  for (let ei = 0; ei < entries.length; ei++) {
    const entry = entries[ei]!;
    if (entry.kind !== 'transaction') {
      out.push(entry);
      continue;
    }
    count++;
    if (bookOptions.onProgress && (count & 4095) === 0) bookOptions.onProgress(count);
    const booked = bookTransaction(ctx, entry);
    if (booked === null) continue;
    out.push(booked);
    // A transaction left as it was is complete (bookTransaction's fast path checked every posting).
    if (booked !== entry)
      for (let pi = 0, ps = booked.postings; pi < ps.length; pi++) {
        const p = ps[pi]!;
        if (p.number === undefined || p.currency === undefined || isCostSpec(p.cost)) {
          incomplete.push({
            type: 'other',
            file: booked.file,
            line: booked.line,
            message: 'Transaction has incomplete elements',
          });
          break;
        }
      }
  }
  bookOptions.onProgress?.(count);
  for (const e of incomplete) ctx.errors.push(e);
  return { entries: out, errors: ctx.errors, balances: ctx.balances };
}

/** Every posting complete, without cost or price (most ledger lines): nothing to book. */
function isSimple(postings: readonly Posting[]): boolean {
  for (let i = 0; i < postings.length; i++) {
    const p = postings[i]!;
    if (
      p.unitsMissing ||
      p.number === undefined ||
      p.currency === undefined ||
      p.cost !== null ||
      p.price !== null
    )
      return false;
  }
  return true;
}

function bookTransaction(ctx: Ctx, entry: Transaction): Transaction | null {
  const postings = entry.postings;
  // Fast path: every posting complete, no cost, no price, no missing (most ledger lines).
  if (isSimple(postings)) {
    for (let i = 0; i < postings.length; i++) addToBalance(ctx, postings[i]!);
    return entry;
  }
  const auto = singleAutoPosting(postings);
  if (auto >= 0) return bookAutoPosting(ctx, entry, auto);
  const { groups, ok } = categorize(ctx, entry);
  if (!ok) return null;
  const tolerances = inferTolerances(postings, ctx.options);
  const repl: Posting[] = [];
  for (let gi = 0; gi < groups.length; gi++) {
    const [currency, refers] = groups[gi]!;
    const group = replaceCurrencies(postings, refers);
    const booked = bookReductions(ctx, entry, group);
    if (booked === null) continue;
    const interpolated = interpolateGroup(ctx, entry, booked, currency, tolerances);
    for (let pi = 0; pi < interpolated.length; pi++) repl.push(interpolated[pi]!);
  }
  const result: Transaction = { ...entry, postings: repl };
  for (let pi = 0; pi < repl.length; pi++) {
    const p = repl[pi]!;
    addToBalance(ctx, p);
  }
  return result;
}

/**
 * The index of the one posting without an amount when every other posting is complete, without
 * cost or price, and in one and the same currency (the next most common shape); else -1.
 */
function singleAutoPosting(postings: readonly Posting[]): number {
  let auto = -1;
  let currency: string | undefined;
  for (let i = 0; i < postings.length; i++) {
    const p = postings[i]!;
    if (p.cost !== null || p.price !== null) return -1;
    if (p.unitsMissing) {
      if (auto >= 0) return -1;
      auto = i;
      continue;
    }
    if (p.number === undefined || p.currency === undefined) return -1;
    if (currency === undefined) currency = p.currency;
    else if (p.currency !== currency) return -1;
  }
  return currency === undefined ? -1 : auto;
}

/**
 * What categorize + interpolateGroup do for that shape: the auto posting takes the negated sum of
 * the others, quantized by the inferred tolerance, or is dropped when the others sum to zero.
 */
function bookAutoPosting(ctx: Ctx, entry: Transaction, auto: number): Transaction {
  const postings = entry.postings;
  const currency = postings[auto === 0 ? 1 : 0]!.currency!;
  let residual: Dec | null = null;
  for (let i = 0; i < postings.length; i++) {
    if (i === auto) continue;
    const n = postings[i]!.number!;
    residual = residual === null ? n : residual.add(n);
  }
  const w = residual === null || residual.isZero() ? Dec.ZERO : residual.neg();
  let repl: Posting[];
  if (w.isZero()) repl = postings.filter((_, i) => i !== auto);
  else {
    const units = quantizeWithTolerance(inferTolerances(postings, ctx.options), currency, w);
    repl = postings.slice();
    repl[auto] = { ...postings[auto]!, unitsMissing: false, number: units, currency, automatic: true };
  }
  for (let pi = 0; pi < repl.length; pi++) addToBalance(ctx, repl[pi]!);
  return { ...entry, postings: repl };
}

function addToBalance(ctx: Ctx, p: Posting): void {
  if (p.number === undefined || p.currency === undefined) return;
  const cost = p.cost;
  if (isCostSpec(cost)) return;
  let inv = ctx.balances.get(p.account);
  if (!inv) {
    inv = new Inventory();
    ctx.balances.set(p.account, inv);
  }
  inv.add(p.number, p.currency, cost);
}
