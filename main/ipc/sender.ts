// Who is calling. The Electron shell and the browser harness both describe the calling frame in
// these terms; the router accepts calls only from the main frame of an allowed origin.

export interface IpcSender {
  /** Stable id of the calling window (webContents id); rate limits are kept per window. */
  readonly id: string;
  /** Full URL of the frame that made the call. */
  readonly frameUrl: string;
  readonly isMainFrame: boolean;
}

/**
 * `scheme://host[:port]` of a URL. `URL.origin` is the string "null" for non-special schemes such
 * as `app:`, so the origin is built from its parts; anything unparsable has no origin.
 */
export function originOf(url: string): string | null {
  try {
    const parsed = new URL(url);
    if (!parsed.host) return null;
    return `${parsed.protocol}//${parsed.host}`;
  } catch {
    return null;
  }
}

export function isAllowedSender(sender: IpcSender, allowedOrigins: readonly string[]): boolean {
  if (!sender.isMainFrame) return false;
  const origin = originOf(sender.frameUrl);
  return origin !== null && allowedOrigins.includes(origin);
}
