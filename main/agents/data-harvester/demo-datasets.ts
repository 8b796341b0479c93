// The demo datasets (resources/demo/macro.json and news.json): small, hand-made, clearly labelled
// DEMO data so the headless demo and the tests run with no keys and no network. Every answer says
// provider "demo", so a panel built from them can never pass for real market data.
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { daysBetween } from '../../analytics/dates';
import {
  macroSeriesSchema,
  newsArticleSchema,
  type MacroSeries,
  type MacroSource,
  type NewsArticle,
  type NewsSource,
  type SourceAnswer,
} from './sources';

export const DEMO_PROVIDER = 'demo';

const macroFileSchema = z
  .object({
    label: z.string().regex(/DEMO/),
    series: z.record(z.string(), macroSeriesSchema),
  })
  .strict();

const newsFileSchema = z
  .object({
    label: z.string().regex(/DEMO/),
    articles: z.array(newsArticleSchema),
  })
  .strict();

const DEMO_RIGHTS = {
  export: true,
  attribution: 'DawsOS demo data (synthetic, not real market data)',
} as const;

export class DemoMacroSource implements MacroSource {
  private data: Promise<Record<string, MacroSeries>> | null = null;
  constructor(private readonly file: string) {}

  async series(ids: readonly string[]): Promise<SourceAnswer<Record<string, MacroSeries>>> {
    this.data ??= readFile(this.file, 'utf8').then((t) => macroFileSchema.parse(JSON.parse(t)).series);
    const all = await this.data;
    const value: Record<string, MacroSeries> = {};
    for (const id of ids) if (all[id]) value[id] = all[id];
    return { value, provider: DEMO_PROVIDER, dataset: 'demo-macro', rights: DEMO_RIGHTS };
  }
}

export class DemoNewsSource implements NewsSource {
  private data: Promise<NewsArticle[]> | null = null;
  constructor(private readonly file: string) {}

  async articles(
    symbols: readonly string[],
    asOf: string,
    lookbackDays: number,
  ): Promise<SourceAnswer<NewsArticle[]>> {
    this.data ??= readFile(this.file, 'utf8').then((t) => newsFileSchema.parse(JSON.parse(t)).articles);
    const wanted = new Set(symbols);
    const value = (await this.data).filter((a) => {
      const day = a.published_at.slice(0, 10);
      const age = daysBetween(day, asOf);
      return age >= 0 && age < lookbackDays && a.symbols.some((s) => wanted.has(s));
    });
    return { value, provider: DEMO_PROVIDER, dataset: 'demo-news', rights: DEMO_RIGHTS };
  }
}
