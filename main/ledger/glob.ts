// Include patterns as Beancount expands them (Python's glob.glob with recursive=True): `*`, `?`
// and `[...]` within one path segment, `**` across segments, and names starting with a dot only
// matched by a pattern segment that starts with a dot. Shared by every LedgerSource.

/** True when the pattern has glob magic. */
export function hasMagic(pattern: string): boolean {
  return /[*?[]/.test(pattern);
}

/** Compiles one path segment pattern to a RegExp. */
export function segmentRegExp(segment: string): RegExp {
  let re = '^';
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i]!;
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = segment.indexOf(']', i + 2);
      if (end < 0) re += '\\[';
      else {
        let body = segment.slice(i + 1, end);
        if (body.startsWith('!')) body = `^${body.slice(1)}`;
        re += `[${body.replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else re += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`${re}$`);
}

/** Normalises `a/./b/../c` to `a/c` (forward slashes; may start with `../`). */
export function normalizePath(p: string): string {
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..' && out.length && out[out.length - 1] !== '..') out.pop();
    else out.push(part);
  }
  return out.join('/');
}

export interface GlobFs {
  /** Entries of a folder (relative to the source root, '' = root): names and whether each is a folder. */
  list(dir: string): Promise<{ name: string; dir: boolean }[] | null>;
  exists(file: string): Promise<boolean>;
}

/**
 * Expands `pattern` (relative to the folder of `fromFile`, both relative to the root) to the
 * matching files, relative to the root, sorted.
 */
export async function expandPattern(fs: GlobFs, pattern: string, fromFile: string): Promise<string[]> {
  const slash = fromFile.lastIndexOf('/');
  const baseDir = slash < 0 ? '' : fromFile.slice(0, slash);
  const full = normalizePath(baseDir ? `${baseDir}/${pattern}` : pattern);
  if (!hasMagic(full)) return (await fs.exists(full)) ? [full] : [];
  const segments = full.split('/');
  const results = new Set<string>();
  const walk = async (dir: string, i: number): Promise<void> => {
    if (i === segments.length) return;
    const seg = segments[i]!;
    const last = i === segments.length - 1;
    const join = (name: string): string => (dir ? `${dir}/${name}` : name);
    if (!hasMagic(seg)) {
      const next = join(seg);
      if (last) {
        if (await fs.exists(next)) results.add(next);
      } else await walk(next, i + 1);
      return;
    }
    const listing = await fs.list(dir);
    if (!listing) return;
    if (seg === '**') {
      // Zero or more folders.
      await walk(dir, i + 1);
      for (const e of listing) if (e.dir && !e.name.startsWith('.')) await walk(join(e.name), i);
      if (last) for (const e of listing) if (!e.name.startsWith('.')) results.add(join(e.name));
      return;
    }
    const re = segmentRegExp(seg);
    for (const e of listing) {
      if (e.name.startsWith('.') && !seg.startsWith('.')) continue;
      if (!re.test(e.name)) continue;
      if (last) results.add(join(e.name));
      else if (e.dir) await walk(join(e.name), i + 1);
    }
  };
  await walk('', 0);
  return [...results].sort();
}
