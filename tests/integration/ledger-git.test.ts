// The git-backed ledger against real repositories in temp folders: HEAD and dirty detection, reading
// an older commit without touching the working tree, and the append-and-commit write with its
// refusals and rollback (including a GPG signing failure). Git runs with GIT_CONFIG_NOSYSTEM and a
// temporary HOME so that the machine's own git config cannot change the outcome.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import {
  DirtyLedgerError,
  LedgerCommitFailedError,
  LedgerCommitNotFoundError,
  LedgerFileNotFoundError,
  LedgerFileUntrackedError,
  LedgerPathOutsideRepoError,
  LedgerRepoNotFoundError,
  formatTransaction,
  gitCommitSource,
  openLedgerRepo,
  recordTransaction,
} from '../../main/ledger/git';

const scratch = mkdtempSync(path.join(os.tmpdir(), 'dawsos-ledger-git-'));
const home = path.join(scratch, 'home');
const gnupgHome = path.join(scratch, 'gnupg');
mkdirSync(home, { recursive: true });
mkdirSync(gnupgHome, { recursive: true, mode: 0o700 });

const env: Record<string, string> = {
  PATH: process.env.PATH ?? '/usr/bin:/bin',
  HOME: home,
  GIT_CONFIG_NOSYSTEM: '1',
  GNUPGHOME: gnupgHome,
  LANG: 'C',
};
const gitOptions = { env };

afterAll(() => {
  try {
    execFileSync('gpgconf', ['--kill', 'gpg-agent'], { env, stdio: 'ignore' });
  } catch {
    // no agent was started
  }
  rmSync(scratch, { recursive: true, force: true });
});

function git(repo: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd: repo, env, encoding: 'utf8' });
}

let counter = 0;
function newRepo(files: Record<string, string> = {}): string {
  const dir = path.join(scratch, `repo-${++counter}`);
  mkdirSync(dir, { recursive: true });
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'config', 'user.name', 'Ledger Test');
  git(dir, 'config', 'user.email', 'ledger@example.com');
  git(dir, 'config', 'commit.gpgsign', 'false');
  for (const [file, content] of Object.entries(files)) write(dir, file, content);
  if (Object.keys(files).length > 0) {
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'initial');
  }
  return dir;
}

function write(repo: string, file: string, content: string | Buffer): void {
  const abs = path.join(repo, file);
  mkdirSync(path.dirname(abs), { recursive: true });
  writeFileSync(abs, content);
}

const head = (repo: string) => git(repo, 'rev-parse', 'HEAD').trim();
const status = (repo: string) => git(repo, 'status', '--porcelain', '--untracked-files=all');

const MAIN = `option "title" "Test"
include "accounts.beancount"

2024-01-02 * "Opening"
  Assets:Cash   100.00 USD
  Equity:Opening
`;
const ACCOUNTS = `2024-01-01 open Assets:Cash
2024-01-01 open Equity:Opening
2024-01-01 open Expenses:Food
`;

const ENTRY = formatTransaction({
  date: '2024-02-01',
  flag: '*',
  payee: 'Bakery',
  narration: 'Bread',
  postings: [
    { account: 'Expenses:Food', units: { number: '3.50', currency: 'USD' } },
    { account: 'Assets:Cash', units: { number: '-3.50', currency: 'USD' } },
  ],
});

