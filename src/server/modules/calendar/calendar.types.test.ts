import { describe, expect, it } from 'vitest';
import { calendarToJson, dayErrors, formatDay, formatHHMM, formatInterval, isIsoDate, parseDay, parseHHMM, parseInterval, workingCalendarSchema } from './calendar.types.ts';
import { chinaCalendar } from './china-holidays.ts';

describe('HH:MM and intervals', () => {
  it('parses and formats times of day', () => {
    expect(parseHHMM('09:30')).toBe(570);
    expect(parseHHMM('24:00')).toBe(1440);
    expect(() => parseHHMM('24:01')).toThrow();
    expect(() => parseHHMM('9:30')).toThrow();
    expect(() => parseHHMM('12:60')).toThrow();
    expect(formatHHMM(570)).toBe('09:30');
    expect(formatHHMM(1440)).toBe('24:00');
    expect(formatHHMM(1560)).toBe('02:00');
  });
  it('reads an end at or before the start as the next day', () => {
    expect(parseInterval('18:30-02:00')).toEqual({ start: 1110, end: 1560 });
    expect(parseInterval('09:30–24:00')).toEqual({ start: 570, end: 1440 });
    expect(parseInterval('00:00-24:00')).toEqual({ start: 0, end: 1440 });
    expect(parseInterval('08:00-08:00')).toEqual({ start: 480, end: 1920 }); // a 24 h shift
    expect(() => parseInterval('24:00-02:00')).toThrow(/start at 24:00/);
    expect(formatInterval({ start: 1110, end: 1560 })).toBe('18:30-02:00');
  });
  it('parses a day and enforces the limits', () => {
    expect(parseDay('13:30-18:00, 09:00-12:00')).toEqual([{ start: 540, end: 720 }, { start: 810, end: 1080 }]);
    expect(parseDay('')).toEqual([]);
    expect(formatDay(parseDay('09:00-12:00，13:30-18:00'))).toBe('09:00-12:00, 13:30-18:00');
    expect(() => parseDay('09:00-12:00, 11:00-13:00')).toThrow(/overlap/);
    expect(() => parseDay('01:00-02:00,03:00-04:00,05:00-06:00,07:00-08:00,09:00-10:00,11:00-12:00,13:00-14:00')).toThrow(/at most 6/);
    expect(dayErrors([{ start: 600, end: 600 }])).toHaveLength(1);
    expect(dayErrors([{ start: 600, end: 2041 }])).toHaveLength(1);
    expect(dayErrors([{ start: 1440, end: 1500 }])).toHaveLength(1);
    expect(dayErrors([{ start: 600, end: 2040 }])).toEqual([]);
  });
  it('checks calendar dates', () => {
    expect(isIsoDate('2026-02-28')).toBe(true);
    expect(isIsoDate('2026-02-29')).toBe(false);
    expect(isIsoDate('2028-02-29')).toBe(true);
    expect(isIsoDate('2026-2-28')).toBe(false);
  });
});

describe('workingCalendarSchema', () => {
  it('round-trips a calendar through its JSON form', () => {
    const cal = chinaCalendar({ hours: parseDay('09:00-12:00, 13:30-18:00') });
    const json = JSON.parse(JSON.stringify(calendarToJson(cal)));
    const back = workingCalendarSchema.parse(json);
    expect(back).toEqual(cal);
  });
  it('accepts HH:MM intervals', () => {
    const cal = workingCalendarSchema.parse({
      timeZone: 'Asia/Seoul',
      week: [[], ['09:00-18:00'], ['09:00-18:00'], ['09:00-18:00'], ['09:00-18:00'], ['18:30-02:00'], []],
      holidays: ['2026-10-01'],
      workdays: ['2026-10-10'],
      years: [2026],
    });
    expect(cal.week[5]).toEqual([{ start: 1110, end: 1560 }]);
    expect(cal.holidays.has('2026-10-01')).toBe(true);
  });
  it('rejects bad input with messages', () => {
    const base = { timeZone: 'Asia/Shanghai', week: [[], [], [], [], [], [], []], holidays: [], workdays: [], years: [] };
    const bad = (v: object) => workingCalendarSchema.safeParse({ ...base, ...v });
    expect(bad({}).success).toBe(true);
    expect(bad({ timeZone: 'Asia/Nowhere' }).success).toBe(false);
    expect(bad({ week: [[], [], [], [], [], []] }).success).toBe(false);
    expect(bad({ week: [[], ['09:00-12:00', '11:00-13:00'], [], [], [], [], []] }).error?.issues[0].message).toMatch(/overlap/);
    expect(bad({ week: [[], ['25:00-26:00'], [], [], [], [], []] }).success).toBe(false);
    expect(bad({ week: [[], [{ start: 100, end: 50 }], [], [], [], [], []] }).success).toBe(false);
    expect(bad({ holidays: ['2026-02-30'] }).success).toBe(false);
    expect(bad({ holidays: ['2026-10-10'], workdays: ['2026-10-10'] }).error?.issues[0].message).toMatch(/both/);
  });
});
