import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PatternEnvelope } from '../../shared/ipc/patterns';
import { createLogger, MemorySink } from '../logging/logger';
import { DailyReconciliation, RECONCILE_FIRST_DELAY_MS, RECONCILE_INTERVAL_MS } from './reconcile-schedule';

function envelope(status: string, differences: number): PatternEnvelope {
  return {
    pattern_id: 'reconciliation',
    portfolio_id: 'p',
    pricing_pack_id: 'pack',
    ledger_commit_hash: 'abc1234',
    trace_id: 't',
    generated_at: '2026-01-01T00:00:00.000Z',
    panels: {
      reconciliation: {
        data: { status, differences: Array.from({ length: differences }, () => ({})) },
        stale: false,
        message: null,
        provenance: [],
        rights: { export: true },
      },
    },
  };
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('DailyReconciliation', () => {
  it('runs shortly after start and then daily, for every portfolio, never logging values', async () => {
    const sink = new MemorySink();
    const calls: string[] = [];
    const daily = new DailyReconciliation({
      portfolios: () => ['a', 'b'],
      reconcile: (id) => {
        calls.push(id);
        return Promise.resolve(id === 'a' ? envelope('matched', 0) : envelope('mismatch', 2));
      },
      logger: createLogger({ sink }),
    });
    daily.start();
    await vi.advanceTimersByTimeAsync(RECONCILE_FIRST_DELAY_MS - 1);
    expect(calls).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toEqual(['a', 'b']);
    await vi.advanceTimersByTimeAsync(RECONCILE_INTERVAL_MS);
    expect(calls).toEqual(['a', 'b', 'a', 'b']);
    daily.stop();
    await vi.advanceTimersByTimeAsync(RECONCILE_INTERVAL_MS * 2);
    expect(calls).toHaveLength(4);
    expect(sink.lines.join('\n')).toContain('"mismatched":1');
  });

  it('reports a failing portfolio without stopping the others, and joins a run in progress', async () => {
    const daily = new DailyReconciliation({
      portfolios: () => ['bad', 'good'],
      reconcile: (id) =>
        id === 'bad' ? Promise.reject(new Error('boom')) : Promise.resolve(envelope('matched', 0)),
      logger: createLogger({ sink: new MemorySink() }),
    });
    const [first, second] = await Promise.all([daily.runOnce(), daily.runOnce()]);
    expect(first).toBe(second);
    expect(first).toEqual([
      { portfolio_id: 'bad', status: 'failed', differences: 0 },
      { portfolio_id: 'good', status: 'matched', differences: 0 },
    ]);
  });
});
