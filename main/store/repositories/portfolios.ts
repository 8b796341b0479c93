// Portfolios: every change is audited in the same transaction (withAudit).
import { withAudit } from '../../audit/chain';
import type { Db } from '../sqlcipher';

export interface Portfolio {
  portfolio_id: string;
  name: string;
  base_currency: string;
  ledger_repo: string | null;
  created_at: string;
  archived_at: string | null;
}

export function createPortfolio(
  db: Db,
  actor: string,
  input: { portfolioId: string; name: string; baseCurrency: string; ledgerRepo?: string | null },
): Portfolio {
  const row: Portfolio = {
    portfolio_id: input.portfolioId,
    name: input.name,
    base_currency: input.baseCurrency,
    ledger_repo: input.ledgerRepo ?? null,
    created_at: new Date().toISOString(),
    archived_at: null,
  };
  withAudit(
    db,
    { actor, action: 'portfolio.create', target: `portfolio:${row.portfolio_id}`, payload: row },
    () =>
      db
        .prepare(
          `INSERT INTO portfolios (portfolio_id, name, base_currency, ledger_repo, created_at, archived_at)
         VALUES (@portfolio_id, @name, @base_currency, @ledger_repo, @created_at, @archived_at)`,
        )
        .run(row),
  );
  return row;
}

export function renamePortfolio(db: Db, actor: string, portfolioId: string, name: string): boolean {
  return withAudit(
    db,
    { actor, action: 'portfolio.rename', target: `portfolio:${portfolioId}`, payload: { name } },
    () =>
      db.prepare('UPDATE portfolios SET name = ? WHERE portfolio_id = ?').run(name, portfolioId).changes ===
      1,
  );
}

export function listPortfolios(db: Db): Portfolio[] {
  return db.prepare('SELECT * FROM portfolios ORDER BY portfolio_id').all() as Portfolio[];
}
