// FMP "stable" API response shapes (https://site.financialmodelingprep.com/developer/docs/stable).
// Only the fields DawsOS uses are declared; others are ignored. Prices become decimal strings.
import { z } from 'zod';
import { decimalNumber, isoDate, optionalDecimal } from '../client-support';

/** GET /stable/historical-price-eod/full?symbol=&from=&to= → newest first. */
export const fmpEodSchema = z.array(
  z.object({
    symbol: z.string(),
    date: isoDate,
    open: decimalNumber,
    high: decimalNumber,
    low: decimalNumber,
    close: decimalNumber,
    volume: optionalDecimal,
  }),
);

/** GET /stable/quote?symbol= */
export const fmpQuoteSchema = z.array(
  z.object({
    symbol: z.string(),
    name: z.string().nullish(),
    price: decimalNumber,
    changePercentage: optionalDecimal,
    change: optionalDecimal,
    volume: optionalDecimal,
    previousClose: optionalDecimal,
    exchange: z.string().nullish(),
    timestamp: z.number().int(),
  }),
);

/** GET /stable/profile?symbol= */
export const fmpProfileSchema = z.array(
  z.object({
    symbol: z.string(),
    companyName: z.string(),
    currency: z.string().nullish(),
    exchange: z.string().nullish(),
    industry: z.string().nullish(),
    sector: z.string().nullish(),
    country: z.string().nullish(),
    isin: z.string().nullish(),
    isEtf: z.boolean().nullish(),
    isFund: z.boolean().nullish(),
    isActivelyTrading: z.boolean().nullish(),
  }),
);

/** GET /stable/income-statement?symbol=&period=&limit= */
export const fmpIncomeStatementSchema = z.array(
  z.object({
    date: isoDate,
    symbol: z.string(),
    reportedCurrency: z.string().nullish(),
    fiscalYear: z.union([z.string(), z.number()]).transform(String),
    period: z.string(),
    revenue: optionalDecimal,
    grossProfit: optionalDecimal,
    operatingIncome: optionalDecimal,
    netIncome: optionalDecimal,
    eps: optionalDecimal,
    epsDiluted: optionalDecimal,
  }),
);

/** GET /stable/key-metrics?symbol=&period=&limit= */
export const fmpKeyMetricsSchema = z.array(
  z.object({
    symbol: z.string(),
    date: isoDate,
    fiscalYear: z.union([z.string(), z.number()]).transform(String),
    period: z.string(),
    reportedCurrency: z.string().nullish(),
    marketCap: optionalDecimal,
    enterpriseValue: optionalDecimal,
    evToEBITDA: optionalDecimal,
    currentRatio: optionalDecimal,
    returnOnEquity: optionalDecimal,
    freeCashFlowYield: optionalDecimal,
  }),
);

/** FMP's error body, e.g. {"Error Message": "Invalid API KEY. …"} or "Limit Reach …". */
export const fmpErrorSchema = z.object({ 'Error Message': z.string() });
