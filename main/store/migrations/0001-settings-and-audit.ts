// 0001: settings and the hash-chained, append-only audit log.
import { immutabilityTriggers, sha256Check, type Migration } from './migration';

export const migration0001: Migration = {
  version: 1,
  name: 'settings-and-audit',
  up(db) {
    db.exec(`
CREATE TABLE settings (
  key TEXT PRIMARY KEY NOT NULL CHECK (length(key) BETWEEN 1 AND 200),
  value TEXT NOT NULL CHECK (json_valid(value)),
  updated_at TEXT NOT NULL
) STRICT;

-- id is the chain position (1, 2, 3, ... without gaps); hash covers every other column.
CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY NOT NULL CHECK (id >= 1),
  ts TEXT NOT NULL,
  actor TEXT NOT NULL CHECK (length(actor) BETWEEN 1 AND 200),
  action TEXT NOT NULL CHECK (length(action) BETWEEN 1 AND 200),
  target TEXT NOT NULL CHECK (length(target) <= 500),
  payload_digest TEXT NOT NULL CHECK ${sha256Check('payload_digest')},
  prev_hash TEXT NOT NULL CHECK ${sha256Check('prev_hash')},
  hash TEXT NOT NULL UNIQUE CHECK ${sha256Check('hash')}
) STRICT;
${immutabilityTriggers('audit_log', 'old.id = NEW.id')}
`);
  },
};
