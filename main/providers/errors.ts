// Typed provider failures. Every message is built from fixed words and the provider's name: never
// the URL (it may hold the key), never the provider's own error text, never a value. `reason` is
// the short phrase that ends "<Provider> unavailable: <reason>".
import { UserFacingError } from '../../shared/errors';
import { PROVIDER_LABELS, type ProviderName } from './types';

export type ProviderFailureKind =
  | 'http'
  | 'rate-limited'
  | 'timeout'
  | 'network'
  | 'malformed'
  | 'auth'
  | 'bad-request'
  | 'results-limit'
  | 'not-configured'
  | 'circuit-open'
  | 'quota-exhausted';

/** Failures that mean "the provider is down or overloaded": they count towards the breaker. */
const OUTAGE_KINDS: ReadonlySet<ProviderFailureKind> = new Set([
  'http',
  'rate-limited',
  'timeout',
  'network',
  'malformed',
]);

/** Failures worth trying again a moment later within the same call. */
const RETRYABLE_KINDS: ReadonlySet<ProviderFailureKind> = new Set([
  'http',
  'rate-limited',
  'timeout',
  'network',
]);

/** Failures a later replay may cure (the provider comes back, the period rolls over). */
const DEAD_LETTER_KINDS: ReadonlySet<ProviderFailureKind> = new Set([
  'http',
  'rate-limited',
  'timeout',
  'network',
  'malformed',
  'circuit-open',
  'quota-exhausted',
]);

export class ProviderError extends UserFacingError {
  constructor(
    readonly provider: ProviderName,
    readonly kind: ProviderFailureKind,
    code: string,
    readonly reason: string,
    readonly details: { status?: number; retryAfterMs?: number | null } = {},
  ) {
    super(code, `${PROVIDER_LABELS[provider]} request failed: ${reason}.`);
  }
  get status(): number | undefined {
    return this.details.status;
  }
  get retryAfterMs(): number | null {
    return this.details.retryAfterMs ?? null;
  }
  get countsAsOutage(): boolean {
    return OUTAGE_KINDS.has(this.kind);
  }
  get retryable(): boolean {
    return RETRYABLE_KINDS.has(this.kind);
  }
  get deadLetter(): boolean {
    return DEAD_LETTER_KINDS.has(this.kind);
  }
}

export class ProviderHttpError extends ProviderError {
  constructor(provider: ProviderName, status: number, retryAfterMs: number | null = null) {
    super(provider, 'http', 'PROVIDER_HTTP_ERROR', `HTTP ${status}`, { status, retryAfterMs });
  }
}
export class ProviderRateLimitedError extends ProviderError {
  constructor(provider: ProviderName, retryAfterMs: number | null, status = 429) {
    super(provider, 'rate-limited', 'PROVIDER_RATE_LIMITED', 'rate limited', { status, retryAfterMs });
  }
}
export class ProviderTimeoutError extends ProviderError {
  constructor(provider: ProviderName) {
    super(provider, 'timeout', 'PROVIDER_TIMEOUT', 'timed out');
  }
}
export class ProviderNetworkError extends ProviderError {
  constructor(provider: ProviderName) {
    super(provider, 'network', 'PROVIDER_NETWORK', 'connection failed');
  }
}
export class ProviderMalformedResponseError extends ProviderError {
  constructor(provider: ProviderName, status?: number) {
    super(
      provider,
      'malformed',
      'PROVIDER_MALFORMED_RESPONSE',
      'malformed response',
      status ? { status } : {},
    );
  }
}
export class ProviderAuthError extends ProviderError {
  constructor(provider: ProviderName, status: number) {
    super(provider, 'auth', 'PROVIDER_KEY_REFUSED', 'API key refused', { status });
  }
}
export class ProviderBadRequestError extends ProviderError {
  constructor(provider: ProviderName, status: number) {
    super(provider, 'bad-request', 'PROVIDER_BAD_REQUEST', 'request refused', { status });
  }
}
export class ProviderResultsLimitError extends ProviderError {
  constructor(provider: ProviderName, status: number) {
    super(provider, 'results-limit', 'PROVIDER_RESULTS_LIMIT', 'plan result limit reached', { status });
  }
}
export class ProviderNotConfiguredError extends ProviderError {
  constructor(provider: ProviderName) {
    super(provider, 'not-configured', 'PROVIDER_NOT_CONFIGURED', 'no API key configured');
  }
}
export class ProviderCircuitOpenError extends ProviderError {
  constructor(provider: ProviderName) {
    super(provider, 'circuit-open', 'PROVIDER_CIRCUIT_OPEN', 'circuit open after repeated failures');
  }
}
export class ProviderQuotaExhaustedError extends ProviderError {
  constructor(provider: ProviderName) {
    super(provider, 'quota-exhausted', 'PROVIDER_QUOTA_EXHAUSTED', 'plan quota used up for this period');
  }
}

/**
 * A call failed and no last good value exists to fall back on. `failure` is the typed cause.
 * The message is exactly the one a stale result would carry: "<Provider> unavailable: <reason>".
 */
export class ProviderUnavailableError extends UserFacingError {
  constructor(readonly failure: ProviderError) {
    super('PROVIDER_UNAVAILABLE', unavailableMessage(failure));
  }
}

export function unavailableMessage(failure: ProviderError): string {
  return `${PROVIDER_LABELS[failure.provider]} unavailable: ${failure.reason}`;
}
