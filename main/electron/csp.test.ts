import { describe, expect, it } from 'vitest';
import {
  CONTENT_SECURITY_POLICY,
  CSP_DIRECTIVES,
  installCspHeaders,
  withAppCsp,
  type CspSession,
} from './csp';

/** Parses a policy string into directive → sources, the way a browser reads it. */
function parsePolicy(policy: string): Map<string, string[]> {
  const directives = new Map<string, string[]>();
  for (const part of policy.split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name) directives.set(name, sources);
  }
  return directives;
}

describe('the Content Security Policy', () => {
  const policy = parsePolicy(CONTENT_SECURITY_POLICY);

  it.each([
    ['default-src', ["'self'"]],
    ['script-src', ["'self'"]],
    ['style-src', ["'self'"]],
    ['img-src', ["'self'", 'data:']],
    ['font-src', ["'self'"]],
    ['connect-src', ["'self'"]],
    ['object-src', ["'none'"]],
    ['base-uri', ["'none'"]],
    ['form-action', ["'none'"]],
    ['frame-ancestors', ["'none'"]],
  ])('sets %s to exactly %j', (directive, sources) => {
    expect(policy.get(directive)).toEqual(sources);
  });

  it('has no other directive', () => {
    expect([...policy.keys()].sort()).toEqual(Object.keys(CSP_DIRECTIVES).sort());
  });

  it('never allows eval, inline code, wildcards or any remote origin', () => {
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-eval|unsafe-inline|wasm-unsafe-eval|unsafe-hashes/);
    expect(CONTENT_SECURITY_POLICY).not.toContain('*');
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/https?:|wss?:|blob:|filesystem:|app:/);
  });
});

describe('withAppCsp', () => {
  it('replaces any policy a response brought, whatever its case, and keeps other headers', () => {
    const headers = withAppCsp({
      'content-security-policy': ["default-src *; script-src 'unsafe-eval'"],
      'Content-Security-Policy-Report-Only': ['default-src *'],
      'Content-Type': 'text/html',
      'Set-Cookie': ['a=1', 'b=2'],
    });
    expect(headers).toEqual({
      'Content-Type': ['text/html'],
      'Set-Cookie': ['a=1', 'b=2'],
      'Content-Security-Policy': [CONTENT_SECURITY_POLICY],
    });
  });

  it('adds the policy to a response without headers', () => {
    expect(withAppCsp(undefined)).toEqual({ 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] });
  });
});

describe('installCspHeaders', () => {
  it('adds the policy to every response the session receives', () => {
    let listener: Parameters<CspSession['webRequest']['onHeadersReceived']>[0] | null = null;
    installCspHeaders({ webRequest: { onHeadersReceived: (registered) => (listener = registered) } });
    expect(listener).not.toBeNull();
    const answers: unknown[] = [];
    listener!({ responseHeaders: { 'content-security-policy': ['default-src *'] } }, (response) =>
      answers.push(response),
    );
    expect(answers).toEqual([{ responseHeaders: { 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } }]);
  });
});
