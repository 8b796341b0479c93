// The data the harvester's `prices` and `fundamentals` steps hand to the financial analyst, declared
// once here and imported by both sides (docs/patterns.md: "their shape is agreed between
// data_harvester and financial_analyst").
import { z } from 'zod';
import { fundamentalsEntrySchema } from './sources';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const decimal = z.string().regex(/^-?\d+(\.\d+)?$/);

export const priceStatusSchema = z
  .object({
    commodity: z.string(),
    quote: z.string(),
    last_date: isoDate,
    last_price: decimal,
    age_days: z.number().int(),
    held: z.boolean(),
    stale: z.boolean(),
  })
  .strict();

export const pricesDataSchema = z
  .object({
    pricing_pack_id: z.string(),
    provider: z.string(),
    dataset: z.string(),
    as_of: isoDate,
    base: z.string(),
    stale_after_days: z.number().int(),
    commodities: z.array(priceStatusSchema),
    unpriced_holdings: z.array(z.string()),
    benchmark: z
      .object({
        commodity: z.string(),
        quote: z.string(),
        prices: z.array(z.object({ date: isoDate, price: decimal }).strict()),
      })
      .strict()
      .nullable(),
    benchmark_reason: z.string().nullable(),
  })
  .strict();
export type PricesData = z.infer<typeof pricesDataSchema>;

export const fundamentalsDataSchema = z
  .object({
    sources: z.array(z.string()),
    commodities: z.record(z.string(), fundamentalsEntrySchema),
  })
  .strict();
export type FundamentalsData = z.infer<typeof fundamentalsDataSchema>;
