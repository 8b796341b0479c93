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

test('provider alerts from the core are shown above the screen, and a closed breaker clears its alert', async ({
  appPage: page,
  host,
}) => {
  await page.goto(host.url('#/overview'));
  await expect(page.getByRole('heading', { name: 'Overview' })).toBeVisible();
  const alerts = page.getByRole('list', { name: 'Provider alerts' });

  expect(host.core.events.emit('providerAlert', { kind: 'breaker', provider: 'fmp', state: 'open' })).toBe(
    true,
  );
  expect(
    host.core.events.emit('providerAlert', {
      kind: 'quota',
      provider: 'polygon',
      period: '2026-12',
      threshold: 85,
      used: 850,
      quota: 1000,
    }),
  ).toBe(true);
  await expect(alerts.getByRole('status')).toHaveText([
    /FMP unavailable: showing the last good values/,
    /Polygon: 85 % of this period's quota used \(850 of 1000 requests\)/,
  ]);

  host.core.events.emit('providerAlert', { kind: 'breaker', provider: 'fmp', state: 'closed' });
  await expect(alerts.getByRole('status')).toHaveText([/Polygon: 85 %/]);
  await alerts.getByRole('button', { name: 'Dismiss' }).click();
  await expect(alerts).toHaveCount(0);
});
