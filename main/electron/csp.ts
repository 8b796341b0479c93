// The renderer's Content Security Policy. The protocol handler sends it with every app:// response
// and the session adds it to any other response, so a page can load only the app's own scripts,
// styles, images and fonts and talk to nothing but its own origin. renderer/index.html carries the
// same policy as a meta tag for the browser harness.

/** Each directive and its sources; data: images are allowed for charts rendered to data URLs. */
export const CSP_DIRECTIVES = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  'style-src': ["'self'"],
  'img-src': ["'self'", 'data:'],
  'font-src': ["'self'"],
  'connect-src': ["'self'"],
  'object-src': ["'none'"],
  'base-uri': ["'none'"],
  'form-action': ["'none'"],
  'frame-ancestors': ["'none'"],
} as const satisfies Record<string, readonly string[]>;

export const CONTENT_SECURITY_POLICY: string = Object.entries(CSP_DIRECTIVES)
  .map(([directive, sources]) => `${directive} ${sources.join(' ')}`)
  .join('; ');

export const CSP_HEADER = 'Content-Security-Policy';

export type ResponseHeaders = Record<string, string[]>;

/** The response's headers with any CSP it carried replaced by the app's. */
export function withAppCsp(
  headers: Readonly<Record<string, string | string[]>> | undefined,
): ResponseHeaders {
  const result: ResponseHeaders = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    const lower = name.toLowerCase();
    if (lower === 'content-security-policy' || lower === 'content-security-policy-report-only') continue;
    result[name] = Array.isArray(value) ? [...value] : [value];
  }
  result[CSP_HEADER] = [CONTENT_SECURITY_POLICY];
  return result;
}

interface HeadersReceivedDetails {
  responseHeaders?: Record<string, string[]>;
}

export interface CspSession {
  webRequest: {
    onHeadersReceived(
      listener: (
        details: HeadersReceivedDetails,
        callback: (response: { responseHeaders?: Record<string, string | string[]> }) => void,
      ) => void,
    ): void;
  };
}

/** Adds the policy to every response the session receives, whatever its origin. */
export function installCspHeaders(session: CspSession): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: withAppCsp(details.responseHeaders) });
  });
}
