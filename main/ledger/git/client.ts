// The one place git processes are started for the ledger (through simple-git, never a shell).
import { realpath } from 'node:fs/promises';
import { simpleGit } from 'simple-git';
import type { SimpleGit } from 'simple-git';
import { LedgerRepoNotFoundError } from './errors';

/** Options shared by the git functions. `env` replaces git's whole environment when given (tests use
 *  it to shut out the machine's git config with GIT_CONFIG_NOSYSTEM and a temporary HOME). */
export interface GitOptions {
  readonly env?: Readonly<Record<string, string | undefined>>;
}

export function gitClient(baseDir: string, options: GitOptions = {}): SimpleGit {
  const git = simpleGit({ baseDir, binary: 'git', maxConcurrentProcesses: 4, trimmed: false });
  if (options.env) {
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(options.env)) if (v !== undefined) env[k] = v;
    git.env(env);
  }
  return git;
}

/** Real path of the top folder of the repository holding `dir`; LedgerRepoNotFoundError if none. */
export async function resolveRepoRoot(dir: string, options: GitOptions = {}): Promise<string> {
  try {
    const real = await realpath(dir);
    const top = (await gitClient(real, options).raw(['rev-parse', '--show-toplevel'])).trim();
    if (!top) throw new Error('no top level');
    return await realpath(top);
  } catch {
    throw new LedgerRepoNotFoundError();
  }
}
