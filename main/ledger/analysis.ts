// Views the rest of the app builds on, over a booked ledger: portfolios (sets of accounts chosen by
// patterns or by `portfolio:` metadata on `open`), every lot disposal with its realized gain,
// external cash flows per portfolio (deposits, withdrawals, transfers between portfolios), income
// and cost events (dividends, interest, fees, taxes) and the price history.
//
// Account-name conventions (documented in docs/ledger-differences.md):
//   dividend  an Income account with a component containing "Dividend" (Income:US:ACME:Dividend)
//   interest  an Income account with a component containing "Interest"
//   fee       an Expenses account with a component containing "Fee" or "Commission"
//   tax       an Expenses account with a component containing "Tax" (Expenses:Taxes:Withholding)
// Matching is case-insensitive on whole components' substrings; the root names come from options.
import type { Dec } from './decimal';
import { Inventory } from './inventory';
import { isCostSpec, weight } from './booking';
import type { Cost, Entry, LedgerOptions, Posting, Transaction } from './types';

export interface PortfolioSpec {
  /** Account patterns: `*` matches any text (`Assets:US:Brokerage:*`); an exact name matches itself. */
  patterns?: readonly string[];
  /** Accounts whose `open` has `portfolio: "<id>"` metadata. */
  id?: string;
}

function patternRegExp(pattern: string): RegExp {
  return new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
}

/** The accounts of a portfolio, from the ledger's `open` directives and postings. */
export function portfolioAccounts(entries: readonly Entry[], spec: PortfolioSpec): Set<string> {
  const out = new Set<string>();
  const res = (spec.patterns ?? []).map(patternRegExp);
  const seen = new Set<string>();
  for (const e of entries) {
    if (e.kind === 'open') {
      seen.add(e.account);
      const tag = e.meta?.portfolio;
      if (spec.id !== undefined && typeof tag === 'string' && tag === spec.id) out.add(e.account);
    } else if (e.kind === 'transaction') for (const p of e.postings) seen.add(p.account);
  }
  for (const account of seen) if (res.some((re) => re.test(account))) out.add(account);
  return out;
}

/** Portfolio ids named by `portfolio:` metadata on `open` directives. */
export function portfolioIds(entries: readonly Entry[]): string[] {
  const ids = new Set<string>();
  for (const e of entries)
    if (e.kind === 'open' && typeof e.meta?.portfolio === 'string') ids.add(e.meta.portfolio);
  return [...ids].sort();
}

export interface Disposal {
  date: string;
  account: string;
  currency: string;
  /** Units disposed (positive for a sale of a long lot). */
  units: string;
  cost: string;
  costCurrency: string;
  acquired: string | null;
  label: string | null;
  /** Per-unit price of the disposal when the posting carries one (`@`), else null. */
  price: string | null;
  /** units × (price − cost) when the price is in the cost currency, else null. */
  realizedGain: string | null;
  file: string;
  line: number;
}

/** Every reduction of a lot held at cost, in ledger order. */
export function disposals(entries: readonly Entry[]): Disposal[] {
  const out: Disposal[] = [];
  const inventories = new Map<string, Inventory>();
  for (const e of entries) {
    if (e.kind !== 'transaction') continue;
    for (const p of e.postings) {
      if (p.number === undefined || p.currency === undefined || isCostSpec(p.cost)) continue;
      let inv = inventories.get(p.account);
      if (!inv) inventories.set(p.account, (inv = new Inventory()));
      const reduced = inv.add(p.number, p.currency, p.cost);
      // Postings flagged M are DawsOS's AVERAGE merge steps, not disposals.
      if (!reduced || p.cost === null || p.flag === 'M') continue;
      const cost: Cost = p.cost;
      const units = p.number.neg();
      const price =
        p.price && p.price.number !== undefined && p.price.currency === cost.currency ? p.price.number : null;
      out.push({
        date: e.date,
        account: p.account,
        currency: p.currency,
        units: units.toString(),
        cost: cost.number.toString(),
        costCurrency: cost.currency,
        acquired: cost.date,
        label: cost.label,
        price: p.price?.number?.toString() ?? null,
        realizedGain: price ? units.mulExact(price.sub(cost.number)).toString() : null,
        file: e.file,
        line: p.line,
      });
    }
  }
  return out;
}

