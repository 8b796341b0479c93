// Fake NewsAPI: /v2/everything?q=&from=&sortBy=&pageSize=&page=&language= with the key in the
// X-Api-Key header (or apiKey). Errors use NewsAPI's body {status:"error", code, message}; like a
// Developer plan, results beyond the first 100 are refused with maximumResultsReached.
import type http from 'node:http';
import { FakeProviderServer, json, type FakeServerOptions, type Reply } from './fake-server';
import { newsFor } from './fixtures';

const DEVELOPER_MAX_RESULTS = 100;

const error = (status: number, code: string, message: string, headers: Record<string, string> = {}): Reply =>
  json(status, { status: 'error', code, message }, headers);

export class FakeNewsApiServer extends FakeProviderServer {
  readonly name = 'NewsAPI';

  constructor(options: FakeServerOptions) {
    super(options);
  }

  protected keyOf(req: http.IncomingMessage, query: URLSearchParams): string | null {
    const header = req.headers['x-api-key'];
    return (typeof header === 'string' ? header : null) ?? query.get('apiKey');
  }

  protected invalidKey(): Reply {
    return error(
      401,
      'apiKeyInvalid',
      'Your API key is invalid or incorrect. Check your key, or go to https://newsapi.org to create a free API key.',
    );
  }

  protected rateLimited(retryAfter?: string): Reply {
    return error(
      429,
      'rateLimited',
      'You have been rate limited. Back off for a while before trying the request again.',
      retryAfter ? { 'retry-after': retryAfter } : {},
    );
  }

  protected serverError(status: number, retryAfter?: string): Reply {
    return error(
      status,
      'unexpectedError',
      "This shouldn't happen, and if it does then it's our fault, not yours.",
      retryAfter ? { 'retry-after': retryAfter } : {},
    );
  }

  protected wrongSchema(): Reply {
    return json(200, { status: 'ok', totalResults: 1, articles: [{ title: 'No url, no source' }] });
  }

  protected empty(): Reply {
    return json(200, { status: 'ok', totalResults: 0, articles: [] });
  }

  protected answer(path: string, query: URLSearchParams): Reply {
    if (path !== '/v2/everything') return error(404, 'parameterInvalid', 'Unknown endpoint.');
    const q = query.get('q');
    if (!q) return error(400, 'parametersMissing', 'Required parameters are missing: q.');
    const pageSize = Math.min(Number(query.get('pageSize') ?? '100'), 100);
    const page = Number(query.get('page') ?? '1');
    if (page * pageSize > DEVELOPER_MAX_RESULTS) {
      return error(
        426,
        'maximumResultsReached',
        'You have requested too many results. Developer accounts are limited to a max of 100 results.',
      );
    }
    const news = newsFor(q, query.get('from') ?? '2024-01-01');
    const first = (page - 1) * pageSize;
    const count = Math.max(0, Math.min(pageSize, news.total - first));
    return json(200, {
      status: 'ok',
      totalResults: news.total,
      articles: Array.from({ length: count }, (_, i) => news.article(first + i)),
    });
  }
}
