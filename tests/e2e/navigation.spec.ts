// The app frame: the sidebar reaches every screen, the current one is marked for assistive tech, the
// hash route survives a reload, and screens without data show their designed empty state.
import { expect, SCREENS, test } from './fixtures';

test('the sidebar reaches every screen and marks the current one', async ({ appPage: page, host }) => {
  await page.goto(host.url());
  const nav = page.getByRole('navigation', { name: 'Main' });
  const links = nav.getByRole('link');
  await expect(links).toHaveText(SCREENS.map((screen) => screen.label));
  // With no route the app opens on the Overview.
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Overview');
  await expect(nav.getByRole('link', { name: 'Overview' })).toHaveAttribute('aria-current', 'page');

  for (const screen of SCREENS) {
    await nav.getByRole('link', { name: screen.label, exact: true }).click();
    await expect(page).toHaveURL(`${host.url()}#/${screen.id}`);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(screen.label);
    await expect(page).toHaveTitle(`${screen.label} · DawsOS`);
    await expect(nav.locator('[aria-current="page"]')).toHaveCount(1);
    await expect(nav.getByRole('link', { name: screen.label, exact: true })).toHaveAttribute(
      'aria-current',
      'page',
    );
    // Keyboard and screen-reader users land on the new screen's title (Overview was already open).
    if (screen.id !== 'overview') await expect(page.getByRole('heading', { level: 1 })).toBeFocused();

    const empty = page.getByTestId('empty-state');
    if (screen.empty === null) {
      await expect(empty).toHaveCount(0);
    } else {
      await expect(empty.getByRole('heading', { level: 2 })).toHaveText(screen.empty);
      await expect(empty.getByRole('heading', { name: 'What to do' })).toBeVisible();
      await expect(empty.getByRole('listitem').first()).toBeVisible();
    }
  }
});

test('a deep link opens its screen, unknown routes fall back, Back works', async ({
  appPage: page,
  host,
}) => {
  await page.goto(host.url('#/risk'));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Risk');
  await page.reload();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Risk');

  await page.getByRole('link', { name: 'Macro' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Macro');
  await page.goBack();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Risk');

  await page.goto(host.url('#/no-such-screen'));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Overview');
});

test('an empty state leads to the Status screen', async ({ appPage: page, host }) => {
  await page.goto(host.url('#/holdings'));
  await expect(page.getByTestId('empty-state')).toContainText('No holdings to show');
  await page.getByRole('link', { name: 'Check system status' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('About / Status');
  await expect(page.getByTestId('app-name')).toHaveText('DawsOS');
});

test('without window.dawsos the app explains it is not connected instead of crashing', async ({
  page,
  host,
}) => {
  // No host.install(page): the page has no bridge, as when index.html is opened outside the app.
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(host.url('#/status'));
  await expect(page.getByRole('alert')).toContainText('DawsOS core not connected');
  await expect(page.getByRole('alert')).toContainText('BRIDGE_MISSING');
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
  expect(errors).toEqual([]);
});
