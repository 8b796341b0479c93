// `npm run screenshots`: one PNG per screen at 1280×800 in artifacts/screenshots/<screen>.png, taken
// from the production bundle with the real core behind it, plus the app's error states.
import path from 'node:path';
import { REPO_ROOT } from '../support/browser-host';
import { expect, SCREENS, test, type PageScope } from './fixtures';

const OUT_DIR = path.join(REPO_ROOT, 'artifacts', 'screenshots');

test.use({ viewport: { width: 1280, height: 800 } });

for (const screen of SCREENS) {
  test(`screenshot: ${screen.id}`, async ({ appPage: page, host }) => {
    await page.goto(host.url(`#/${screen.id}`));
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(screen.label);
    if (screen.empty === null) await expect(page.getByTestId('health-check').first()).toBeVisible();
    else await expect(page.getByTestId('empty-state')).toBeVisible();
    await page.screenshot({ path: path.join(OUT_DIR, `${screen.id}.png`), animations: 'disabled' });
  });
}

test('screenshot: status-error', async ({ appPage: page, host }) => {
  await page.goto(host.url('#/status'));
  await expect(page.getByTestId('health-check').first()).toBeVisible();
  host.clock.freeze();
  await page.evaluate(async () => {
    const { dawsos } = globalThis as unknown as PageScope;
    await Promise.all(Array.from({ length: 20 }, () => dawsos.store.status({})));
  });
  await page.getByRole('button', { name: 'Refresh' }).click();
  await expect(page.getByTestId('error-code').first()).toHaveText('RATE_LIMITED');
  await page.screenshot({ path: path.join(OUT_DIR, 'status-error.png'), animations: 'disabled' });
});

test('screenshot: bridge-missing', async ({ page, host }) => {
  await page.goto(host.url('#/status'));
  await expect(page.getByRole('alert')).toBeVisible();
  await page.screenshot({ path: path.join(OUT_DIR, 'bridge-missing.png'), animations: 'disabled' });
});
