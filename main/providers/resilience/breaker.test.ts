import { once } from 'node:events';
import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { ProviderAuthError, ProviderCircuitOpenError, ProviderHttpError } from '../errors';
import { ProviderBreaker, type BreakerState } from './breaker';
import { BREAKER_FAILURE_THRESHOLD, BREAKER_OPEN_MS } from './policy';

const breakers: ProviderBreaker[] = [];
afterEach(() => {
  for (const b of breakers.splice(0)) b.shutdown();
});

function make(openMs = BREAKER_OPEN_MS): {
  breaker: ProviderBreaker;
  states: EventEmitter;
  seen: BreakerState[];
} {
  const states = new EventEmitter();
  const seen: BreakerState[] = [];
  const breaker = new ProviderBreaker('fmp', {
    openMs,
    onStateChange: (s) => {
      seen.push(s);
      states.emit('state', s);
    },
  });
  breakers.push(breaker);
  return { breaker, states, seen };
}

const fail = () => Promise.reject(new ProviderHttpError('fmp', 500));
const ok = () => Promise.resolve('ok');

describe('ProviderBreaker', () => {
  it('uses the documented policy: 3 consecutive failures, 60 s open', () => {
    expect(BREAKER_FAILURE_THRESHOLD).toBe(3);
    expect(BREAKER_OPEN_MS).toBe(60_000);
  });

  it('opens on the third consecutive outage failure and then does not run the attempt', async () => {
    const { breaker } = make();
    let calls = 0;
    const counted = () => {
      calls += 1;
      return fail();
    };
    for (let i = 0; i < 3; i++) {
      expect(breaker.state).toBe('closed');
      await expect(breaker.run(counted)).rejects.toBeInstanceOf(ProviderHttpError);
    }
    expect(breaker.state).toBe('open');
    await expect(breaker.run(counted)).rejects.toBeInstanceOf(ProviderCircuitOpenError);
    expect(calls).toBe(3);
  });

  it('does not open on a failure rate alone: F F S F F S stays closed (opossum percentages would open)', async () => {
    const { breaker } = make();
    for (const step of [fail, fail, ok, fail, fail, ok]) await breaker.run(step).catch(() => undefined);
    expect(breaker.state).toBe('closed');
  });

  it('failures that are not outages (key refused) neither count nor open it', async () => {
    const { breaker } = make();
    for (let i = 0; i < 5; i++) {
      await breaker.run(() => Promise.reject(new ProviderAuthError('fmp', 401))).catch(() => undefined);
    }
    expect(breaker.state).toBe('closed');
  });

  it('goes half-open after the open period, and one good probe closes it', async () => {
    const { breaker, states, seen } = make(50);
    for (let i = 0; i < 3; i++) await breaker.run(fail).catch(() => undefined);
    await once(states, 'state');
    expect(breaker.state).toBe('half-open');
    expect(await breaker.run(ok)).toBe('ok');
    expect(breaker.state).toBe('closed');
    expect(seen).toEqual(['open', 'half-open', 'closed']);
    // Closed again, it needs three fresh failures to open.
    await breaker.run(fail).catch(() => undefined);
    expect(breaker.state).toBe('closed');
  });
});
