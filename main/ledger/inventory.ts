// An account's inventory: positions keyed by (currency, cost), in insertion order, exactly like
// Beancount's `Inventory` (a dict): adding to an existing key sums the units and keeps the key's
// place, a position whose units reach zero is removed, and a new key goes to the end.
import { Dec } from './decimal';
import type { Cost } from './types';

export interface Position {
  number: Dec;
  currency: string;
  cost: Cost | null;
}

export function costKey(cost: Cost): string {
  return `${cost.number.key()}\u0001${cost.currency}\u0001${cost.date ?? ''}\u0001${cost.label ?? '\u0002'}`;
}

function positionKey(currency: string, cost: Cost | null): string {
  return cost === null ? currency : `${currency}\u0000${costKey(cost)}`;
}

export class Inventory {
  readonly positions = new Map<string, Position>();

  /** A copy whose positions can change without touching this inventory's. */
  clone(): Inventory {
    const copy = new Inventory();
    for (const [k, p] of this.positions)
      copy.positions.set(k, { number: p.number, currency: p.currency, cost: p.cost });
    return copy;
  }

  get size(): number {
    return this.positions.size;
  }

  /**
   * Adds units (with an optional lot cost). Returns true when it reduced an existing position of
   * the opposite sign (Beancount's Booking.REDUCED), which implicit_prices needs.
   */
  add(number: Dec, currency: string, cost: Cost | null): boolean {
    const key = positionKey(currency, cost);
    const pos = this.positions.get(key);
    if (pos !== undefined) {
      const reduced = pos.number.sign() >= 0 !== number.sign() >= 0;
      const sum = pos.number.add(number);
      if (sum.isZero()) this.positions.delete(key);
      else {
        // In place: positions are never shared between inventories (clone copies them).
        pos.number = sum;
        pos.cost = cost;
      }
      return reduced;
    }
    if (!number.isZero()) this.positions.set(key, { number, currency, cost });
    return false;
  }

  /** Beancount's `is_reduced_by`: some position of the currency has the opposite sign. */
  isReducedBy(number: Dec, currency: string): boolean {
    if (number.isZero()) return false;
    const positive = number.sign() >= 0;
    for (const p of this.positions.values())
      if (p.currency === currency && p.number.sign() >= 0 !== positive) return true;
    return false;
  }

  /** Sum of units of one currency over all lots (Beancount's `get_currency_units`). */
  units(currency: string): Dec {
    let total = Dec.ZERO;
    for (const p of this.positions.values()) if (p.currency === currency) total = total.add(p.number);
    return total;
  }

  currencies(): Set<string> {
    const out = new Set<string>();
    for (const p of this.positions.values()) out.add(p.currency);
    return out;
  }

  costCurrencies(): Set<string> {
    const out = new Set<string>();
    for (const p of this.positions.values()) if (p.cost) out.add(p.cost.currency);
    return out;
  }

  isMixed(): boolean {
    const signs = new Map<string, boolean>();
    for (const p of this.positions.values()) {
      const s = p.number.sign() >= 0;
      const prev = signs.get(p.currency);
      if (prev === undefined) signs.set(p.currency, s);
      else if (prev !== s) return true;
    }
    return false;
  }
}

/** Beancount's `position.to_string` for a position or posting: `10 HOOL {100.00 USD, 2021-01-10}`. */
export function formatPosition(
  number: Dec | undefined,
  currency: string | undefined,
  cost: Cost | null,
): string {
  const units = `${number?.toString() ?? ''} ${currency ?? ''}`.trim();
  if (!cost) return units;
  const parts = [`${cost.number.toString()} ${cost.currency}`];
  if (cost.date) parts.push(cost.date);
  if (cost.label) parts.push(`"${cost.label}"`);
  return `${units} {${parts.join(', ')}}`;
}

const CURRENCY_ORDER: Record<string, number> = {
  USD: 0,
  EUR: 1,
  JPY: 2,
  CAD: 3,
  GBP: 4,
  AUD: 5,
  NZD: 6,
  CHF: 7,
};

/** Beancount's Inventory.__str__: positions sorted by Position.sortkey, in parentheses. */
export function inventoryString(positions: Iterable<Position>): string {
  const list = [...positions].map((p, i) => ({ p, i }));
  const rank = (c: string): number => CURRENCY_ORDER[c] ?? 8 + c.length;
  list.sort((a, b) => {
    const r = rank(a.p.currency) - rank(b.p.currency);
    if (r !== 0) return r;
    const ca = a.p.cost?.number ?? Dec.ZERO;
    const cb = b.p.cost?.number ?? Dec.ZERO;
    const c = ca.cmp(cb);
    if (c !== 0) return c;
    const xa = a.p.cost?.currency ?? '';
    const xb = b.p.cost?.currency ?? '';
    if (xa !== xb) return xa < xb ? -1 : 1;
    return a.p.number.cmp(b.p.number) || a.i - b.i;
  });
  return `(${list.map(({ p }) => formatPosition(p.number, p.currency, p.cost)).join(', ')})`;
}
