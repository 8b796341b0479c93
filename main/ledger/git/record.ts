// The one write DawsOS makes to a ledger: append one formatted entry to one tracked file and commit
// it. Guarantees, in order:
//   1. refuses a dirty working tree (the commit would otherwise carry the user's unrelated edits);
//   2. refuses a file outside the repository, missing, or not tracked by git;
//   3. only appends: the old content is verified to be a byte prefix of the new content;
//   4. commits with the user's own git configuration, so `commit.gpgsign=true` signs (or fails);
//   5. on any failure after the append, truncates the file back to its old length, so the working
//      tree is exactly as it was.
// Writes to one repository are serialised in this process.
import path from 'node:path';
import { open, readFile, realpath, truncate } from 'node:fs/promises';
import { z } from 'zod';
import { gitClient, resolveRepoRoot } from './client';
import type { GitOptions } from './client';
import {
  DirtyLedgerError,
  InvalidTransactionError,
  LedgerCommitFailedError,
  LedgerFileNotFoundError,
  LedgerFileUntrackedError,
  LedgerPathOutsideRepoError,
} from './errors';
import { readHeadInfo } from './repo';

// eslint-disable-next-line no-control-regex
const NO_CONTROL_EXCEPT_NEWLINES = /^[^\u0000-\u0009\u000b\u000c\u000e-\u001f\u007f]*$/;
const IDENTITY_PART = /^[^<>\n\r\0]+$/;

export const recordOptionsSchema = z.object({
  message: z.string().min(1).max(10_000).regex(NO_CONTROL_EXCEPT_NEWLINES),
  author: z
    .object({
      name: z.string().min(1).max(200).regex(IDENTITY_PART),
      email: z.string().min(3).max(320).regex(IDENTITY_PART).includes('@'),
    })
    .optional(),
});
export type RecordOptions = z.input<typeof recordOptionsSchema>;

const locks = new Map<string, Promise<unknown>>();

async function withRepoLock<T>(root: string, fn: () => Promise<T>): Promise<T> {
  const previous = locks.get(root) ?? Promise.resolve();
  const run = previous.then(fn, fn);
  const settled = run.then(
    () => undefined,
    () => undefined,
  );
  locks.set(root, settled);
  try {
    return await run;
  } finally {
    if (locks.get(root) === settled) locks.delete(root);
  }
}

/**
 * What to append to `old` so that the entry follows it after exactly one blank line (none when the
 * file is empty) and the file ends with one newline. Existing trailing blank lines are kept, never
 * removed. Uses CRLF when the file already does.
 */
export function appendixFor(old: string, entryText: string): string {
  const eol = old.includes('\r\n') ? '\r\n' : '\n';
  const body = entryText
    .replace(/\r\n?/g, '\n')
    .replace(/^(?:[ \t]*\n)+/, '')
    .replace(/\s+$/, '')
    .split('\n')
    .join(eol);
  let sep = '';
  if (old.length > 0) {
    if (/(?:\r?\n)[ \t]*\r?\n$/.test(old) || /^[ \t]*\r?\n$/.test(old)) sep = '';
    else if (old.endsWith('\n')) sep = eol;
    else sep = eol + eol;
  }
  return `${sep}${body}${eol}`;
}

/** Resolves `file` (absolute, or relative to `repoDir`) to its path relative to the root. */
async function resolveLedgerFile(root: string, repoDir: string, file: string): Promise<string> {
  const candidate = path.resolve(repoDir, file);
  const lexical = path.relative(root, candidate);
  let real: string;
  try {
    real = await realpath(candidate);
  } catch {
    if (lexical.startsWith('..') || path.isAbsolute(lexical)) throw new LedgerPathOutsideRepoError();
    throw new LedgerFileNotFoundError();
  }
  const rel = path.relative(root, real);
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) throw new LedgerPathOutsideRepoError();
  if (rel.split(path.sep)[0] === '.git') throw new LedgerPathOutsideRepoError();
  return rel.split(path.sep).join('/');
}

/**
 * Appends `entryText` (one formatted entry, e.g. from formatTransaction) to `file` and commits it.
 * Returns the new commit's full hash.
 */
export async function recordTransaction(
  repoDir: string,
  file: string,
  entryText: string,
  options: RecordOptions,
  gitOptions: GitOptions = {},
): Promise<string> {
  const opts = recordOptionsSchema.safeParse(options);
  if (!opts.success || entryText.trim().length === 0 || entryText.includes('\0')) {
    throw new InvalidTransactionError();
  }
  const { message, author } = opts.data;
  const realRepoDir = await realpath(repoDir).catch(() => repoDir);
  const root = await resolveRepoRoot(repoDir, gitOptions);
  const git = gitClient(root, gitOptions);

  return withRepoLock(root, async () => {
    if ((await readHeadInfo(git)).dirty) throw new DirtyLedgerError();
    const rel = await resolveLedgerFile(root, realRepoDir, file);
    const tracked = await git.raw(['ls-files', '-z', '--', `:(literal)${rel}`]);
    if (tracked.length === 0) throw new LedgerFileUntrackedError();

    const abs = path.join(root, ...rel.split('/'));
    const oldBytes = await readFile(abs);
    const addition = Buffer.from(appendixFor(oldBytes.toString('utf8'), entryText), 'utf8');

    const handle = await open(abs, 'a');
    try {
      await handle.write(addition);
      await handle.sync();
    } finally {
      await handle.close();
    }

    const rollback = async () => {
      await truncate(abs, oldBytes.length);
      // `commit -- <path>` stages through a temporary index, but make sure the real index
      // matches HEAD again for this path whatever git did before failing.
      await git.raw(['restore', '--staged', '--', `:(literal)${rel}`]).catch(() => undefined);
    };

    try {
      const newBytes = await readFile(abs);
      const isPureAppend =
        newBytes.length === oldBytes.length + addition.length &&
        newBytes.subarray(0, oldBytes.length).equals(oldBytes) &&
        newBytes.subarray(oldBytes.length).equals(addition);
      if (!isPureAppend) throw new LedgerCommitFailedError();

      const args = ['commit', '--quiet', '--no-edit', '-m', message];
      if (author) args.push(`--author=${author.name} <${author.email}>`);
      args.push('--', `:(literal)${rel}`);
      await git.raw(args);
    } catch {
      await rollback();
      throw new LedgerCommitFailedError();
    }
    return (await git.raw(['rev-parse', '--verify', 'HEAD^{commit}'])).trim();
  });
}
