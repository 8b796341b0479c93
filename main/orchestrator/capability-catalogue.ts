// The capabilities the shipped patterns (resources/patterns/*.json) call. Agents must register
// exactly these names; docs/patterns.md describes each one's inputs and data. The pattern tests load
// every shipped pattern against a registry holding these names, so a renamed capability or a typo
// in a pattern file fails a test, not a user's screen.
export const PATTERN_CAPABILITIES = {
  'financial_analyst.valuation': 'Positions and total value in base currency at the pinned pack.',
  'financial_analyst.pnl': 'Unrealized and realized P&L per lot, as the ledger booked it.',
  'financial_analyst.income': 'Dividends, interest, fees and taxes over the period.',
  'financial_analyst.performance':
    'TWR, MWR (XIRR), returns per holding, benchmark comparison, currency vs local price effect.',
  'financial_analyst.risk': 'Volatility, Sharpe, Sortino, max drawdown, beta, correlation, VaR and CVaR.',
  'financial_analyst.allocation': 'Allocation by asset class, currency, account, sector and country.',
  'financial_analyst.concentration': 'Largest positions, issuer and sector concentration vs thresholds.',
  'macro_hound.regime': 'Macro regime from FRED series by a documented rule, with the values that drove it.',
  'data_harvester.prices': 'Daily closes and FX over the period for the holdings and the benchmark.',
  'data_harvester.fundamentals': 'Sector, country and key fundamentals for the holdings.',
  'data_harvester.news': 'Recent news for a list of holdings, tagged with the provider licence.',
  'data_harvester.macro_series': 'FRED series observations up to a date.',
  'news_scout.digest': "News filtered and ranked for the portfolio's holdings.",
  'reconciler.reconcile': 'Positions and values recomputed from the ledger compared with the store.',
} as const satisfies Record<string, string>;

export type PatternCapabilityName = keyof typeof PATTERN_CAPABILITIES;

export const PATTERN_CAPABILITY_NAMES = Object.keys(PATTERN_CAPABILITIES).sort() as PatternCapabilityName[];
