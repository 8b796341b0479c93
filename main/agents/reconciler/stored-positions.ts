// The port through which the reconciler reads what the store holds for a portfolio (the store's
// `positions` table in the app: main/workspace/store-positions.ts).
export interface StoredPosition {
  account: string;
  commodity: string;
  units: string;
  cost_basis: string;
  cost_currency: string;
}

export interface StoredSnapshot {
  as_of: string;
  ledger_commit_hash: string;
  positions: StoredPosition[];
}

export interface StoredPositionsSource {
  /** The latest snapshot of positions the store holds for the portfolio, or null. */
  latest(portfolioId: string): Promise<StoredSnapshot | null>;
}
