// Playwright fixtures over the browser host: `host` is a fresh core (own temp data folder), router and
// renderer server per test; `appPage` is a page with `window.dawsos` installed. The bridge bundle is
// built once per worker.
import { test as base, type Page } from '@playwright/test';
import type { DawsosBridge } from '../../shared/ipc';
import type { IpcResult } from '../../shared/ipc/contract';
import { buildBridgeScript, startBrowserHost, type BrowserHost } from '../support/browser-host';

/** What a page sees on its global object; use as `(globalThis as unknown as PageScope)` inside evaluate. */
export interface PageScope {
  readonly dawsos: DawsosBridge;
  readonly __dawsosInvoke: (channel: unknown, payload: unknown) => Promise<IpcResult<unknown>>;
}

export const test = base.extend<{ host: BrowserHost; appPage: Page }, { bridgeScript: string }>({
  bridgeScript: [
    // eslint-disable-next-line no-empty-pattern -- Playwright requires the destructuring pattern
    async ({}, use) => {
      await use(await buildBridgeScript());
    },
    { scope: 'worker' },
  ],
  host: async ({ bridgeScript }, use) => {
    const host = await startBrowserHost({ bridgeScript });
    await use(host);
    await host.close();
  },
  appPage: async ({ page, host }, use) => {
    await host.install(page);
    await use(page);
  },
});

export { expect } from '@playwright/test';

/** The screens of the sidebar, in order, with the title of the empty state each shows (if any). */
export const SCREENS = [
  { id: 'overview', label: 'Overview', empty: 'No ledger loaded yet' },
  { id: 'holdings', label: 'Holdings', empty: 'No holdings to show' },
  { id: 'transactions', label: 'Transactions', empty: 'No transactions yet' },
  { id: 'performance', label: 'Performance', empty: 'No performance history' },
  { id: 'risk', label: 'Risk', empty: 'No risk figures yet' },
  { id: 'macro', label: 'Macro', empty: 'No macro data yet' },
  { id: 'news', label: 'News', empty: 'No news yet' },
  { id: 'reports', label: 'Reports', empty: 'No reports yet' },
  { id: 'audit', label: 'Audit', empty: 'The audit log is empty' },
  { id: 'settings', label: 'Settings', empty: 'Nothing to configure yet' },
  { id: 'status', label: 'About / Status', empty: null },
] as const;
