import { describe, expect, it } from 'vitest';
import { BaseUrlRejectedError, PROVIDER_BASE_URLS, devBaseUrlVariable, resolveBaseUrl } from './base-url';

describe('resolveBaseUrl', () => {
  it('uses the fixed production URL by default', () => {
    expect(resolveBaseUrl('fmp', undefined, {})).toBe('https://financialmodelingprep.com');
    expect(resolveBaseUrl('polygon', undefined, {})).toBe(PROVIDER_BASE_URLS.polygon);
  });

  it('honours the developer setting DAWSOS_DEV_PROVIDER_BASE_URL_<NAME> for loopback URLs', () => {
    expect(devBaseUrlVariable('newsapi')).toBe('DAWSOS_DEV_PROVIDER_BASE_URL_NEWSAPI');
    const env = { DAWSOS_DEV_PROVIDER_BASE_URL_FRED: 'http://127.0.0.1:4555/' };
    expect(resolveBaseUrl('fred', undefined, env)).toBe('http://127.0.0.1:4555');
    expect(resolveBaseUrl('fmp', undefined, env)).toBe(PROVIDER_BASE_URLS.fmp);
  });

  it('prefers the explicit option over the environment', () => {
    const env = { DAWSOS_DEV_PROVIDER_BASE_URL_FMP: 'http://localhost:1' };
    expect(resolveBaseUrl('fmp', 'http://127.0.0.1:2', env)).toBe('http://127.0.0.1:2');
  });

  it('refuses any override that would send a key off this machine', () => {
    const env = { DAWSOS_DEV_PROVIDER_BASE_URL_FMP: 'https://evil.example.com' };
    expect(() => resolveBaseUrl('fmp', undefined, env)).toThrow(BaseUrlRejectedError);
    expect(() => resolveBaseUrl('fmp', 'http://127.0.0.1.evil.example:80', {})).toThrow(BaseUrlRejectedError);
    expect(() => resolveBaseUrl('fmp', 'file:///etc/passwd', {})).toThrow(BaseUrlRejectedError);
  });
});
