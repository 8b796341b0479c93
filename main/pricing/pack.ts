// A pricing pack: the immutable snapshot of closing prices and FX rates for one date, and its id.
//
// Canonical form (format "dawsos-pack-v1"): the JSON of
//   { format, as_of, parent_pack_id, prices: [...], fx: [...] }
// with object keys sorted, no whitespace (audit/canonical.ts), price rows sorted by commodity and
// FX rows by (from, to) in UTF-16 code-unit order, every decimal in the one form normaliseDecimal()
// prints. pack_id = lowercase hex SHA-256 of that text. Because parent_pack_id (the previous date's
// pack, or null) is part of what is hashed, a pack id pins every pack before it, as a git commit
// pins its history. See docs/pricing-packs.md.
import { z } from 'zod';
import { sha256Hex } from '../audit/canonical';
import { isCalendarDate } from './calendar';
import { isPositiveDecimal, normaliseDecimal, isDecimalText } from './decimal';

export const PACK_FORMAT = 'dawsos-pack-v1';

const isoDate = z.string().refine(isCalendarDate, 'not a calendar date (YYYY-MM-DD)');
const code = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .refine((text) => !/[\s\p{Cc}]/u.test(text), 'no spaces or control characters');
const positiveDecimal = z
  .string()
  .refine(isDecimalText, 'not a plain decimal')
  .refine(isPositiveDecimal, 'must be greater than zero')
  .transform(normaliseDecimal);
const sha256 = z.string().regex(/^[0-9a-f]{64}$/);

export const packPriceSchema = z
  .object({
    commodity: code(64),
    quote_currency: code(24),
    price: positiveDecimal,
    /** The date the price is from; before the pack date when carried. */
    price_date: isoDate,
    carried: z.boolean(),
    provider: z.string().min(1).max(64),
    dataset: z.string().min(1).max(128),
  })
  .strict();

export const packFxSchema = z
  .object({
    from: code(24),
    to: code(24),
    /** Units of `to` for one unit of `from`. */
    rate: positiveDecimal,
    rate_date: isoDate,
    carried: z.boolean(),
    provider: z.string().min(1).max(64),
    dataset: z.string().min(1).max(128),
  })
  .strict();

export const packContentSchema = z
  .object({
    format: z.literal(PACK_FORMAT),
    as_of: isoDate,
    parent_pack_id: sha256.nullable(),
    prices: z.array(packPriceSchema),
    fx: z.array(packFxSchema),
  })
  .strict()
  .superRefine((pack, ctx) => {
    const seen = new Set<string>();
    for (const p of pack.prices) {
      if (seen.has(p.commodity)) ctx.addIssue({ code: 'custom', message: 'one price per commodity' });
      seen.add(p.commodity);
      if (p.price_date > pack.as_of)
        ctx.addIssue({ code: 'custom', message: 'a price from after the pack date' });
      if (p.carried !== p.price_date < pack.as_of)
        ctx.addIssue({ code: 'custom', message: 'carried means dated before the pack date' });
    }
    const pairs = new Set<string>();
    for (const r of pack.fx) {
      const key = `${r.from}\u0000${r.to}`;
      if (pairs.has(key)) ctx.addIssue({ code: 'custom', message: 'one rate per currency pair' });
      if (r.from === r.to) ctx.addIssue({ code: 'custom', message: 'a rate needs two currencies' });
      pairs.add(key);
      if (r.rate_date > pack.as_of)
        ctx.addIssue({ code: 'custom', message: 'a rate from after the pack date' });
      if (r.carried !== r.rate_date < pack.as_of)
        ctx.addIssue({ code: 'custom', message: 'carried means dated before the pack date' });
    }
  });

export type PackPrice = z.output<typeof packPriceSchema>;
export type PackFx = z.output<typeof packFxSchema>;
export type PackContent = z.output<typeof packContentSchema>;
export type PackContentInput = z.input<typeof packContentSchema>;

/** A pack with its id. Deeply frozen: what the API hands out cannot be edited in place. */
export interface Pack extends PackContent {
  readonly pack_id: string;
}

function byText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Validates, normalises decimals and sorts rows: the canonical content. Throws ZodError on bad input. */
export function canonicalContent(input: PackContentInput): PackContent {
  const pack = packContentSchema.parse(input);
  return {
    format: pack.format,
    as_of: pack.as_of,
    parent_pack_id: pack.parent_pack_id,
    prices: [...pack.prices].sort((a, b) => byText(a.commodity, b.commodity)),
    fx: [...pack.fx].sort((a, b) => byText(a.from, b.from) || byText(a.to, b.to)),
  };
}

/**
 * canonicalContent() without the schema pass, for content the assembler built (assemble.ts) from
 * price history, whose decimals are already validated and normalised (history.ts): rows sorted,
 * decimals normalised, nothing else checked. For such content it gives exactly canonicalContent()'s
 * result (pack.test.ts checks it on arbitrary valid packs); an in-memory chain of thousands of
 * packs skips the schema pass this way. Anything stored still goes through canonicalContent().
 */
export function canonicalAssembled(input: PackContentInput): PackContent {
  return {
    format: PACK_FORMAT,
    as_of: input.as_of,
    parent_pack_id: input.parent_pack_id,
    prices: input.prices
      .map((p) => ({ ...p, price: normaliseDecimal(p.price) }))
      .sort((a, b) => byText(a.commodity, b.commodity)),
    fx: input.fx
      .map((r) => ({ ...r, rate: normaliseDecimal(r.rate) }))
      .sort((a, b) => byText(a.from, b.from) || byText(a.to, b.to)),
  };
}

const q = JSON.stringify;

/**
 * canonicalJson() of canonical content, written out field by field (keys already in sorted order):
 * a backfill hashes thousands of packs, and this is several times faster than the generic walk.
 * pack.test.ts checks that both give the same text.
 */
export function serialiseCanonical(pack: PackContent): string {
  const prices = pack.prices.map(
    (p) =>
      `{"carried":${p.carried},"commodity":${q(p.commodity)},"dataset":${q(p.dataset)},"price":${q(p.price)},"price_date":${q(p.price_date)},"provider":${q(p.provider)},"quote_currency":${q(p.quote_currency)}}`,
  );
  const fx = pack.fx.map(
    (r) =>
      `{"carried":${r.carried},"dataset":${q(r.dataset)},"from":${q(r.from)},"provider":${q(r.provider)},"rate":${q(r.rate)},"rate_date":${q(r.rate_date)},"to":${q(r.to)}}`,
  );
  return `{"as_of":${q(pack.as_of)},"format":${q(pack.format)},"fx":[${fx.join(',')}],"parent_pack_id":${q(pack.parent_pack_id)},"prices":[${prices.join(',')}]}`;
}

/** The canonical text that is hashed. */
export function canonicalPackText(input: PackContentInput): string {
  return serialiseCanonical(canonicalContent(input));
}

export function computePackId(input: PackContentInput): string {
  return sha256Hex(canonicalPackText(input));
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

/** The canonical, frozen pack with its id. */
export function makePack(input: PackContentInput): Pack {
  const content = canonicalContent(input);
  return deepFreeze({ ...content, pack_id: sha256Hex(serialiseCanonical(content)) });
}

/** The content of a pack without its id (for building a changed copy). */
export function contentOf(pack: Pack): PackContent {
  const { pack_id: _id, ...content } = pack;
  return content;
}
