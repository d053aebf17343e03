import { describe, expect, it } from 'vitest';
import type { Interval, WorkingCalendar } from './calendar.types.ts';
import { parseDay } from './calendar.types.ts';
import { chinaCalendar } from './china-holidays.ts';
import { formatLocal, zonedTime } from './tz.ts';
import {
  addWorkingTime,
  isWorkingInstant,
  makeUpHours,
  NoWorkingTimeError,
  nextWorkingInstant,
  remainingAfterPause,
  resumedDeadline,
  subtractWorkingTime,
  workingIntervals,
  workingTimeBetween,
  yearsWithoutData,
} from './working-time.ts';

const H = 3_600_000;
const M = 60_000;
const SH = 'Asia/Shanghai';
const at = (date: string, hhmm: string, tz = SH) => zonedTime(tz, date, hhmm);
const local = (d: Date, tz = SH) => formatLocal(tz, d);
const due = (cal: WorkingCalendar, date: string, hhmm: string, ms: number) => local(addWorkingTime(cal, at(date, hhmm, cal.timeZone), ms), cal.timeZone);

/** Same hours every day of the week, no holidays (for shape-of-day tests). */
function everyDay(hours: readonly Interval[], timeZone = SH): WorkingCalendar {
  return { timeZone, week: { 0: hours, 1: hours, 2: hours, 3: hours, 4: hours, 5: hours, 6: hours }, holidays: new Set(), workdays: new Set(), years: [] };
}
const official = chinaCalendar(); // 09:00–18:00 Mon–Fri, 2025 + 2026 official holidays

