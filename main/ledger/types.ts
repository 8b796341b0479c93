// The ledger's data model: directives as the parser produces them and as booking completes them.
// It mirrors Beancount's `data.py` closely so that booking and validation can follow Beancount's
// code step by step. `undefined` plays Beancount's MISSING (a number or currency left out to be
// inferred) and `null` plays None.
import type { Dec } from './decimal';

/** Where something came from: a file relative to the ledger root, and a 1-based line. */
export interface Loc {
  file: string;
  line: number;
}

export type MetaValue =
  | string
  | boolean
  | null
  | Dec
  | { readonly number: Dec; readonly currency: string }
  | { readonly date: string }
  | { readonly account: string }
  | { readonly currency: string }
  | { readonly tag: string };

export type Meta = Record<string, MetaValue>;

export interface CostSpec {
  /** Per-unit number; undefined = MISSING. */
  numberPer: Dec | undefined;
  /** Total number; undefined = MISSING, null = not given. */
  numberTotal: Dec | null | undefined;
  currency: string | undefined;
  date: string | null;
  label: string | null;
  merge: boolean;
}

/** A booked lot cost. */
export interface Cost {
  number: Dec;
  currency: string;
  date: string | null;
  label: string | null;
  /** Cached inventory key (see inventory.ts costKey). */
  key?: string;
}

export interface PriceSpec {
  number: Dec | undefined;
  currency: string | undefined;
}

export interface Posting {
  account: string;
  flag: string | null;
  /** True when the posting had no amount at all (`Assets:Cash` alone). */
  unitsMissing: boolean;
  number: Dec | undefined;
  currency: string | undefined;
  /** Before booking a CostSpec, after booking a Cost (or null). */
  cost: CostSpec | Cost | null;
  price: PriceSpec | null;
  line: number;
  meta: Meta | null;
  /** Set on postings whose number booking interpolated. */
  automatic?: boolean;
}

interface EntryBase {
  date: string;
  file: string;
  line: number;
  meta: Meta | null;
}

export interface Transaction extends EntryBase {
  kind: 'transaction';
  flag: string;
  payee: string | null;
  narration: string;
  tags: readonly string[];
  links: readonly string[];
  postings: Posting[];
}
export interface Open extends EntryBase {
  kind: 'open';
  account: string;
  currencies: readonly string[] | null;
  booking: Booking | null;
}
export interface Close extends EntryBase {
  kind: 'close';
  account: string;
}
export interface Commodity extends EntryBase {
  kind: 'commodity';
  currency: string;
}
export interface Balance extends EntryBase {
  kind: 'balance';
  account: string;
  number: Dec;
  currency: string;
  tolerance: Dec | null;
}
export interface Pad extends EntryBase {
  kind: 'pad';
  account: string;
  source: string;
}
export interface Price extends EntryBase {
  kind: 'price';
  currency: string;
  number: Dec;
  quote: string;
  implicit?: 'from_price' | 'from_cost';
}
export interface Note extends EntryBase {
  kind: 'note';
  account: string;
  comment: string;
}
export interface Document extends EntryBase {
  kind: 'document';
  account: string;
  filename: string;
  tags: readonly string[];
  links: readonly string[];
}
export interface Event extends EntryBase {
  kind: 'event';
  type: string;
  description: string;
}
export interface Query extends EntryBase {
  kind: 'query';
  name: string;
  query: string;
}
export interface Custom extends EntryBase {
  kind: 'custom';
  type: string;
  values: MetaValue[];
}

export type Entry =
  Transaction | Open | Close | Commodity | Balance | Pad | Price | Note | Document | Event | Query | Custom;

export type Booking = 'STRICT' | 'NONE' | 'AVERAGE' | 'FIFO' | 'LIFO';
export const BOOKING_METHODS: readonly Booking[] = ['STRICT', 'NONE', 'AVERAGE', 'FIFO', 'LIFO'];

/** The error kinds of the CLI's JSON (`dawsos ledger check`). */
export type LedgerErrorType =
  | 'syntax'
  | 'unbalanced'
  | 'balance_assertion'
  | 'unused_pad'
  | 'no_matching_lot'
  | 'insufficient_lots'
  | 'ambiguous_lot'
  | 'interpolation'
  | 'unknown_account'
  | 'inactive_account'
  | 'duplicate_open'
  | 'currency_constraint'
  | 'unsupported_booking'
  | 'missing_include'
  | 'plugin'
  | 'other';

export interface LedgerError {
  type: LedgerErrorType;
  /** null for errors that belong to no file (e.g. a plugin that does not exist). */
  file: string | null;
  line: number | null;
  message: string;
  /** Warnings are reported but do not fail `ledger check` (DawsOS: unknown plugins). */
  severity?: 'error' | 'warning';
}

export interface LedgerOptions {
  title: string | null;
  operatingCurrencies: string[];
  bookingMethod: Booking;
  inferredToleranceDefault: Map<string, Dec>;
  inferredToleranceMultiplier: Dec;
  inferToleranceFromCost: boolean;
  rootNames: { assets: string; liabilities: string; equity: string; income: string; expenses: string };
  pluginProcessingMode: 'default' | 'raw';
  renderCommas: boolean;
  /** Any other option, verbatim. */
  other: Record<string, string>;
}

/** Sort rank of a directive among entries of one date, as Beancount's SORT_ORDER. */
export function typeRank(kind: Entry['kind']): number {
  switch (kind) {
    case 'open':
      return -2;
    case 'balance':
      return -1;
    case 'document':
      return 1;
    case 'close':
      return 2;
    default:
      return 0;
  }
}
