// Portfolio analytics: pure functions over plain typed data (see types.ts), independent of where
// the data comes from. Money is exact (decimal strings in and out); statistics over return series
// are floats. docs/methodology.md documents every convention.
export * from './types';
export { AnalyticsInputError } from './errors';
export { MONEY_PRECISION, RETURN_DECIMALS } from './decimal';
export {
  ANNUALISE_MIN_DAYS,
  DAYS_PER_YEAR,
  FLOW_TIMING,
  computeTwr,
  timeWeightedReturn,
  twrReturnSeries,
  type ExcludedFlow,
  type TwrComputation,
  type TwrFlow,
  type TwrOptions,
  type TwrResult,
  type TwrSubPeriod,
} from './twr';
export {
  NPV_TOLERANCE,
  RATE_SIGNIFICANT_DIGITS,
  SCAN_LIMIT,
  SCAN_STEPS,
  XirrCashFlowSchema,
  moneyWeightedReturn,
  xirr,
  type MwrResult,
  type XirrCashFlow,
  type XirrFailure,
  type XirrFlowDetail,
  type XirrResult,
} from './xirr';
export { holdingReturns, type HoldingReturn } from './holdings';
export {
  benchmarkReturnSeries,
  compareWithBenchmark,
  type BenchmarkComparison,
  type BenchmarkSubPeriod,
} from './benchmark';
export { currencyDecomposition, type CurrencyDecomposition, type CurrencySubPeriod } from './currency';
export {
  PnlInputSchema,
  profitAndLoss,
  type CommodityPnl,
  type DisposalPnl,
  type LotPnl,
  type PnlInput,
  type PnlResult,
  type PnlTotals,
} from './pnl';
export {
  ALLOCATION_DIMENSIONS,
  CONCENTRATION_EXEMPT_ASSET_CLASSES,
  ConcentrationThresholdsSchema,
  DEFAULT_CONCENTRATION_THRESHOLDS,
  ISSUER_LIMIT,
  LARGEST_POSITIONS_SHOWN,
  SECTOR_LIMIT,
  SINGLE_POSITION_LIMIT,
  UNCLASSIFIED,
  WEIGHT_DECIMALS,
  allocation,
  concentration,
  largestRemainderWeights,
  type Allocation,
  type AllocationBucket,
  type AllocationDimension,
  type Concentration,
  type ConcentrationBreach,
  type ConcentrationItem,
  type ConcentrationThresholds,
} from './allocation';
export {
  DEFAULT_VAR_CONFIDENCE_LEVELS,
  RECOVERY_TOLERANCE,
  RiskInputSchema,
  TRADING_DAYS_PER_YEAR,
  benchmarkRisk,
  historicalVaR,
  maxDrawdown,
  meanAndVariance,
  riskMetrics,
  sharpeRatio,
  sortinoRatio,
  volatility,
  type BenchmarkRisk,
  type Drawdown,
  type Ratio,
  type RiskInput,
  type RiskResult,
  type ValueAtRisk,
  type Volatility,
} from './risk';
export { performanceReport, type PerformanceInput, type PerformanceReport } from './performance';
