// "Price on a date" for benchmark prices and FX rates: the last observation dated on or before
// the date (carried forward over weekends and holidays), never one from after it.

export interface Dated {
  date: string;
}

/** Index of the last point dated on or before `date`, or -1. Points must be in increasing date order. */
export function indexAtOrBefore(points: readonly Dated[], date: string): number {
  let lo = 0;
  let hi = points.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (points[mid]!.date <= date) {
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return found;
}