describe('openLedgerRepo / headInfo', () => {
  let repo: string;
  beforeEach(() => {
    repo = newRepo({ 'main.beancount': MAIN, 'accounts.beancount': ACCOUNTS, '.gitignore': '*.cache\n' });
  });

  it('reports the HEAD commit and a clean tree', async () => {
    const info = await (await openLedgerRepo(repo, gitOptions)).headInfo();
    expect(info).toEqual({ commit: head(repo), dirty: false });
    expect(info.commit).toMatch(/^[0-9a-f]{40}$/);
  });

  it('finds the repository from a subfolder', async () => {
    mkdirSync(path.join(repo, 'sub'));
    const opened = await openLedgerRepo(path.join(repo, 'sub'), gitOptions);
    expect(opened.root).toBe(await import('node:fs/promises').then((fs) => fs.realpath(repo)));
  });

  it('is dirty after a tracked edit, a staged edit or an untracked file, not after an ignored one', async () => {
    const opened = await openLedgerRepo(repo, gitOptions);
    write(repo, 'prices.cache', 'ignored\n');
    expect((await opened.headInfo()).dirty).toBe(false);

    write(repo, 'accounts.beancount', `${ACCOUNTS}2024-01-01 open Assets:Bank\n`);
    expect((await opened.headInfo()).dirty).toBe(true);
    git(repo, 'add', 'accounts.beancount');
    expect((await opened.headInfo()).dirty).toBe(true);
    git(repo, 'commit', '-q', '-m', 'bank');
    expect(await opened.headInfo()).toEqual({ commit: head(repo), dirty: false });

    write(repo, 'new/2024.beancount', '; new file\n');
    expect((await opened.headInfo()).dirty).toBe(true);
  });

  it('sees untracked files even when the user hides them from git status', async () => {
    git(repo, 'config', 'status.showUntrackedFiles', 'no');
    write(repo, 'untracked.beancount', '; new\n');
    expect((await (await openLedgerRepo(repo, gitOptions)).headInfo()).dirty).toBe(true);
  });

  it('reports no commit in a repository without commits', async () => {
    const empty = newRepo();
    expect(await (await openLedgerRepo(empty, gitOptions)).headInfo()).toEqual({
      commit: null,
      dirty: false,
    });
  });

  it('refuses a folder that is not in a git repository', async () => {
    const plain = path.join(scratch, `plain-${++counter}`);
    mkdirSync(plain);
    await expect(openLedgerRepo(plain, gitOptions)).rejects.toBeInstanceOf(LedgerRepoNotFoundError);
  });
});