describe('the 2026 official calendar, 09:00–18:00 Mon–Fri', () => {
  it('National Day: a complaint registered 2026-09-30 17:00 with 48 working hours is due 2026-10-14 11:00', () => {
    // By hand (9 h a working day):
    //   Wed 09-30 17:00–18:00                      1 h   (total  1)
    //   Thu 10-01 … Wed 10-07  National Day off     0
    //   Thu 10-08, Fri 10-09                        9+9  (total 19)
    //   Sat 10-10  make-up working day (调休上班)    9    (total 28)
    //   Sun 10-11  weekend                          0
    //   Mon 10-12, Tue 10-13                        9+9  (total 46)
    //   Wed 10-14  09:00–11:00                      2    (total 48) → due 11:00
    // (The other make-up day, Sun 09-20, lies before the start and does not count.)
    const start = at('2026-09-30', '17:00');
    const deadline = addWorkingTime(official, start, 48 * H);
    expect(deadline.toISOString()).toBe('2026-10-14T03:00:00.000Z'); // 11:00 +08:00
    expect(workingTimeBetween(official, start, deadline)).toBe(48 * H);
    expect(subtractWorkingTime(official, deadline, 48 * H)).toEqual(start);
    expect(yearsWithoutData(official, start, deadline)).toEqual([]);
  });

  it('counts Sun 2026-09-20 as a working day and the Mid-Autumn days 09-25…27 as off', () => {
    // Fri 09-18 17:00: 1 h; Sat 09-19 off; Sun 09-20 make-up 9 h (10); Mon–Thu 09-21…24 36 h (46);
    // Fri 09-25 … Sun 09-27 Mid-Autumn off; Mon 09-28 2 h → 11:00.
    expect(due(official, '2026-09-18', '17:00', 48 * H)).toBe('2026-09-28 11:00');
    expect(isWorkingInstant(official, at('2026-09-20', '10:00'))).toBe(true);
    expect(workingTimeBetween(official, at('2026-09-25', '00:00'), at('2026-09-28', '00:00'))).toBe(0);
  });

  it('Spring Festival: registered Fri 2026-02-13 16:00, 48 working hours → Sat 2026-02-28 10:00', () => {
    // By hand:
    //   Fri 02-13 16:00–18:00                     2 h  (total  2)
    //   Sat 02-14  make-up working day            9    (total 11)
    //   Sun 02-15 … Mon 02-23  Spring Festival off (9 days, across a weekend)
    //   Tue 02-24 … Fri 02-27                     36   (total 47)
    //   Sat 02-28  make-up working day 09:00–10:00 1   (total 48) → due 10:00
    expect(due(official, '2026-02-13', '16:00', 48 * H)).toBe('2026-02-28 10:00');
    expect(workingTimeBetween(official, at('2026-02-15', '00:00'), at('2026-02-24', '00:00'))).toBe(0);
  });

  it('Spring Festival 2025: Sun 01-26 works, 01-28…02-04 off, Sat 02-08 works', () => {
    // Fri 01-24 17:00: 1 h; Sat 01-25 off; Sun 01-26 9 (10); Mon 01-27 9 (19); 01-28…02-04 off;
    // Wed 02-05…Fri 02-07 27 (46); Sat 02-08 2 h → 11:00.
    expect(due(official, '2025-01-24', '17:00', 48 * H)).toBe('2025-02-08 11:00');
  });

  it('a deadline that uses up a day exactly stays at 18:00 (New Year 2026: Sun 01-04 is a working day)', () => {
    // Wed 2025-12-31 17:00: 1 h; 2026-01-01…03 off; Sun 01-04 make-up 9 h → 10 h at 18:00 sharp.
    const deadline = addWorkingTime(official, at('2025-12-31', '17:00'), 10 * H);
    expect(local(deadline)).toBe('2026-01-04 18:00');
    expect(isWorkingInstant(official, deadline)).toBe(false); // the end itself is not working time …
    expect(isWorkingInstant(official, new Date(deadline.getTime() - 1))).toBe(true); // … the instant before is
    expect(local(nextWorkingInstant(official, deadline))).toBe('2026-01-05 09:00');
  });

  it('starts counting at the next working instant; zero time is that instant', () => {
    expect(due(official, '2026-10-01', '10:00', 1 * H)).toBe('2026-10-08 10:00');
    expect(due(official, '2026-10-01', '10:00', 0)).toBe('2026-10-08 09:00');
    expect(due(official, '2026-10-08', '10:00', 0)).toBe('2026-10-08 10:00');
  });

  it('into 2027, which has no official data: weekends only, and the gap is reported', () => {
    // Thu 2026-12-31 17:00: 1 h; Fri 2027-01-01 counts as an ordinary Friday (no data!) 9 (10);
    // Sat/Sun off; Mon 01-04 8 h → 17:00.
    const start = at('2026-12-31', '17:00');
    const deadline = addWorkingTime(official, start, 18 * H);
    expect(local(deadline)).toBe('2027-01-04 17:00');
    expect(yearsWithoutData(official, start, deadline)).toEqual([2027]);
    expect(yearsWithoutData(official, deadline, start)).toEqual([2027]);
    expect(yearsWithoutData(official, at('2024-12-31', '12:00'), at('2025-01-02', '12:00'))).toEqual([2024]);
    // The year is local: 2026-12-31 20:00 UTC is already 2027 in Shanghai.
    expect(yearsWithoutData(official, new Date('2026-12-31T20:00:00Z'), new Date('2026-12-31T20:00:00Z'))).toEqual([2027]);
  });

  it('subtracts back across a holiday to the same start', () => {
    const end = at('2026-10-08', '10:00');
    expect(local(subtractWorkingTime(official, end, 2 * H))).toBe('2026-09-30 17:00');
    expect(local(addWorkingTime(official, end, -2 * H))).toBe('2026-09-30 17:00');
    expect(workingTimeBetween(official, end, at('2026-09-30', '17:00'))).toBe(-2 * H);
  });
});

