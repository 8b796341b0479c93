import { describe, expect, it } from 'vitest';
import type { NewsArticle } from '../data-harvester/sources';
import { newsDigest } from './index';

const article = (
  id: string,
  symbols: string[],
  day: string,
  exp: NewsArticle['export'] = true,
): NewsArticle => ({
  id,
  published_at: `2024-12-${day}T09:00:00Z`,
  title: id,
  summary: '',
  url: '',
  source: 'wire',
  symbols,
  provider: exp === true ? 'demo' : 'newsapi',
  licence: exp === true ? 'free' : 'NewsAPI terms: no redistribution',
  export: exp,
});

describe('newsDigest', () => {
  it('keeps articles about holdings, ranked by holding weight then newest first', () => {
    const d = newsDigest(
      [
        { commodity: 'AAA', weight: '0.6' },
        { commodity: 'BBB', weight: '0.3' },
      ],
      [
        article('b-old', ['BBB'], '01'),
        article('a', ['AAA'], '02'),
        article('x', ['ZZZ'], '03'),
        article('b-new', ['BBB', 'QQQ'], '04'),
      ],
      10,
    );
    expect(d.items.map((i) => i.id)).toEqual(['a', 'b-new', 'b-old']);
    expect(d.items[1]!.matched_holdings).toEqual(['BBB']);
    expect(d.filtered_out).toBe(1);
    expect(d.rights).toEqual({ export: true, attribution: 'free' });
  });

  it('takes the most restrictive licence of what it keeps, and honours the limit', () => {
    const d = newsDigest(
      [{ commodity: 'AAA', weight: '1' }],
      [article('a', ['AAA'], '02', 'restricted'), article('b', ['AAA'], '01')],
      1,
    );
    expect(d.items.map((i) => i.id)).toEqual(['a']);
    expect(d.rights.export).toBe('restricted');
  });
});
