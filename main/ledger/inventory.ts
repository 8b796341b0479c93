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
  return (cost.key ??= `${cost.number.key()}\u0001${cost.currency}\u0001${cost.date ?? ''}\u0001${cost.label ?? '\u0002'}`);
}

export function positionKey(currency: string, cost: Cost | null): string {
  return cost === null ? currency : `${currency}\u0000${costKey(cost)}`;
}

export class Inventory {
  readonly positions = new Map<string, Position>();
  /** Per currency: how many positions are >= 0 and < 0 (makes isReducedBy O(1)). */
  private readonly signs = new Map<string, [number, number]>();

  private count(currency: string, number: Dec, delta: number): void {
    let s = this.signs.get(currency);
    if (!s) this.signs.set(currency, (s = [0, 0]));
    s[number.sign() >= 0 ? 0 : 1] += delta;
  }

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
      const wasNegative = pos.number.sign() < 0;
      const reduced = wasNegative !== number.sign() < 0;
      const sum = pos.number.add(number);
      if (sum.isZero()) {
        this.count(currency, pos.number, -1);
        this.positions.delete(key);
      } else {
        // The sign counts change only when the position changes sign.
        if (wasNegative !== sum.sign() < 0) {
          this.count(currency, pos.number, -1);
          this.count(currency, sum, 1);
        }
        // In place: positions are never shared between inventories (clone copies them).
        pos.number = sum;
        pos.cost = cost;
      }
      return reduced;
    }
    if (!number.isZero()) {
      this.positions.set(key, { number, currency, cost });
      this.count(currency, number, 1);
    }
    return false;
  }

  /** Beancount's `is_reduced_by`: some position of the currency has the opposite sign. */
  isReducedBy(number: Dec, currency: string): boolean {
    if (number.isZero()) return false;
    const s = this.signs.get(currency);
    if (!s) return false;
    return number.sign() >= 0 ? s[1] > 0 : s[0] > 0;
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

/**
 * An inventory as seen with some local changes on top (Beancount books each currency group against
 * a copy of the balances); the base inventory is not copied or changed. Iteration follows the base's
 * order, with changed positions in place, removed ones skipped and new keys at the end — the order
 * a copied Python dict would have.
 */
export class InventoryOverlay {
  private readonly changed = new Map<string, Position | null>();
  private readonly added = new Map<string, Position>();

  constructor(readonly base: Inventory) {}

  *positions(): Generator<Position> {
    for (const [key, pos] of this.base.positions) {
      const c = this.changed.get(key);
      if (c === undefined) yield pos;
      else if (c !== null) yield c;
    }
    yield* this.added.values();
  }

  isReducedBy(number: Dec, currency: string): boolean {
    if (number.isZero()) return false;
    const positive = number.sign() >= 0;
    for (const p of this.positions())
      if (p.currency === currency && p.number.sign() >= 0 !== positive) return true;
    return false;
  }

  add(number: Dec, currency: string, cost: Cost | null): void {
    const key = positionKey(currency, cost);
    const added = this.added.get(key);
    if (added !== undefined) {
      const sum = added.number.add(number);
      if (sum.isZero()) this.added.delete(key);
      else this.added.set(key, { number: sum, currency, cost });
      return;
    }
    const c = this.changed.get(key);
    const current = c === undefined ? this.base.positions.get(key) : c;
    if (current === undefined || current === null) {
      if (c === null) this.changed.delete(key); // removed then re-added: goes to the end
      if (!number.isZero()) this.added.set(key, { number, currency, cost });
      return;
    }
    const sum = current.number.add(number);
    this.changed.set(key, sum.isZero() ? null : { number: sum, currency, cost });
  }
}