describe('shapes of a working day', () => {
  it('two intervals (09:00–12:00, 13:30–18:00) skip the lunch break', () => {
    const cal = chinaCalendar({ hours: parseDay('09:00-12:00, 13:30-18:00') });
    expect(due(cal, '2026-03-04', '12:15', 1 * H)).toBe('2026-03-04 14:30'); // starts 13:30
    expect(due(cal, '2026-03-04', '09:00', 3 * H)).toBe('2026-03-04 12:00'); // stays at 12:00, not 13:30
    // Wed 09-30 11:00–12:00 1 h, 13:30–18:00 4.5 h (5.5); Oct 1–7 off; Thu 10-08 09:00–11:30 2.5 h.
    expect(due(cal, '2026-09-30', '11:00', 8 * H)).toBe('2026-10-08 11:30');
    // The official 48 h case with 7.5 h days: 1 + 7.5×6 (10-08, 09, 10, 12, 13, 14) = 46; 10-15 2 h → 11:00.
    expect(due(cal, '2026-09-30', '17:00', 48 * H)).toBe('2026-10-15 11:00');
    expect(workingIntervals(cal, at('2026-03-04', '00:00'), at('2026-03-05', '00:00')).map((i) => [local(i.start), local(i.end)])).toEqual([
      ['2026-03-04 09:00', '2026-03-04 12:00'],
      ['2026-03-04 13:30', '2026-03-04 18:00'],
    ]);
  });

  it('a night shift crossing midnight (18:30–02:00) belongs to the day it starts', () => {
    const cal = chinaCalendar({ hours: parseDay('18:30-02:00') });
    expect(cal.week[1]).toEqual([{ start: 1110, end: 1560 }]);
    // Fri 03-06 23:00–Sat 02:00 3 h; no shift starts Sat or Sun; Mon 03-09 18:30 + 2 h.
    expect(due(cal, '2026-03-06', '23:00', 5 * H)).toBe('2026-03-09 20:30');
    expect(isWorkingInstant(cal, at('2026-03-07', '01:00'))).toBe(true); // Saturday 01:00, Friday's shift
    expect(isWorkingInstant(cal, at('2026-03-09', '01:00'))).toBe(false); // Monday 01:00, no Sunday shift
    // The Wed 09-30 shift runs into the holiday (10-01 02:00); holidays start none; make-up Sat 10-10
    // gets the weekday shift. 23:00→02:00 3 h; Thu 10-08 7.5 (10.5); Fri 10-09 7.5 (18); Sat 10-10 +2 h.
    expect(due(cal, '2026-09-30', '23:00', 20 * H)).toBe('2026-10-10 20:30');
  });

  it('overlapping spill and next-day hours count once', () => {
    const cal = everyDay([{ start: 20 * 60, end: 32 * 60 }, { start: 6 * 60, end: 10 * 60 }]); // 20:00–08:00 and 06:00–10:00
    // From 00:00 to 24:00 one day: 00:00–10:00 (yesterday's spill 00:00–08:00 ∪ 06:00–10:00) + 20:00–24:00.
    expect(workingTimeBetween(cal, at('2026-03-04', '00:00'), at('2026-03-05', '00:00'))).toBe(14 * H);
  });

  it('09:30–24:00 ends at midnight', () => {
    const cal = chinaCalendar({ hours: parseDay('09:30-24:00') });
    expect(cal.week[1]).toEqual([{ start: 570, end: 1440 }]);
    expect(due(cal, '2026-03-02', '23:00', 1 * H)).toBe('2026-03-03 00:00'); // the interval end, kept
    expect(due(cal, '2026-03-02', '23:00', 2 * H)).toBe('2026-03-03 10:30');
    expect(isWorkingInstant(cal, at('2026-03-02', '23:59'))).toBe(true);
    expect(isWorkingInstant(cal, at('2026-03-03', '00:00'))).toBe(false);
  });

  it('24×7 is plain clock time', () => {
    const cal = everyDay(parseDay('00:00-24:00'));
    const start = new Date('2026-09-30T09:00:00Z');
    expect(addWorkingTime(cal, start, 100 * H).getTime()).toBe(start.getTime() + 100 * H);
    expect(workingTimeBetween(cal, start, new Date('2026-10-30T09:00:00Z'))).toBe(30 * 24 * H);
    expect(workingIntervals(cal, start, new Date('2026-10-30T09:00:00Z'))).toHaveLength(1); // merged across midnights
  });

  it('make-up days use Monday’s hours unless set', () => {
    const cal = chinaCalendar({ hours: parseDay('09:00-12:00, 13:30-18:00') });
    expect(makeUpHours(cal)).toEqual(cal.week[1]);
    const custom = chinaCalendar({ makeUpDayHours: parseDay('10:00-16:00') });
    expect(workingTimeBetween(custom, at('2026-10-10', '00:00'), at('2026-10-11', '00:00'))).toBe(6 * H);
    const tueToSat: WorkingCalendar = { ...everyDay(parseDay('10:00-19:00')), week: { ...everyDay([]).week, 2: parseDay('10:00-19:00') } };
    expect(makeUpHours(tueToSat)).toEqual([{ start: 600, end: 1140 }]);
  });
});

