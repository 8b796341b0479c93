// What every client shares: reading the key (and registering it with the log redactor), validating
// a body with zod (a body that does not match is a failure, never data), and the zod pieces for
// provider numbers and dates.
import { z } from 'zod';
import { registerSecret } from '../logging/redact';
import { decimalText } from './decimal-text';
import { ProviderMalformedResponseError, ProviderNotConfiguredError } from './errors';
import type { ResilientProvider } from './resilience/resilient-provider';
import type { Clock } from './resilience/clock';
import type { ProviderDataSink, ProviderName, SecretSource } from './types';

export interface ClientOptions {
  readonly layer: ResilientProvider;
  readonly secrets: SecretSource;
  /** Resolved base URL (see base-url.ts), without a trailing slash. */
  readonly baseUrl: string;
  readonly clock: Clock;
  readonly sink?: ProviderDataSink;
}

export async function readKey(secrets: SecretSource, provider: ProviderName): Promise<string> {
  const key = await secrets.getKey(provider);
  if (key === null || key === '') throw new ProviderNotConfiguredError(provider);
  registerSecret(key);
  return key;
}

export function validate<S extends z.ZodType>(provider: ProviderName, schema: S, body: unknown): z.output<S> {
  const result = schema.safeParse(body);
  if (!result.success) throw new ProviderMalformedResponseError(provider, 200);
  return result.data;
}

/** A JSON number kept as its exact decimal text. */
export const decimalNumber = z.number().transform((n) => decimalText(n));
/** Same, where the provider may send null. */
export const optionalDecimal = z
  .number()
  .nullish()
  .transform((n) => (n === null || n === undefined ? null : decimalText(n)));
export const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

export function requireDate(value: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) throw new RangeError('dates are YYYY-MM-DD');
  return value;
}

/** Reads a string parameter of a dead letter back, refusing anything else. */
export function stringParam(params: Readonly<Record<string, unknown>>, name: string): string {
  const value = params[name];
  if (typeof value !== 'string') throw new RangeError(`dead letter is missing ${name}`);
  return value;
}

/** A safe log label: the path only, never the query (it may hold the key). */
export function pathLabel(url: URL): string {
  return url.pathname;
}
