// The transformations Beancount runs after booking, in its order: `pad` (inserts padding
// transactions), the user's plugins (DawsOS implements `auto_accounts` and `implicit_prices`),
// and `balance` (checks balance assertions). Each follows the Beancount 2.3.5 module of that name.
import { Dec } from './decimal';
import { Inventory, inventoryString } from './inventory';
import { isCostSpec } from './booking';
import type { Balance, Entry, LedgerError, LedgerOptions, Open, Pad, Price, Transaction } from './types';
import { typeRank } from './types';

/** Stable sort by Beancount's entry_sortkey: (date, type rank, line). */
export function sortEntries(entries: Entry[]): Entry[] {
  const n = entries.length;
  const idx = new Array<number>(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  const ranks = new Int8Array(n);
  for (let i = 0; i < n; i++) ranks[i] = typeRank(entries[i]!.kind);
  idx.sort((a, b) => {
    const ea = entries[a]!;
    const eb = entries[b]!;
    if (ea.date !== eb.date) return ea.date < eb.date ? -1 : 1;
    const r = ranks[a]! - ranks[b]!;
    if (r !== 0) return r;
    return ea.line - eb.line || a - b;
  });
  const out = new Array<Entry>(n);
  for (let i = 0; i < n; i++) out[i] = entries[idx[i]!]!;
  return out;
}

/** True when `account` is `parent` or below it. */
export function isChild(parent: string, account: string): boolean {
  return (
    account === parent ||
    (account.length > parent.length && account.startsWith(parent) && account.charCodeAt(parent.length) === 58)
  );
}

export function balanceTolerance(entry: Balance, options: LedgerOptions): Dec {
  if (entry.tolerance !== null) return entry.tolerance;
  const expo = entry.number.exp;
  if (expo < 0) return Dec.small(1, expo).mul(options.inferredToleranceMultiplier.mul(Dec.fromInt(2)));
  return Dec.ZERO;
}

function amountText(number: Dec, currency: string): string {
  return `${number.toString()} ${currency}`;
}

/** Accounts a directive refers to (Beancount's getters.get_entry_accounts). */
export function entryAccounts(entry: Entry): string[] {
  switch (entry.kind) {
    case 'transaction': {
      const ps = entry.postings;
      if (ps.length === 2)
        return ps[0]!.account === ps[1]!.account ? [ps[0]!.account] : [ps[0]!.account, ps[1]!.account];
      return [...new Set(ps.map((p) => p.account))];
    }
    case 'open':
    case 'close':
    case 'balance':
    case 'note':
    case 'document':
      return [entry.account];
    case 'pad':
      return entry.account === entry.source ? [entry.account] : [entry.account, entry.source];
    default:
      return [];
  }
}

/** beancount.ops.pad */
export function padPlugin(entries: Entry[], options: LedgerOptions, errors: LedgerError[]): Entry[] {
  const pads = entries.filter((e): e is Pad => e.kind === 'pad');
  if (pads.length === 0) return entries;
  const padAccounts = [...new Set(pads.map((p) => p.account))].sort();
  const inserted = new Map<Pad, Transaction[]>();
  for (const p of pads) inserted.set(p, []);
  for (const padAccount of padAccounts) {
    // Postings and directives of the account and its children, in entry order then sorted.
    type Item = { entry: Entry; posting: Transaction['postings'][number] | null };
    const items: Item[] = [];
    for (let ei = 0; ei < entries.length; ei++) {
      const e = entries[ei]!;
      if (e.kind === 'transaction') {
        for (let pi = 0, ps = e.postings; pi < ps.length; pi++) {
          const p = ps[pi]!;
          if (isChild(padAccount, p.account)) items.push({ entry: e, posting: p });
        }
      } else if (e.kind === 'pad') {
        if (isChild(padAccount, e.account) || isChild(padAccount, e.source))
          items.push({ entry: e, posting: null });
      } else if (e.kind === 'balance') {
        if (isChild(padAccount, e.account)) items.push({ entry: e, posting: null });
      }
    }
    let activePad: Pad | null = null;
    let padded = new Set<string>();
    const balance = new Inventory();
    for (const { entry, posting } of items) {
      if (posting) {
        if (posting.number !== undefined && posting.currency !== undefined && !isCostSpec(posting.cost))
          balance.add(posting.number, posting.currency, posting.cost);
      } else if (entry.kind === 'pad') {
        if (entry.account === padAccount) {
          activePad = entry;
          padded = new Set();
        }
      } else if (entry.kind === 'balance') {
        const have = balance.units(entry.currency);
        const diff = have.sub(entry.number);
        if (diff.abs().cmp(balanceTolerance(entry, options)) > 0) {
          if (activePad && !padded.has(entry.currency)) {
            for (const pos of balance.positions.values())
              if (pos.currency === entry.currency && pos.cost !== null)
                errors.push({
                  type: 'other',
                  file: entry.file,
                  line: entry.line,
                  message: `Attempt to pad an entry with cost for balance: ${inventoryText(balance)}`,
                });
            const number = entry.number.sub(have);
            const txn: Transaction = {
              kind: 'transaction',
              date: activePad.date,
              file: activePad.file,
              line: activePad.line,
              meta: activePad.meta,
              flag: 'P',
              payee: null,
              narration: `(Padding inserted for Balance of ${amountText(entry.number, entry.currency)} for difference ${amountText(number, entry.currency)})`,
              tags: [],
              links: [],
              postings: [
                {
                  account: activePad.account,
                  flag: null,
                  unitsMissing: false,
                  number,
                  currency: entry.currency,
                  cost: null,
                  price: null,
                  line: activePad.line,
                  meta: null,
                },
                {
                  account: activePad.source,
                  flag: null,
                  unitsMissing: false,
                  number: number.neg(),
                  currency: entry.currency,
                  cost: null,
                  price: null,
                  line: activePad.line,
                  meta: null,
                },
              ],
            };
            inserted.get(activePad)!.push(txn);
            balance.add(number, entry.currency, null);
          }
        }
        padded.add(entry.currency);
      }
    }
  }
  const out: Entry[] = [];
  for (let ei = 0; ei < entries.length; ei++) {
    const e = entries[ei]!;
    out.push(e);
    if (e.kind === 'pad') {
      const list = inserted.get(e)!;
      if (list.length) for (const t of list) out.push(t);
      else errors.push({ type: 'unused_pad', file: e.file, line: e.line, message: 'Unused Pad entry' });
    }
  }
  return out;
}

function inventoryText(inv: Inventory): string {
  return inventoryString(inv.positions.values());
}

/** beancount.ops.balance */
export function balancePlugin(entries: Entry[], options: LedgerOptions, errors: LedgerError[]): Entry[] {
  const dropped = new Set<Entry>();
  const asserted = new Set<string>();
  const opens = new Map<string, Open | null>();
  for (let ei = 0; ei < entries.length; ei++) {
    const e = entries[ei]!;
    if (e.kind === 'balance') asserted.add(e.account);
    else if (e.kind === 'open') {
      if (!opens.get(e.account)) opens.set(e.account, e);
    } else if (e.kind === 'close' && !opens.has(e.account)) opens.set(e.account, null);
  }
  if (asserted.size === 0) return entries;
  // Which asserted accounts each account's postings count towards (itself and its ancestors).
  const towards = new Map<string, string[]>();
  const targetsOf = (account: string): string[] => {
    let t = towards.get(account);
    if (t) return t;
    t = [];
    let a = account;
    for (;;) {
      if (asserted.has(a)) t.push(a);
      const i = a.lastIndexOf(':');
      if (i < 0) break;
      a = a.slice(0, i);
    }
    towards.set(account, t);
    return t;
  };
  const subtree = new Map<string, Inventory>();
  for (const a of asserted) subtree.set(a, new Inventory());
  for (let ei = 0; ei < entries.length; ei++) {
    const e = entries[ei]!;
    if (e.kind === 'transaction') {
      for (let pi = 0, ps = e.postings; pi < ps.length; pi++) {
        const p = ps[pi]!;
        const targets = targetsOf(p.account);
        if (targets.length === 0 || p.number === undefined || p.currency === undefined || isCostSpec(p.cost))
          continue;
        for (let ti = 0; ti < targets.length; ti++) {
          const t = targets[ti]!;
          subtree.get(t)!.add(p.number, p.currency, p.cost);
        }
      }
    } else if (e.kind === 'balance') {
      if (!opens.has(e.account)) {
        errors.push({
          type: 'unknown_account',
          file: e.file,
          line: e.line,
          message: `Account '${e.account}' does not exist: `,
        });
        dropped.add(e);
        continue;
      }
      const open = opens.get(e.account);
      if (open && open.currencies && open.currencies.length && !open.currencies.includes(e.currency))
        errors.push({
          type: 'currency_constraint',
          file: e.file,
          line: e.line,
          message: `Invalid currency '${e.currency}' for Balance directive: `,
        });
      const have = subtree.get(e.account)!.units(e.currency);
      const diff = have.sub(e.number);
      if (diff.abs().cmp(balanceTolerance(e, options)) > 0)
        errors.push({
          type: 'balance_assertion',
          file: e.file,
          line: e.line,
          message: `Balance failed for '${e.account}': expected ${amountText(e.number, e.currency)} != accumulated ${amountText(have, e.currency)} (${diff.abs().toString()} ${diff.sign() > 0 ? 'too much' : 'too little'})`,
        });
    }
  }
  return dropped.size ? entries.filter((e) => !dropped.has(e)) : entries;
}

/** beancount.plugins.auto_accounts */
export function autoAccountsPlugin(entries: Entry[]): Entry[] {
  const opened = new Set<string>();
  for (let ei = 0; ei < entries.length; ei++) {
    const e = entries[ei]!;
    if (e.kind === 'open') opened.add(e.account);
  }
  const first = new Map<string, string>();
  for (const e of entries) for (const a of entryAccounts(e)) if (!first.has(a)) first.set(a, e.date);
  const added: Open[] = [];
  const names = [...first.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  names.forEach((account, index) => {
    if (!opened.has(account))
      added.push({
        kind: 'open',
        date: first.get(account)!,
        file: '<auto_accounts>',
        line: index,
        meta: null,
        account,
        currencies: null,
        booking: null,
      });
  });
  if (added.length === 0) return entries;
  return sortEntries([...added, ...entries]);
}

/** beancount.plugins.implicit_prices */
export function implicitPricesPlugin(entries: Entry[]): Entry[] {
  const out: Entry[] = [];
  const seen = new Set<string>();
  const balances = new Map<string, Inventory>();
  for (let ei = 0; ei < entries.length; ei++) {
    const e = entries[ei]!;
    out.push(e);
    if (e.kind !== 'transaction') continue;
    for (let pi = 0, ps = e.postings; pi < ps.length; pi++) {
      const p = ps[pi]!;
      if (p.number === undefined || p.currency === undefined || isCostSpec(p.cost)) continue;
      let inv = balances.get(p.account);
      if (!inv) balances.set(p.account, (inv = new Inventory()));
      const reduced = inv.add(p.number, p.currency, p.cost);
      let price: Price | null = null;
      if (p.price !== null && p.price.number !== undefined && p.price.currency !== undefined) {
        price = {
          kind: 'price',
          date: e.date,
          file: e.file,
          line: e.line,
          meta: null,
          currency: p.currency,
          number: p.price.number,
          quote: p.price.currency,
          implicit: 'from_price',
        };
      } else if (p.cost !== null && !reduced) {
        price = {
          kind: 'price',
          date: e.date,
          file: e.file,
          line: e.line,
          meta: null,
          currency: p.currency,
          number: p.cost.number,
          quote: p.cost.currency,
          implicit: 'from_cost',
        };
      }
      if (price) {
        const key = `${price.date}|${price.currency}|${price.number.key()}|${price.quote}`;
        if (!seen.has(key)) {
          seen.add(key);
          out.push(price);
        }
      }
    }
  }
  return out;
}

/** Plugin modules that exist in Beancount 2.3.5 but DawsOS does not run. */
export const BEANCOUNT_PLUGINS_NOT_RUN = new Set(
  [
    'auto',
    'book_conversions',
    'check_average_cost',
    'check_closing',
    'check_commodity',
    'coherent_cost',
    'commodity_attr',
    'currency_accounts',
    'divert_expenses',
    'exclude_tag',
    'fill_account',
    'fix_payees',
    'forecast',
    'ira_contribs',
    'leafonly',
    'mark_unverified',
    'merge_meta',
    'noduplicates',
    'nounused',
    'onecommodity',
    'pedantic',
    'sellgains',
    'split_expenses',
    'tag_pending',
    'unique_prices',
    'unrealized',
  ].map((m) => `beancount.plugins.${m}`),
);
