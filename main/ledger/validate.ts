// Beancount's basic validations (ops/validation.py), run after booking and plugins: open/close
// windows, references to unknown or inactive accounts, currency constraints, duplicate balances and
// commodities, and transactions that do not balance within the inferred tolerance.
import { Dec } from './decimal';
import { inferTolerances, isCostSpec, toleranceFor, weight } from './booking';
import { inventoryString } from './inventory';
import type { Entry, LedgerError, LedgerOptions, Open, Posting, Transaction } from './types';

export function validate(entries: readonly Entry[], options: LedgerOptions, errors: LedgerError[]): void {
  // One pass over the entries runs every check; each check keeps its own error list so the errors
  // come out in the order Beancount's validations (one after the other) report them.
  const openCloseErrors: LedgerError[] = [];
  const constraintErrors: LedgerError[] = [];
  const balanceErrors: LedgerError[] = [];
  const commodityErrors: LedgerError[] = [];
  const unbalancedErrors: LedgerError[] = [];
  // validate_open_close
  const opens = new Map<string, Open>();
  const closes = new Set<string>();
  // validate_active_accounts
  /** Active accounts, each with its currency constraint (null: none). */
  const active = new Map<string, readonly string[] | null>();
  const opened = new Set<string>();
  const pairs: [string, Entry][] = [];
  // validate_currency_constraints (applies to every transaction, whatever the dates)
  const constraints = new Map<string, readonly string[]>();
  for (let ei = 0; ei < entries.length; ei++) {
    const e = entries[ei]!;
    if (e.kind === 'open' && e.currencies && e.currencies.length) constraints.set(e.account, e.currencies);
  }
  const checkConstraints = constraints.size > 0;
  // validate_duplicate_balances / validate_duplicate_commodities
  const seenBalances = new Map<string, Dec>();
  const seenCommodities = new Set<string>();

  for (let ei = 0; ei < entries.length; ei++) {
    const e = entries[ei]!;
    switch (e.kind) {
      case 'transaction': {
        const ps = e.postings;
        for (let i = 0; i < ps.length; i++) {
          const p = ps[i]!;
          const account = p.account;
          // One lookup for both checks: an active account maps to its constraint (or null).
          let allowed = active.get(account);
          if (allowed === undefined) {
            let repeated = false;
            for (let j = 0; j < i; j++) if (ps[j]!.account === account) repeated = true;
            if (!repeated) pairs.push([account, e]);
            allowed = constraints.get(account) ?? null;
          }
          if (checkConstraints) {
            if (allowed !== null && p.currency !== undefined && !allowed.includes(p.currency))
              constraintErrors.push({
                type: 'currency_constraint',
                file: e.file,
                line: e.line,
                message: `Invalid currency ${p.currency} for account '${account}'`,
              });
          }
        }
        transactionBalance(e, options, unbalancedErrors);
        break;
      }
      case 'open':
        if (opens.has(e.account))
          openCloseErrors.push({
            type: 'duplicate_open',
            file: e.file,
            line: e.line,
            message: `Duplicate open directive for ${e.account}`,
          });
        else opens.set(e.account, e);
        active.set(e.account, constraints.get(e.account) ?? null);
        opened.add(e.account);
        break;
      case 'close': {
        active.delete(e.account);
        if (closes.has(e.account)) {
          openCloseErrors.push({
            type: 'other',
            file: e.file,
            line: e.line,
            message: `Duplicate close directive for ${e.account}`,
          });
          break;
        }
        const open = opens.get(e.account);
        if (!open)
          openCloseErrors.push({
            type: 'other',
            file: e.file,
            line: e.line,
            message: `Unopened account ${e.account} is being closed`,
          });
        else if (e.date <= open.date)
          openCloseErrors.push({
            type: 'other',
            file: e.file,
            line: e.line,
            message: `Internal error: closing date for ${e.account} appears before opening date`,
          });
        closes.add(e.account);
        break;
      }
      case 'balance': {
        if (!active.has(e.account) && !opened.has(e.account)) pairs.push([e.account, e]);
        const key = `${e.account}|${e.currency}|${e.date}`;
        const prev = seenBalances.get(key);
        if (prev === undefined) seenBalances.set(key, e.number);
        else if (!prev.eq(e.number))
          balanceErrors.push({
            type: 'other',
            file: e.file,
            line: e.line,
            message: 'Duplicate balance assertion with different amounts',
          });
        break;
      }
      case 'note':
      case 'document':
        if (!active.has(e.account) && !opened.has(e.account)) pairs.push([e.account, e]);
        break;
      case 'pad':
        if (!active.has(e.account)) pairs.push([e.account, e]);
        if (e.source !== e.account && !active.has(e.source)) pairs.push([e.source, e]);
        break;
      case 'commodity':
        if (seenCommodities.has(e.currency))
          commodityErrors.push({
            type: 'other',
            file: e.file,
            line: e.line,
            message: `Duplicate commodity directives for '${e.currency}'`,
          });
        else seenCommodities.add(e.currency);
        break;
      default:
        break;
    }
  }
  for (const x of openCloseErrors) errors.push(x);
  for (const [account, e] of pairs) {
    if (opened.has(account))
      errors.push({
        type: 'inactive_account',
        file: e.file,
        line: e.line,
        message: `Invalid reference to inactive account '${account}'`,
      });
    else
      errors.push({
        type: 'unknown_account',
        file: e.file,
        line: e.line,
        message: `Invalid reference to unknown account '${account}'`,
      });
  }
  for (const x of constraintErrors) errors.push(x);
  for (const x of balanceErrors) errors.push(x);
  for (const x of commodityErrors) errors.push(x);
  for (const x of unbalancedErrors) errors.push(x);
}

