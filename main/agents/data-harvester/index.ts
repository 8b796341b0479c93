// data_harvester: fetches what a pattern needs besides the ledger (prices of the pinned pack,
// fundamentals, news, macro series) and says how fresh it is. Prices come from the PriceSource of
// the pinned pack; commodity metadata in the ledger is the first source of fundamentals; news and
// macro series come from the configured sources (the demo datasets, or the providers).
import { z } from 'zod';
import { daysBetween } from '../../analytics/dates';
import type { CapabilityRegistry } from '../../orchestrator/capability';
import { positionsAt } from '../book/book';
import type { BookCache, AgentEnvironment } from '../environment';
import { money } from '../../analytics/decimal';
import { fundamentalsDataSchema, pricesDataSchema, type FundamentalsData, type PricesData } from './schemas';
import type { FundamentalsEntry, MacroSeries } from './sources';
import { macroSeriesSchema, newsArticleSchema } from './sources';
import { LEDGER_PROVENANCE, OWN_DATA_RIGHTS } from '../provenance';

/** A held commodity whose last price is older than this many days before the pack date is stale. */
export const STALE_PRICE_DAYS = 7;
/** Latest observation older than this (days before as_of) makes a macro series stale, per frequency. */
export const MACRO_STALE_DAYS: Record<MacroSeries['frequency'], number> = {
  daily: 10,
  weekly: 17,
  monthly: 62,
};

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const optionalDate = isoDate.nullable().optional();

function metaString(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() !== '' ? v : undefined;
}

