import { describe, expect, it } from 'vitest';
import { VirtualClock } from './clock';
import { TokenBucket } from './token-bucket';

describe('TokenBucket', () => {
  it('lets a burst of `capacity` through, then one per refill interval', async () => {
    const clock = new VirtualClock();
    const bucket = new TokenBucket(3, 2, clock);
    for (let i = 0; i < 3; i++) await bucket.acquire();
    expect(clock.sleeps).toEqual([]);
    await bucket.acquire();
    await bucket.acquire();
    expect(clock.sleeps).toEqual([500, 500]);
  });

  it('refills with time but never above capacity', async () => {
    const clock = new VirtualClock();
    const bucket = new TokenBucket(2, 1, clock);
    await bucket.acquire();
    await bucket.acquire();
    clock.advance(60_000);
    expect(bucket.available()).toBe(2);
  });

  it('serves concurrent callers in order without over-spending', async () => {
    const clock = new VirtualClock();
    const bucket = new TokenBucket(1, 1, clock);
    const order: number[] = [];
    await Promise.all([0, 1, 2, 3].map((i) => bucket.acquire().then(() => order.push(i))));
    expect(order).toEqual([0, 1, 2, 3]);
    expect(clock.sleeps.reduce((a, b) => a + b, 0)).toBe(3000);
  });

  it('a Polygon Basic plan (5 a minute) spaces the sixth request 12 s after the burst', async () => {
    const clock = new VirtualClock();
    const bucket = new TokenBucket(5, 5 / 60, clock);
    for (let i = 0; i < 6; i++) await bucket.acquire();
    expect(clock.sleeps).toEqual([12_000]);
  });
});
