// Beancount's basic validations (ops/validation.py), run after booking and plugins: open/close
// windows, references to unknown or inactive accounts, currency constraints, duplicate balances and
// commodities, and transactions that do not balance within the inferred tolerance.
import { Dec } from './decimal';
import { inferTolerances, isCostSpec, toleranceFor, weight } from './booking';
import { inventoryString } from './inventory';
import { entryAccounts } from './plugins';
import type { Entry, LedgerError, LedgerOptions, Open } from './types';

export function validate(entries: readonly Entry[], options: LedgerOptions, errors: LedgerError[]): void {
  validateOpenClose(entries, errors);
  validateActiveAccounts(entries, errors);
  validateCurrencyConstraints(entries, errors);
  validateDuplicateBalances(entries, errors);
  validateDuplicateCommodities(entries, errors);
  validateTransactionBalances(entries, options, errors);
}

function validateOpenClose(entries: readonly Entry[], errors: LedgerError[]): void {
  const opens = new Map<string, Open>();
  const closes = new Set<string>();
  for (const e of entries) {
    if (e.kind === 'open') {
      if (opens.has(e.account))
        errors.push({
          type: 'duplicate_open',
          file: e.file,
          line: e.line,
          message: `Duplicate open directive for ${e.account}`,
        });
      else opens.set(e.account, e);
    } else if (e.kind === 'close') {
      if (closes.has(e.account)) {
        errors.push({
          type: 'other',
          file: e.file,
          line: e.line,
          message: `Duplicate close directive for ${e.account}`,
        });
        continue;
      }
      const open = opens.get(e.account);
      if (!open)
        errors.push({
          type: 'other',
          file: e.file,
          line: e.line,
          message: `Unopened account ${e.account} is being closed`,
        });
      else if (e.date <= open.date)
        errors.push({
          type: 'other',
          file: e.file,
          line: e.line,
          message: `Internal error: closing date for ${e.account} appears before opening date`,
        });
      closes.add(e.account);
    }
  }
}

function validateActiveAccounts(entries: readonly Entry[], errors: LedgerError[]): void {
  const active = new Set<string>();
  const opened = new Set<string>();
  const pairs: [string, Entry][] = [];
  for (const e of entries) {
    if (e.kind === 'open') {
      active.add(e.account);
      opened.add(e.account);
    } else if (e.kind === 'close') active.delete(e.account);
    else if (e.kind === 'transaction') {
      const ps = e.postings;
      for (let i = 0; i < ps.length; i++) {
        const account = ps[i]!.account;
        if (active.has(account)) continue;
        let repeated = false;
        for (let j = 0; j < i; j++) if (ps[j]!.account === account) repeated = true;
        if (!repeated) pairs.push([account, e]);
      }
    } else {
      for (const account of entryAccounts(e)) {
        if (active.has(account)) continue;
        if ((e.kind === 'balance' || e.kind === 'document' || e.kind === 'note') && opened.has(account))
          continue;
        pairs.push([account, e]);
      }
    }
  }
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
}

function validateCurrencyConstraints(entries: readonly Entry[], errors: LedgerError[]): void {
  const constraints = new Map<string, readonly string[]>();
  for (const e of entries)
    if (e.kind === 'open' && e.currencies && e.currencies.length) constraints.set(e.account, e.currencies);
  if (constraints.size === 0) return;
  for (const e of entries) {
    if (e.kind !== 'transaction') continue;
    for (const p of e.postings) {
      const allowed = constraints.get(p.account);
      if (!allowed || p.currency === undefined) continue;
      if (!allowed.includes(p.currency))
        errors.push({
          type: 'currency_constraint',
          file: e.file,
          line: e.line,
          message: `Invalid currency ${p.currency} for account '${p.account}'`,
        });
    }
  }
}

function validateDuplicateBalances(entries: readonly Entry[], errors: LedgerError[]): void {
  const seen = new Map<string, Dec>();
  for (const e of entries) {
    if (e.kind !== 'balance') continue;
    const key = `${e.account}|${e.currency}|${e.date}`;
    const prev = seen.get(key);
    if (prev === undefined) seen.set(key, e.number);
    else if (!prev.eq(e.number))
      errors.push({
        type: 'other',
        file: e.file,
        line: e.line,
        message: 'Duplicate balance assertion with different amounts',
      });
  }
}

function validateDuplicateCommodities(entries: readonly Entry[], errors: LedgerError[]): void {
  const seen = new Set<string>();
  for (const e of entries) {
    if (e.kind !== 'commodity') continue;
    if (seen.has(e.currency))
      errors.push({
        type: 'other',
        file: e.file,
        line: e.line,
        message: `Duplicate commodity directives for '${e.currency}'`,
      });
    else seen.add(e.currency);
  }
}

function validateTransactionBalances(
  entries: readonly Entry[],
  options: LedgerOptions,
  errors: LedgerError[],
): void {
  for (const e of entries) {
    if (e.kind !== 'transaction') continue;
    const postings = e.postings;
    // Residual per currency, kept in first-seen order like Beancount's Inventory.
    let single: string | null = null;
    let singleSum = Dec.ZERO;
    let residual: Map<string, Dec> | null = null;
    let complete = true;
    for (const p of postings) {
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
    if (!complete) continue;
    if (residual === null) {
      if (singleSum.isZero() || single === null) continue;
      residual = new Map([[single, singleSum]]);
    } else {
      for (const [c, v] of residual) if (v.isZero()) residual.delete(c);
      if (residual.size === 0) continue;
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
