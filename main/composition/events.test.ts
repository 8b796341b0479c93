import { describe, expect, it } from 'vitest';
import type { PatternProgress } from '../../shared/ipc/patterns';
import { CoreEvents, type CoreEvent } from './events';

const PROGRESS: PatternProgress = {
  trace_id: 't-1',
  pattern_id: 'portfolio_overview',
  step_id: 'valuation',
  status: 'done',
  done: 1,
  total: 3,
  fraction: null,
  message: null,
};

describe('CoreEvents', () => {
  it('hands a valid event to every listener, parsed, until it unsubscribes', () => {
    const events = new CoreEvents();
    const a: CoreEvent[] = [];
    const b: CoreEvent[] = [];
    const offA = events.subscribe((e) => a.push(e));
    events.subscribe((e) => b.push(e));
    expect(events.emit('patternProgress', PROGRESS)).toBe(true);
    offA();
    expect(
      events.emit('taskProgress', { taskId: 'x', kind: 'ledger', done: 0, total: null, message: '' }),
    ).toBe(true);
    expect(a).toEqual([{ kind: 'patternProgress', payload: PROGRESS }]);
    expect(b.map((e) => e.kind)).toEqual(['patternProgress', 'taskProgress']);
    expect(events.listenerCount).toBe(1);
  });

  it('refuses a payload that does not match the contract, and a kind it does not list', () => {
    const events = new CoreEvents();
    const seen: CoreEvent[] = [];
    events.subscribe((e) => seen.push(e));
    expect(
      events.emit('patternProgress', { ...PROGRESS, status: 'exploded' } as unknown as PatternProgress),
    ).toBe(false);
    expect(events.emit('patternProgress', { ...PROGRESS, done: -1 })).toBe(false);
    expect(
      events.emit('nonsense' as 'taskProgress', {
        taskId: 'x',
        kind: 'k',
        done: 0,
        total: null,
        message: '',
      }),
    ).toBe(false);
    expect(seen).toEqual([]);
  });

  it('strips what the schema does not know, so nothing extra reaches a window', () => {
    const events = new CoreEvents();
    const seen: CoreEvent[] = [];
    events.subscribe((e) => seen.push(e));
    events.emit('patternProgress', { ...PROGRESS, secret: 'value' } as PatternProgress);
    expect(seen[0]?.payload).toEqual(PROGRESS);
  });

  it('keeps delivering to the others when one listener throws', () => {
    const events = new CoreEvents();
    const seen: string[] = [];
    events.subscribe(() => {
      throw new Error('window gone');
    });
    events.subscribe((e) => seen.push(e.kind));
    expect(events.emit('patternProgress', PROGRESS)).toBe(true);
    expect(seen).toEqual(['patternProgress']);
  });
});
