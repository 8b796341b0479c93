// A LedgerSource over files held in memory (tests, previews of an entry before it is written).
import { expandPattern, type GlobFs } from './glob';
import type { LedgerSource } from './source';

export class MemoryLedgerSource implements LedgerSource {
  private readonly globFs: GlobFs;

  constructor(
    private readonly files: Readonly<Record<string, string>>,
    readonly label = 'memory',
  ) {
    const names = Object.keys(files);
    this.globFs = {
      list: (dir) => {
        const prefix = dir ? `${dir}/` : '';
        const seen = new Map<string, boolean>();
        for (const name of names) {
          if (!name.startsWith(prefix)) continue;
          const rest = name.slice(prefix.length);
          const slash = rest.indexOf('/');
          if (slash < 0) seen.set(rest, false);
          else seen.set(rest.slice(0, slash), true);
        }
        return Promise.resolve(seen.size ? [...seen].map(([name, isDir]) => ({ name, dir: isDir })) : null);
      },
      exists: (file) => Promise.resolve(Object.hasOwn(files, file)),
    };
  }

  readFile(file: string): Promise<string> {
    const text = this.files[file];
    return text === undefined ? Promise.reject(new Error('no such file')) : Promise.resolve(text);
  }

  expandInclude(pattern: string, fromFile: string): Promise<string[]> {
    return expandPattern(this.globFs, pattern, fromFile);
  }
}
