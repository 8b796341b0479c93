import { describe, expect, it } from 'vitest';
import { requestKey } from './request-key';

describe('requestKey', () => {
  it('is the same for the same request whatever the parameter order', () => {
    const a = requestKey({
      provider: 'fmp',
      operation: 'fmp.eodHistory',
      params: { symbol: 'AAPL', from: '2024-01-01', to: '2024-02-01' },
    });
    const b = requestKey({
      provider: 'fmp',
      operation: 'fmp.eodHistory',
      params: { to: '2024-02-01', from: '2024-01-01', symbol: 'AAPL' },
    });
    expect(a).toBe(b);
    expect(a).toMatch(/^[0-9a-f]{64}$/);
  });

  it('differs when provider, operation or any parameter differs', () => {
    const base = { provider: 'fmp', operation: 'fmp.quote', params: { symbol: 'AAPL' } } as const;
    const keys = new Set([
      requestKey(base),
      requestKey({ ...base, provider: 'polygon' }),
      requestKey({ ...base, operation: 'fmp.profile' }),
      requestKey({ ...base, params: { symbol: 'MSFT' } }),
      requestKey({ ...base, params: { symbol: 'AAPL', extra: null } }),
    ]);
    expect(keys.size).toBe(5);
  });
});
