// news_scout: keeps the articles that name a holding, ranks them by the weight of the largest
// holding they mention (then newest first, then id), and tags each with its provider's licence.
// The panel's rights are the most restrictive of the articles kept.
import { z } from 'zod';
import { dec } from '../../analytics/decimal';
import type { Rights } from '../../../shared/ipc/patterns';
import type { CapabilityRegistry } from '../../orchestrator/capability';
import { newsArticleSchema, type NewsArticle } from '../data-harvester/sources';

export interface DigestItem extends NewsArticle {
  matched_holdings: string[];
  holding_weight: string;
}

export function newsDigest(
  holdings: readonly { commodity: string; weight?: string | null }[],
  articles: readonly NewsArticle[],
  limit: number,
): { items: DigestItem[]; filtered_out: number; rights: Rights } {
  const weight = new Map<string, string>();
  for (const h of holdings) {
    const w = h.weight ?? '0';
    const prev = weight.get(h.commodity);
    weight.set(h.commodity, prev === undefined ? w : dec(prev).plus(w).toFixed());
  }
  const items: DigestItem[] = [];
  for (const a of articles) {
    const matched = [...new Set(a.symbols.filter((s) => weight.has(s)))].sort();
    if (matched.length === 0) continue;
    let top = dec(0);
    for (const s of matched) if (dec(weight.get(s)!).gt(top)) top = dec(weight.get(s)!);
    items.push({ ...a, matched_holdings: matched, holding_weight: top.toFixed() });
  }
  items.sort(
    (a, b) =>
      dec(b.holding_weight).comparedTo(a.holding_weight) ||
      (a.published_at < b.published_at ? 1 : a.published_at > b.published_at ? -1 : 0) ||
      (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
  const kept = items.slice(0, limit);
  let exp: Rights['export'] = true;
  const attributions = new Set<string>();
  for (const a of kept) {
    if (a.export === false) exp = false;
    else if (a.export === 'restricted' && exp !== false) exp = 'restricted';
    attributions.add(a.licence);
  }
  const attribution = [...attributions].sort().join('; ').slice(0, 500);
  return {
    items: kept,
    filtered_out: articles.length - items.length,
    rights: { export: exp, ...(attribution ? { attribution } : {}) },
  };
}

export function registerNewsScout(registry: CapabilityRegistry): void {
  registry.registerCapability('news_scout.digest', {
    description: "News filtered and ranked for the portfolio's holdings.",
    input: z.object({
      holdings: z.array(
        z.object({ commodity: z.string(), weight: z.string().nullable().optional() }).loose(),
      ),
      articles: z.array(newsArticleSchema),
      limit: z.number().int().min(1).max(200),
    }),
    output: z.record(z.string(), z.unknown()),
    run(input) {
      const d = newsDigest(input.holdings, input.articles, input.limit);
      const licences = [...new Map(d.items.map((a) => [`${a.provider}\u0000${a.licence}`, a])).values()].map(
        (a) => ({
          provider: a.provider,
          licence: a.licence,
          export: a.export,
        }),
      );
      return Promise.resolve({
        data: { count: d.items.length, filtered_out: d.filtered_out, articles: d.items, licences },
        provenance: [],
        rights: d.rights,
      });
    },
  });
}
