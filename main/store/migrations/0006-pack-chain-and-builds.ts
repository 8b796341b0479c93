// 0006: what pricing packs v1 need on top of 0002. Each price and rate records the date it is from
// and whether it was carried forward from an earlier date; each pack records its canonical format
// and the pack it builds on (parent_pack_id), so a pack id pins its whole chain. The new columns are
// nullable only because ALTER TABLE cannot fill them for rows written before; the pricing module
// always writes them, and the 0002 triggers keep every pack row immutable as before.
// pack_builds is the per-date build state machine (warming → ready | ready_carried | failed). It is
// operational status, not a pack: it is updated in place while a build runs.
import { isoDateCheck, sha256Check, type Migration } from './migration';

export const migration0006: Migration = {
  version: 6,
  name: 'pack-chain-and-builds',
  up(db) {
    db.exec(`
ALTER TABLE pricing_packs ADD COLUMN format TEXT;
ALTER TABLE pricing_packs ADD COLUMN parent_pack_id TEXT REFERENCES pricing_packs (pack_id)
  CHECK (parent_pack_id IS NULL OR ${sha256Check('parent_pack_id')});
CREATE INDEX pricing_packs_parent ON pricing_packs (parent_pack_id);

ALTER TABLE pack_prices ADD COLUMN price_date TEXT CHECK (price_date IS NULL OR ${isoDateCheck('price_date')});
ALTER TABLE pack_prices ADD COLUMN carried INTEGER CHECK (carried IS NULL OR carried IN (0, 1));
ALTER TABLE pack_fx ADD COLUMN rate_date TEXT CHECK (rate_date IS NULL OR ${isoDateCheck('rate_date')});
ALTER TABLE pack_fx ADD COLUMN carried INTEGER CHECK (carried IS NULL OR carried IN (0, 1));

CREATE TABLE pack_builds (
  as_of TEXT PRIMARY KEY NOT NULL CHECK ${isoDateCheck('as_of')},
  build_id TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('warming', 'ready', 'ready_carried', 'failed')),
  done INTEGER NOT NULL CHECK (done >= 0),
  total INTEGER NOT NULL CHECK (total >= 0 AND done <= total),
  pack_id TEXT REFERENCES pricing_packs (pack_id),
  carried_count INTEGER NOT NULL DEFAULT 0 CHECK (carried_count >= 0),
  missing TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(missing)),
  error_code TEXT,
  started_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  CHECK ((state IN ('ready', 'ready_carried')) = (pack_id IS NOT NULL))
) STRICT;
CREATE INDEX pack_builds_build ON pack_builds (build_id, state);
`);
  },
};
