// A LedgerSource over the files of one git commit, read with `git cat-file` from the object
// database: the working tree and the index are never touched, so an older ledger can be loaded
// while the user edits the current one. Include globs are expanded against the commit's tree
// listing (see glob.ts for the semantics).
import path from 'node:path';
import { realpath } from 'node:fs/promises';
import type { LedgerSource } from '../source';
import { LedgerCommitNotFoundError, LedgerFileNotFoundError, LedgerPathOutsideRepoError } from './errors';
import { matchGlob } from './glob';
import { gitClient, resolveRepoRoot } from './client';
import type { GitOptions } from './client';

const posix = path.posix;

/** Normalises a root-relative path; null when it leaves the root. */
function insideRoot(p: string): string | null {
  const n = posix.normalize(p.replace(/\\/g, '/'));
  if (n === '..' || n.startsWith('../') || posix.isAbsolute(n) || n === '.' || n === '') return null;
  return n;
}

/** Opens the repository holding `repoDir` and returns the source of `commit` in it. */
export async function gitCommitSource(
  repoDir: string,
  commit: string,
  options: GitOptions = {},
): Promise<LedgerSource & { readonly commit: string }> {
  return gitCommitSourceAt(await resolveRepoRoot(repoDir, options), commit, options);
}

/** Same as gitCommitSource for an already resolved repository root. */
export async function gitCommitSourceAt(
  root: string,
  commit: string,
  options: GitOptions = {},
): Promise<LedgerSource & { readonly commit: string }> {
  const git = gitClient(root, options);
  if (commit.startsWith('-')) throw new LedgerCommitNotFoundError();
  let hash: string;
  try {
    hash = (await git.raw(['rev-parse', '--verify', '--quiet', `${commit}^{commit}`])).trim();
  } catch {
    throw new LedgerCommitNotFoundError();
  }
  if (!/^[0-9a-f]{40,64}$/.test(hash)) throw new LedgerCommitNotFoundError();
  const listing = await git.raw(['ls-tree', '-r', '-z', '--name-only', '--full-tree', hash]);
  const files = listing.split('\0').filter((f) => f.length > 0);
  const fileSet = new Set(files);
  const realRoot = await realpath(root);

  return {
    label: `${path.basename(realRoot)}@${hash.slice(0, 12)}`,
    commit: hash,
    async readFile(file: string): Promise<string> {
      const rel = insideRoot(file);
      if (rel === null) throw new LedgerPathOutsideRepoError();
      if (!fileSet.has(rel)) throw new LedgerFileNotFoundError();
      return git.raw(['cat-file', 'blob', `${hash}:${rel}`]);
    },
    expandInclude(pattern: string, fromFile: string): Promise<string[]> {
      let joined: string;
      if (path.isAbsolute(pattern)) {
        // An absolute include can only be honoured when it points into this repository.
        const relToRoot = path.relative(realRoot, pattern);
        if (relToRoot.startsWith('..') || path.isAbsolute(relToRoot)) return Promise.resolve([]);
        joined = relToRoot.split(path.sep).join('/');
      } else {
        joined = posix.join(posix.dirname(fromFile.replace(/\\/g, '/')), pattern);
      }
      const rel = insideRoot(joined);
      if (rel === null) return Promise.resolve([]);
      return Promise.resolve(matchGlob(rel, files));
    },
  };
}
