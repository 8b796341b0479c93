// Each provider's base URL is fixed in code. Two ways to point a client elsewhere, both only at
// this machine (so a stray setting cannot send a key to a foreign host): the `baseUrl` option the
// tests pass, and the developer setting DAWSOS_DEV_PROVIDER_BASE_URL_<NAME> (docs/providers.md).
import { UserFacingError } from '../../shared/errors';
import { PROVIDER_LABELS, type ProviderName } from './types';

export const PROVIDER_BASE_URLS: Readonly<Record<ProviderName, string>> = {
  fmp: 'https://financialmodelingprep.com',
  polygon: 'https://api.polygon.io',
  fred: 'https://api.stlouisfed.org',
  newsapi: 'https://newsapi.org',
};

export function devBaseUrlVariable(provider: ProviderName): string {
  return `DAWSOS_DEV_PROVIDER_BASE_URL_${provider.toUpperCase()}`;
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

function isLoopbackUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === 'http:' || url.protocol === 'https:') && LOOPBACK_HOSTS.has(url.hostname);
  } catch {
    return false;
  }
}

export class BaseUrlRejectedError extends UserFacingError {
  constructor(provider: ProviderName) {
    super(
      'PROVIDER_BASE_URL_REJECTED',
      `The ${PROVIDER_LABELS[provider]} base URL override must point at this machine (127.0.0.1, localhost or ::1).`,
    );
  }
}

/** The base URL to use, without a trailing slash. */
export function resolveBaseUrl(
  provider: ProviderName,
  override?: string,
  env: Readonly<Record<string, string | undefined>> = process.env,
): string {
  const chosen = override ?? env[devBaseUrlVariable(provider)];
  if (chosen === undefined || chosen === '') return PROVIDER_BASE_URLS[provider];
  if (!isLoopbackUrl(chosen)) throw new BaseUrlRejectedError(provider);
  return chosen.replace(/\/+$/, '');
}
