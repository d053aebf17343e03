import { describe, expect, it } from 'vitest';
import { addDays, addMonths, daysBetween } from './verification.dates.ts';

describe('re-verification dates', () => {
  it('moves a quarter on, clamped to the end of a shorter month', () => {
    expect(addMonths('2026-11-25', 3)).toBe('2027-02-25');
    expect(addMonths('2026-11-30', 3)).toBe('2027-02-28');
    expect(addMonths('2027-11-30', 3)).toBe('2028-02-29');
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2026-12-31', 12)).toBe('2027-12-31');
  });
  it('counts days', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(daysBetween('2026-11-20', '2026-11-25')).toBe(5);
    expect(daysBetween('2026-11-25', '2026-11-25')).toBe(0);
  });
});
