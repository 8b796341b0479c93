// Time as a port, so backoff, rate limits and quota periods can be tested without waiting.

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** A clock whose sleep returns at once and moves virtual time on; it records every sleep. */
export class VirtualClock implements Clock {
  readonly sleeps: number[] = [];
  constructor(private time = Date.UTC(2026, 0, 5, 12)) {}
  now(): number {
    return this.time;
  }
  sleep(ms: number): Promise<void> {
    this.sleeps.push(ms);
    this.time += Math.max(0, ms);
    return Promise.resolve();
  }
  advance(ms: number): void {
    this.time += ms;
  }
  set(time: number): void {
    this.time = time;
  }
}
