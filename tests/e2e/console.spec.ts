// Loading the app and visiting every screen writes nothing to the console and violates no rule of
// the Content Security Policy, which is sent as a header exactly as the Electron shell sends it.
import { CONTENT_SECURITY_POLICY } from '../../main/electron/csp';
import { cspOf } from '../support/browser-host';
import { expect, SCREENS, test } from './fixtures';

interface Watched {
  violations: string[];
}

test('no console error, page error or CSP violation on any screen', async ({ appPage: page, host }) => {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') {
      problems.push(`${message.type()}: ${message.text()}`);
    }
  });
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  page.on('requestfailed', (request) => problems.push(`requestfailed: ${request.url()}`));
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`http ${response.status()}: ${response.url()}`);
  });
  await page.addInitScript(() => {
    const scope = globalThis as unknown as Watched & {
      document: { addEventListener(type: string, fn: (e: { violatedDirective: string }) => void): void };
    };
    scope.violations = [];
    scope.document.addEventListener('securitypolicyviolation', (event) =>
      scope.violations.push(event.violatedDirective),
    );
  });

  const response = await page.goto(host.url());
  expect(response?.headers()['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
  for (const screen of SCREENS) {
    await page.getByRole('link', { name: screen.label, exact: true }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(screen.label);
  }
  // The Status screen loaded its data, so IPC round trips are part of what was watched.
  await expect(page.getByTestId('health-check').first()).toBeVisible();

  expect(problems).toEqual([]);
  expect(await page.evaluate(() => (globalThis as unknown as Watched).violations)).toEqual([]);

  // The watcher does see a violation when there is one: an inline <style> is refused by style-src.
  await page.evaluate(() => {
    const doc = (globalThis as unknown as { document: DocumentLike }).document;
    const style = doc.createElement('style');
    style.textContent = 'body { color: red }';
    doc.head.appendChild(style);
  });
  await expect
    .poll(() => page.evaluate(() => (globalThis as unknown as Watched).violations))
    .toContain('style-src-elem');
});

interface DocumentLike {
  createElement(tag: string): { textContent: string };
  head: { appendChild(node: unknown): void };
}

test("the bundle's meta CSP is the shell's policy, less what a meta tag cannot carry", async ({ host }) => {
  const html = await fetch(host.url()).then((response) => response.text());
  const directives = (policy: string) =>
    new Map(
      policy
        .split(';')
        .map((part) => part.trim())
        .filter(Boolean)
        .map((part) => {
          const [name, ...sources] = part.split(/\s+/);
          return [name!, sources.join(' ')] as const;
        }),
    );
  const meta = directives(cspOf(html));
  const shell = directives(CONTENT_SECURITY_POLICY);
  // frame-ancestors, report-uri and sandbox are ignored in a <meta> policy; the header carries them.
  const headerOnly = new Set(['frame-ancestors', 'report-uri', 'sandbox']);
  expect([...meta.keys()].filter((name) => headerOnly.has(name))).toEqual([]);
  expect(Object.fromEntries(meta)).toEqual(
    Object.fromEntries([...shell].filter(([name]) => !headerOnly.has(name))),
  );
});