describe('clock pause and resume (waiting on the customer)', () => {
  it('keeps the working time left and spends it after resuming', () => {
    // Due 2026-10-14 11:00 (48 h from 09-30 17:00). Paused Fri 10-09 12:00: left = 10-09 6 h +
    // 10-10 9 + 10-12 9 + 10-13 9 + 10-14 2 = 35 h. Resumed Mon 10-12 15:00: 3 h that day (32 left),
    // 10-13 9 (23), 10-14 9 (14), 10-15 9 (5), Fri 10-16 09:00 + 5 h → 14:00.
    const deadline = addWorkingTime(official, at('2026-09-30', '17:00'), 48 * H);
    const left = remainingAfterPause(official, at('2026-10-09', '12:00'), deadline);
    expect(left).toBe(35 * H);
    expect(local(resumedDeadline(official, at('2026-10-12', '15:00'), left))).toBe('2026-10-16 14:00');
  });
  it('an overdue order stays overdue by the same working time', () => {
    const deadline = at('2026-10-14', '11:00');
    const left = remainingAfterPause(official, at('2026-10-14', '13:00'), deadline);
    expect(left).toBe(-2 * H);
    const resumed = resumedDeadline(official, at('2026-10-15', '09:30'), left);
    expect(local(resumed)).toBe('2026-10-14 16:30');
    expect(workingTimeBetween(official, at('2026-10-15', '09:30'), resumed)).toBe(-2 * H);
  });
});

describe('bounds and bad input', () => {
  it('refuses a calendar with no working time instead of looping', () => {
    const none = everyDay([]);
    expect(() => addWorkingTime(none, at('2026-01-01', '00:00'), M)).toThrow(NoWorkingTimeError);
    expect(() => subtractWorkingTime(none, at('2026-01-01', '00:00'), M)).toThrow(/no working time within 3 years/);
    expect(() => nextWorkingInstant(none, at('2026-01-01', '00:00'))).toThrow(NoWorkingTimeError);
    expect(workingTimeBetween(none, at('2026-01-01', '00:00'), at('2027-01-01', '00:00'))).toBe(0);
  });
  it('refuses absurd amounts and invalid dates', () => {
    const cal = everyDay(parseDay('00:00-24:00'));
    expect(() => addWorkingTime(cal, at('2026-01-01', '00:00'), 60 * 366 * 24 * H)).toThrow(/50 years/);
    expect(() => addWorkingTime(cal, new Date(NaN), H)).toThrow(/not a valid date/);
    expect(() => addWorkingTime(cal, at('2026-01-01', '00:00'), 1.5)).toThrow(/whole number/);
    expect(() => addWorkingTime(cal, at('2026-01-01', '00:00'), Infinity)).toThrow(/whole number/);
  });
});
