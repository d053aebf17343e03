import { describe, expect, it } from 'vitest';
import { birthdayDate, daysBefore, festivalDate } from './care.calendar.ts';

describe('care calendar', () => {
  it('computes the festivals of any year', () => {
    expect(festivalDate('mid_autumn', 2026)).toBe('2026-09-25');
    expect(festivalDate('spring', 2027)).toBe('2027-02-06');
    expect(festivalDate('qingming', 2026)).toBe('2026-04-05');
    expect(festivalDate('dragon_boat', 2026)).toBe('2026-06-19');
    expect(festivalDate('lantern', 2026)).toBe('2026-03-03');
  });
  it('converts a lunar birthday to the solar date of the year', () => {
    // 农历八月十五 → the Mid-Autumn day
    expect(birthdayDate('1980-08-15', true, 2026)).toBe('2026-09-25');
    expect(birthdayDate('01-01', true, 2027)).toBe('2027-02-06');
  });
  it('celebrates a lunar 30th on the last day of a short month', () => {
    // Lunar 2026 month 2 has 29 days: 二月三十 falls on 二月廿九.
    expect(birthdayDate('1990-02-30', true, 2026)).toBe(birthdayDate('1990-02-29', true, 2026));
  });
  it('handles solar birthdays, Feb 29 in a common year, and malformed input', () => {
    expect(birthdayDate('1985-03-07', false, 2026)).toBe('2026-03-07');
    expect(birthdayDate('2000-02-29', false, 2026)).toBe('2026-02-28');
    expect(birthdayDate('2000-02-29', false, 2028)).toBe('2028-02-29');
    expect(birthdayDate('x', false, 2026)).toBeNull();
    expect(birthdayDate('1990-13-01', true, 2026)).toBeNull();
  });
  it('counts days back across months', () => {
    expect(daysBefore('2026-09-25', 3)).toBe('2026-09-22');
    expect(daysBefore('2026-03-01', 1)).toBe('2026-02-28');
  });
});