/** validate_check_transaction_balances for one transaction. */
function transactionBalance(e: Transaction, options: LedgerOptions, errors: LedgerError[]): void {
  if (sumsToZero(e.postings)) return;
  {
    const postings = e.postings;
    // Residual per currency, kept in first-seen order like Beancount's Inventory.
    let single: string | null = null;
    let singleSum = Dec.ZERO;
    let residual: Map<string, Dec> | null = null;
    let complete = true;
    for (let pi = 0; pi < postings.length; pi++) {
      const p = postings[pi]!;
      if (isCostSpec(p.cost)) {
        complete = false;
        break;
      }
      const w =
        p.cost === null && p.price === null && p.number !== undefined && p.currency !== undefined
          ? p
          : weight(p);
      if (w === null || w.number === undefined || w.currency === undefined) {
        complete = false;
        break;
      }
      if (residual === null && (single === null || single === w.currency)) {
        single = w.currency;
        singleSum = singleSum.add(w.number);
        continue;
      }
      if (residual === null) {
        residual = new Map([[single!, singleSum]]);
      }
      const prev = residual.get(w.currency);
      const sum = prev === undefined ? w.number : prev.add(w.number);
      if (sum.isZero()) residual.delete(w.currency);
      else residual.set(w.currency, sum);
    }
    if (!complete) return;
    if (residual === null) {
      if (singleSum.isZero() || single === null) return;
      residual = new Map([[single, singleSum]]);
    } else {
      for (const [c, v] of residual) if (v.isZero()) residual.delete(c);
      if (residual.size === 0) return;
    }
    // Only now compute tolerances (most transactions balance exactly).
    const tolerances = inferTolerances(postings, options);
    let small = true;
    for (const [c, v] of residual)
      if (v.abs().cmp(toleranceFor(tolerances, c)) > 0) {
        small = false;
        break;
      }
    if (!small) {
      const text = inventoryString(
        [...residual].map(([currency, number]) => ({ number, currency, cost: null })),
      );
      errors.push({
        type: 'unbalanced',
        file: e.file,
        line: e.line,
        message: `Transaction does not balance: ${text}`,
      });
    }
  }
}

/**
 * Fast path: plain amounts (no cost, no price) of one currency whose exact sum is zero, computed
 * on safe integers at the smallest exponent. False means "not known": the full check decides.
 */
function sumsToZero(postings: readonly Posting[]): boolean {
  let currency: string | undefined;
  let minExp = Infinity;
  for (let pi = 0; pi < postings.length; pi++) {
    const p = postings[pi]!;
    if (p.cost !== null || p.price !== null || p.number === undefined || p.currency === undefined)
      return false;
    if (currency === undefined) currency = p.currency;
    else if (p.currency !== currency) return false;
    if (p.number.exp < minExp) minExp = p.number.exp;
  }
  if (currency === undefined) return false;
  let sum = 0;
  for (let pi = 0; pi < postings.length; pi++) {
    const v = postings[pi]!.number!.scaledCoef(minExp);
    if (Number.isNaN(v)) return false;
    sum += v;
    if (!(sum <= Number.MAX_SAFE_INTEGER && sum >= -Number.MAX_SAFE_INTEGER)) return false;
  }
  return sum === 0;
}
