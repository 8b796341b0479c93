// NewsAPI shapes (https://newsapi.org/docs/endpoints/everything, https://newsapi.org/docs/errors).
import { z } from 'zod';

/** GET /v2/everything?q=&from=&sortBy=&pageSize=&language= with header X-Api-Key. */
export const newsEverythingSchema = z.object({
  status: z.literal('ok'),
  totalResults: z.number().int().nonnegative(),
  articles: z.array(
    z.object({
      source: z.object({ id: z.string().nullable(), name: z.string() }),
      author: z.string().nullable(),
      title: z.string(),
      description: z.string().nullable(),
      url: z.string().url(),
      urlToImage: z.string().nullable().optional(),
      publishedAt: z.string().datetime({ offset: true }),
      content: z.string().nullable().optional(),
    }),
  ),
});

/** {"status":"error","code":"apiKeyInvalid","message":"…"} */
export const newsErrorSchema = z.object({
  status: z.literal('error'),
  code: z.string(),
  message: z.string(),
});