describe('gitCommitSource', () => {
  it('reads the files of an older commit without touching the working tree or the index', async () => {
    const repo = newRepo({ 'main.beancount': MAIN, 'accounts.beancount': ACCOUNTS });
    const first = head(repo);
    write(repo, 'accounts.beancount', `${ACCOUNTS}2024-01-01 open Assets:Bank\n`);
    git(repo, 'commit', '-q', '-am', 'second');
    const second = head(repo);
    // An uncommitted edit and a staged edit that must survive the read.
    write(repo, 'main.beancount', `${MAIN}; uncommitted\n`);
    write(repo, 'staged.beancount', '; staged\n');
    git(repo, 'add', 'staged.beancount');
    const statusBefore = status(repo);

    const old = await gitCommitSource(repo, first, gitOptions);
    expect(old.commit).toBe(first);
    expect(old.label).toBe(`${path.basename(repo)}@${first.slice(0, 12)}`);
    expect(await old.readFile('accounts.beancount')).toBe(ACCOUNTS);
    expect(await old.readFile('main.beancount')).toBe(MAIN);
    await expect(old.readFile('staged.beancount')).rejects.toBeInstanceOf(LedgerFileNotFoundError);

    const byRef = await gitCommitSource(repo, 'HEAD~1', gitOptions);
    expect(byRef.commit).toBe(first);
    const latest = await gitCommitSource(repo, 'main', gitOptions);
    expect(latest.commit).toBe(second);
    expect(await latest.readFile('accounts.beancount')).toContain('Assets:Bank');

    expect(status(repo)).toBe(statusBefore);
    expect(readFileSync(path.join(repo, 'main.beancount'), 'utf8')).toBe(`${MAIN}; uncommitted\n`);
    expect(head(repo)).toBe(second);
  });

  it('keeps bytes exactly: CRLF and unicode', async () => {
    const crlf = '2024-01-01 open Assets:Banque:Société\r\n; é ✓ 銀行\r\n';
    const repo = newRepo({ 'main.beancount': crlf });
    const source = await gitCommitSource(repo, 'HEAD', gitOptions);
    expect(await source.readFile('main.beancount')).toBe(crlf);
  });

  it('expands include globs against the tree of the commit, relative to the including file', async () => {
    const repo = newRepo({
      'main.beancount': MAIN,
      'accounts/assets.beancount': '',
      'accounts/expenses.beancount': '',
      'accounts/notes.txt': '',
      'accounts/.hidden.beancount': '',
      'years/2021/summary.bean': '',
      'years/2021/q1/jan.bean': '',
      'years/top.bean': '',
      'months/2021-01.beancount': '',
      'months/2021-02.beancount': '',
      'months/2021-03.beancount': '',
      'single-a.beancount': '',
      'single-ab.beancount': '',
      'sub/nested/q1.beancount': '',
      'sub/2021.beancount': '',
      'prices.beancount': '',
    });
    // Files only in the working tree must not be matched.
    write(repo, 'accounts/uncommitted.beancount', '');
    const source = await gitCommitSource(repo, 'HEAD', gitOptions);
    const expand = (pattern: string, from = 'main.beancount') => source.expandInclude(pattern, from);

    expect(await expand('accounts/*.beancount')).toEqual([
      'accounts/assets.beancount',
      'accounts/expenses.beancount',
    ]);
    expect(await expand('accounts/.*.beancount')).toEqual(['accounts/.hidden.beancount']);
    expect(await expand('years/**/*.bean')).toEqual([
      'years/2021/q1/jan.bean',
      'years/2021/summary.bean',
      'years/top.bean',
    ]);
    expect(await expand('months/2021-0[1-2].beancount')).toEqual([
      'months/2021-01.beancount',
      'months/2021-02.beancount',
    ]);
    expect(await expand('months/2021-0[!1-2].beancount')).toEqual(['months/2021-03.beancount']);
    expect(await expand('single-?.beancount')).toEqual(['single-a.beancount']);
    expect(await expand('nested/q1.beancount', 'sub/2021.beancount')).toEqual(['sub/nested/q1.beancount']);
    expect(await expand('./sub/../prices.beancount')).toEqual(['prices.beancount']);
    expect(await expand('../prices.beancount', 'sub/2021.beancount')).toEqual(['prices.beancount']);
    expect(await expand('missing.beancount')).toEqual([]);
    expect(await expand('../outside.beancount')).toEqual([]);
    expect(await expand('nothing/*.beancount')).toEqual([]);
  });

  it('refuses unknown commits and paths outside the repository', async () => {
    const repo = newRepo({ 'main.beancount': MAIN });
    await expect(gitCommitSource(repo, 'no-such-branch', gitOptions)).rejects.toBeInstanceOf(
      LedgerCommitNotFoundError,
    );
    await expect(gitCommitSource(repo, '--output=/tmp/x', gitOptions)).rejects.toBeInstanceOf(
      LedgerCommitNotFoundError,
    );
    const source = await gitCommitSource(repo, 'HEAD', gitOptions);
    await expect(source.readFile('../main.beancount')).rejects.toBeInstanceOf(LedgerPathOutsideRepoError);
    await expect(source.readFile('missing.beancount')).rejects.toBeInstanceOf(LedgerFileNotFoundError);
  });
});

