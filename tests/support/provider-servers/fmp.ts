// Fake Financial Modeling Prep "stable" API: /stable/historical-price-eod/full, /stable/quote,
// /stable/profile, /stable/income-statement, /stable/key-metrics; key in `apikey`.
import type http from 'node:http';
import { FakeProviderServer, json, type FakeServerOptions, type Reply } from './fake-server';
import {
  FIXTURE_END,
  FIXTURE_START,
  TRADING_DAYS,
  barsBetween,
  companyName,
  isKnownInstrument,
  minorToDecimal,
  seriesFor,
} from './fixtures';
import { seedOf } from './prng';

export class FakeFmpServer extends FakeProviderServer {
  readonly name = 'FMP';

  constructor(options: FakeServerOptions) {
    super(options);
  }

  protected keyOf(_req: http.IncomingMessage, query: URLSearchParams): string | null {
    return query.get('apikey');
  }

  protected invalidKey(): Reply {
    return json(401, {
      'Error Message':
        'Invalid API KEY. Feel free to create a Free API Key or visit https://site.financialmodelingprep.com/faqs?search=why-is-my-api-key-invalid for more information.',
    });
  }

  protected rateLimited(retryAfter?: string): Reply {
    return json(
      429,
      {
        'Error Message':
          'Limit Reach . Please upgrade your plan or visit our documentation for more details.',
      },
      retryAfter ? { 'retry-after': retryAfter } : {},
    );
  }

  protected serverError(status: number, retryAfter?: string): Reply {
    return {
      status,
      body: status === 503 ? 'Service Unavailable' : 'Internal Server Error',
      headers: { 'content-type': 'text/plain', ...(retryAfter ? { 'retry-after': retryAfter } : {}) },
    };
  }

  protected wrongSchema(): Reply {
    return json(200, [{ symbol: 'AAPL', date: '2024-01-02', close: 'one hundred' }]);
  }

  protected empty(): Reply {
    return json(200, []);
  }

  protected answer(path: string, query: URLSearchParams): Reply {
    const symbol = query.get('symbol') ?? '';
    if (symbol === '') return json(400, { 'Error Message': 'Missing symbol parameter.' });
    if (!isKnownInstrument(symbol)) return json(200, []);
    switch (path) {
      case '/stable/historical-price-eod/full': {
        const bars = barsBetween(symbol, query.get('from') ?? FIXTURE_START, query.get('to') ?? FIXTURE_END);
        // FMP answers newest first, with numbers (the client keeps their shortest text).
        const rows = bars.reverse().map((b) => ({
          symbol,
          date: b.date,
          open: Number(b.open),
          high: Number(b.high),
          low: Number(b.low),
          close: Number(b.close),
          volume: Number(b.volume),
          change: Number((Number(b.close) - Number(b.open)).toFixed(2)),
          changePercent: 0.5,
          vwap: Number(b.close),
        }));
        return json(200, rows);
      }
      case '/stable/quote': {
        const s = seriesFor(symbol);
        const last = s.close.length - 1;
        const close = minorToDecimal(s.close[last] ?? 0, s.scale);
        const prev = minorToDecimal(s.close[last - 1] ?? 0, s.scale);
        return json(200, [
          {
            symbol,
            name: companyName(symbol),
            price: Number(close),
            changePercentage: 0.12,
            change: Number((Number(close) - Number(prev)).toFixed(2)),
            volume: s.volume[last] ?? 0,
            dayLow: Number(minorToDecimal(s.low[last] ?? 0, s.scale)),
            dayHigh: Number(minorToDecimal(s.high[last] ?? 0, s.scale)),
            yearHigh: 0,
            yearLow: 0,
            marketCap: 3_000_000_000_000,
            priceAvg50: Number(close),
            priceAvg200: Number(close),
            exchange: 'NASDAQ',
            open: Number(minorToDecimal(s.open[last] ?? 0, s.scale)),
            previousClose: Number(prev),
            timestamp: Date.parse(`${TRADING_DAYS[last] ?? FIXTURE_END}T21:00:00Z`) / 1000,
          },
        ]);
      }
      case '/stable/profile':
        return json(200, [
          {
            symbol,
            price: Number(minorToDecimal(seriesFor(symbol).close.at(-1) ?? 0, 2)),
            marketCap: 1_234_567_890,
            companyName: companyName(symbol),
            currency: 'USD',
            cik: '0000320193',
            isin: `US${String(seedOf(symbol)).padStart(10, '0').slice(0, 10)}`,
            exchangeFullName: 'NASDAQ Global Select',
            exchange: 'NASDAQ',
            industry: 'Consumer Electronics',
            sector: 'Technology',
            country: 'US',
            isEtf: false,
            isActivelyTrading: true,
            isAdr: false,
            isFund: false,
          },
        ]);
      case '/stable/income-statement': {
        const limit = Number(query.get('limit') ?? '5');
        const quarter = query.get('period') === 'quarter';
        const seed = seedOf(symbol) % 1000;
        return json(
          200,
          Array.from({ length: limit }, (_, i) => ({
            date: `${2024 - i}-12-31`,
            symbol,
            reportedCurrency: 'USD',
            cik: '0000320193',
            filingDate: `${2025 - i}-02-01`,
            fiscalYear: String(2024 - i),
            period: quarter ? 'Q4' : 'FY',
            revenue: (seed + 100) * 1_000_000 - i * 1_000_000,
            grossProfit: (seed + 40) * 1_000_000,
            operatingIncome: (seed + 20) * 1_000_000,
            netIncome: (seed + 10) * 1_000_000,
            eps: 1.23 + i / 100,
            epsDiluted: 1.21 + i / 100,
          })),
        );
      }
      case '/stable/key-metrics': {
        const limit = Number(query.get('limit') ?? '5');
        return json(
          200,
          Array.from({ length: limit }, (_, i) => ({
            symbol,
            date: `${2024 - i}-12-31`,
            fiscalYear: String(2024 - i),
            period: query.get('period') === 'quarter' ? 'Q4' : 'FY',
            reportedCurrency: 'USD',
            marketCap: 2_500_000_000 + i,
            enterpriseValue: 2_600_000_000 + i,
            evToEBITDA: 18.75,
            currentRatio: 1.07,
            returnOnEquity: 1.5617,
            freeCashFlowYield: null,
          })),
        );
      }
      default:
        return json(404, { 'Error Message': 'Not found.' });
    }
  }
}
