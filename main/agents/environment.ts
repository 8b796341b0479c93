// What the agents need from their host, as ports: the booked ledger at a commit, the prices of a
// pack, and (optionally) datasets for macro series, news and fundamentals, and the positions the
// store holds. The CLI, the app and the tests each supply them (main/workspace/workspace.ts for the
// first two). Agents read the pinned commit, pack and portfolio from the capability context only.
import type { Entry, LedgerOptions } from '../ledger/types';
import type { Book, BookPeriod } from './book/book';
import { baseCurrency, buildBook } from './book/book';
import type { PriceSource } from './book/prices';
import { selectPortfolio, type PortfolioSelection } from './book/selection';
import type { MacroSource, NewsSource, FundamentalsSource } from './data-harvester/sources';
import type { StoredPositionsSource } from './reconciler/stored-positions';

export interface LedgerSnapshot {
  readonly commit: string;
  readonly entries: readonly Entry[];
  readonly options: LedgerOptions;
}

export interface AgentEnvironment {
  /** The booked ledger at `commit` (the pinned `ledger_commit_hash`). */
  ledger(commit: string): Promise<LedgerSnapshot>;
  /** The prices of the pinned pack, for the ledger at `commit`. */
  prices(packId: string, commit: string): Promise<PriceSource>;
  readonly macro?: MacroSource;
  readonly news?: NewsSource;
  readonly fundamentals?: FundamentalsSource;
  readonly storedPositions?: StoredPositionsSource;
}

export interface PinnedBookRequest {
  readonly portfolio_id: string;
  readonly pricing_pack_id: string;
  readonly ledger_commit_hash: string;
}

export interface PinnedInputs {
  snapshot: LedgerSnapshot;
  prices: PriceSource;
  selection: PortfolioSelection;
  base: string;
}

const BOOK_CACHE_ENTRIES = 16;

/**
 * Builds books on demand and keeps the last few: the steps of one pattern run (valuation,
 * performance, risk…) share the same book instead of walking the ledger once each.
 */
export class BookCache {
  private readonly books = new Map<string, Book>();

  constructor(private readonly env: AgentEnvironment) {}

  async pinned(req: PinnedBookRequest): Promise<PinnedInputs> {
    const snapshot = await this.env.ledger(req.ledger_commit_hash);
    const prices = await this.env.prices(req.pricing_pack_id, req.ledger_commit_hash);
    const selection = selectPortfolio(snapshot.entries, req.portfolio_id);
    return { snapshot, prices, selection, base: baseCurrency(snapshot.options) };
  }

  async book(req: PinnedBookRequest, period: BookPeriod, byHolding: boolean): Promise<Book> {
    const key = JSON.stringify([
      req.ledger_commit_hash,
      req.pricing_pack_id,
      req.portfolio_id,
      period.from,
      period.to,
    ]);
    const withHoldings = this.books.get(`${key}:h`);
    if (withHoldings) return withHoldings;
    if (!byHolding) {
      const plain = this.books.get(key);
      if (plain) return plain;
    }
    const { snapshot, prices, selection, base } = await this.pinned(req);
    const book = buildBook(snapshot.entries, base, selection, prices, period, { byHolding });
    this.books.set(byHolding ? `${key}:h` : key, book);
    while (this.books.size > BOOK_CACHE_ENTRIES) this.books.delete(this.books.keys().next().value!);
    return book;
  }
}
