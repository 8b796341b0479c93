// Fake FRED API: /fred/series/observations?series_id=&api_key=&file_type=json&observation_start=
// &observation_end=&limit=&offset=. Missing observations are written "." as FRED does.
import type http from 'node:http';
import { FakeProviderServer, json, type FakeServerOptions, type Reply } from './fake-server';
import { FRED_SERIES, fredObservations } from './fixtures';

const REALTIME = '2026-01-05';

export class FakeFredServer extends FakeProviderServer {
  readonly name = 'FRED';

  constructor(options: FakeServerOptions) {
    super(options);
  }

  protected keyOf(_req: http.IncomingMessage, query: URLSearchParams): string | null {
    return query.get('api_key');
  }

  protected invalidKey(): Reply {
    return json(400, {
      error_code: 400,
      error_message:
        'Bad Request.  The value for variable api_key is not registered.  Read https://fred.stlouisfed.org/docs/api/api_key.html for more information.',
    });
  }

  protected rateLimited(retryAfter?: string): Reply {
    return json(
      429,
      { error_code: 429, error_message: 'Too Many Requests.  Exceeded Rate Limit' },
      retryAfter ? { 'retry-after': retryAfter } : {},
    );
  }

  protected serverError(status: number, retryAfter?: string): Reply {
    return json(
      status,
      { error_code: status, error_message: 'Internal Server Error.' },
      retryAfter ? { 'retry-after': retryAfter } : {},
    );
  }

  protected wrongSchema(): Reply {
    return json(200, { count: 1, observations: [{ date: '2024-01-02', value: 4.05 }] });
  }

  protected empty(_path: string, query: URLSearchParams): Reply {
    return json(200, this.envelope(query, 0, []));
  }

  private envelope(query: URLSearchParams, count: number, observations: unknown[]): Record<string, unknown> {
    return {
      realtime_start: REALTIME,
      realtime_end: REALTIME,
      observation_start: query.get('observation_start') ?? '1776-07-04',
      observation_end: query.get('observation_end') ?? '9999-12-31',
      units: 'lin',
      output_type: 1,
      file_type: 'json',
      order_by: 'observation_date',
      sort_order: 'asc',
      count,
      offset: Number(query.get('offset') ?? '0'),
      limit: Number(query.get('limit') ?? '100000'),
      observations,
    };
  }

  protected answer(path: string, query: URLSearchParams): Reply {
    if (path !== '/fred/series/observations') {
      return json(404, { error_code: 404, error_message: 'Not Found.' });
    }
    if (query.get('file_type') !== 'json') {
      return json(400, {
        error_code: 400,
        error_message: 'Bad Request.  This test server speaks JSON only.',
      });
    }
    const seriesId = query.get('series_id') ?? '';
    if (!FRED_SERIES[seriesId]) {
      return json(400, { error_code: 400, error_message: 'Bad Request.  The series does not exist.' });
    }
    const start = query.get('observation_start') ?? '1776-07-04';
    const end = query.get('observation_end') ?? '9999-12-31';
    const all = fredObservations(seriesId).filter((o) => o.date >= start && o.date <= end);
    const offset = Number(query.get('offset') ?? '0');
    const limit = Math.min(Number(query.get('limit') ?? '100000'), 100_000);
    const page = all.slice(offset, offset + limit).map((o) => ({
      realtime_start: REALTIME,
      realtime_end: REALTIME,
      date: o.date,
      value: o.value,
    }));
    return json(200, this.envelope(query, all.length, page));
  }
}
