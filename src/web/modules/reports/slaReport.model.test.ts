import { describe, expect, it } from 'vitest';
import { formatRate, monthToDate, periodOf, rateTone } from './slaReport.model.ts';

describe('service-time report helpers', () => {
  it('colours the compliance rate at 95 % and 80 %', () => {
    expect(rateTone(1)).toBe('green');
    expect(rateTone(0.95)).toBe('green');
    expect(rateTone(0.9499)).toBe('orange');
    expect(rateTone(0.8)).toBe('orange');
    expect(rateTone(0.7999)).toBe('red');
    expect(rateTone(0)).toBe('red');
    expect(rateTone(null)).toBeNull();
  });

  it('formats rates as percentages with one decimal', () => {
    expect(formatRate(0.6667)).toBe('66.7%');
    expect(formatRate(1)).toBe('100.0%');
    expect(formatRate(0)).toBe('0.0%');
    expect(formatRate(null)).toBe('—');
  });

  it('takes the period from the address, else the month to date', () => {
    const today = new Date(2026, 10, 25);
    expect(periodOf(new URLSearchParams(''), today)).toEqual(['2026-11-01', '2026-11-25']);
    expect(periodOf(new URLSearchParams('from=2026-10-01&to=2026-10-31'), today)).toEqual(['2026-10-01', '2026-10-31']);
    expect(periodOf(new URLSearchParams('from=2026-10&to=x'), today)).toEqual(['2026-11-01', '2026-11-25']);
    expect(monthToDate(new Date(2026, 0, 1))).toEqual(['2026-01-01', '2026-01-01']);
  });
});
