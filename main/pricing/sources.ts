// Where a pack's prices come from. A source collects price history for a whole date range in one
// go (the provider source makes ONE request per security for the range, never one per day) and
// says which commodities and currencies each date's pack must cover.
import type { PackUniverse } from './assemble';
import type { PriceHistory } from './history';

export interface SourceFailure {
  /** The commodity or currency pair whose history could not be fetched. */
  readonly item: string;
  /** The provider error's stable code (never its message, which could name a URL). */
  readonly code: string;
}

export interface CollectedPrices {
  readonly history: PriceHistory;
  /** What the pack for `date` must cover. */
  universeAt(date: string): PackUniverse;
  /** Items a provider failed to deliver; they end up missing in the packs, never zero. */
  readonly failures: readonly SourceFailure[];
}

export interface PriceSource {
  /** `ledger` or `providers`, for status and docs. */
  readonly kind: 'ledger' | 'providers';
  /** How many progress steps collect() reports (one per security or pair fetched; 1 for the ledger). */
  steps(): number;
  /** History covering [from, to]; `onStep` is called after each step. */
  collect(range: { from: string; to: string }, onStep: (done: number) => void): Promise<CollectedPrices>;
}
