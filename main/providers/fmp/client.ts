// Financial Modeling Prep client: end-of-day history, quotes, company profile, income statement
// and key metrics, over the "stable" API with the key in the `apikey` query parameter.
import type { z } from 'zod';
import {
  pathLabel,
  readKey,
  requireDate,
  stringParam,
  validate,
  type ClientOptions,
} from '../client-support';
import {
  ProviderAuthError,
  ProviderHttpError,
  ProviderRateLimitedError,
  type ProviderError,
} from '../errors';
import { httpGet, jsonOrFailure } from '../http';
import type { RequestParams } from '../resilience/request-key';
import type { DailyBar, Licence, ProviderResult } from '../types';
import {
  fmpEodSchema,
  fmpErrorSchema,
  fmpIncomeStatementSchema,
  fmpKeyMetricsSchema,
  fmpProfileSchema,
  fmpQuoteSchema,
} from './schemas';

export type FmpPeriod = 'annual' | 'quarter';

export interface FmpQuote {
  readonly symbol: string;
  readonly name: string | null;
  readonly price: string;
  readonly change: string | null;
  readonly change_percentage: string | null;
  readonly previous_close: string | null;
  readonly volume: string | null;
  readonly exchange: string | null;
  /** Quote time, ISO-8601 UTC. */
  readonly timestamp: string;
}

export interface FmpProfile {
  readonly symbol: string;
  readonly company_name: string;
  readonly currency: string | null;
  readonly exchange: string | null;
  readonly industry: string | null;
  readonly sector: string | null;
  readonly country: string | null;
  readonly isin: string | null;
  readonly is_etf: boolean | null;
  readonly is_fund: boolean | null;
  readonly is_actively_trading: boolean | null;
}

export type FmpIncomeStatement = z.output<typeof fmpIncomeStatementSchema>[number];
export type FmpKeyMetrics = z.output<typeof fmpKeyMetricsSchema>[number];

const licence = (dataset: string): Licence => ({ provider: 'fmp', dataset });

/** FMP's own error bodies, which it may send with 401/403/429 or even 200. */
function fmpFailure(status: number, body: unknown, retryAfterMs: number | null): ProviderError | null {
  const parsed = fmpErrorSchema.safeParse(body);
  if (!parsed.success) return null;
  const text = parsed.data['Error Message'].toLowerCase();
  if (text.includes('api key')) return new ProviderAuthError('fmp', status === 200 ? 401 : status);
  if (text.includes('limit')) return new ProviderRateLimitedError('fmp', retryAfterMs, status);
  if (status >= 500) return new ProviderHttpError('fmp', status, retryAfterMs);
  return null;
}

export class FmpClient {
  constructor(private readonly options: ClientOptions) {}

  /** Daily bars for one symbol over a date range, oldest first: one HTTP request for the whole range. */
  eodHistory(symbol: string, from: string, to: string): Promise<ProviderResult<DailyBar[]>> {
    const params = { symbol, from: requireDate(from), to: requireDate(to) };
    return this.options.layer.execute(
      { provider: 'fmp', operation: 'fmp.eodHistory', params },
      licence('historical-price-eod'),
      async () => {
        const rows = await this.get('/stable/historical-price-eod/full', params, fmpEodSchema);
        return rows
          .map((r) => ({
            symbol: r.symbol,
            date: r.date,
            open: r.open,
            high: r.high,
            low: r.low,
            close: r.close,
            volume: r.volume,
          }))
          .sort((a, b) => a.date.localeCompare(b.date));
      },
      async (bars) => {
        const rowLicence = licence('historical-price-eod');
        await this.options.sink?.putPrices(bars.map((bar) => ({ ...bar, licence: rowLicence })));
      },
    );
  }

