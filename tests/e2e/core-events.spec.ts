// The core's own events (core.events, e.g. pattern progress) reach the page by themselves, as the
// Electron shell forwards them to its window: the harness subscribes the core and pushes each event
// to every installed page, where the bridge hands it to the typed subscription.
import type { PatternProgress } from '../../shared/ipc/patterns';
import { expect, test, type PageScope } from './fixtures';

test('a pattern progress event emitted by the core reaches the page', async ({ appPage: page, host }) => {
  await page.goto(host.url('#/overview'));
  await page.evaluate(() => {
    const scope = globalThis as unknown as PageScope & { received: unknown[] };
    scope.received = [];
    scope.dawsos.events.onPatternProgress((payload) => scope.received.push(payload));
  });
  const progress: PatternProgress = {
    trace_id: 't-1',
    pattern_id: 'portfolio_overview',
    step_id: 'valuation',
    status: 'done',
    done: 1,
    total: 3,
    fraction: null,
    message: null,
  };
  expect(host.core.events.emit('patternProgress', progress)).toBe(true);
  // A payload the contract refuses never leaves the core.
  expect(host.core.events.emit('patternProgress', { ...progress, done: -1 })).toBe(false);
  await expect
    .poll(() => page.evaluate(() => (globalThis as unknown as { received: unknown[] }).received))
    .toEqual([progress]);
});
