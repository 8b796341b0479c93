// FRED client: series observations as JSON. FRED writes a missing observation as "."; it becomes
// a point with value null — kept, so a gap is visible, never turned into zero or dropped.
import type { z } from 'zod';
import { readKey, requireDate, stringParam, validate, type ClientOptions } from '../client-support';
import {
  ProviderAuthError,
  ProviderBadRequestError,
  ProviderRateLimitedError,
  type ProviderError,
} from '../errors';
import { httpGet, jsonOrFailure } from '../http';
import type { RequestParams } from '../resilience/request-key';
import type { Licence, ProviderResult, SeriesPoint } from '../types';
import { fredErrorSchema, fredObservationsSchema } from './schemas';

/** FRED's maximum page size; longer series are read with `offset`. */
export const FRED_PAGE_LIMIT = 100_000;

const LICENCE: Licence = { provider: 'fred', dataset: 'series-observations' };

function fredFailure(status: number, body: unknown, retryAfterMs: number | null): ProviderError | null {
  const parsed = fredErrorSchema.safeParse(body);
  if (!parsed.success) return null;
  const text = parsed.data.error_message.toLowerCase();
  // FRED refuses an unknown key with 400 and a message about api_key.
  if (text.includes('api_key')) return new ProviderAuthError('fred', status);
  if (status === 429) return new ProviderRateLimitedError('fred', retryAfterMs);
  if (status === 400) return new ProviderBadRequestError('fred', status);
  return null;
}

export class FredClient {
  constructor(private readonly options: ClientOptions) {}

  /** Observations of a series from `start` (and up to `end`, when given), oldest first. */
  observations(seriesId: string, start: string, end?: string): Promise<ProviderResult<SeriesPoint[]>> {
    const params: Record<string, string> = { series_id: seriesId, observation_start: requireDate(start) };
    if (end !== undefined) params.observation_end = requireDate(end);
    return this.options.layer.execute(
      { provider: 'fred', operation: 'fred.observations', params },
      LICENCE,
      () => this.fetchAll(params),
      async (points) => {
        await this.options.sink?.putSeriesPoints(points.map((p) => ({ ...p, licence: LICENCE })));
      },
    );
  }

  invoke(operation: string, params: RequestParams): Promise<ProviderResult<unknown>> {
    if (operation !== 'fred.observations') throw new RangeError('unknown FRED operation');
    const end = params.observation_end;
    return this.observations(
      stringParam(params, 'series_id'),
      stringParam(params, 'observation_start'),
      typeof end === 'string' ? end : undefined,
    );
  }

  private async fetchAll(params: Record<string, string>): Promise<SeriesPoint[]> {
    const key = await readKey(this.options.secrets, 'fred');
    const seriesId = params.series_id ?? '';
    const points: SeriesPoint[] = [];
    for (let offset = 0; ;) {
      const page = await this.getPage(params, key, offset);
      for (const o of page.observations) {
        points.push({ series_id: seriesId, date: o.date, value: o.value === '.' ? null : o.value });
      }
      offset += page.observations.length;
      if (page.observations.length === 0 || offset >= page.count) break;
    }
    return points;
  }

  private getPage(
    params: Record<string, string>,
    key: string,
    offset: number,
  ): Promise<z.output<typeof fredObservationsSchema>> {
    const url = new URL(`${this.options.baseUrl}/fred/series/observations`);
    for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
    url.searchParams.set('file_type', 'json');
    url.searchParams.set('limit', String(FRED_PAGE_LIMIT));
    url.searchParams.set('offset', String(offset));
    const label = url.pathname;
    url.searchParams.set('api_key', key);
    return this.options.layer.request(label, async (timeoutMs) => {
      const response = await httpGet('fred', url, {}, timeoutMs);
      const body = jsonOrFailure('fred', response, this.options.clock.now(), fredFailure);
      return validate('fred', fredObservationsSchema, body);
    });
  }
}
