// Settings kept inside the store (JSON values), audited like all user data.
import { withAudit } from '../../audit/chain';
import type { Db } from '../sqlcipher';

export function setSetting(db: Db, actor: string, key: string, value: unknown): void {
  const json = JSON.stringify(value);
  withAudit(db, { actor, action: 'setting.set', target: `setting:${key}`, payload: value }, () =>
    db
      .prepare(
        `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
      )
      .run(key, json, new Date().toISOString()),
  );
}

export function getSetting(db: Db, key: string): unknown {
  const row = db.prepare('SELECT value FROM settings WHERE key = ?').get(key) as
    { value: string } | undefined;
  return row ? (JSON.parse(row.value) as unknown) : undefined;
}
