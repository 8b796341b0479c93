import { describe, expect, it } from 'vitest';
import { globToRegExp, matchGlob } from './glob';

const files = [
  'main.beancount',
  'a/x.beancount',
  'a/.hidden.beancount',
  'a/b/y.beancount',
  'a/b/c/z.beancount',
  'a/.git/config.beancount',
  'lit[1].beancount',
  'm/2021-01.bean',
  'm/2021-1x.bean',
];

describe('include globs (Python glob semantics, recursive=True)', () => {
  it('* and ? stay within one segment', () => {
    expect(matchGlob('a/*.beancount', files)).toEqual(['a/x.beancount']);
    expect(matchGlob('*/*.beancount', files)).toEqual(['a/x.beancount']);
    expect(matchGlob('m/2021-??.bean', files)).toEqual(['m/2021-01.bean', 'm/2021-1x.bean']);
  });

  it('** matches zero or more directories, never hidden ones', () => {
    expect(matchGlob('a/**/*.beancount', files)).toEqual([
      'a/b/c/z.beancount',
      'a/b/y.beancount',
      'a/x.beancount',
    ]);
    expect(matchGlob('**/z.beancount', files)).toEqual(['a/b/c/z.beancount']);
    expect(matchGlob('a/**', files)).toEqual(['a/b/c/z.beancount', 'a/b/y.beancount', 'a/x.beancount']);
  });

  it('character classes, ranges and negation', () => {
    expect(matchGlob('m/2021-[0-9][0-9].bean', files)).toEqual(['m/2021-01.bean']);
    expect(matchGlob('m/2021-[!0]?.bean', files)).toEqual(['m/2021-1x.bean']);
    expect(globToRegExp('[!a]').test('/')).toBe(false);
  });

  it('hidden names need a pattern starting with a dot', () => {
    expect(matchGlob('a/.*.beancount', files)).toEqual(['a/.hidden.beancount']);
    expect(matchGlob('a/*', files)).toEqual(['a/x.beancount']);
  });

  it('treats regex characters and an unclosed [ literally; literal paths match exactly', () => {
    expect(matchGlob('lit[1].beancount', files)).toEqual([]);
    expect(globToRegExp('lit[[]1].beancount').test('lit[1].beancount')).toBe(true);
    expect(globToRegExp('a+b(c).bean').test('a+b(c).bean')).toBe(true);
    expect(globToRegExp('open[.bean').test('open[.bean')).toBe(true);
    expect(matchGlob('main.beancount', files)).toEqual(['main.beancount']);
    expect(matchGlob('nope.beancount', files)).toEqual([]);
  });
});
