// Polygon.io client: daily aggregates for stocks ("AAPL") and FX ("C:EURUSD") over a date range,
// following `next_url` until the range is complete. The key goes in the `apiKey` query parameter
// and is appended again to every next_url (Polygon does not include it), which is only followed
// when it points at the same origin as the base URL.
import type { z } from 'zod';
import { readKey, requireDate, stringParam, validate, type ClientOptions } from '../client-support';
import { ProviderAuthError, ProviderMalformedResponseError, type ProviderError } from '../errors';
import { httpGet, jsonOrFailure } from '../http';
import type { RequestParams } from '../resilience/request-key';
import type { DailyBar, Licence, ProviderResult } from '../types';
import { polygonAggsSchema, polygonErrorSchema } from './schemas';

/** Bars per page requested (Polygon's maximum). */
export const POLYGON_PAGE_LIMIT = 50_000;
/** A guard against a provider that keeps sending next_url. */
export const POLYGON_MAX_PAGES = 1_000;

const LICENCE: Licence = { provider: 'polygon', dataset: 'aggregates-daily' };

const nyDate = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'America/New_York',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** Stock day bars start at midnight New York time; FX and crypto day bars at midnight UTC. */
export function barDate(ticker: string, t: number): string {
  if (/^[CX]:/.test(ticker)) return new Date(t).toISOString().slice(0, 10);
  return nyDate.format(new Date(t));
}

function polygonFailure(status: number, body: unknown): ProviderError | null {
  const parsed = polygonErrorSchema.safeParse(body);
  if (!parsed.success) return null;
  if (parsed.data.status === 'NOT_AUTHORIZED' || status === 401 || status === 403) {
    return new ProviderAuthError('polygon', status);
  }
  return null;
}

export class PolygonClient {
  constructor(private readonly options: ClientOptions) {}

  /** Daily bars, oldest first, for a stock or FX ticker; one request per page (50,000 bars). */
  dailyAggregates(
    ticker: string,
    from: string,
    to: string,
    adjusted = true,
  ): Promise<ProviderResult<DailyBar[]>> {
    const params = { ticker, from: requireDate(from), to: requireDate(to), adjusted };
    return this.options.layer.execute(
      { provider: 'polygon', operation: 'polygon.dailyAggregates', params },
      LICENCE,
      () => this.fetchAll(ticker, from, to, adjusted),
      async (bars) => {
        await this.options.sink?.putPrices(bars.map((bar) => ({ ...bar, licence: LICENCE })));
      },
    );
  }

  invoke(operation: string, params: RequestParams): Promise<ProviderResult<unknown>> {
    if (operation !== 'polygon.dailyAggregates') throw new RangeError('unknown Polygon operation');
    return this.dailyAggregates(
      stringParam(params, 'ticker'),
      stringParam(params, 'from'),
      stringParam(params, 'to'),
      params.adjusted !== false,
    );
  }

  private async fetchAll(ticker: string, from: string, to: string, adjusted: boolean): Promise<DailyBar[]> {
    const key = await readKey(this.options.secrets, 'polygon');
    const tickerPath = encodeURIComponent(ticker).replace(/%3A/gi, ':');
    const first = new URL(`${this.options.baseUrl}/v2/aggs/ticker/${tickerPath}/range/1/day/${from}/${to}`);
    first.searchParams.set('adjusted', String(adjusted));
    first.searchParams.set('sort', 'asc');
    first.searchParams.set('limit', String(POLYGON_PAGE_LIMIT));
    const origin = new URL(this.options.baseUrl).origin;
    const bars: DailyBar[] = [];
    let next: URL | null = first;
    for (let page = 0; next !== null; page++) {
      if (page >= POLYGON_MAX_PAGES) throw new ProviderMalformedResponseError('polygon');
      const body = await this.getPage(next, key);
      for (const r of body.results ?? []) {
        bars.push({
          symbol: ticker,
          date: barDate(ticker, r.t),
          open: r.o,
          high: r.h,
          low: r.l,
          close: r.c,
          volume: r.v,
        });
      }
      next = null;
      if (body.next_url !== undefined) {
        const url = new URL(body.next_url);
        if (url.origin !== origin) throw new ProviderMalformedResponseError('polygon');
        next = url;
      }
    }
    return bars.sort((a, b) => a.date.localeCompare(b.date));
  }

  private getPage(pageUrl: URL, key: string): Promise<z.output<typeof polygonAggsSchema>> {
    const url = new URL(pageUrl);
    const label = url.pathname;
    url.searchParams.set('apiKey', key);
    return this.options.layer.request(label, async (timeoutMs) => {
      const response = await httpGet('polygon', url, {}, timeoutMs);
      const body = jsonOrFailure('polygon', response, this.options.clock.now(), polygonFailure);
      return validate('polygon', polygonAggsSchema, body);
    });
  }
}
