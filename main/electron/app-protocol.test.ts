import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  APP_ORIGIN,
  APP_SCHEME,
  createAppProtocolHandler,
  isInsideRoot,
  mimeTypeFor,
  registerAppScheme,
  resolveAppUrl,
  serveAppProtocol,
  type AppRequest,
} from './app-protocol';
import { CONTENT_SECURITY_POLICY } from './csp';

let base: string;
let root: string;

beforeAll(() => {
  base = mkdtempSync(path.join(os.tmpdir(), 'dawsos-app-protocol-'));
  root = path.join(base, 'renderer');
  mkdirSync(path.join(root, 'assets'), { recursive: true });
  writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>DawsOS</title>');
  writeFileSync(path.join(root, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(path.join(root, 'assets', 'app.css'), 'body{}');
  writeFileSync(path.join(root, '.env'), 'FMP_KEY=do-not-serve');
  // Beside the root, not in it: what a traversal would try to reach.
  writeFileSync(path.join(base, 'secret.txt'), 'outside the renderer');
  mkdirSync(path.join(root, 'bundle.d'));
  mkdirSync(path.join(base, 'renderer-evil'));
  writeFileSync(path.join(base, 'renderer-evil', 'x.js'), 'sibling folder with a shared prefix');
});

afterAll(() => rmSync(base, { recursive: true, force: true }));

describe('resolveAppUrl', () => {
  it('maps app paths to files inside the renderer folder', () => {
    expect(resolveAppUrl(root, 'app://dawsos/index.html')).toEqual({ file: path.join(root, 'index.html') });
    expect(resolveAppUrl(root, 'app://dawsos/assets/app.js?v=1#x')).toEqual({
      file: path.join(root, 'assets', 'app.js'),
    });
    expect(resolveAppUrl(root, 'app://dawsos/assets/my%20file.js')).toEqual({
      file: path.join(root, 'assets', 'my file.js'),
    });
  });

  it('answers extension-less paths (client routes) with index.html, and only those', () => {
    const index = { file: path.join(root, 'index.html') };
    expect(resolveAppUrl(root, 'app://dawsos/')).toEqual(index);
    expect(resolveAppUrl(root, 'app://dawsos')).toEqual(index);
    expect(resolveAppUrl(root, 'app://dawsos/holdings')).toEqual(index);
    expect(resolveAppUrl(root, 'app://dawsos/settings/providers')).toEqual(index);
    expect(resolveAppUrl(root, 'app://dawsos/assets/missing.js')).toEqual({
      file: path.join(root, 'assets', 'missing.js'),
    });
  });

  it.each([
    ['plain dot-dot', 'app://dawsos/../secret.txt'],
    ['dot-dot deeper', 'app://dawsos/assets/../../secret.txt'],
    ['dot-dot at the end', 'app://dawsos/assets/..'],
    ['encoded dot-dot', 'app://dawsos/%2e%2e/secret.txt'],
    ['upper-case encoded dot-dot', 'app://dawsos/%2E%2E/secret.txt'],
    ['half-encoded dot-dot', 'app://dawsos/.%2e/secret.txt'],
    ['other half-encoded dot-dot', 'app://dawsos/%2e./secret.txt'],
    ['dot-dot behind an encoded slash', 'app://dawsos/assets/..%2f..%2fsecret.txt'],
    ['fully encoded traversal', 'app://dawsos/%2e%2e%2fsecret.txt'],
    ['backslash', 'app://dawsos/..\\secret.txt'],
    ['encoded backslash', 'app://dawsos/%5c..%5csecret.txt'],
    ['encoded NUL', 'app://dawsos/index.html%00.js'],
    ['raw NUL', 'app://dawsos/index.html\u0000.js'],
    ['drive letter', 'app://dawsos/C:/Windows/win.ini'],
    ['encoded drive letter', 'app://dawsos/C%3a/Windows/win.ini'],
    ['dot-file', 'app://dawsos/.env'],
    ['other host', 'app://evil/index.html'],
    ['other host with the app host as user', 'app://dawsos@evil/index.html'],
    ['credentials', 'app://user:pass@dawsos/index.html'],
    ['port', 'app://dawsos:8080/index.html'],
    ['file scheme', 'file:///etc/passwd'],
    ['https scheme', 'https://dawsos/index.html'],
  ])('refuses %s', (_name, url) => {
    const result = resolveAppUrl(root, url);
    expect(result).toEqual({ status: 403 });
  });

  it('answers malformed percent-encoding with 400', () => {
    expect(resolveAppUrl(root, 'app://dawsos/%E0%A4%A.js')).toEqual({ status: 400 });
    expect(resolveAppUrl(root, 'not a url')).toEqual({ status: 400 });
  });

  it('keeps double-encoded and slash-heavy paths inside the root', () => {
    for (const url of [
      'app://dawsos/%252e%252e/secret.txt',
      'app://dawsos//etc/passwd.txt',
      'app://dawsos/%2Fetc%2Fpasswd.txt',
    ]) {
      const result = resolveAppUrl(root, url);
      expect('file' in result && result.file.startsWith(root + path.sep)).toBe(true);
    }
  });

  it('never resolves outside the root, whatever follows the origin (property)', () => {
    const pieces = fc.constantFrom(
      '..',
      '.',
      '%2e',
      '%2E',
      '/',
      '\\',
      '%2f',
      '%5c',
      '%00',
      'a',
      'b.js',
      ':',
      '%',
      '@',
      '?',
      '#',
    );
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 12 }), (parts) => {
        const result = resolveAppUrl(root, `${APP_ORIGIN}/${parts.join('')}`);
        if ('file' in result) {
          const inside = path.relative(root, result.file);
          expect(inside.startsWith('..') || path.isAbsolute(inside) || inside === '').toBe(false);
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe('isInsideRoot', () => {
  it('accepts files under the root and nothing else', () => {
    expect(isInsideRoot('/srv/renderer', '/srv/renderer/index.html')).toBe(true);
    expect(isInsideRoot('/srv/renderer', '/srv/renderer/assets/a.js')).toBe(true);
    expect(isInsideRoot('/srv/renderer', '/srv/renderer')).toBe(false);
    expect(isInsideRoot('/srv/renderer', '/srv/renderer-evil/a.js')).toBe(false);
    expect(isInsideRoot('/srv/renderer', '/srv/renderer/../secret.txt')).toBe(false);
    expect(isInsideRoot('/srv/renderer', '/etc/passwd')).toBe(false);
  });
});

describe('mimeTypeFor', () => {
  it.each([
    ['index.html', 'text/html; charset=utf-8'],
    ['a.js', 'text/javascript; charset=utf-8'],
    ['a.mjs', 'text/javascript; charset=utf-8'],
    ['a.css', 'text/css; charset=utf-8'],
    ['a.json', 'application/json; charset=utf-8'],
    ['a.svg', 'image/svg+xml'],
    ['a.PNG', 'image/png'],
    ['a.woff2', 'font/woff2'],
    ['a.wasm', 'application/wasm'],
    ['a.unknown', 'application/octet-stream'],
  ])('%s is %s', (file, type) => {
    expect(mimeTypeFor(file)).toBe(type);
  });
});

describe('createAppProtocolHandler', () => {
  const get = (url: string, method = 'GET'): Promise<Response> => {
    const request: AppRequest = { url, method };
    return createAppProtocolHandler({ root })(request);
  };

  it('serves index.html with its type, the CSP and nosniff', async () => {
    const response = await get('app://dawsos/');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await response.text()).toContain('<title>DawsOS</title>');
  });

  it('serves assets with their MIME type', async () => {
    const js = await get('app://dawsos/assets/app.js');
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await js.text()).toBe('console.log(1)');
    const css = await get('app://dawsos/assets/app.css');
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
  });

  it('falls back to index.html for client routes but 404s a missing asset', async () => {
    const route = await get('app://dawsos/holdings');
    expect(route.status).toBe(200);
    expect(await route.text()).toContain('<title>DawsOS</title>');
    expect((await get('app://dawsos/assets/missing.js')).status).toBe(404);
    expect((await get('app://dawsos/assets.js')).status).toBe(404);
  });

  it('404s a folder', async () => {
    expect((await get('app://dawsos/bundle.d')).status).toBe(404);
  });

  it('refuses traversal, dot-files and other hosts without leaking the file, CSP still attached', async () => {
    for (const url of [
      'app://dawsos/../secret.txt',
      'app://dawsos/%2e%2e/secret.txt',
      'app://dawsos/..%2fsecret.txt',
      'app://dawsos/../renderer-evil/x.js',
      'app://dawsos/.env',
      'app://evil/index.html',
    ]) {
      const response = await get(url);
      expect(response.status, url).toBe(403);
      expect(await response.text()).toBe('');
      expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    }
  });

  it('answers only GET and HEAD', async () => {
    expect((await get('app://dawsos/index.html', 'POST')).status).toBe(405);
    expect((await get('app://dawsos/index.html', 'PUT')).status).toBe(405);
    const head = await get('app://dawsos/index.html', 'HEAD');
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });
});

describe('scheme registration', () => {
  it('registers app: as standard, secure and fetch-capable, and nothing more', () => {
    const registered: unknown[] = [];
    registerAppScheme({ registerSchemesAsPrivileged: (schemes) => registered.push(...schemes) });
    expect(registered).toEqual([
      { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } },
    ]);
    const privileges = (registered[0] as { privileges: Record<string, boolean> }).privileges;
    expect(privileges.bypassCSP).toBeUndefined();
    expect(privileges.corsEnabled).toBeUndefined();
    expect(privileges.allowServiceWorkers).toBeUndefined();
  });

  it('serves the scheme with the renderer folder as root', async () => {
    const handlers = new Map<string, (request: AppRequest) => Promise<Response>>();
    serveAppProtocol({ handle: (scheme, handler) => handlers.set(scheme, handler) }, root);
    expect([...handlers.keys()]).toEqual([APP_SCHEME]);
    const response = await handlers.get(APP_SCHEME)?.({ url: 'app://dawsos/index.html', method: 'GET' });
    expect(response?.status).toBe(200);
    expect(
      (await handlers.get(APP_SCHEME)?.({ url: 'app://dawsos/../secret.txt', method: 'GET' }))?.status,
    ).toBe(403);
  });
});
