// Calendar dates as ISO `YYYY-MM-DD` strings (Beancount dates have no time of day and no zone).
// Day arithmetic is done on UTC day numbers, so daylight saving never shifts a date.

const MS_PER_DAY = 86_400_000;

/** Days since 1970-01-01 for an ISO date; NaN when the string is not a real calendar date. */
export function dayNumber(date: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return Number.NaN;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) {
    return Number.NaN;
  }
  return ms / MS_PER_DAY;
}

export function isIsoDate(date: string): boolean {
  return !Number.isNaN(dayNumber(date));
}

/** Calendar days from `from` to `to` (positive when `to` is later). */
export function daysBetween(from: string, to: string): number {
  return dayNumber(to) - dayNumber(from);
}

/** The ISO date `days` after `date`. */
export function addDays(date: string, days: number): string {
  return new Date((dayNumber(date) + days) * MS_PER_DAY).toISOString().slice(0, 10);
}
