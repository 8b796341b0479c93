// Notes on a portfolio: the simplest user data, audited like all of it.
import crypto from 'node:crypto';
import { withAudit } from '../../audit/chain';
import type { Db } from '../sqlcipher';

export interface Note {
  portfolio_id: string;
  note_id: string;
  subject: string;
  body: string;
  created_at: string;
  updated_at: string;
}

export function addNote(
  db: Db,
  actor: string,
  input: { portfolioId: string; subject?: string; body: string; noteId?: string },
): Note {
  const now = new Date().toISOString();
  const note: Note = {
    portfolio_id: input.portfolioId,
    note_id: input.noteId ?? crypto.randomUUID(),
    subject: input.subject ?? '',
    body: input.body,
    created_at: now,
    updated_at: now,
  };
  withAudit(
    db,
    {
      actor,
      action: 'note.add',
      target: `portfolio:${note.portfolio_id}/note:${note.note_id}`,
      payload: note,
    },
    () =>
      db
        .prepare(
          `INSERT INTO notes (portfolio_id, note_id, subject, body, created_at, updated_at)
           VALUES (@portfolio_id, @note_id, @subject, @body, @created_at, @updated_at)`,
        )
        .run(note),
  );
  return note;
}

export function editNote(db: Db, actor: string, portfolioId: string, noteId: string, body: string): boolean {
  return withAudit(
    db,
    { actor, action: 'note.edit', target: `portfolio:${portfolioId}/note:${noteId}`, payload: { body } },
    () =>
      db
        .prepare('UPDATE notes SET body = ?, updated_at = ? WHERE portfolio_id = ? AND note_id = ?')
        .run(body, new Date().toISOString(), portfolioId, noteId).changes === 1,
  );
}

export function deleteNote(db: Db, actor: string, portfolioId: string, noteId: string): boolean {
  return withAudit(
    db,
    { actor, action: 'note.delete', target: `portfolio:${portfolioId}/note:${noteId}`, payload: null },
    () =>
      db.prepare('DELETE FROM notes WHERE portfolio_id = ? AND note_id = ?').run(portfolioId, noteId)
        .changes === 1,
  );
}

export function listNotes(db: Db, portfolioId: string): Note[] {
  return db
    .prepare('SELECT * FROM notes WHERE portfolio_id = ? ORDER BY created_at, note_id')
    .all(portfolioId) as Note[];
}
