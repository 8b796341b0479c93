// Prices from market data providers: FMP end-of-day history or Polygon daily aggregates for
// securities, Polygon `C:<FROM><TO>` aggregates for FX. One history request per security (and per
// currency pair) covers the whole range being built, so a 10-year backfill of 200 securities is 200
// requests plus one per pair, not one per day. Every close keeps the provider and dataset it came
// from (licence metadata). A security whose request fails is reported, and ends up missing in the
// packs — never priced at zero.
import type { PackUniverse } from './assemble';
import { PriceHistory } from './history';
import type { CollectedPrices, PriceSource, SourceFailure } from './sources';

/** Requests in flight at once during a backfill; the providers' own rate limits still apply. */
export const PROVIDER_FETCH_CONCURRENCY = 4;

/** What the pricing module needs of a provider's history call (FmpClient and PolygonClient fit it). */
export interface BarsResult {
  readonly stale: boolean;
  readonly value: readonly { readonly date: string; readonly close: string }[];
  readonly licence: { readonly provider: string; readonly dataset: string };
}
export interface EodHistoryPort {
  eodHistory(symbol: string, from: string, to: string): Promise<BarsResult>;
}
export interface AggregatesPort {
  dailyAggregates(ticker: string, from: string, to: string): Promise<BarsResult>;
}

export interface SecuritySpec {
  /** The ledger commodity this security values. */
  readonly commodity: string;
  /** The provider's ticker (default: the commodity). */
  readonly symbol?: string;
  /** The currency its closes are quoted in. */
  readonly currency: string;
  readonly provider: 'fmp' | 'polygon';
}

export interface ProviderSourceOptions {
  readonly securities: readonly SecuritySpec[];
  /** Currency pairs to fetch (from → to), as Polygon tickers C:<FROM><TO>. */
  readonly fxPairs: readonly { from: string; to: string }[];
  readonly baseCurrencies: readonly string[];
  readonly fmp?: EodHistoryPort;
  readonly polygon?: AggregatesPort;
  /** Cash currencies held, which need rates but no price. */
  readonly currencies?: readonly string[];
}

function errorCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[A-Z0-9_]{1,64}$/.test(code) ? code : 'PROVIDER_ERROR';
}

async function pool<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const runners = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next++]!;
      await work(item);
    }
  });
  await Promise.all(runners);
}

export function providerPriceSource(options: ProviderSourceOptions): PriceSource {
  const { securities, fxPairs, baseCurrencies } = options;
  const universe: PackUniverse = {
    commodities: securities.map((s) => ({ commodity: s.commodity, quote_currency: s.currency })),
    currencies: [...(options.currencies ?? [])],
    baseCurrencies,
  };
  return {
    kind: 'providers',
    steps: () => securities.length + fxPairs.length,
    async collect(range, onStep) {
      const history = new PriceHistory();
      const failures: SourceFailure[] = [];
      let done = 0;
      type Job = { kind: 'security'; spec: SecuritySpec } | { kind: 'fx'; from: string; to: string };
      const jobs: Job[] = [
        ...securities.map((spec): Job => ({ kind: 'security', spec })),
        ...fxPairs.map((p): Job => ({ kind: 'fx', ...p })),
      ];
      await pool(jobs, PROVIDER_FETCH_CONCURRENCY, async (job) => {
        try {
          if (job.kind === 'security') {
            const { spec } = job;
            const symbol = spec.symbol ?? spec.commodity;
            const client = spec.provider === 'fmp' ? options.fmp : options.polygon;
            if (!client)
              throw Object.assign(new Error('provider not configured'), { code: 'PROVIDER_NOT_CONFIGURED' });
            const result =
              spec.provider === 'fmp'
                ? await options.fmp!.eodHistory(symbol, range.from, range.to)
                : await options.polygon!.dailyAggregates(symbol, range.from, range.to);
            for (const bar of result.value)
              history.addPrice({
                commodity: spec.commodity,
                quote_currency: spec.currency,
                date: bar.date,
                price: bar.close,
                provider: result.licence.provider,
                dataset: result.licence.dataset,
              });
          } else {
            if (!options.polygon)
              throw Object.assign(new Error('provider not configured'), { code: 'PROVIDER_NOT_CONFIGURED' });
            const result = await options.polygon.dailyAggregates(
              `C:${job.from}${job.to}`,
              range.from,
              range.to,
            );
            for (const bar of result.value)
              history.addRate({
                from: job.from,
                to: job.to,
                date: bar.date,
                rate: bar.close,
                provider: result.licence.provider,
                dataset: `${result.licence.dataset}:fx`,
              });
          }
        } catch (error) {
          failures.push({
            item: job.kind === 'security' ? job.spec.commodity : `${job.from}/${job.to}`,
            code: errorCode(error),
          });
        }
        done += 1;
        onStep(done);
      });
      failures.sort((a, b) => (a.item < b.item ? -1 : a.item > b.item ? 1 : 0));
      return { history, failures, universeAt: () => universe };
    },
  };
}

