import { describe, expect, it } from 'vitest';
import { NEWSAPI_MAX_QUERY_LENGTH, holdingsQueries } from './client';

describe('holdingsQueries', () => {
  it('ORs each holding name and ticker', () => {
    expect(holdingsQueries([{ name: 'Apple Inc', ticker: 'AAPL' }])).toEqual(['("Apple Inc" OR AAPL)']);
  });

  it('splits into queries within NewsAPI length limit, losing no holding', () => {
    const holdings = Array.from({ length: 60 }, (_, i) => ({
      name: `Company number ${i} plc`,
      ticker: `T${i}`,
    }));
    const queries = holdingsQueries(holdings);
    expect(queries.length).toBeGreaterThan(1);
    expect(queries.every((q) => q.length <= NEWSAPI_MAX_QUERY_LENGTH)).toBe(true);
    for (const h of holdings)
      expect(queries.some((q) => q.includes(`"${h.name}" OR ${h.ticker})`))).toBe(true);
  });

  it('strips quotes and query syntax from names and tickers', () => {
    expect(holdingsQueries([{ name: 'A "B" C', ticker: 'X) OR (Y' }])).toEqual(['("A B C" OR XORY)']);
  });
});
