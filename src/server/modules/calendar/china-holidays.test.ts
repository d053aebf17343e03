import { describe, expect, it } from 'vitest';
import { CHINA_OFFICIAL_HOLIDAYS, chinaCalendar, chinaDayRanges, chinaDays, daysOf } from './china-holidays.ts';
import { dayNumber, weekday } from './tz.ts';

describe('official China holidays (calendar-cn.md)', () => {
  it('ships 2025 and 2026 only', () => {
    expect(CHINA_OFFICIAL_HOLIDAYS.map((y) => y.year)).toEqual([2025, 2026]);
    expect(chinaCalendar().years).toEqual([2025, 2026]);
  });

  it('has the day counts of the notices', () => {
    const count = (year: number, id: string) => {
      const h = CHINA_OFFICIAL_HOLIDAYS.find((y) => y.year === year)!.holidays.find((x) => x.id === id)!;
      return daysOf(h.off[0], h.off[1]).length;
    };
    expect(count(2025, 'spring-festival')).toBe(8);
    expect(count(2025, 'national-day')).toBe(8);
    expect(count(2026, 'spring-festival')).toBe(9);
    expect(count(2026, 'national-day')).toBe(7);
    const { holidays, workdays } = chinaDays();
    expect([...holidays].filter((d) => d.startsWith('2025')).length).toBe(1 + 8 + 3 + 5 + 3 + 8);
    expect([...holidays].filter((d) => d.startsWith('2026')).length).toBe(3 + 9 + 3 + 5 + 3 + 3 + 7);
    expect([...workdays].sort()).toEqual([
      '2025-01-26', '2025-02-08', '2025-04-27', '2025-09-28', '2025-10-11',
      '2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10',
    ]);
  });

  it('make-up days fall on the weekdays the notices name and are never days off', () => {
    const named: Record<string, number> = {
      '2025-01-26': 0, '2025-02-08': 6, '2025-04-27': 0, '2025-09-28': 0, '2025-10-11': 6,
      '2026-01-04': 0, '2026-02-14': 6, '2026-02-28': 6, '2026-05-09': 6, '2026-09-20': 0, '2026-10-10': 6,
    };
    const { holidays, workdays } = chinaDays();
    for (const d of workdays) {
      expect([d, weekday(dayNumber(d))]).toEqual([d, named[d]]);
      expect(holidays.has(d)).toBe(false);
    }
  });

  it('each holiday lies in its year, first day ≤ last day', () => {
    for (const y of CHINA_OFFICIAL_HOLIDAYS)
      for (const h of y.holidays) {
        expect(h.off[0] <= h.off[1]).toBe(true);
        expect(h.off[0].startsWith(String(y.year))).toBe(true);
        for (const d of h.makeUp) expect(d.startsWith(String(y.year))).toBe(true);
      }
  });

  it('builds day ranges with bilingual summaries for export', () => {
    const r = chinaDayRanges([2026]);
    expect(r[0]).toEqual({ kind: 'HOLIDAY', first: '2026-01-01', last: '2026-01-03', summary: "元旦 New Year's Day" });
    expect(r.find((x) => x.first === '2026-10-10')).toEqual({
      kind: 'WORKDAY', first: '2026-10-10', last: '2026-10-10', summary: '国庆节调休上班 Make-up working day (National Day)',
    });
    expect(r).toHaveLength(7 + 6);
  });

  it('builds a calendar for other zones, hours and a subset of years', () => {
    const cal = chinaCalendar({ timeZone: 'Asia/Tokyo', hours: [{ start: 600, end: 1140 }], years: [2026] });
    expect(cal.timeZone).toBe('Asia/Tokyo');
    expect(cal.week[0]).toEqual([]);
    expect(cal.week[3]).toEqual([{ start: 600, end: 1140 }]);
    expect(cal.holidays.has('2025-10-01')).toBe(false);
    expect(cal.holidays.has('2026-10-01')).toBe(true);
    expect(cal.years).toEqual([2026]);
  });
});
