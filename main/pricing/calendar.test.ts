import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addDays,
  businessDaysBefore,
  businessDaysBetween,
  businessDaysInRange,
  isBusinessDay,
  isCalendarDate,
} from './calendar';

const date = fc.integer({ min: 0, max: 20_000 }).map((n) => addDays('1990-01-01', n));

describe('business days', () => {
  it('counts weekdays after `from` up to `to` (property, against counting day by day)', () => {
    fc.assert(
      fc.property(date, fc.integer({ min: 0, max: 60 }), (from, span) => {
        const to = addDays(from, span);
        let count = 0;
        for (let d = addDays(from, 1); d <= to; d = addDays(d, 1)) if (isBusinessDay(d)) count++;
        expect(businessDaysBetween(from, to)).toBe(count);
      }),
    );
  });

  it('steps back n business days', () => {
    expect(businessDaysBefore('2024-01-08', 1)).toBe('2024-01-05'); // Monday → Friday
    expect(businessDaysBefore('2024-01-08', 5)).toBe('2024-01-01');
    expect(businessDaysBefore('2024-01-08', 6)).toBe('2023-12-29');
    expect(businessDaysBefore('2024-01-06', 0)).toBe('2024-01-06');
  });

  it('lists weekdays of a range', () => {
    expect(businessDaysInRange('2024-01-05', '2024-01-09')).toEqual([
      '2024-01-05',
      '2024-01-08',
      '2024-01-09',
    ]);
  });
});

describe('calendar dates', () => {
  it('accepts real dates only', () => {
    expect(isCalendarDate('2024-02-29')).toBe(true);
    for (const bad of ['2023-02-29', '2024-02-30', '2024-13-01', '2024-1-01', 'yesterday'])
      expect(isCalendarDate(bad)).toBe(false);
  });
});
