// The About / Status screen shows real values from the core, through the bridge and the router.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { runDoctor } from '../../main/health/doctor';
import { REPO_ROOT } from '../support/browser-host';
import { expect, test, type PageScope } from './fixtures';

const pkg = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };

test('the Status screen shows the version, host, Node, store state and every health check', async ({
  appPage: page,
  host,
}) => {
  await page.goto(host.url('#/status'));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('About / Status');

  await expect(page.getByTestId('app-version')).toHaveText(pkg.version);
  await expect(page.getByTestId('app-name')).toHaveText('DawsOS');
  await expect(page.getByTestId('app-host')).toContainText('Test harness');
  await expect(page.getByTestId('app-node')).toHaveText(process.versions.node);
  await expect(page.getByTestId('app-platform')).toHaveText(`${process.platform} ${process.arch}`);
  await expect(page.getByTestId('app-uptime')).toHaveText(/^\d+ s$|min/);

  // A fresh data folder has no store yet, and the screen shows where it will be.
  await expect(page.getByTestId('store-state').locator('[data-state]')).toHaveAttribute(
    'data-state',
    'absent',
  );
  await expect(page.getByTestId('store-state')).toHaveText('Absent');
  await expect(page.getByTestId('store-path')).toHaveText(host.core.paths.store);
  await expect(page.getByTestId('store-size')).toHaveText('—');

  // The same checks `dawsos doctor` runs on this machine, each with its result and detail.
  const expected = await runDoctor(host.core.paths);
  const rows = page.getByTestId('health-check');
  await expect(rows).toHaveCount(expected.length);
  for (const [i, check] of expected.entries()) {
    const row = rows.nth(i);
    await expect(row.getByRole('rowheader')).toHaveText(check.name);
    await expect(row).toHaveAttribute('data-ok', String(check.ok));
    await expect(row.getByRole('cell').first()).toHaveText(check.ok ? 'OK' : 'Fail');
  }
  const failing = expected.filter((check) => !check.ok).length;
  await expect(page.getByTestId('status-summary')).toHaveText(
    failing === 0
      ? `All ${expected.length} health checks pass`
      : `${failing} of ${expected.length} health checks need attention`,
  );
});

test('a store file on disk shows as locked with its size', async ({ appPage: page, host }) => {
  writeFileSync(host.core.paths.store, Buffer.alloc(2048));
  await page.goto(host.url('#/status'));
  await expect(page.getByTestId('store-state').locator('[data-state]')).toHaveAttribute(
    'data-state',
    'locked',
  );
  await expect(page.getByTestId('store-size')).toHaveText('2.0 KiB');
});

test('a refused call shows its typed error code and message, and Try again recovers', async ({
  appPage: page,
  host,
}) => {
  await page.goto(host.url('#/status'));
  await expect(page.getByTestId('app-version')).toHaveText(pkg.version);

  // Stop the router's clock and empty this window's rate-limit bucket: the screen's own calls are refused.
  host.clock.freeze();
  await page.evaluate(async () => {
    const { dawsos } = globalThis as unknown as PageScope;
    await Promise.all(Array.from({ length: 20 }, () => dawsos.store.status({})));
  });
  await page.getByRole('button', { name: 'Refresh' }).click();

  const alerts = page.getByRole('alert');
  await expect(alerts).toHaveCount(2); // application (with its health checks) and store
  for (const alert of await alerts.all()) {
    await expect(alert).toContainText('Could not load');
    await expect(alert).toContainText('Too many requests; try again in a moment.');
    await expect(alert.getByTestId('error-code')).toHaveText('RATE_LIMITED');
  }
  await expect(page.getByTestId('status-summary')).toHaveText('Status could not be read completely');
  await expect(page.getByTestId('app-version')).toHaveCount(0);

  // A second later the bucket has refilled, and Try again brings the values back.
  host.clock.advance(1_000);
  await page.getByRole('button', { name: 'Try again' }).first().click();
  await expect(page.getByTestId('app-version')).toHaveText(pkg.version);
  await expect(page.getByTestId('store-state')).toHaveText('Absent');
  await expect(page.getByRole('alert')).toHaveCount(0);
  expect(host.logs.text()).toContain('ipc call refused: rate limit');
});
