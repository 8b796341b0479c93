// NewsAPI client: /v2/everything for the holdings' names and tickers, key in the X-Api-Key header.
// NewsAPI's own error codes map to typed failures (newsFailure below).
import { readKey, requireDate, stringParam, validate, type ClientOptions } from '../client-support';
import {
  ProviderAuthError,
  ProviderBadRequestError,
  ProviderHttpError,
  ProviderRateLimitedError,
  ProviderResultsLimitError,
  type ProviderError,
} from '../errors';
import { httpGet, jsonOrFailure } from '../http';
import type { RequestParams } from '../resilience/request-key';
import type { Licence, NewsArticle, ProviderResult } from '../types';
import { newsErrorSchema, newsEverythingSchema } from './schemas';

/** NewsAPI's largest page. */
export const NEWSAPI_MAX_PAGE_SIZE = 100;
/** NewsAPI's limit on the length of `q`. */
export const NEWSAPI_MAX_QUERY_LENGTH = 500;

const LICENCE: Licence = { provider: 'newsapi', dataset: 'everything' };

const KEY_CODES = new Set(['apiKeyInvalid', 'apiKeyDisabled', 'apiKeyMissing']);
const RATE_CODES = new Set(['rateLimited', 'apiKeyExhausted']);
const REQUEST_CODES = new Set([
  'parameterInvalid',
  'parametersMissing',
  'sourcesTooMany',
  'sourceDoesNotExist',
]);

function newsFailure(status: number, body: unknown, retryAfterMs: number | null): ProviderError | null {
  const parsed = newsErrorSchema.safeParse(body);
  if (!parsed.success) return null;
  const { code } = parsed.data;
  if (KEY_CODES.has(code)) return new ProviderAuthError('newsapi', status);
  if (RATE_CODES.has(code)) return new ProviderRateLimitedError('newsapi', retryAfterMs, status);
  if (code === 'maximumResultsReached') return new ProviderResultsLimitError('newsapi', status);
  if (REQUEST_CODES.has(code)) return new ProviderBadRequestError('newsapi', status);
  if (code === 'unexpectedError')
    return new ProviderHttpError('newsapi', status >= 500 ? status : 500, retryAfterMs);
  return null;
}

export interface Holding {
  readonly name: string;
  readonly ticker: string;
}

/** `("Apple Inc" OR AAPL) OR (…)` queries, each within NewsAPI's length limit. */
export function holdingsQueries(holdings: readonly Holding[]): string[] {
  const clauses = holdings.map(
    (h) => `("${h.name.replace(/"/g, '')}" OR ${h.ticker.replace(/[^A-Za-z0-9.:-]/g, '')})`,
  );
  const queries: string[] = [];
  let current = '';
  for (const clause of clauses) {
    const joined = current === '' ? clause : `${current} OR ${clause}`;
    if (joined.length > NEWSAPI_MAX_QUERY_LENGTH && current !== '') {
      queries.push(current);
      current = clause;
    } else current = joined;
  }
  if (current !== '') queries.push(current);
  return queries;
}

export interface EverythingQuery {
  readonly q: string;
  /** YYYY-MM-DD */
  readonly from: string;
  readonly pageSize?: number;
  /** 1-based; a Developer plan refuses results beyond the first 100 (maximumResultsReached). */
  readonly page?: number;
}

export class NewsApiClient {
  constructor(private readonly options: ClientOptions) {}

  /** Newest articles matching `q` since `from`, English, newest first. One request. */
  everything(query: EverythingQuery): Promise<ProviderResult<NewsArticle[]>> {
    const pageSize = Math.min(query.pageSize ?? NEWSAPI_MAX_PAGE_SIZE, NEWSAPI_MAX_PAGE_SIZE);
    const params = { q: query.q, from: requireDate(query.from), pageSize, page: query.page ?? 1 };
    return this.options.layer.execute(
      { provider: 'newsapi', operation: 'newsapi.everything', params },
      LICENCE,
      () => this.fetch(params),
      async (articles) => {
        await this.options.sink?.putArticles(articles.map((a) => ({ ...a, licence: LICENCE })));
      },
    );
  }

  /** News for the holdings' names and tickers: one request per query chunk. */
  async forHoldings(holdings: readonly Holding[], from: string): Promise<ProviderResult<NewsArticle[]>[]> {
    const results: ProviderResult<NewsArticle[]>[] = [];
    for (const q of holdingsQueries(holdings)) results.push(await this.everything({ q, from }));
    return results;
  }

  invoke(operation: string, params: RequestParams): Promise<ProviderResult<unknown>> {
    if (operation !== 'newsapi.everything') throw new RangeError('unknown NewsAPI operation');
    return this.everything({
      q: stringParam(params, 'q'),
      from: stringParam(params, 'from'),
      pageSize: Number(params.pageSize),
      page: Number(params.page),
    });
  }

  private async fetch(params: {
    q: string;
    from: string;
    pageSize: number;
    page: number;
  }): Promise<NewsArticle[]> {
    const key = await readKey(this.options.secrets, 'newsapi');
    const url = new URL(`${this.options.baseUrl}/v2/everything`);
    url.searchParams.set('q', params.q);
    url.searchParams.set('from', params.from);
    url.searchParams.set('sortBy', 'publishedAt');
    url.searchParams.set('pageSize', String(params.pageSize));
    url.searchParams.set('page', String(params.page));
    url.searchParams.set('language', 'en');
    return this.options.layer.request(url.pathname, async (timeoutMs) => {
      const response = await httpGet('newsapi', url, { 'X-Api-Key': key }, timeoutMs);
      const body = jsonOrFailure('newsapi', response, this.options.clock.now(), newsFailure);
      const parsed = validate('newsapi', newsEverythingSchema, body);
      return parsed.articles.map((a) => ({
        url: a.url,
        title: a.title,
        source_id: a.source.id,
        source_name: a.source.name,
        author: a.author,
        description: a.description,
        published_at: a.publishedAt,
      }));
    });
  }
}
