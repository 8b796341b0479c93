// Ledger loads and writes in the audit log. A load is recorded with the commit it read, whether the
// working tree was dirty, and counts (files, entries, errors) — never amounts or account names. A
// write (recordTransaction) is recorded with the file and the commit it created, after git has
// committed it: the ledger lives in git, so the audit row follows the commit it describes.
import { withAudit } from '../audit/chain';
import { recordTransaction, type GitOptions } from '../ledger/git';
import type { Db } from '../store/sqlcipher';
import type { LedgerLoadRecord } from './workspace';

export function auditLedgerLoads(db: Db, records: readonly LedgerLoadRecord[], actor = 'user'): void {
  for (const record of records) {
    withAudit(
      db,
      { actor, action: 'ledger.load', target: `ledger:${record.commit}`, payload: record },
      () => undefined,
    );
  }
}

/** Appends a formatted entry to the ledger, commits it, and records the write in the audit log. */
export async function recordAuditedTransaction(
  db: Db,
  repoDir: string,
  file: string,
  entryText: string,
  options: Parameters<typeof recordTransaction>[3],
  gitOptions: GitOptions = {},
  actor = 'user',
): Promise<string> {
  const commit = await recordTransaction(repoDir, file, entryText, options, gitOptions);
  withAudit(
    db,
    { actor, action: 'ledger.write', target: `ledger:${commit}`, payload: { file, commit } },
    () => undefined,
  );
  return commit;
}
