// Macro series, news and fundamentals from the providers layer (main/providers): FRED for the
// series, NewsAPI for the news, FMP company profiles for sector and country. Each answer keeps the provider's staleness (a last-good answer during an outage is
// passed on as stale with the provider's message) and its licence.
import { createHash } from 'node:crypto';
import { UserFacingError } from '../../../shared/errors';
import { addDays } from '../../analytics/dates';
import { ProviderUnavailableError } from '../../providers/errors';
import type { FmpClient } from '../../providers/fmp/client';
import type { FredClient } from '../../providers/fred/client';
import type { NewsApiClient } from '../../providers/newsapi/client';
import type { ProviderResult } from '../../providers/types';
import type {
  FundamentalsEntry,
  FundamentalsSource,
  MacroSeries,
  MacroSource,
  NewsArticle,
  NewsSource,
  SourceAnswer,
} from './sources';

/** FRED series the patterns ask for that FRED publishes daily; the rest are monthly. */
export const FRED_DAILY_SERIES: readonly string[] = ['T10Y2Y', 'BAMLC0A0CM', 'DGS10', 'DGS2'];

/**
 * FRED's own series may be shown with attribution; some it redistributes are third parties' (the
 * ICE BofA spreads), so exported reports only carry them as the provider allows.
 */
export const FRED_RIGHTS = {
  export: 'restricted',
  attribution:
    'Source: FRED, Federal Reserve Bank of St. Louis (third-party series under their owners\u2019 terms)',
} as const;

/** NewsAPI's terms let headlines and links be shown, not redistributed in exports. */
export const NEWSAPI_LICENCE = 'NewsAPI.org: headlines and links for display only, no redistribution';
export const NEWSAPI_RIGHTS = { export: false, attribution: 'News via NewsAPI.org' } as const;

function monthsBefore(date: string, months: number): string {
  const y = Number(date.slice(0, 4));
  const m = Number(date.slice(5, 7)) - 1 - months;
  const yy = y + Math.floor(m / 12);
  const mm = ((m % 12) + 12) % 12;
  return `${String(yy).padStart(4, '0')}-${String(mm + 1).padStart(2, '0')}-01`;
}

function staleness(results: readonly ProviderResult<unknown>[]): { stale?: true; message?: string } {
  const stale = results.filter((r) => r.stale);
  if (stale.length === 0) return {};
  const messages = [...new Set(stale.map((r) => (r.stale ? r.message : '')))].sort();
  return { stale: true, message: messages.join('; ') };
}

export class FredMacroSource implements MacroSource {
  constructor(private readonly fred: Pick<FredClient, 'observations'>) {}

  async series(
    ids: readonly string[],
    asOf: string,
    lookbackMonths: number,
  ): Promise<SourceAnswer<Record<string, MacroSeries>>> {
    const start = monthsBefore(asOf, lookbackMonths + 12); // a year more, for year-on-year changes
    const value: Record<string, MacroSeries> = {};
    const results: ProviderResult<unknown>[] = [];
    const failed: string[] = [];
    for (const id of ids) {
      let result: Awaited<ReturnType<typeof this.fred.observations>>;
      try {
        result = await this.fred.observations(id, start, asOf);
        results.push(result);
      } catch (error) {
        // One series the provider refuses (unknown id, no access) must not sink the others: it is
        // reported missing, with the provider's reason when it has one in fixed words.
        failed.push(`${id} (${error instanceof UserFacingError ? error.message : 'request failed'})`);
        continue;
      }
      const observations = result.value
        .filter((p) => p.value !== null && p.date <= asOf)
        .map((p) => ({ date: p.date, value: p.value! }));
      if (observations.length === 0) continue;
      value[id] = {
        id,
        title: id,
        units: 'as published by FRED',
        frequency: FRED_DAILY_SERIES.includes(id) ? 'daily' : 'monthly',
        observations,
      };
    }
    const stale = staleness(results);
    const messages = [
      ...(stale.message ? [stale.message] : []),
      ...(failed.length ? [`not served: ${failed.join(', ')}`] : []),
    ];
    return {
      value,
      provider: 'fred',
      dataset: 'series-observations',
      rights: FRED_RIGHTS,
      ...(stale.stale ? { stale: true } : {}),
      ...(messages.length ? { message: messages.join('; ') } : {}),
    };
  }
}

export class NewsApiNewsSource implements NewsSource {
  /** `names`: a display name per ticker for better queries (the ticker alone otherwise). */
  constructor(
    private readonly newsapi: Pick<NewsApiClient, 'forHoldings'>,
    private readonly names: Readonly<Record<string, string>> = {},
  ) {}

