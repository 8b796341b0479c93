import { describe, expect, it } from 'vitest';
import { barDate } from './client';

describe('Polygon bar dates', () => {
  it('dates stock bars in New York time, winter and summer', () => {
    expect(barDate('AAPL', Date.parse('2024-01-02T05:00:00Z'))).toBe('2024-01-02');
    expect(barDate('AAPL', Date.parse('2024-07-01T04:00:00Z'))).toBe('2024-07-01');
  });
  it('dates FX and crypto bars in UTC', () => {
    expect(barDate('C:EURUSD', Date.parse('2024-07-01T00:00:00Z'))).toBe('2024-07-01');
    expect(barDate('X:BTCUSD', Date.parse('2024-07-01T00:00:00Z'))).toBe('2024-07-01');
  });
});
