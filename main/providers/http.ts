// One HTTP GET with Node's fetch (undici), a hard timeout over headers and body, and failures
// turned into typed provider errors whose messages hold neither the URL nor the provider's text.
import {
  ProviderAuthError,
  ProviderBadRequestError,
  type ProviderError,
  ProviderHttpError,
  ProviderMalformedResponseError,
  ProviderNetworkError,
  ProviderRateLimitedError,
  ProviderTimeoutError,
} from './errors';
import { parseRetryAfter } from './resilience/retry';
import type { ProviderName } from './types';

export interface HttpResponse {
  readonly status: number;
  readonly retryAfter: string | null;
  readonly text: string;
}

function isTimeout(err: unknown): boolean {
  const name = (err as { name?: unknown } | null)?.name;
  return name === 'TimeoutError' || name === 'AbortError';
}

export async function httpGet(
  provider: ProviderName,
  url: URL,
  headers: Record<string, string>,
  timeoutMs: number,
): Promise<HttpResponse> {
  try {
    const response = await fetch(url, {
      headers: { accept: 'application/json', ...headers },
      signal: AbortSignal.timeout(timeoutMs),
      redirect: 'error',
    });
    const text = await response.text();
    return { status: response.status, retryAfter: response.headers.get('retry-after'), text };
  } catch (err) {
    // The original error may quote the URL (and so the key): it is dropped, not chained.
    if (isTimeout(err)) throw new ProviderTimeoutError(provider);
    throw new ProviderNetworkError(provider);
  }
}

/** Parses a body as JSON; a truncated or otherwise broken body is a malformed response. */
export function parseJsonBody(provider: ProviderName, response: HttpResponse): unknown {
  try {
    return JSON.parse(response.text) as unknown;
  } catch {
    throw new ProviderMalformedResponseError(provider, response.status);
  }
}

/** The failure for a non-2xx status when the provider's body said nothing more specific. */
export function statusFailure(provider: ProviderName, response: HttpResponse, now: number): ProviderError {
  const retryAfterMs = parseRetryAfter(response.retryAfter, now);
  const { status } = response;
  if (status === 429) return new ProviderRateLimitedError(provider, retryAfterMs);
  if (status >= 500) return new ProviderHttpError(provider, status, retryAfterMs);
  if (status === 401 || status === 403) return new ProviderAuthError(provider, status);
  return new ProviderBadRequestError(provider, status);
}

/** Refines a failure from the provider's own error body; null leaves the status-based one. */
export type FailureRefiner = (
  status: number,
  body: unknown,
  retryAfterMs: number | null,
) => ProviderError | null;

/** Parses a successful body, or throws the failure a non-2xx answer means. */
export function jsonOrFailure(
  provider: ProviderName,
  response: HttpResponse,
  now: number,
  refine?: FailureRefiner,
): unknown {
  if (response.status >= 200 && response.status < 300) return parseJsonBody(provider, response);
  let body: unknown;
  try {
    body = JSON.parse(response.text) as unknown;
  } catch {
    body = null;
  }
  const retryAfterMs = parseRetryAfter(response.retryAfter, now);
  throw refine?.(response.status, body, retryAfterMs) ?? statusFailure(provider, response, now);
}
