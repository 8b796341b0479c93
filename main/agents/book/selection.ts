// Which ledger accounts make up a portfolio. A portfolio is named by the `portfolio:` metadata on
// the `open` directives of its balance-sheet accounts (the convention of the demo and synthetic
// ledgers), or chosen by an account pattern (`--accounts 'Assets:Broker:*'`, `*` = any characters,
// matched against the whole account name). The portfolio id "all" selects every account that
// carries a `portfolio:` tag, or every Assets account when none does.
import { UserFacingError } from '../../../shared/errors';
import type { Entry } from '../../ledger/types';

export const ALL_PORTFOLIOS_ID = 'all';
export const ACCOUNTS_ID_PREFIX = 'accounts:';

export class PortfolioNotInLedgerError extends UserFacingError {
  constructor() {
    super('PORTFOLIO_NOT_IN_LEDGER', 'No account of the ledger belongs to this portfolio.');
  }
}

export interface PortfolioSelection {
  readonly portfolioId: string;
  /** Balance-sheet accounts of the portfolio, sorted. */
  readonly accounts: readonly string[];
  readonly has: (account: string) => boolean;
}

function globRegExp(pattern: string): RegExp {
  const escaped = pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(`^${escaped}$`);
}

const BALANCE_SHEET = /^(Assets|Liabilities):/;

/** Every portfolio name the ledger's `open` directives declare, sorted. */
export function ledgerPortfolioNames(entries: readonly Entry[]): string[] {
  const names = new Set<string>();
  for (const e of entries) {
    if (e.kind !== 'open') continue;
    const tag = e.meta?.portfolio;
    if (typeof tag === 'string' && tag.length > 0) names.add(tag);
  }
  return [...names].sort();
}

export function selectPortfolio(entries: readonly Entry[], portfolioId: string): PortfolioSelection {
  const opened: string[] = [];
  const tagged = new Map<string, string>();
  for (const e of entries) {
    if (e.kind !== 'open' || !BALANCE_SHEET.test(e.account)) continue;
    opened.push(e.account);
    const tag = e.meta?.portfolio;
    if (typeof tag === 'string' && tag.length > 0) tagged.set(e.account, tag);
  }
  let accounts: string[];
  if (portfolioId.startsWith(ACCOUNTS_ID_PREFIX)) {
    const re = globRegExp(portfolioId.slice(ACCOUNTS_ID_PREFIX.length));
    accounts = opened.filter((a) => re.test(a));
  } else if (portfolioId === ALL_PORTFOLIOS_ID) {
    accounts = tagged.size > 0 ? [...tagged.keys()] : opened.filter((a) => a.startsWith('Assets:'));
  } else {
    accounts = [...tagged].filter(([, tag]) => tag === portfolioId).map(([a]) => a);
  }
  if (accounts.length === 0) throw new PortfolioNotInLedgerError();
  accounts = [...new Set(accounts)].sort();
  const set = new Set(accounts);
  return { portfolioId, accounts, has: (a) => set.has(a) };
}