  async articles(
    symbols: readonly string[],
    asOf: string,
    lookbackDays: number,
  ): Promise<SourceAnswer<NewsArticle[]>> {
    if (symbols.length === 0)
      return { value: [], provider: 'newsapi', dataset: 'everything', rights: NEWSAPI_RIGHTS };
    const holdings = symbols.map((ticker) => ({ ticker, name: this.names[ticker] ?? ticker }));
    const results = await this.newsapi.forHoldings(holdings, addDays(asOf, -(lookbackDays - 1)));
    const byUrl = new Map<string, NewsArticle>();
    for (const result of results)
      for (const a of result.value) {
        if (byUrl.has(a.url)) continue;
        const text = `${a.title} ${a.description ?? ''}`;
        const mentioned = holdings
          .filter(
            (h) =>
              new RegExp(`\\b${h.ticker.replace(/[^A-Za-z0-9]/g, '')}\\b`).test(text) ||
              text.includes(h.name),
          )
          .map((h) => h.ticker);
        byUrl.set(a.url, {
          id: createHash('sha256').update(a.url).digest('hex').slice(0, 32),
          published_at: new Date(a.published_at).toISOString().replace(/\.\d{3}Z$/, 'Z'),
          title: a.title.slice(0, 300),
          summary: (a.description ?? '').slice(0, 2000),
          url: a.url.slice(0, 500),
          source: a.source_name.slice(0, 100),
          symbols: mentioned.slice(0, 50),
          provider: 'newsapi',
          licence: NEWSAPI_LICENCE,
          export: false,
        });
      }
    const value = [...byUrl.values()].sort((x, y) =>
      x.published_at < y.published_at ? 1 : x.published_at > y.published_at ? -1 : x.id < y.id ? -1 : 1,
    );
    return {
      value,
      provider: 'newsapi',
      dataset: 'everything',
      rights: NEWSAPI_RIGHTS,
      ...staleness(results),
    };
  }
}

/** FMP's terms allow display with attribution; exported reports carry its data only as they allow. */
export const FMP_RIGHTS = {
  export: 'restricted',
  attribution: 'Company data: Financial Modeling Prep',
} as const;

/**
 * Sector, country and name from FMP's company profile, one call per symbol the ledger does not
 * classify. During an outage each call answers its last good profile marked stale ("FMP
 * unavailable: …"), and the answer is stale with that message; a symbol with no last good profile
 * is left unclassified and named in the message. With no FMP key (or no unlocked store) the source
 * adds nothing and is not stale: the ledger's metadata is all there is.
 */
export class FmpFundamentalsSource implements FundamentalsSource {
  /** `fmp`: the client to use now, or null when FMP cannot be used (no store, no vault). */
  constructor(private readonly fmp: () => Pick<FmpClient, 'profile'> | null) {}

  async fundamentals(symbols: readonly string[]): Promise<SourceAnswer<Record<string, FundamentalsEntry>>> {
    const value: Record<string, FundamentalsEntry> = {};
    const empty = { value, provider: 'fmp', dataset: 'profile', rights: FMP_RIGHTS };
    const client = this.fmp();
    if (!client) return empty;
    const results: ProviderResult<unknown>[] = [];
    const unavailable = new Set<string>();
    const unclassified: string[] = [];
    for (const symbol of [...symbols].sort()) {
      let result: Awaited<ReturnType<typeof client.profile>>;
      try {
        result = await client.profile(symbol);
      } catch (error) {
        if (!(error instanceof ProviderUnavailableError)) throw error;
        // No key: FMP is simply not used, for this symbol or any other.
        if (error.failure.kind === 'not-configured') return empty;
        unavailable.add(error.message);
        unclassified.push(symbol);
        continue;
      }
      results.push(result);
      const p = result.value;
      if (!p) continue;
      const entry: FundamentalsEntry = { name: p.company_name.slice(0, 200) };
      if (p.sector) entry.sector = p.sector.slice(0, 100);
      if (p.country) entry.country = p.country.slice(0, 100);
      value[symbol] = entry;
    }
    const stale = staleness(results);
    const messages = [
      ...new Set([...(stale.message ? stale.message.split('; ') : []), ...unavailable]),
    ].sort();
    if (unclassified.length > 0) messages.push(`no earlier profile for: ${unclassified.join(', ')}`);
    return {
      ...empty,
      ...(stale.stale || unclassified.length > 0 ? { stale: true } : {}),
      ...(messages.length > 0 ? { message: messages.join('; ') } : {}),
    };
  }
}
