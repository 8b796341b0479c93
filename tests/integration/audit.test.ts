// The audit log: every audited mutation appends a chained row in the same transaction, and
// `dawsos audit verify` finds the first broken row after someone edits the file behind the app's
// back (with the key, triggers dropped).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  auditRowHash,
  GENESIS_HASH,
  verifyAuditChain,
  withAudit,
  type AuditRow,
} from '../../main/audit/chain';
import { runCli } from '../../main/cli/run';
import { createStore, openKeyed, openStore, storeKeyAccount } from '../../main/store/open';
import { addNote, deleteNote, editNote, listNotes } from '../../main/store/repositories/notes';
import { createPortfolio, renamePortfolio } from '../../main/store/repositories/portfolios';
import { PassphraseVault, passphraseVaultFile } from '../../main/vault/passphrase-vault';

const PASSPHRASE = 'audit test passphrase 42';
let home: string;
let file: string;
let vault: PassphraseVault;

beforeEach(async () => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'dawsos-audit-'));
  file = path.join(home, 'dawsos.db');
  vault = new PassphraseVault({
    file: passphraseVaultFile(file),
    passphrase: PASSPHRASE,
    cost: { N: 2 ** 12, r: 8, p: 1 },
  });
  fs.writeFileSync(path.join(home, 'settings.json'), JSON.stringify({ vault: 'passphrase' }));
  const store = await createStore({ file, vault });
  createPortfolio(store.db, 'user', { portfolioId: 'p1', name: 'Main', baseCurrency: 'USD' });
  const note = addNote(store.db, 'user', { portfolioId: 'p1', body: 'buy more VTI', noteId: 'n1' });
  editNote(store.db, 'user', 'p1', note.note_id, 'buy more BND');
  renamePortfolio(store.db, 'user', 'p1', 'Retirement');
  deleteNote(store.db, 'user', 'p1', note.note_id);
  store.close();
});
afterEach(() => fs.rmSync(home, { recursive: true, force: true }));

async function verifyCli(): Promise<{
  code: number;
  json: { ok: boolean; rows: number; firstBroken: unknown };
}> {
  let out = '';
  const code = await runCli(['audit', 'verify', '--json'], {
    io: { stdout: (t) => (out += t), stderr: (t) => (out += t) },
    env: { DAWSOS_HOME: home, DAWSOS_STORE_PASSPHRASE: PASSPHRASE },
    cwd: home,
  });
  return { code, json: JSON.parse(out) as { ok: boolean; rows: number; firstBroken: unknown } };
}

/** Opens the file with its key like an attacker with the key would, triggers dropped. */
async function tamper(sql: (db: ReturnType<typeof openKeyed>) => void): Promise<void> {
  const key = (await vault.get(storeKeyAccount(file))) as string;
  const db = openKeyed(file, key);
  db.exec('DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;');
  sql(db);
  db.close();
}

describe('the audit chain', () => {
  it('records every audited mutation as one chained row with actor, action, target and digest only', async () => {
    const store = await openStore({ file, vault });
    const rows = store.db.prepare('SELECT * FROM audit_log ORDER BY id').all() as AuditRow[];
    expect(rows.map((r) => r.action)).toEqual([
      'portfolio.create',
      'note.add',
      'note.edit',
      'portfolio.rename',
      'note.delete',
    ]);
    expect(rows[0]?.prev_hash).toBe(GENESIS_HASH);
    rows.forEach((row, i) => {
      expect(row.id).toBe(i + 1);
      if (i > 0) expect(row.prev_hash).toBe(rows[i - 1]?.hash);
      expect(auditRowHash(row)).toBe(row.hash);
      expect(row.actor).toBe('user');
    });
    expect(JSON.stringify(rows)).not.toContain('buy more');
    expect(verifyAuditChain(store.db)).toMatchObject({ ok: true, rows: 5, firstBroken: null });
    store.close();
  });

  it('writes the change and its audit row atomically: a failing change leaves neither', async () => {
    const store = await openStore({ file, vault });
    const before = verifyAuditChain(store.db);
    expect(() =>
      withAudit(store.db, { actor: 'user', action: 'note.add', target: 'p1', payload: null }, () => {
        store.db
          .prepare(
            "INSERT INTO notes (portfolio_id, note_id, body, created_at, updated_at) VALUES ('p1', 'n2', 'x', 'a', 'a')",
          )
          .run();
        throw new Error('the change failed half way');
      }),
    ).toThrow('half way');
    expect(listNotes(store.db, 'p1')).toEqual([]);
    expect(verifyAuditChain(store.db)).toEqual(before);
    store.close();
  });

  it('dawsos audit verify passes on an untouched store', async () => {
    expect(await verifyCli()).toEqual({
      code: 0,
      json: { ok: true, rows: 5, head: expect.any(String) as string, firstBroken: null },
    });
  });

  it('catches an edited row and names it', async () => {
    await tamper((db) => db.prepare("UPDATE audit_log SET action = 'note.view' WHERE id = 3").run());
    expect(await verifyCli()).toMatchObject({
      code: 1,
      json: { ok: false, rows: 2, firstBroken: { id: 3, reason: 'hash-mismatch' } },
    });
  });

  it('catches an edited row whose hash the attacker recomputed, at the next row', async () => {
    await tamper((db) => {
      const row = db.prepare('SELECT * FROM audit_log WHERE id = 2').get() as AuditRow;
      const forged = { ...row, target: 'portfolio:p9/note:n1' };
      db.prepare('UPDATE audit_log SET target = ?, hash = ? WHERE id = 2').run(
        forged.target,
        auditRowHash(forged),
      );
    });
    expect(await verifyCli()).toMatchObject({
      code: 1,
      json: { ok: false, firstBroken: { id: 3, reason: 'prev-hash-mismatch' } },
    });
  });

  it('catches a deleted row', async () => {
    await tamper((db) => db.prepare('DELETE FROM audit_log WHERE id = 4').run());
    expect(await verifyCli()).toMatchObject({
      code: 1,
      json: { ok: false, firstBroken: { id: 5, reason: 'sequence-gap' } },
    });
  });
});