export type FlowKind =
  'deposit' | 'withdrawal' | 'transfer_in' | 'transfer_out' | 'dividend' | 'interest' | 'fee' | 'tax';

export interface CashFlow {
  date: string;
  kind: FlowKind;
  /** Amount in `currency`; positive into the portfolio (deposits, income), negative out of it. */
  amount: string;
  currency: string;
  /** The account on the other side (outside the portfolio, or the income/expense account). */
  counterparty: string;
  file: string;
  line: number;
}

function hasComponent(account: string, words: readonly string[]): boolean {
  const lower = account.toLowerCase();
  return lower
    .split(':')
    .slice(1)
    .some((c) => words.some((w) => c.includes(w)));
}

/** Classifies an Income/Expenses account under the conventions above, or null. */
export function classifyAccount(
  account: string,
  options: LedgerOptions,
): 'dividend' | 'interest' | 'fee' | 'tax' | null {
  const root = account.slice(0, account.indexOf(':'));
  if (root === options.rootNames.income) {
    if (hasComponent(account, ['dividend'])) return 'dividend';
    if (hasComponent(account, ['interest'])) return 'interest';
  } else if (root === options.rootNames.expenses) {
    if (hasComponent(account, ['tax'])) return 'tax';
    if (hasComponent(account, ['fee', 'commission'])) return 'fee';
  }
  return null;
}

/**
 * External cash flows of a portfolio and its income and cost events. A transaction with postings
 * inside and outside the portfolio is a flow: towards a balance-sheet account of another portfolio
 * it is a transfer, towards any other balance-sheet account a deposit or withdrawal; towards a
 * classified Income/Expenses account it is a dividend, interest, fee or tax. Amounts are the
 * weights of the outside postings, negated (money into the portfolio is positive).
 */
export function cashFlows(
  entries: readonly Entry[],
  accounts: ReadonlySet<string>,
  options: LedgerOptions,
  otherPortfolios: ReadonlySet<string> = new Set(),
): CashFlow[] {
  const out: CashFlow[] = [];
  const r = options.rootNames;
  for (const e of entries) {
    if (e.kind !== 'transaction') continue;
    let inside = false;
    for (const p of e.postings) if (accounts.has(p.account)) inside = true;
    if (!inside) continue;
    for (const p of e.postings) {
      if (accounts.has(p.account)) continue;
      const w = weight(p);
      if (w === null || w.number.isZero()) continue;
      const amount = w.number.neg();
      const root = p.account.slice(0, p.account.indexOf(':'));
      let kind: FlowKind | null = null;
      if (root === r.income || root === r.expenses) kind = classifyAccount(p.account, options);
      else if (otherPortfolios.has(p.account)) kind = amount.sign() > 0 ? 'transfer_in' : 'transfer_out';
      else if (root === r.assets || root === r.liabilities || root === r.equity)
        kind = amount.sign() > 0 ? 'deposit' : 'withdrawal';
      if (kind === null) continue;
      out.push(flow(e, p, kind, amount, w.currency));
    }
  }
  return out;
}

function flow(e: Transaction, p: Posting, kind: FlowKind, amount: Dec, currency: string): CashFlow {
  return {
    date: e.date,
    kind,
    amount: amount.toString(),
    currency,
    counterparty: p.account,
    file: e.file,
    line: p.line,
  };
}

export interface PricePoint {
  date: string;
  number: string;
  quote: string;
  /** 'price' for a price directive, else how implicit_prices derived it. */
  source: 'price' | 'from_price' | 'from_cost';
}

/** Price directives (and implicit prices, when that plugin ran) per commodity, in date order. */
export function priceHistory(entries: readonly Entry[]): Map<string, PricePoint[]> {
  const out = new Map<string, PricePoint[]>();
  for (const e of entries) {
    if (e.kind !== 'price') continue;
    let list = out.get(e.currency);
    if (!list) out.set(e.currency, (list = []));
    list.push({ date: e.date, number: e.number.toString(), quote: e.quote, source: e.implicit ?? 'price' });
  }
  return out;
}
