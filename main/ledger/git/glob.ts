// Include-pattern matching against a list of file paths (a git tree listing), with the semantics
// Beancount gets from Python's glob.glob(pattern, recursive=True):
//   `*` any run of characters within one path segment, `?` one character, `[abc]`/`[a-z]`/`[!a]`
//   character classes, `**` as a whole segment any number (zero included) of directories.
//   A wildcard segment never matches a name starting with `.` unless the pattern segment itself
//   starts with `.` (Python's hidden-file rule). Only files are matched: a tree listing has no
//   directories.

const MAGIC = /[*?[]/;

export function hasGlobMagic(pattern: string): boolean {
  return MAGIC.test(pattern);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** One path segment's pattern → regex source (no anchors), `[^/]`-bounded. */
function segmentSource(seg: string): string {
  let out = '';
  // Python's glob hides dot-files from wildcard segments that do not start with a dot.
  if (hasGlobMagic(seg) && !seg.startsWith('.')) out += '(?!\\.)';
  for (let i = 0; i < seg.length; i++) {
    const c = seg[i]!;
    if (c === '*') {
      out += '[^/]*';
    } else if (c === '?') {
      out += '[^/]';
    } else if (c === '[') {
      // fnmatch: `[` starts a class only when a closing `]` follows (a `]` right after `[` or `[!`
      // is literal); otherwise `[` is literal.
      let j = i + 1;
      if (seg[j] === '!') j++;
      if (seg[j] === ']') j++;
      while (j < seg.length && seg[j] !== ']') j++;
      if (j >= seg.length) {
        out += '\\[';
        continue;
      }
      let body = seg.slice(i + 1, j);
      let negate = false;
      if (body.startsWith('!')) {
        negate = true;
        body = body.slice(1);
      }
      const cls = body.replace(/[\\\]^]/g, '\\$&');
      out += negate ? `(?!/)[^${cls}]` : `[${cls}]`;
      i = j;
    } else {
      out += escapeRegExp(c);
    }
  }
  return out;
}

/**
 * Converts a glob over forward-slash paths (relative, already joined to the including folder and
 * normalised) into an anchored regular expression.
 */
export function globToRegExp(pattern: string): RegExp {
  const segments = pattern.split('/');
  let src = '';
  segments.forEach((seg, idx) => {
    const last = idx === segments.length - 1;
    if (seg === '**') {
      // Zero or more non-hidden directories; as the last segment, also any non-hidden file below.
      src += last ? '(?:(?!\\.)[^/]+(?:/(?!\\.)[^/]+)*)' : '(?:(?!\\.)[^/]+/)*';
      return;
    }
    src += segmentSource(seg) + (last ? '' : '/');
  });
  return new RegExp(`^${src}$`, 'u');
}

/** The files of `files` the pattern matches, sorted (Beancount's own order is the file system's). */
export function matchGlob(pattern: string, files: readonly string[]): string[] {
  if (!hasGlobMagic(pattern)) return files.includes(pattern) ? [pattern] : [];
  const re = globToRegExp(pattern);
  return files.filter((f) => re.test(f)).sort();
}
