// The provider-backed data sets pass a provider's staleness on (last good values during an outage,
// with "<Provider> unavailable: <reason>"), and FMP without a key adds nothing and is not stale.
import { describe, expect, it } from 'vitest';
import type { FmpProfile } from '../../providers/fmp/client';
import type { SeriesPoint } from '../../providers/types';
import {
  ProviderCircuitOpenError,
  ProviderHttpError,
  ProviderNotConfiguredError,
  ProviderUnavailableError,
} from '../../providers/errors';
import type { ProviderResult } from '../../providers/types';
import { FmpFundamentalsSource, FredMacroSource } from './provider-sources';

const licence = { provider: 'fmp', dataset: 'profile' } as const;

function profile(symbol: string, sector: string | null): FmpProfile {
  return {
    symbol,
    company_name: `${symbol} Inc`,
    currency: 'USD',
    exchange: 'NASDAQ',
    industry: null,
    sector,
    country: 'US',
    isin: null,
    is_etf: false,
    is_fund: false,
    is_actively_trading: true,
  };
}

type Answer = ProviderResult<FmpProfile | null> | Error;

function fmp(answers: Record<string, Answer>) {
  const asked: string[] = [];
  return {
    asked,
    client: {
      profile(symbol: string): Promise<ProviderResult<FmpProfile | null>> {
        asked.push(symbol);
        const a = answers[symbol]!;
        return a instanceof Error ? Promise.reject(a) : Promise.resolve(a);
      },
    },
  };
}

describe('FmpFundamentalsSource', () => {
  it('classifies from fresh profiles and is not stale', async () => {
    const { client, asked } = fmp({
      MSFT: {
        stale: false,
        value: profile('MSFT', 'Technology'),
        as_of: '2026-12-04T12:00:00.000Z',
        licence,
      },
      ZZZ: { stale: false, value: null, as_of: '2026-12-04T12:00:00.000Z', licence },
    });
    const answer = await new FmpFundamentalsSource(() => client).fundamentals(['ZZZ', 'MSFT']);
    expect(asked).toEqual(['MSFT', 'ZZZ']);
    expect(answer).toEqual({
      value: { MSFT: { name: 'MSFT Inc', sector: 'Technology', country: 'US' } },
      provider: 'fmp',
      dataset: 'profile',
      rights: { export: 'restricted', attribution: 'Company data: Financial Modeling Prep' },
    });
  });

  it('passes last good profiles on as stale, and names symbols with no earlier profile', async () => {
    const { client } = fmp({
      AAPL: {
        stale: true,
        value: profile('AAPL', 'Technology'),
        as_of: '2026-12-01T12:00:00.000Z',
        message: 'FMP unavailable: HTTP 503',
        licence,
      },
      NEW: new ProviderUnavailableError(new ProviderCircuitOpenError('fmp')),
    });
    const answer = await new FmpFundamentalsSource(() => client).fundamentals(['AAPL', 'NEW']);
    expect(answer.value).toEqual({ AAPL: { name: 'AAPL Inc', sector: 'Technology', country: 'US' } });
    expect(answer.stale).toBe(true);
    expect(answer.message).toBe(
      'FMP unavailable: HTTP 503; FMP unavailable: circuit open after repeated failures; no earlier profile for: NEW',
    );
  });

  it('adds nothing and is not stale without an FMP key or a usable client', async () => {
    const { client, asked } = fmp({
      AAPL: new ProviderUnavailableError(new ProviderNotConfiguredError('fmp')),
      MSFT: new ProviderUnavailableError(new ProviderHttpError('fmp', 503, null)),
    });
    const noKey = await new FmpFundamentalsSource(() => client).fundamentals(['AAPL', 'MSFT']);
    expect(noKey).toMatchObject({ value: {} });
    expect(noKey.stale).toBeUndefined();
    expect(asked).toEqual(['AAPL']);
    const locked = await new FmpFundamentalsSource(() => null).fundamentals(['AAPL']);
    expect(locked.value).toEqual({});
    expect(locked.stale).toBeUndefined();
  });
});

describe('FredMacroSource', () => {
  it('is stale with the provider message when FRED answered from its last good values', async () => {
    const points: SeriesPoint[] = [{ series_id: 'UNRATE', date: '2024-05-01', value: '4.0' }];
    const fred = {
      observations: () =>
        Promise.resolve({
          stale: true as const,
          value: points,
          as_of: '2026-12-01T00:00:00.000Z',
          message: 'FRED unavailable: timed out',
          licence: { provider: 'fred' as const, dataset: 'series-observations' },
        }),
    };
    const answer = await new FredMacroSource(fred).series(['UNRATE'], '2024-06-28', 12);
    expect(answer.stale).toBe(true);
    expect(answer.message).toBe('FRED unavailable: timed out');
    expect(answer.value.UNRATE!.observations).toEqual([{ date: '2024-05-01', value: '4.0' }]);
  });
});
