// The deterministic identity of a logical request: provider, operation and canonical parameters
// (keys sorted, the API key never among them). Dead letters and last-good values are keyed by it,
// so the same request failing twice makes one letter, not two.
import { createHash } from 'node:crypto';
import type { ProviderName } from '../types';

export type RequestParams = Readonly<Record<string, string | number | boolean | null>>;

export interface RequestSpec {
  readonly provider: ProviderName;
  readonly operation: string;
  readonly params: RequestParams;
}

export function canonicalParams(params: RequestParams): string {
  const sorted = Object.keys(params)
    .sort()
    .map((key) => [key, params[key]]);
  return JSON.stringify(sorted);
}

export function requestKey(spec: RequestSpec): string {
  return createHash('sha256')
    .update(`${spec.provider}\n${spec.operation}\n${canonicalParams(spec.params)}`)
    .digest('hex');
}
