// Schema check at the entry of each public analytics function. A mismatch becomes an
// AnalyticsInputError whose message names the field path only (never the offending value).
import type { z } from 'zod';
import { AnalyticsInputError } from './errors';

export function parseInput<S extends z.ZodType>(schema: S, value: unknown, what: string): z.infer<S> {
  const result = schema.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0];
    const path = issue ? issue.path.map(String).join('.') : '';
    throw new AnalyticsInputError(`Invalid ${what}${path ? ` at ${path.replace(/[^\w.]/g, '')}` : ''}.`);
  }
  return result.data;
}

/** Throws unless the dates are strictly increasing. */
export function assertIncreasingDates(dates: readonly string[], what: string): void {
  for (let i = 1; i < dates.length; i += 1) {
    if ((dates[i] as string) <= (dates[i - 1] as string)) {
      throw new AnalyticsInputError(`The ${what} dates must be strictly increasing.`);
    }
  }
}