  /** The latest quote; null when FMP knows no such symbol (it answers `[]`). */
  quote(symbol: string): Promise<ProviderResult<FmpQuote | null>> {
    const params = { symbol };
    return this.options.layer.execute(
      { provider: 'fmp', operation: 'fmp.quote', params },
      licence('quote'),
      async () => {
        const [q] = await this.get('/stable/quote', params, fmpQuoteSchema);
        if (!q) return null;
        return {
          symbol: q.symbol,
          name: q.name ?? null,
          price: q.price,
          change: q.change,
          change_percentage: q.changePercentage,
          previous_close: q.previousClose,
          volume: q.volume,
          exchange: q.exchange ?? null,
          timestamp: new Date(q.timestamp * 1000).toISOString(),
        };
      },
    );
  }

  profile(symbol: string): Promise<ProviderResult<FmpProfile | null>> {
    const params = { symbol };
    return this.options.layer.execute(
      { provider: 'fmp', operation: 'fmp.profile', params },
      licence('profile'),
      async () => {
        const [p] = await this.get('/stable/profile', params, fmpProfileSchema);
        if (!p) return null;
        return {
          symbol: p.symbol,
          company_name: p.companyName,
          currency: p.currency ?? null,
          exchange: p.exchange ?? null,
          industry: p.industry ?? null,
          sector: p.sector ?? null,
          country: p.country ?? null,
          isin: p.isin ?? null,
          is_etf: p.isEtf ?? null,
          is_fund: p.isFund ?? null,
          is_actively_trading: p.isActivelyTrading ?? null,
        };
      },
    );
  }

  incomeStatement(
    symbol: string,
    period: FmpPeriod = 'annual',
    limit = 5,
  ): Promise<ProviderResult<FmpIncomeStatement[]>> {
    const params = { symbol, period, limit };
    return this.options.layer.execute(
      { provider: 'fmp', operation: 'fmp.incomeStatement', params },
      licence('income-statement'),
      async () => this.get('/stable/income-statement', params, fmpIncomeStatementSchema),
    );
  }

  keyMetrics(
    symbol: string,
    period: FmpPeriod = 'annual',
    limit = 5,
  ): Promise<ProviderResult<FmpKeyMetrics[]>> {
    const params = { symbol, period, limit };
    return this.options.layer.execute(
      { provider: 'fmp', operation: 'fmp.keyMetrics', params },
      licence('key-metrics'),
      async () => this.get('/stable/key-metrics', params, fmpKeyMetricsSchema),
    );
  }

  /** Re-runs an operation from a dead letter's parameters. */
  invoke(operation: string, params: RequestParams): Promise<ProviderResult<unknown>> {
    const symbol = stringParam(params, 'symbol');
    switch (operation) {
      case 'fmp.eodHistory':
        return this.eodHistory(symbol, stringParam(params, 'from'), stringParam(params, 'to'));
      case 'fmp.quote':
        return this.quote(symbol);
      case 'fmp.profile':
        return this.profile(symbol);
      case 'fmp.incomeStatement':
        return this.incomeStatement(symbol, stringParam(params, 'period') as FmpPeriod, Number(params.limit));
      case 'fmp.keyMetrics':
        return this.keyMetrics(symbol, stringParam(params, 'period') as FmpPeriod, Number(params.limit));
      default:
        throw new RangeError('unknown FMP operation');
    }
  }

  /** One GET, validated inside the resilient request so a malformed body counts as a failure. */
  private async get<S extends z.ZodType>(
    path: string,
    params: Record<string, string | number>,
    schema: S,
  ): Promise<z.output<S>> {
    const key = await readKey(this.options.secrets, 'fmp');
    const url = new URL(`${this.options.baseUrl}${path}`);
    for (const [name, value] of Object.entries(params)) url.searchParams.set(name, String(value));
    const label = pathLabel(url);
    url.searchParams.set('apikey', key);
    return this.options.layer.request(label, async (timeoutMs) => {
      const response = await httpGet('fmp', url, {}, timeoutMs);
      const body = jsonOrFailure('fmp', response, this.options.clock.now(), fmpFailure);
      // FMP has answered errors with HTTP 200 and an "Error Message" body.
      const inBand = fmpFailure(200, body, null);
      if (inBand) throw inBand;
      return validate('fmp', schema, body);
    });
  }
}
