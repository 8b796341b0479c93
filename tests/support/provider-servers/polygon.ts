// Fake Polygon.io aggregates API: /v2/aggs/ticker/{ticker}/range/{mult}/{span}/{from}/{to} with
// adjusted, sort, limit and `apiKey`; pages longer results with a next_url (cursor, no key).
import type http from 'node:http';
import { FakeProviderServer, json, type FakeServerOptions, type Reply } from './fake-server';
import { TRADING_DAYS, dayRange, isKnownInstrument, minorToDecimal, seriesFor } from './fixtures';

export interface FakePolygonOptions extends FakeServerOptions {
  /** The largest page the server gives, whatever `limit` asks (Polygon: 50,000). */
  readonly maxPageSize?: number;
}

const AGGS = /^\/v2\/aggs\/ticker\/([^/]+)\/range\/(\d+)\/(day)\/([^/]+)\/([^/]+)$/;

function toDate(text: string): string {
  return /^\d+$/.test(text) ? new Date(Number(text)).toISOString().slice(0, 10) : text;
}

export class FakePolygonServer extends FakeProviderServer {
  readonly name = 'Polygon';
  private requestSeq = 0;

  constructor(private readonly polygonOptions: FakePolygonOptions) {
    super(polygonOptions);
  }

  protected keyOf(req: http.IncomingMessage, query: URLSearchParams): string | null {
    const auth = req.headers.authorization;
    return query.get('apiKey') ?? (auth?.startsWith('Bearer ') ? auth.slice(7) : null);
  }

  private requestId(): string {
    this.requestSeq += 1;
    return `req-${this.requestSeq.toString(16).padStart(8, '0')}`;
  }

  protected invalidKey(): Reply {
    return json(401, { status: 'ERROR', request_id: this.requestId(), error: 'Unknown API Key' });
  }

  protected rateLimited(retryAfter?: string): Reply {
    return json(
      429,
      {
        status: 'ERROR',
        request_id: this.requestId(),
        error:
          "You've exceeded the maximum requests per minute, please wait or upgrade your subscription to continue. https://polygon.io/pricing",
      },
      retryAfter ? { 'retry-after': retryAfter } : {},
    );
  }

  protected serverError(status: number, retryAfter?: string): Reply {
    return json(
      status,
      { status: 'ERROR', request_id: this.requestId(), error: 'Internal error' },
      retryAfter ? { 'retry-after': retryAfter } : {},
    );
  }

  protected wrongSchema(): Reply {
    return json(200, { ticker: 'AAPL', status: 'OK', results: [{ o: '1', t: 'yesterday' }] });
  }

  protected empty(path: string): Reply {
    const ticker = AGGS.exec(path)?.[1] ?? '';
    return json(200, {
      ticker: decodeURIComponent(ticker),
      queryCount: 0,
      resultsCount: 0,
      adjusted: true,
      status: 'OK',
      request_id: this.requestId(),
      count: 0,
    });
  }

  protected answer(path: string, query: URLSearchParams): Reply {
    const match = AGGS.exec(path);
    if (!match) return json(404, { status: 'NOT_FOUND', request_id: this.requestId(), message: 'Not found' });
    const [, rawTicker = '', , , rawFrom = '', rawTo = ''] = match;
    const ticker = decodeURIComponent(rawTicker);
    const adjusted = query.get('adjusted') !== 'false';
    if (!isKnownInstrument(ticker)) return this.empty(path);
    const cursor = query.get('cursor');
    const state = cursor ? new URLSearchParams(Buffer.from(cursor, 'base64url').toString()) : query;
    const limit = Math.min(Number(state.get('limit') ?? '5000'), this.polygonOptions.maxPageSize ?? 50_000);
    const offset = Number(state.get('offset') ?? '0');
    const from = toDate(state.get('from') ?? rawFrom);
    const to = toDate(rawTo);
    const [lo, hi] = dayRange(from, to);
    const total = Math.max(0, hi - lo + 1);
    const s = seriesFor(ticker);
    const fx = ticker.startsWith('C:');
    const results = [];
    for (let i = lo + offset; i <= hi && results.length < limit; i++) {
      const day = TRADING_DAYS[i] ?? '';
      const t = Date.parse(`${day}T00:00:00Z`) + (fx ? 0 : 5 * 3_600_000);
      const close = Number(minorToDecimal(s.close[i] ?? 0, s.scale));
      results.push({
        v: s.volume[i] ?? 0,
        vw: close,
        o: Number(minorToDecimal(s.open[i] ?? 0, s.scale)),
        c: close,
        h: Number(minorToDecimal(s.high[i] ?? 0, s.scale)),
        l: Number(minorToDecimal(s.low[i] ?? 0, s.scale)),
        t,
        n: 1000 + i,
      });
    }
    const body: Record<string, unknown> = {
      ticker,
      queryCount: results.length,
      resultsCount: results.length,
      adjusted,
      results,
      status: 'OK',
      request_id: this.requestId(),
      count: results.length,
    };
    if (offset + results.length < total) {
      const next = new URLSearchParams({
        from,
        limit: String(limit),
        offset: String(offset + results.length),
      });
      const cursorText = Buffer.from(next.toString()).toString('base64url');
      body.next_url = `${this.baseUrl}/v2/aggs/ticker/${rawTicker}/range/1/day/${Date.parse(`${from}T00:00:00Z`)}/${to}?cursor=${cursorText}`;
    }
    if (results.length === 0) delete body.results;
    return json(200, body);
  }
}
