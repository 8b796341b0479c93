// Derived views over a booked ledger: balances and holdings (the shapes of the CLI's JSON and the
// conformance fixtures), lot disposals with realized gains, and price history. `before` (a
// YYYY-MM-DD date) keeps the transactions dated strictly before it, as Beancount's balances_at.
import { Dec } from './decimal';
import { Inventory } from './inventory';
import { isCostSpec } from './booking';
import type { Cost, Entry, Transaction } from './types';

export type BalancesJson = Record<string, Record<string, string>>;

export interface HoldingLotJson {
  units: string;
  cost: string;
  currency: string;
  date: string | null;
  label: string | null;
}
export interface HoldingJson {
  account: string;
  currency: string;
  units: string;
  cost_currency: string | null;
  cost_total: string | null;
  lots: HoldingLotJson[];
}

function* transactions(entries: readonly Entry[], before?: string): Generator<Transaction> {
  for (const e of entries) {
    if (e.kind !== 'transaction') continue;
    if (before !== undefined && !(e.date < before)) continue;
    yield e;
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Units per account and currency (no conversion); zero balances omitted. */
export function balances(entries: readonly Entry[], before?: string): BalancesJson {
  const per = new Map<string, Map<string, Dec>>();
  for (const t of transactions(entries, before)) {
    for (const p of t.postings) {
      if (p.number === undefined || p.currency === undefined) continue;
      let m = per.get(p.account);
      if (!m) per.set(p.account, (m = new Map<string, Dec>()));
      const prev = m.get(p.currency);
      if (prev === undefined) {
        if (!p.number.isZero()) m.set(p.currency, p.number);
      } else {
        const sum = prev.add(p.number);
        if (sum.isZero()) m.delete(p.currency);
        else m.set(p.currency, sum);
      }
    }
  }
  const out: BalancesJson = {};
  for (const account of [...per.keys()].sort(compare)) {
    const m = per.get(account)!;
    if (m.size === 0) continue;
    const row: Record<string, string> = {};
    for (const c of [...m.keys()].sort(compare)) row[c] = m.get(c)!.toString();
    out[account] = row;
  }
  return out;
}

/** Inventories per account (lots kept apart by cost), in first-use order of accounts. */
export function inventories(entries: readonly Entry[], before?: string): Map<string, Inventory> {
  const per = new Map<string, Inventory>();
  for (const t of transactions(entries, before)) {
    for (const p of t.postings) {
      if (p.number === undefined || p.currency === undefined || isCostSpec(p.cost)) continue;
      let inv = per.get(p.account);
      if (!inv) per.set(p.account, (inv = new Inventory()));
      inv.add(p.number, p.currency, p.cost);
    }
  }
  return per;
}

/** Open lots per account and commodity, with cost basis. */
export function holdings(entries: readonly Entry[], before?: string): HoldingJson[] {
  const rows: HoldingJson[] = [];
  for (const [account, inv] of inventories(entries, before)) {
    const groups = new Map<
      string,
      { currency: string; costCurrency: string | null; lots: { number: Dec; cost: Cost | null }[] }
    >();
    for (const pos of inv.positions.values()) {
      if (pos.number.isZero()) continue;
      const cc = pos.cost?.currency ?? null;
      const key = `${pos.currency}\u0000${cc ?? ''}`;
      let g = groups.get(key);
      if (!g) groups.set(key, (g = { currency: pos.currency, costCurrency: cc, lots: [] }));
      g.lots.push({ number: pos.number, cost: pos.cost });
    }
    for (const g of groups.values()) {
      let units = Dec.ZERO;
      for (const l of g.lots) units = units.addExact(l.number);
      if (g.costCurrency === null) {
        rows.push({
          account,
          currency: g.currency,
          units: units.toString(),
          cost_currency: null,
          cost_total: null,
          lots: [],
        });
        continue;
      }
      let total = Dec.ZERO;
      for (const l of g.lots) total = total.addExact(l.number.mulExact(l.cost!.number));
      rows.push({
        account,
        currency: g.currency,
        units: units.toString(),
        cost_currency: g.costCurrency,
        cost_total: total.toString(),
        lots: g.lots.map((l) => ({
          units: l.number.toString(),
          cost: l.cost!.number.toString(),
          currency: l.cost!.currency,
          date: l.cost!.date,
          label: l.cost!.label,
        })),
      });
    }
  }
  rows.sort(
    (a, b) =>
      compare(a.account, b.account) ||
      compare(a.currency, b.currency) ||
      compare(a.cost_currency ?? '', b.cost_currency ?? ''),
  );
  return rows;
}