/**
 * Both sources at once: history from both (where both have a value for the same day, the second
 * source's wins — pass the providers second), and what each date's pack covers from the FIRST
 * source (the ledger decides what is held; providers only supply history).
 */
export function combinedPriceSource(first: PriceSource, second: PriceSource): PriceSource {
  return {
    kind: second.kind,
    steps: () => first.steps() + second.steps(),
    async collect(range, onStep) {
      const a = await first.collect(range, onStep);
      const offset = first.steps();
      const b = await second.collect(range, (done) => onStep(offset + done));
      return {
        history: PriceHistory.merge(a.history, b.history),
        failures: [...a.failures, ...b.failures],
        universeAt: (date) => a.universeAt(date),
      };
    },
  };
}

/**
 * Several sources as one, for packs shared by several ledgers (the store's portfolios): history
 * from all (where two have a value for the same key and day, the later source's wins), and each
 * date's pack covers the UNION of what each source's pack would cover — each ledger's universe is
 * worked out on its own, so cash held in one ledger and owed in another never cancel out. A
 * commodity takes the quote currency of the last source that fixes one: the same source whose
 * history wins (a run's own ledger, which storePinning puts last).
 */
export function unionPriceSource(sources: readonly PriceSource[]): PriceSource {
  if (sources.length === 1) return sources[0]!;
  return {
    kind: sources.every((s) => s.kind === 'ledger') ? 'ledger' : 'providers',
    steps: () => sources.reduce((n, s) => n + s.steps(), 0),
    async collect(range, onStep) {
      const parts: CollectedPrices[] = [];
      let offset = 0;
      for (const source of sources) {
        const base = offset;
        parts.push(await source.collect(range, (done) => onStep(base + done)));
        offset += source.steps();
      }
      return {
        history: parts.map((p) => p.history).reduce((a, b) => PriceHistory.merge(a, b)),
        failures: parts.flatMap((p) => p.failures),
        universeAt(date: string): PackUniverse {
          const commodities = new Map<string, { commodity: string; quote_currency?: string }>();
          const currencies = new Set<string>();
          const bases = new Set<string>();
          for (const part of parts) {
            const u = part.universeAt(date);
            for (const c of u.commodities) {
              const seen = commodities.get(c.commodity);
              if (!seen || c.quote_currency !== undefined) commodities.set(c.commodity, c);
            }
            for (const c of u.currencies) currencies.add(c);
            for (const b of u.baseCurrencies) bases.add(b);
          }
          const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
          return {
            commodities: [...commodities.values()].sort((a, b) => byText(a.commodity, b.commodity)),
            currencies: [...currencies].sort(byText),
            baseCurrencies: [...bases].sort(byText),
          };
        },
      };
    },
  };
}
