// Browser tests: the production renderer bundle (out/renderer, built by `npx electron-vite build`) in
// Debian's Chromium, with `window.dawsos` backed by the real router and core (tests/support/browser-host.ts).
// Playwright's own browsers are never downloaded; DAWSOS_CHROMIUM points at another Chromium if needed.
//
// Projects: `e2e` (the tests) and `screenshots` (one PNG per screen in artifacts/screenshots/). Playwright
// runs every project it knows unless told otherwise, so the screenshots project is only defined when it
// is asked for by name (`npm run screenshots` = `playwright test --project=screenshots`). The choice is
// kept in an environment variable because each worker loads this file again, and must see the same list.
import { defineConfig, type Project } from '@playwright/test';

const CHROMIUM_PATH = process.env.DAWSOS_CHROMIUM ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

const argv = process.argv.slice(2);
const asksForScreenshots = argv.some(
  (arg, i) => arg === '--project=screenshots' || (arg === '--project' && argv[i + 1] === 'screenshots'),
);
if (asksForScreenshots) process.env.DAWSOS_SCREENSHOTS = '1';

const SCREENSHOT_SPEC = /screenshots\.spec\.ts$/;

const projects: Project[] = [{ name: 'e2e', testIgnore: SCREENSHOT_SPEC }];
if (process.env.DAWSOS_SCREENSHOTS === '1')
  projects.push({ name: 'screenshots', testMatch: SCREENSHOT_SPEC });

export default defineConfig({
  testDir: 'tests/e2e',
  outputDir: 'test-results',
  fullyParallel: false,
  forbidOnly: true,
  retries: 0,
  workers: 1,
  reporter: 'list',
  timeout: 30_000,
  expect: { timeout: 10_000 },
  use: {
    browserName: 'chromium',
    launchOptions: { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS },
    viewport: { width: 1280, height: 800 },
    colorScheme: 'light',
    locale: 'en-GB',
    timezoneId: 'UTC',
    serviceWorkers: 'block',
    trace: 'off',
    screenshot: 'only-on-failure',
  },
  projects,
});
