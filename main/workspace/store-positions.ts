// The store side of reconciliation: writes a snapshot of a portfolio's positions (as computed from
// the ledger at a commit) into the store's `positions` table, audited, and reads the latest one
// back for the reconciler (StoredPositionsSource). The store's own repositories do not cover
// positions yet; when they do, this file should delegate to them.
import { withAudit } from '../audit/chain';
import { createPortfolio } from '../store/repositories/portfolios';
import type { Db } from '../store/sqlcipher';
import { money } from '../analytics/decimal';
import type { StoredPositionsSource, StoredSnapshot } from '../agents/reconciler/stored-positions';
import { positionsAt } from '../agents/book/book';
import type { PinnedInputs } from '../agents/environment';

/** Creates the portfolio row when the store does not have it yet. */
export function ensurePortfolio(db: Db, actor: string, portfolioId: string, baseCurrency: string): void {
  const row = db.prepare('SELECT 1 FROM portfolios WHERE portfolio_id = ?').get(portfolioId);
  if (row === undefined)
    createPortfolio(db, actor, { portfolioId, name: portfolioId.slice(0, 200), baseCurrency });
}

/** Records the ledger's positions at `asOf` (units and cost basis per account and commodity). */
export function recordPositions(
  db: Db,
  actor: string,
  portfolioId: string,
  pinned: PinnedInputs,
  asOf: string,
): number {
  const rows = positionsAt(pinned.snapshot.entries, pinned.selection, asOf);
  const commit = pinned.snapshot.commit;
  ensurePortfolio(db, actor, portfolioId, pinned.base);
  const values = rows.map((r) => {
    let cost = r.lots.length > 0 ? r.lots[0]!.cost.currency : r.commodity;
    let basis = '0';
    if (r.lots.length > 0) {
      let total = r.lots[0]!.units.times(0);
      for (const l of r.lots) total = total.plus(l.units.times(l.cost.number.toString()));
      basis = money(total);
    } else cost = r.commodity;
    return {
      portfolio_id: portfolioId,
      as_of: asOf,
      account: r.account,
      commodity: r.commodity,
      units: money(r.units),
      cost_basis: basis,
      cost_currency: cost,
      ledger_commit_hash: commit,
    };
  });
  withAudit(
    db,
    {
      actor,
      action: 'positions.snapshot',
      target: `portfolio:${portfolioId}`,
      payload: { as_of: asOf, ledger_commit_hash: commit, count: values.length },
    },
    () => {
      const insert = db.prepare(
        `INSERT OR REPLACE INTO positions (portfolio_id, as_of, account, commodity, units, cost_basis, cost_currency, ledger_commit_hash)
         VALUES (@portfolio_id, @as_of, @account, @commodity, @units, @cost_basis, @cost_currency, @ledger_commit_hash)`,
      );
      for (const v of values) insert.run(v);
    },
  );
  return values.length;
}

export class StorePositions implements StoredPositionsSource {
  constructor(private readonly db: Db) {}

  latest(portfolioId: string): Promise<StoredSnapshot | null> {
    const head = this.db
      .prepare(
        `SELECT as_of, ledger_commit_hash FROM positions WHERE portfolio_id = ?
         ORDER BY as_of DESC, rowid DESC LIMIT 1`,
      )
      .get(portfolioId) as { as_of: string; ledger_commit_hash: string } | undefined;
    if (!head) return Promise.resolve(null);
    const positions = this.db
      .prepare(
        `SELECT account, commodity, units, cost_basis, cost_currency FROM positions
         WHERE portfolio_id = ? AND as_of = ? AND ledger_commit_hash = ? ORDER BY account, commodity`,
      )
      .all(portfolioId, head.as_of, head.ledger_commit_hash) as StoredSnapshot['positions'];
    return Promise.resolve({ ...head, positions });
  }
}
