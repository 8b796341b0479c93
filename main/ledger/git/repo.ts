// The ledger's git repository: which commit a load read and whether the working tree differed from
// it. Every derived result carries that commit hash; a dirty load is flagged so that a figure is
// never presented as reproducible from a commit when it was not.
import type { SimpleGit } from 'simple-git';
import type { LedgerSource } from '../source';
import { gitClient, resolveRepoRoot } from './client';
import type { GitOptions } from './client';
import { gitCommitSourceAt } from './commit-source';

export interface HeadInfo {
  /** Full hash of HEAD, or null in a repository without any commit. */
  readonly commit: string | null;
  /** Any tracked change (staged or not) or untracked file not ignored by .gitignore. */
  readonly dirty: boolean;
}

export interface LedgerRepo {
  /** Real path of the repository's top folder. */
  readonly root: string;
  headInfo(): Promise<HeadInfo>;
  /** The files of `commit` (hash, branch, tag, `HEAD~2`…) as a LedgerSource rooted at `root`. */
  commitSource(commit: string): Promise<LedgerSource>;
}

/** Resolves the repository that holds `dir`; throws LedgerRepoNotFoundError when there is none. */
export async function openLedgerRepo(dir: string, options: GitOptions = {}): Promise<LedgerRepo> {
  const root = await resolveRepoRoot(dir, options);
  const git = gitClient(root, options);
  return {
    root,
    headInfo: () => readHeadInfo(git),
    commitSource: (commit) => gitCommitSourceAt(root, commit, options),
  };
}

export async function readHeadInfo(git: SimpleGit): Promise<HeadInfo> {
  let commit: string | null;
  try {
    commit = (await git.raw(['rev-parse', '--verify', '--quiet', 'HEAD^{commit}'])).trim() || null;
  } catch {
    commit = null; // unborn branch: no commit yet
  }
  // --untracked-files=all overrides a user's status.showUntrackedFiles=no, which would hide new files;
  // ignored files are never listed.
  const status = await git.raw(['status', '--porcelain=v1', '-z', '--untracked-files=all']);
  return { commit, dirty: status.length > 0 };
}