export function registerDataHarvester(
  registry: CapabilityRegistry,
  env: AgentEnvironment,
  books: BookCache,
): void {
  registry.registerCapability('data_harvester.prices', {
    description: 'Daily closes and FX over the period for the holdings and the benchmark.',
    input: z.object({
      from: optionalDate,
      to: optionalDate,
      benchmark: z.string().max(64).nullable().optional(),
    }),
    output: pricesDataSchema,
    async run(input, ctx) {
      const { snapshot, prices, selection, base } = await books.pinned(ctx);
      const asOf = input.to ?? prices.asOf;
      const held = new Set(
        positionsAt(snapshot.entries, selection, asOf)
          .filter((r) => !r.units.isZero())
          .map((r) => r.commodity),
      );
      const commodities: PricesData['commodities'] = [];
      for (const c of prices.commodities()) {
        const h = prices.history(c)!;
        const last = h.points.filter((p) => p.date <= asOf).at(-1);
        if (!last) continue;
        const age = daysBetween(last.date, asOf);
        commodities.push({
          commodity: c,
          quote: h.quote,
          last_date: last.date,
          last_price: money(last.price),
          age_days: age,
          held: held.has(c),
          stale: held.has(c) && age > STALE_PRICE_DAYS,
        });
      }
      const unpriced = [...held].filter((c) => c !== base && prices.convert(c, base, asOf) === null).sort();
      let benchmark: PricesData['benchmark'] = null;
      let benchmarkReason: string | null = null;
      if (input.benchmark) {
        const h = prices.history(input.benchmark);
        if (!h) benchmarkReason = 'the benchmark has no price in the pricing pack';
        else {
          const points: { date: string; price: string }[] = [];
          for (const p of h.points) {
            if (p.date > asOf) break;
            const conv = prices.convert(input.benchmark, base, p.date);
            if (conv) points.push({ date: p.date, price: money(conv.rate) });
          }
          if (points.length === 0)
            benchmarkReason = 'the benchmark has no price convertible to base currency';
          else benchmark = { commodity: input.benchmark, quote: base, prices: points };
        }
      }
      const staleHeld = commodities.filter((c) => c.stale).map((c) => c.commodity);
      const messages: string[] = [];
      if (staleHeld.length > 0)
        messages.push(`prices older than ${STALE_PRICE_DAYS} days for ${staleHeld.length} held commodities`);
      if (unpriced.length > 0) messages.push(`no price for ${unpriced.length} held commodities`);
      if (benchmarkReason) messages.push(benchmarkReason);
      return {
        data: {
          pricing_pack_id: prices.packId,
          provider: prices.provider,
          dataset: prices.dataset,
          as_of: asOf,
          base,
          stale_after_days: STALE_PRICE_DAYS,
          commodities,
          unpriced_holdings: unpriced,
          benchmark,
          benchmark_reason: benchmarkReason,
        },
        stale: staleHeld.length > 0 || unpriced.length > 0,
        ...(messages.length > 0 ? { message: messages.join('; ') } : {}),
        provenance: [{ provider: prices.provider, dataset: prices.dataset, as_of: prices.asOf }],
        rights: OWN_DATA_RIGHTS,
      };
    },
  });

  registry.registerCapability('data_harvester.fundamentals', {
    description: 'Sector, country and key fundamentals for the holdings.',
    input: z.object({}).loose(),
    output: fundamentalsDataSchema,
    async run(_input, ctx) {
      const { snapshot, prices } = await books.pinned(ctx);
      const commodities: Record<string, FundamentalsEntry> = {};
      for (const e of snapshot.entries) {
        if (e.kind !== 'commodity') continue;
        const m = e.meta ?? {};
        const entry: FundamentalsEntry = {};
        const name = metaString(m.name);
        const assetClass = metaString(m['asset-class']) ?? metaString(m.asset_class);
        const sector = metaString(m.sector);
        const country = metaString(m.country);
        const issuer = metaString(m.issuer);
        if (name) entry.name = name;
        if (assetClass) entry.asset_class = assetClass;
        if (sector) entry.sector = sector;
        if (country) entry.country = country;
        if (issuer) entry.issuer = issuer;
        commodities[e.currency] = entry;
      }
      const sources = ['ledger:commodity-metadata'];
      const provenance = [LEDGER_PROVENANCE(ctx.ledger_commit_hash, prices.asOf)];
      let rights = OWN_DATA_RIGHTS;
      let stale = false;
      let message: string | undefined;
      if (env.fundamentals) {
        const missing = Object.keys(commodities).filter(
          (c) => !commodities[c]!.sector || !commodities[c]!.country,
        );
        if (missing.length > 0) {
          const answer = await env.fundamentals.fundamentals(missing, ctx.signal);
          for (const [sym, f] of Object.entries(answer.value))
            commodities[sym] = { ...f, ...commodities[sym] };
          // A source that added nothing and reports no gap (e.g. no provider key) is not cited.
          if (Object.keys(answer.value).length > 0 || answer.stale) {
            sources.push(`${answer.provider}:${answer.dataset}`);
            provenance.push({ provider: answer.provider, dataset: answer.dataset, as_of: prices.asOf });
            rights = answer.rights;
            stale = answer.stale ?? false;
            message = answer.message;
          }
        }
      }
      const data: FundamentalsData = { sources, commodities };
      return { data, stale, ...(message ? { message } : {}), provenance, rights };
    },
  });

  registry.registerCapability('data_harvester.news', {
    description: 'Recent news for a list of holdings, tagged with the provider licence.',
    input: z.object({
      holdings: z.array(z.object({ commodity: z.string() }).loose()),
      lookback_days: z.number().int().min(1).max(30),
    }),
    output: z.object({
      as_of: isoDate,
      lookback_days: z.number().int(),
      articles: z.array(newsArticleSchema),
    }),
    async run(input, ctx) {
      const prices = await env.prices(ctx.pricing_pack_id, ctx.ledger_commit_hash);
      const asOf = prices.asOf;
      const symbols = [...new Set(input.holdings.map((h) => h.commodity))].sort();
      if (!env.news)
        return {
          data: { as_of: asOf, lookback_days: input.lookback_days, articles: [] },
          stale: true,
          message: 'no news source is configured',
          provenance: [],
          rights: { export: true },
        };
      const answer = await env.news.articles(symbols, asOf, input.lookback_days, ctx.signal);
      return {
        data: { as_of: asOf, lookback_days: input.lookback_days, articles: answer.value },
        ...(answer.stale ? { stale: true } : {}),
        ...(answer.message ? { message: answer.message } : {}),
        provenance: [{ provider: answer.provider, dataset: answer.dataset, as_of: asOf }],
        rights: answer.rights,
      };
    },
  });

  registry.registerCapability('data_harvester.macro_series', {
    description: 'FRED series observations up to a date.',
    input: z.object({
      series: z.array(z.string().min(1).max(40)).min(1).max(20),
      as_of: optionalDate,
      lookback_months: z.number().int().min(1).max(240),
    }),
    output: z.object({
      as_of: isoDate,
      series: z.record(z.string(), macroSeriesSchema),
      missing: z.array(z.string()),
      stale_series: z.array(
        z.object({ id: z.string(), last_date: isoDate.nullable(), age_days: z.number().nullable() }),
      ),
    }),
    async run(input, ctx) {
      const prices = await env.prices(ctx.pricing_pack_id, ctx.ledger_commit_hash);
      const asOf = input.as_of ?? prices.asOf;
      if (!env.macro)
        return {
          data: null,
          stale: true,
          message: 'no macro data source is configured',
          provenance: [],
          rights: { export: true },
        };
      const answer = await env.macro.series(input.series, asOf, input.lookback_months, ctx.signal);
      const series: Record<string, MacroSeries> = {};
      const missing: string[] = [];
      const staleSeries: { id: string; last_date: string | null; age_days: number | null }[] = [];
      for (const id of input.series) {
        const s = answer.value[id];
        if (!s) {
          missing.push(id);
          continue;
        }
        const observations = s.observations.filter((o) => o.date <= asOf);
        series[id] = { ...s, observations };
        const last = observations.at(-1);
        const age = last ? daysBetween(last.date, asOf) : null;
        if (age === null || age > MACRO_STALE_DAYS[s.frequency])
          staleSeries.push({ id, last_date: last?.date ?? null, age_days: age });
      }
      const messages: string[] = [];
      if (answer.message) messages.push(answer.message);
      if (missing.length > 0) messages.push(`series not available: ${missing.join(', ')}`);
      if (staleSeries.length > 0)
        messages.push(`series out of date: ${staleSeries.map((s) => s.id).join(', ')}`);
      return {
        data: { as_of: asOf, series, missing, stale_series: staleSeries },
        stale: (answer.stale ?? false) || missing.length > 0 || staleSeries.length > 0,
        ...(messages.length > 0 ? { message: messages.join('; ') } : {}),
        provenance: [{ provider: answer.provider, dataset: answer.dataset, as_of: asOf }],
        rights: answer.rights,
      };
    },
  });
}
