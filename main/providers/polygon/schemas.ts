// Polygon.io REST shapes (https://polygon.io/docs/rest/stocks/aggregates/custom-bars).
import { z } from 'zod';
import { decimalNumber, optionalDecimal } from '../client-support';

/** GET /v2/aggs/ticker/{ticker}/range/1/day/{from}/{to}?adjusted&sort&limit → one page. */
export const polygonAggsSchema = z.object({
  ticker: z.string(),
  adjusted: z.boolean(),
  queryCount: z.number().int(),
  resultsCount: z.number().int(),
  status: z.enum(['OK', 'DELAYED']),
  request_id: z.string(),
  // Omitted (not []) when there are no bars.
  results: z
    .array(
      z.object({
        o: decimalNumber,
        h: decimalNumber,
        l: decimalNumber,
        c: decimalNumber,
        v: optionalDecimal,
        vw: optionalDecimal,
        t: z.number().int(),
        n: z.number().int().nullish(),
      }),
    )
    .optional(),
  next_url: z.string().url().optional(),
});

/** Polygon's error body: {"status":"ERROR"|"NOT_AUTHORIZED", "request_id", "error"|"message"}. */
export const polygonErrorSchema = z.object({
  status: z.string(),
  request_id: z.string().optional(),
  error: z.string().optional(),
  message: z.string().optional(),
});
