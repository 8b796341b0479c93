// 0002: pricing packs, the immutable daily snapshots of closing prices and FX rates. A pack's id is
// the SHA-256 of its canonical content. Prices and rates are inserted first and the pack row last,
// which seals it: the triggers refuse any later price or rate for a sealed pack, and any UPDATE,
// DELETE or REPLACE at all. provider/dataset on every fetched figure drive licence enforcement.
import { decimalCheck, immutabilityTriggers, isoDateCheck, sha256Check, type Migration } from './migration';

const sealed = (table: string) => `
CREATE TRIGGER ${table}_sealed BEFORE INSERT ON ${table}
  WHEN EXISTS (SELECT 1 FROM pricing_packs WHERE pack_id = NEW.pack_id)
  BEGIN SELECT RAISE(ABORT, 'immutable: ${table}'); END;`;

export const migration0002: Migration = {
  version: 2,
  name: 'pricing-packs',
  up(db) {
    db.exec(`
CREATE TABLE pricing_packs (
  pack_id TEXT PRIMARY KEY NOT NULL CHECK ${sha256Check('pack_id')},
  as_of TEXT NOT NULL CHECK ${isoDateCheck('as_of')},
  price_count INTEGER NOT NULL CHECK (price_count >= 0),
  fx_count INTEGER NOT NULL CHECK (fx_count >= 0),
  created_at TEXT NOT NULL
) STRICT;
CREATE INDEX pricing_packs_as_of ON pricing_packs (as_of);

CREATE TABLE pack_prices (
  pack_id TEXT NOT NULL REFERENCES pricing_packs (pack_id) DEFERRABLE INITIALLY DEFERRED,
  symbol TEXT NOT NULL CHECK (length(symbol) BETWEEN 1 AND 64),
  price TEXT NOT NULL CHECK ${decimalCheck('price')},
  currency TEXT NOT NULL CHECK (length(currency) BETWEEN 1 AND 24),
  provider TEXT NOT NULL,
  dataset TEXT NOT NULL,
  PRIMARY KEY (pack_id, symbol)
) STRICT;

CREATE TABLE pack_fx (
  pack_id TEXT NOT NULL REFERENCES pricing_packs (pack_id) DEFERRABLE INITIALLY DEFERRED,
  base TEXT NOT NULL CHECK (length(base) BETWEEN 1 AND 24),
  quote TEXT NOT NULL CHECK (length(quote) BETWEEN 1 AND 24),
  rate TEXT NOT NULL CHECK ${decimalCheck('rate')},
  provider TEXT NOT NULL,
  dataset TEXT NOT NULL,
  PRIMARY KEY (pack_id, base, quote)
) STRICT;
${immutabilityTriggers('pricing_packs', 'old.pack_id = NEW.pack_id')}
${immutabilityTriggers('pack_prices', 'old.pack_id = NEW.pack_id AND old.symbol = NEW.symbol')}
${immutabilityTriggers('pack_fx', 'old.pack_id = NEW.pack_id AND old.base = NEW.base AND old.quote = NEW.quote')}
${sealed('pack_prices')}
${sealed('pack_fx')}
`);
  },
};