describe('recordTransaction', () => {
  let repo: string;
  beforeEach(() => {
    repo = newRepo({ 'main.beancount': MAIN, 'accounts.beancount': ACCOUNTS, '.gitignore': 'local/\n' });
  });

  it('appends after exactly one blank line, commits only that file and returns the new HEAD', async () => {
    const before = readFileSync(path.join(repo, 'main.beancount'));
    const parent = head(repo);
    const commit = await recordTransaction(
      repo,
      'main.beancount',
      ENTRY,
      { message: 'Record bread', author: { name: 'Ann Author', email: 'ann@example.com' } },
      gitOptions,
    );
    const after = readFileSync(path.join(repo, 'main.beancount'));
    expect(commit).toBe(head(repo));
    expect(after.subarray(0, before.length).equals(before)).toBe(true);
    expect(after.toString('utf8')).toBe(`${MAIN}\n${ENTRY}`);
    expect(status(repo)).toBe('');
    expect(git(repo, 'rev-parse', `${commit}^`).trim()).toBe(parent);
    expect(git(repo, 'show', '--name-only', '--format=%an <%ae>%n%s', commit).trim().split('\n')).toEqual([
      'Ann Author <ann@example.com>',
      'Record bread',
      '',
      'main.beancount',
    ]);
    // The committed blob is the file on disk.
    expect(git(repo, 'show', `${commit}:main.beancount`)).toBe(after.toString('utf8'));
  });

  it('normalises the separation: no newline at end, trailing blank lines, empty file, CRLF', async () => {
    write(repo, 'a.beancount', '; no newline at end');
    write(repo, 'b.beancount', '; trailing blank lines\n\n\n');
    write(repo, 'c.beancount', '');
    write(repo, 'd.beancount', '; crlf\r\n2024-01-01 open Assets:X\r\n');
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'more files');

    const messy = `\n\n${ENTRY.replace(/\n/g, '\r\n')}\n\n\n`;
    for (const f of ['a', 'b', 'c', 'd']) {
      await recordTransaction(repo, `${f}.beancount`, messy, { message: `append ${f}` }, gitOptions);
    }
    const read = (f: string) => readFileSync(path.join(repo, `${f}.beancount`), 'utf8');
    expect(read('a')).toBe(`; no newline at end\n\n${ENTRY}`);
    expect(read('b')).toBe(`; trailing blank lines\n\n\n${ENTRY}`);
    expect(read('c')).toBe(ENTRY);
    expect(read('d')).toBe(`; crlf\r\n2024-01-01 open Assets:X\r\n\r\n${ENTRY.replace(/\n/g, '\r\n')}`);
    expect(status(repo)).toBe('');
  });

  it('accepts an absolute path inside the repository and a file in a subfolder', async () => {
    write(repo, 'journal/2024.beancount', '; journal\n');
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'journal');
    await recordTransaction(
      repo,
      path.join(repo, 'journal', '2024.beancount'),
      ENTRY,
      { message: 'm' },
      gitOptions,
    );
    expect(readFileSync(path.join(repo, 'journal/2024.beancount'), 'utf8')).toBe(`; journal\n\n${ENTRY}`);
    expect(git(repo, 'show', '--name-only', '--format=', 'HEAD').trim()).toBe('journal/2024.beancount');
  });

  it('refuses a dirty tree with DirtyLedgerError and changes nothing', async () => {
    write(repo, 'accounts.beancount', `${ACCOUNTS}; edit in progress\n`);
    const before = readFileSync(path.join(repo, 'main.beancount'));
    const parent = head(repo);
    const error = await recordTransaction(repo, 'main.beancount', ENTRY, { message: 'm' }, gitOptions).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DirtyLedgerError);
    expect((error as DirtyLedgerError).code).toBe('LEDGER_DIRTY');
    expect(readFileSync(path.join(repo, 'main.beancount')).equals(before)).toBe(true);
    expect(head(repo)).toBe(parent);

    // An untracked file also counts as dirty.
    git(repo, 'checkout', '-q', '--', 'accounts.beancount');
    write(repo, 'new.beancount', '; new\n');
    await expect(
      recordTransaction(repo, 'main.beancount', ENTRY, { message: 'm' }, gitOptions),
    ).rejects.toBeInstanceOf(DirtyLedgerError);
  });

  it('refuses files outside the repository, inside .git, missing, untracked or ignored', async () => {
    const outsideFile = path.join(scratch, `outside-${++counter}.beancount`);
    writeFileSync(outsideFile, '; outside\n');
    symlinkSync(outsideFile, path.join(repo, 'link.beancount'));
    git(repo, 'add', 'link.beancount');
    git(repo, 'commit', '-q', '-m', 'symlink');
    const attempt = (file: string) => recordTransaction(repo, file, ENTRY, { message: 'm' }, gitOptions);

    await expect(attempt('../outside.beancount')).rejects.toBeInstanceOf(LedgerPathOutsideRepoError);
    await expect(attempt(outsideFile)).rejects.toBeInstanceOf(LedgerPathOutsideRepoError);
    await expect(attempt('link.beancount')).rejects.toBeInstanceOf(LedgerPathOutsideRepoError);
    await expect(attempt('.git/config')).rejects.toBeInstanceOf(LedgerPathOutsideRepoError);
    await expect(attempt('missing.beancount')).rejects.toBeInstanceOf(LedgerFileNotFoundError);
    write(repo, 'local/ignored.beancount', '; ignored\n');
    await expect(attempt('local/ignored.beancount')).rejects.toBeInstanceOf(LedgerFileUntrackedError);

    expect(readFileSync(outsideFile, 'utf8')).toBe('; outside\n');
    expect(readFileSync(path.join(repo, 'local/ignored.beancount'), 'utf8')).toBe('; ignored\n');
    expect(status(repo)).toBe('');
  });

  it('fails cleanly when commit.gpgsign=true and the signing key is missing, leaving the file untouched', async () => {
    git(repo, 'config', 'commit.gpgsign', 'true');
    git(repo, 'config', 'user.signingkey', '0000000000000000000000000000000000DEAD00');
    const before = readFileSync(path.join(repo, 'main.beancount'));
    const parent = head(repo);

    const error = await recordTransaction(repo, 'main.beancount', ENTRY, { message: 'm' }, gitOptions).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(LedgerCommitFailedError);
    expect((error as LedgerCommitFailedError).message).not.toContain(repo);
    expect(readFileSync(path.join(repo, 'main.beancount')).equals(before)).toBe(true);
    expect(head(repo)).toBe(parent);
    expect(status(repo)).toBe('');
  });

  it('signs the commit when commit.gpgsign=true and the key exists', async () => {
    execFileSync(
      'gpg',
      [
        '--batch',
        '--passphrase',
        '',
        '--quick-gen-key',
        'Ledger Test <ledger@example.com>',
        'ed25519',
        'sign',
        'never',
      ],
      { env, stdio: 'ignore' },
    );
    const fpr = execFileSync('gpg', ['--list-secret-keys', '--with-colons'], {
      env,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    })
      .split('\n')
      .find((l) => l.startsWith('fpr:'))!
      .split(':')[9]!;
    git(repo, 'config', 'commit.gpgsign', 'true');
    git(repo, 'config', 'user.signingkey', fpr);

    const commit = await recordTransaction(repo, 'main.beancount', ENTRY, { message: 'signed' }, gitOptions);
    expect(git(repo, 'cat-file', 'commit', commit)).toContain('-----BEGIN PGP SIGNATURE-----');
    expect(git(repo, 'log', '-1', '--format=%GF', commit).trim()).toBe(fpr);
  });

  it('serialises concurrent writes to one repository', async () => {
    const second = ENTRY.replace('Bread', 'Croissant');
    const [a, b] = await Promise.all([
      recordTransaction(repo, 'main.beancount', ENTRY, { message: 'one' }, gitOptions),
      recordTransaction(repo, 'accounts.beancount', second, { message: 'two' }, gitOptions),
    ]);
    expect(a).not.toBe(b);
    expect(git(repo, 'rev-list', '--count', 'HEAD').trim()).toBe('3');
    expect(readFileSync(path.join(repo, 'accounts.beancount'), 'utf8')).toBe(`${ACCOUNTS}\n${second}`);
    expect(status(repo)).toBe('');
  });
});
