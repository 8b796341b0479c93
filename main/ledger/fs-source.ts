// A LedgerSource over a folder on disk (the working tree). Paths are relative to the root with
// forward slashes; an include may point outside the root (`../shared.beancount`).
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { LedgerInputFileError } from './errors';
import { expandPattern, type GlobFs } from './glob';
import type { LedgerSource } from './source';

/**
 * The real path of a ledger's top file given on the command line or in settings (relative to
 * `cwd`); LedgerInputFileError when it does not exist or is not a file.
 */
export async function resolveLedgerFile(cwd: string, file: string): Promise<string> {
  try {
    const real = await fsp.realpath(path.resolve(cwd, file));
    if (!(await fsp.stat(real)).isFile()) throw new Error('not a file');
    return real;
  } catch {
    throw new LedgerInputFileError();
  }
}

export class FsLedgerSource implements LedgerSource {
  readonly label: string;
  private readonly globFs: GlobFs;

  constructor(readonly root: string) {
    this.label = root;
    const abs = (p: string): string => path.resolve(root, ...p.split('/'));
    this.globFs = {
      async list(dir) {
        try {
          const entries = await fsp.readdir(abs(dir), { withFileTypes: true });
          return entries.map((e) => ({ name: e.name, dir: e.isDirectory() }));
        } catch {
          return null;
        }
      },
      async exists(file) {
        try {
          return (await fsp.stat(abs(file))).isFile();
        } catch {
          return false;
        }
      },
    };
  }

  async readFile(file: string): Promise<string> {
    // Decoded in one piece: reading with an encoding builds the text from chunks, which the
    // parser's first character access then has to copy into one flat string again.
    const bytes = await fsp.readFile(path.resolve(this.root, ...file.split('/')));
    return bytes.toString('utf8');
  }

  async expandInclude(pattern: string, fromFile: string): Promise<string[]> {
    const rel = path.isAbsolute(pattern)
      ? path.relative(this.root, pattern).split(path.sep).join('/')
      : pattern;
    return expandPattern(
      this.globFs,
      path.isAbsolute(pattern) ? rel : rel,
      path.isAbsolute(pattern) ? '' : fromFile,
    );
  }
}
