// Keeps every webContents on the app's own origin. Navigations and redirects anywhere else are
// cancelled, new windows are never created (an allowlisted https link goes to the OS browser
// instead), and <webview> can never be attached. The guard is installed from `web-contents-created`,
// so it covers every webContents the app ever gets, not only the main window's.
import type { Logger } from 'pino';
import { originOf } from '../ipc/sender';
import { isAllowedExternalUrl } from '../security/external-links';

export interface PreventableEvent {
  preventDefault(): void;
}

export interface NavigationEvent extends PreventableEvent {
  readonly url: string;
}

export const NAVIGATION_EVENTS = ['will-navigate', 'will-redirect', 'will-frame-navigate'] as const;

export interface GuardedContents {
  on(event: 'will-navigate', listener: (event: NavigationEvent) => void): unknown;
  on(event: 'will-redirect', listener: (event: NavigationEvent) => void): unknown;
  on(event: 'will-frame-navigate', listener: (event: NavigationEvent) => void): unknown;
  on(event: 'will-attach-webview', listener: (event: PreventableEvent) => void): unknown;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
}

export interface NavigationPolicy {
  /** Origins (`scheme://host[:port]`) a frame may navigate within: the app's own. */
  readonly appOrigins: readonly string[];
  /** Opens a URL in the OS browser (Electron's shell.openExternal). */
  readonly openExternal: (url: string) => Promise<void>;
  readonly logger?: Logger;
}

export function isAppUrl(url: string, appOrigins: readonly string[]): boolean {
  const origin = originOf(url);
  return origin !== null && appOrigins.includes(origin);
}

/** Opens `url` in the OS browser if, and only if, it is an allowlisted https link. */
export function openIfAllowedExternal(url: string, policy: NavigationPolicy): boolean {
  if (!isAllowedExternalUrl(url)) return false;
  policy.openExternal(url).catch((error: unknown) => {
    policy.logger?.warn({ err: error }, 'could not open an external link');
  });
  return true;
}

export function hardenWebContents(contents: GuardedContents, policy: NavigationPolicy): void {
  const blockForeign = (kind: string) => (event: NavigationEvent) => {
    if (isAppUrl(event.url, policy.appOrigins)) return;
    event.preventDefault();
    policy.logger?.warn({ kind }, 'navigation away from the app blocked');
  };
  contents.on('will-navigate', blockForeign('will-navigate'));
  contents.on('will-redirect', blockForeign('will-redirect'));
  contents.on('will-frame-navigate', blockForeign('will-frame-navigate'));
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    policy.logger?.warn('webview refused');
  });
  contents.setWindowOpenHandler(({ url }) => {
    if (!openIfAllowedExternal(url, policy)) policy.logger?.warn('window.open refused');
    return { action: 'deny' };
  });
}

export interface WebContentsCreatedSource {
  on(event: 'web-contents-created', listener: (event: unknown, contents: GuardedContents) => void): unknown;
}

/** Applies hardenWebContents to every webContents as soon as it exists. */
export function installWebContentsGuard(app: WebContentsCreatedSource, policy: NavigationPolicy): void {
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, policy));
}
