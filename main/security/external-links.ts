// Which links may leave the app for the OS browser: https only, to hosts the app itself links to
// (provider sign-up and documentation pages). Everything else is refused, whatever the renderer asks.

export const EXTERNAL_LINK_HOSTS: readonly string[] = [
  'financialmodelingprep.com',
  'site.financialmodelingprep.com',
  'polygon.io',
  'fred.stlouisfed.org',
  'newsapi.org',
  'beancount.github.io',
];

export function isAllowedExternalUrl(raw: string, hosts: readonly string[] = EXTERNAL_LINK_HOSTS): boolean {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  if (url.protocol !== 'https:' || url.username || url.password || url.port) return false;
  return hosts.includes(url.hostname);
}
