// Pricing packs: content-addressed, immutable snapshots of prices and FX rates for one date.
// The id is the SHA-256 of the canonical content, so the same content always gets the same id and
// a different content never can. Inserting is the only write; the database refuses the rest.
import { z } from 'zod';
import { canonicalJson, sha256Hex } from '../../audit/canonical';
import { withAudit } from '../../audit/chain';
import type { Db } from '../sqlcipher';

const decimalString = z.string().regex(/^-?(\d+\.?\d*|\.\d+)$/);

export const packContentSchema = z
  .object({
    asOf: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    prices: z.array(
      z
        .object({
          symbol: z.string().min(1).max(64),
          price: decimalString,
          currency: z.string().min(1).max(24),
          provider: z.string().min(1),
          dataset: z.string().min(1),
        })
        .strict(),
    ),
    fx: z.array(
      z
        .object({
          base: z.string().min(1).max(24),
          quote: z.string().min(1).max(24),
          rate: decimalString,
          provider: z.string().min(1),
          dataset: z.string().min(1),
        })
        .strict(),
    ),
  })
  .strict();
export type PackContent = z.infer<typeof packContentSchema>;

function normalise(content: PackContent): PackContent {
  return {
    asOf: content.asOf,
    prices: [...content.prices].sort((a, b) => (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0)),
    fx: [...content.fx].sort((a, b) => {
      const x = `${a.base}/${a.quote}`;
      const y = `${b.base}/${b.quote}`;
      return x < y ? -1 : x > y ? 1 : 0;
    }),
  };
}

export function packId(content: PackContent): string {
  return sha256Hex(canonicalJson(normalise(packContentSchema.parse(content))));
}

/** Stores a pack; returns its id and whether it was new (the same content twice is one pack). */
export function insertPack(
  db: Db,
  actor: string,
  content: PackContent,
): { packId: string; created: boolean } {
  const pack = normalise(packContentSchema.parse(content));
  const id = packId(pack);
  const exists = db.prepare('SELECT 1 FROM pricing_packs WHERE pack_id = ?').get(id) !== undefined;
  if (exists) return { packId: id, created: false };
  withAudit(db, { actor, action: 'pack.insert', target: `pack:${id}`, payload: pack }, () => {
    const price = db.prepare(
      `INSERT INTO pack_prices (pack_id, symbol, price, currency, provider, dataset)
       VALUES (@pack_id, @symbol, @price, @currency, @provider, @dataset)`,
    );
    for (const row of pack.prices) price.run({ pack_id: id, ...row });
    const fx = db.prepare(
      `INSERT INTO pack_fx (pack_id, base, quote, rate, provider, dataset)
       VALUES (@pack_id, @base, @quote, @rate, @provider, @dataset)`,
    );
    for (const row of pack.fx) fx.run({ pack_id: id, ...row });
    // The pack row goes last: it seals the pack against later prices and rates.
    db.prepare(
      'INSERT INTO pricing_packs (pack_id, as_of, price_count, fx_count, created_at) VALUES (?, ?, ?, ?, ?)',
    ).run(id, pack.asOf, pack.prices.length, pack.fx.length, new Date().toISOString());
  });
  return { packId: id, created: true };
}

export function getPack(db: Db, id: string): PackContent | null {
  const head = db.prepare('SELECT as_of FROM pricing_packs WHERE pack_id = ?').get(id) as
    { as_of: string } | undefined;
  if (!head) return null;
  const prices = db
    .prepare(
      'SELECT symbol, price, currency, provider, dataset FROM pack_prices WHERE pack_id = ? ORDER BY symbol',
    )
    .all(id) as PackContent['prices'];
  const fx = db
    .prepare(
      'SELECT base, quote, rate, provider, dataset FROM pack_fx WHERE pack_id = ? ORDER BY base, quote',
    )
    .all(id) as PackContent['fx'];
  return { asOf: head.as_of, prices, fx };
}
