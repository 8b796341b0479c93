// Ports the data harvester reads besides the ledger: macro series, news and fundamentals. Each
// answer names its provider, dataset and licence. The demo adapter (demo-datasets.ts) serves the
// files in resources/demo/; provider-backed adapters (FRED, NewsAPI, FMP through main/providers)
// plug in here without changing the agents.
import { z } from 'zod';
import type { Rights } from '../../../shared/ipc/patterns';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const decimal = z.string().regex(/^-?\d+(\.\d+)?$/);

export const macroObservationSchema = z.object({ date: isoDate, value: decimal }).strict();
export const macroSeriesSchema = z
  .object({
    id: z.string().min(1).max(40),
    title: z.string().max(200),
    units: z.string().max(60),
    frequency: z.enum(['daily', 'weekly', 'monthly']),
    observations: z.array(macroObservationSchema),
  })
  .strict();
export type MacroSeries = z.infer<typeof macroSeriesSchema>;

export const newsArticleSchema = z
  .object({
    id: z.string().min(1).max(100),
    published_at: z.string().regex(/^\d{4}-\d{2}-\d{2}(T[0-9:.]+Z)?$/),
    title: z.string().min(1).max(300),
    summary: z.string().max(2000),
    url: z.string().max(500),
    source: z.string().max(100),
    symbols: z.array(z.string().min(1).max(40)).max(50),
    provider: z.string().min(1).max(64),
    licence: z.string().min(1).max(300),
    export: z.union([z.boolean(), z.literal('restricted')]),
  })
  .strict();
export type NewsArticle = z.infer<typeof newsArticleSchema>;

export interface SourceAnswer<T> {
  value: T;
  provider: string;
  dataset: string;
  rights: Rights;
  /** True when the source answered from an older copy (e.g. a provider's last good answer). */
  stale?: boolean;
  message?: string;
}

export interface MacroSource {
  series(
    ids: readonly string[],
    asOf: string,
    lookbackMonths: number,
    signal: AbortSignal,
  ): Promise<SourceAnswer<Record<string, MacroSeries>>>;
}

export interface NewsSource {
  articles(
    symbols: readonly string[],
    asOf: string,
    lookbackDays: number,
    signal: AbortSignal,
  ): Promise<SourceAnswer<NewsArticle[]>>;
}

export const fundamentalsEntrySchema = z
  .object({
    name: z.string().max(200).optional(),
    asset_class: z.string().max(100).optional(),
    sector: z.string().max(100).optional(),
    country: z.string().max(100).optional(),
    issuer: z.string().max(200).optional(),
  })
  .strict();
export type FundamentalsEntry = z.infer<typeof fundamentalsEntrySchema>;

export interface FundamentalsSource {
  fundamentals(
    symbols: readonly string[],
    signal: AbortSignal,
  ): Promise<SourceAnswer<Record<string, FundamentalsEntry>>>;
}
