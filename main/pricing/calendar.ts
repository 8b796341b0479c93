// Business days for pricing: Monday to Friday, in UTC calendar dates (YYYY-MM-DD). Exchange
// holidays are not modelled: a holiday is a business day without a close, and its price is carried
// from the day before like any other gap, within MAX_CARRY_BUSINESS_DAYS.

/**
 * How far a price may be carried forward: a close at most this many business days older than the
 * pack date is used (marked carried, with its own date); an older one is not, and the commodity is
 * reported missing — never priced at zero.
 */
export const MAX_CARRY_BUSINESS_DAYS = 5;

const DAY_MS = 86_400_000;

function toMs(date: string): number {
  return Date.parse(`${date}T00:00:00Z`);
}

function toDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

// A backfill checks the same few thousand dates hundreds of thousands of times: remember answers.
const calendarDates = new Map<string, boolean>();

/** A real calendar date written YYYY-MM-DD (2024-02-30 is not one). */
export function isCalendarDate(text: string): boolean {
  let ok = calendarDates.get(text);
  if (ok === undefined) {
    const time = /^\d{4}-\d{2}-\d{2}$/.test(text) ? Date.parse(`${text}T00:00:00Z`) : Number.NaN;
    ok = !Number.isNaN(time) && toDate(time) === text;
    if (calendarDates.size < 100_000) calendarDates.set(text, ok);
  }
  return ok;
}

export function isBusinessDay(date: string): boolean {
  const dow = new Date(toMs(date)).getUTCDay();
  return dow !== 0 && dow !== 6;
}

export function addDays(date: string, days: number): string {
  return toDate(toMs(date) + days * DAY_MS);
}

// Day numbers (days since 1970-01-01) of the dates a backfill asks about again and again.
const dayNumbers = new Map<string, number>();

function dayNumber(date: string): number {
  let n = dayNumbers.get(date);
  if (n === undefined) {
    n = Math.round(toMs(date) / DAY_MS);
    if (dayNumbers.size < 100_000) dayNumbers.set(date, n);
  }
  return n;
}

/** Business days d with from < d <= to (0 when to <= from). */
export function businessDaysBetween(from: string, to: string): number {
  const a = dayNumber(from);
  const b = dayNumber(to);
  if (!(b > a)) return 0;
  const days = b - a;
  const weeks = Math.floor(days / 7);
  let count = weeks * 5;
  for (let d = a + weeks * 7 + 1; d <= b; d++) {
    // Day 0 (1970-01-01) was a Thursday: (d + 4) mod 7 is the weekday, 0 = Sunday.
    const dow = (((d + 4) % 7) + 7) % 7;
    if (dow !== 0 && dow !== 6) count++;
  }
  return count;
}

/** The business day `n` business days before `date` (n >= 0; n = 0 gives date itself). */
export function businessDaysBefore(date: string, n: number): string {
  let t = toMs(date);
  for (let left = n; left > 0;) {
    t -= DAY_MS;
    const dow = new Date(t).getUTCDay();
    if (dow !== 0 && dow !== 6) left--;
  }
  return toDate(t);
}

/** Business days in [from, to], oldest first. */
export function businessDaysInRange(from: string, to: string): string[] {
  const out: string[] = [];
  for (let t = toMs(from), end = toMs(to); t <= end; t += DAY_MS) {
    const dow = new Date(t).getUTCDay();
    if (dow !== 0 && dow !== 6) out.push(toDate(t));
  }
  return out;
}
