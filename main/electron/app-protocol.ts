// Serves the built renderer (out/renderer) from the privileged `app://dawsos/` scheme instead of
// file://, so the page has a real origin the IPC router and the navigation guards can check, and so
// no request can read a file outside the renderer folder.
//
// resolveAppUrl is the whole access decision and is pure: it decodes the path once, refuses
// anything that could climb out of the root (`..` plain or percent-encoded, backslashes, NUL,
// drive letters, dot-files, other hosts or schemes), then joins it to the root and checks the
// result is still inside. Extension-less paths are client-side routes and get index.html.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { CONTENT_SECURITY_POLICY, CSP_HEADER } from './csp';

export const APP_SCHEME = 'app';
export const APP_HOST = 'dawsos';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;
const INDEX_FILE = 'index.html';

/**
 * `standard` gives the scheme real origins and relative URL resolution, `secure` makes it a secure
 * context, `supportFetchAPI` lets the page fetch its own assets. No bypassCSP, no CORS, no service
 * workers, no streaming: the page needs none of them.
 */
export const APP_SCHEME_PRIVILEGES = {
  standard: true,
  secure: true,
  supportFetchAPI: true,
} as const;

export type AppUrlResolution = { file: string } | { status: 400 | 403 | 404 };

/** Dot segments, plain or percent-encoded in any mix (`..`, `.%2e`, `%2E%2e`), in the raw URL. */
const RAW_DOT_SEGMENT = /(^|[/\\])(\.|%2e){2}(?=[/\\?#]|$)/i;
/** Encoded separators and NUL in the raw URL: they would survive URL parsing and decode later. */
const RAW_FORBIDDEN = /%5c|%00|\\|\0/i;

export function resolveAppUrl(root: string, rawUrl: string): AppUrlResolution {
  if (RAW_FORBIDDEN.test(rawUrl) || RAW_DOT_SEGMENT.test(rawUrl)) return { status: 403 };
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    return { status: 400 };
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST || url.username || url.password) {
    return { status: 403 };
  }
  let decoded: string;
  try {
    decoded = decodeURIComponent(url.pathname);
  } catch {
    return { status: 400 };
  }
  if (decoded.includes('\0') || decoded.includes('\\') || decoded.includes(':')) return { status: 403 };
  const segments = decoded.split('/').filter((segment) => segment !== '');
  // `..` after decoding (from %2f-joined input), and dot-files such as .env: never served.
  if (segments.some((segment) => segment.startsWith('.'))) return { status: 403 };

  const last = segments.at(-1);
  const relative =
    last === undefined || path.posix.extname(last) === '' ? INDEX_FILE : path.posix.join(...segments);
  const file = path.resolve(root, relative);
  // Unreachable after the checks above; kept as the last line of defence should they ever change.
  if (!isInsideRoot(root, file)) return { status: 403 };
  return { file };
}

/** Whether `file` lies strictly inside `root` (a sibling such as `root-evil` does not). */
export function isInsideRoot(root: string, file: string): boolean {
  const inside = path.relative(path.resolve(root), path.resolve(file));
  return inside !== '' && !inside.startsWith('..') && !path.isAbsolute(inside);
}

const MIME_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.wasm': 'application/wasm',
};

export function mimeTypeFor(file: string): string {
  return MIME_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/** Headers every app:// response carries, errors included. */
function baseHeaders(): Record<string, string> {
  return {
    [CSP_HEADER]: CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'no-store',
  };
}

function errorResponse(status: number): Response {
  return new Response(null, { status, headers: baseHeaders() });
}

export interface AppProtocolOptions {
  /** The built renderer folder. */
  root: string;
  readFile?: (file: string) => Promise<Uint8Array>;
}

/** What the handler reads of a request (Electron hands it a full fetch Request). */
export type AppRequest = Pick<Request, 'url' | 'method'>;

/** The `protocol.handle` handler: GET/HEAD only, resolved by resolveAppUrl. */
export function createAppProtocolHandler(
  options: AppProtocolOptions,
): (request: AppRequest) => Promise<Response> {
  const read = options.readFile ?? ((file: string) => readFile(file));
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return errorResponse(405);
    const resolved = resolveAppUrl(options.root, request.url);
    if ('status' in resolved) return errorResponse(resolved.status);
    let body: Uint8Array;
    try {
      body = await read(resolved.file);
    } catch {
      // Missing file, or a folder: either way there is nothing to serve.
      return errorResponse(404);
    }
    const headers = { ...baseHeaders(), 'Content-Type': mimeTypeFor(resolved.file) };
    return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), { status: 200, headers });
  };
}

export interface SchemeRegistrar {
  registerSchemesAsPrivileged(schemes: { scheme: string; privileges?: Record<string, boolean> }[]): void;
}

export interface ProtocolHandlerHost {
  handle(scheme: string, handler: (request: AppRequest) => Promise<Response>): void;
}

/** Must run before the app is ready. */
export function registerAppScheme(protocol: SchemeRegistrar): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { ...APP_SCHEME_PRIVILEGES } }]);
}

/** Runs once the app is ready. */
export function serveAppProtocol(protocol: ProtocolHandlerHost, root: string): void {
  protocol.handle(APP_SCHEME, createAppProtocolHandler({ root }));
}
