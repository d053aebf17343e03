/**
 * Property-based tests (fast-check) of the calendar arithmetic over random calendars — several
 * intervals a day, shifts crossing midnight, random holidays and make-up days — in the zones of
 * China's neighbours and one DST zone, plus an independent minute-by-minute oracle.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Interval, Week, WorkingCalendar } from './calendar.types.ts';
import { dayErrors } from './calendar.types.ts';
import { chinaCalendar } from './china-holidays.ts';
import { DAY, dayNumber, isoDate, offsetAt, weekday, zonedTime } from './tz.ts';
import {
  addWorkingTime,
  isWorkingInstant,
  nextWorkingInstant,
  subtractWorkingTime,
  workingIntervals,
  workingTimeBetween,
  yearsWithoutData,
} from './working-time.ts';

const H = 3_600_000;
const RUNS = { numRuns: 200 };

/** Fixed-offset zones of China and its neighbours (+05:00 … +10:00, with +05:30, +05:45, +06:30). */
const FIXED_ZONES = [
  'Asia/Shanghai', 'Asia/Hong_Kong', 'Asia/Taipei', 'Asia/Ulaanbaatar', 'Asia/Tokyo', 'Asia/Seoul', 'Asia/Pyongyang',
  'Asia/Vladivostok', 'Asia/Bangkok', 'Asia/Ho_Chi_Minh', 'Asia/Vientiane', 'Asia/Yangon', 'Asia/Thimphu', 'Asia/Bishkek',
  'Asia/Dhaka', 'Asia/Kathmandu', 'Asia/Kolkata', 'Asia/Karachi', 'Asia/Almaty', 'Asia/Dushanbe', 'Asia/Kabul',
];
const ZONES = [...FIXED_ZONES, 'Europe/Berlin'];

/** One day: up to 3 non-overlapping quarter-hour intervals; the last may cross midnight. */
const dayArb: fc.Arbitrary<Interval[]> = fc
  .record({
    cuts: fc.uniqueArray(fc.integer({ min: 0, max: 96 }), { maxLength: 6 }),
    spill: fc.integer({ min: 0, max: 96 }),
  })
  .map(({ cuts, spill }) => {
    const c = [...cuts].sort((a, b) => a - b).map((q) => q * 15);
    const ivs: Interval[] = [];
    for (let i = 0; i + 1 < c.length; i += 2) ivs.push({ start: c[i], end: c[i + 1] });
    const last = ivs.pop();
    if (last && last.start < 1440) ivs.push({ start: last.start, end: Math.min(last.start + 1440, last.end + spill * 15) });
    return ivs.filter((iv) => iv.start < 1440);
  });

const days2025to2027 = fc.integer({ min: dayNumber('2025-01-01'), max: dayNumber('2027-12-31') }).map(isoDate);

const calendarArb = (zones: readonly string[]): fc.Arbitrary<WorkingCalendar> =>
  fc.oneof(
    fc
      .record({
        tz: fc.constantFrom(...zones),
        week: fc.array(dayArb, { minLength: 7, maxLength: 7 }),
        holidays: fc.uniqueArray(days2025to2027, { maxLength: 80 }),
        workdays: fc.uniqueArray(days2025to2027, { maxLength: 20 }),
        makeUp: fc.option(dayArb, { nil: undefined }),
      })
      .map(({ tz, week, holidays, workdays, makeUp }): WorkingCalendar => {
        // Keep the calendar non-empty: a calendar without any hours is tested separately (it throws).
        if (week.every((d) => d.length === 0)) week[1] = [{ start: 540, end: 1080 }];
        const off = new Set(holidays);
        return {
          timeZone: tz,
          week: Object.assign({}, week) as unknown as Week,
          ...(makeUp ? { makeUpDayHours: makeUp } : {}),
          holidays: off,
          workdays: new Set(workdays.filter((d) => !off.has(d))),
          years: [2025, 2026],
        };
      }),
    fc.constantFrom(...zones).map((timeZone) => chinaCalendar({ timeZone })),
    fc.constantFrom(...zones).map((timeZone) => chinaCalendar({ timeZone, hours: [{ start: 540, end: 720 }, { start: 810, end: 1080 }] })),
    fc.constantFrom(...zones).map((timeZone) => chinaCalendar({ timeZone, hours: [{ start: 1110, end: 1560 }] })),
    fc.constantFrom(...zones).map((timeZone) => chinaCalendar({ timeZone, hours: [{ start: 570, end: 1440 }] })),
    fc.constantFrom(...zones).map((timeZone): WorkingCalendar => {
      const all = [{ start: 0, end: 1440 }];
      return { timeZone, week: { 0: all, 1: all, 2: all, 3: all, 4: all, 5: all, 6: all }, holidays: new Set(), workdays: new Set(), years: [] };
    }),
  );

// Instants in 2025-12 … 2027-01 (year boundaries included), to the millisecond.
const instantArb = fc.integer({ min: Date.UTC(2025, 11, 1), max: Date.UTC(2027, 0, 31) }).map((t) => new Date(t));
const amountArb = fc.oneof(fc.integer({ min: 0, max: 80 * H }), fc.integer({ min: 0, max: 40 * 4 }).map((q) => q * 15 * 60_000));

describe('generated calendars are valid', () => {
  it('every generated day passes the schema limits', () => {
    fc.assert(
      fc.property(dayArb, (d) => {
        expect(dayErrors(d)).toEqual([]);
      }),
      RUNS,
    );
  });
});

describe('working-time arithmetic (properties)', () => {
  it('add then between returns the amount', () => {
    fc.assert(
      fc.property(calendarArb(ZONES), instantArb, amountArb, (cal, start, ms) => {
        expect(workingTimeBetween(cal, start, addWorkingTime(cal, start, ms))).toBe(ms);
      }),
      RUNS,
    );
  });

  it('add then subtract returns the start (the next working instant if the start is not working)', () => {
    fc.assert(
      fc.property(calendarArb(ZONES), instantArb, amountArb, (cal, start, ms) => {
        fc.pre(ms > 0);
        const back = subtractWorkingTime(cal, addWorkingTime(cal, start, ms), ms);
        expect(back).toEqual(nextWorkingInstant(cal, start));
        if (isWorkingInstant(cal, start)) expect(back).toEqual(start);
      }),
      RUNS,
    );
  });

  it('deadlines never land strictly inside non-working time', () => {
    fc.assert(
      fc.property(calendarArb(ZONES), instantArb, amountArb, (cal, start, ms) => {
        const d = addWorkingTime(cal, start, ms);
        // Working up to the deadline: the millisecond before it is working time (or ms = 0 and it is).
        expect(isWorkingInstant(cal, ms > 0 ? new Date(d.getTime() - 1) : d)).toBe(true);
        const s = subtractWorkingTime(cal, start, ms);
        if (ms > 0) expect(isWorkingInstant(cal, s)).toBe(true);
        expect(workingTimeBetween(cal, s, start)).toBe(ms);
      }),
      RUNS,
    );
  });

  it('is monotonic in the amount', () => {
    fc.assert(
      fc.property(calendarArb(ZONES), instantArb, amountArb, amountArb, (cal, start, a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        expect(addWorkingTime(cal, start, lo).getTime()).toBeLessThanOrEqual(addWorkingTime(cal, start, hi).getTime());
      }),
      RUNS,
    );
  });

  it('between is additive and antisymmetric; intervals are sorted, merged and sum to it', () => {
    fc.assert(
      fc.property(calendarArb(ZONES), instantArb, instantArb, fc.integer({ min: 0, max: 20 * DAY }), (cal, a, b, span) => {
        const c = new Date(Math.max(a.getTime(), b.getTime()) + span);
        expect(workingTimeBetween(cal, a, b) + workingTimeBetween(cal, b, c)).toBe(workingTimeBetween(cal, a, c));
        expect(workingTimeBetween(cal, b, a) + workingTimeBetween(cal, a, b)).toBe(0);
        const from = new Date(Math.max(a.getTime(), b.getTime()));
        const ivs = workingIntervals(cal, from, c);
        let sum = 0;
        ivs.forEach((iv, i) => {
          expect(iv.end.getTime()).toBeGreaterThan(iv.start.getTime());
          if (i > 0) expect(iv.start.getTime()).toBeGreaterThan(ivs[i - 1].end.getTime());
          sum += iv.end.getTime() - iv.start.getTime();
        });
        expect(ivs[0]?.start.getTime() ?? from.getTime()).toBeGreaterThanOrEqual(from.getTime());
        expect(ivs.at(-1)?.end.getTime() ?? c.getTime()).toBeLessThanOrEqual(c.getTime());
        expect(sum).toBe(workingTimeBetween(cal, from, c));
      }),
      RUNS,
    );
  });

  it('agrees with a minute-by-minute oracle that reads local wall time (fixed-offset zones)', () => {
    // The oracle is deliberately naive and shares nothing with the interval code but offsetAt:
    // a minute is working if its local time is inside an interval of its own day, or of the previous
    // day's spill past midnight.
    const hours = (cal: WorkingCalendar, day: number): readonly Interval[] => {
      const key = isoDate(day);
      if (cal.holidays.has(key)) return [];
      if (cal.workdays.has(key)) return cal.makeUpDayHours ?? (cal.week[1].length ? cal.week[1] : [1, 2, 3, 4, 5, 6, 0].map((d) => cal.week[d as 0]).find((h) => h.length) ?? []);
      return cal.week[weekday(day)];
    };
    const oracle = (cal: WorkingCalendar, t: number) => {
      const localMs = t + offsetAt(cal.timeZone, t);
      const day = Math.floor(localMs / DAY);
      const min = (localMs - day * DAY) / 60_000;
      return hours(cal, day).some((iv) => iv.start <= min && min < iv.end) || hours(cal, day - 1).some((iv) => iv.start <= min + 1440 && min + 1440 < iv.end);
    };
    fc.assert(
      fc.property(calendarArb(FIXED_ZONES), instantArb, fc.integer({ min: 1, max: 2 * 1440 }), (cal, start, minutes) => {
        const a = Math.floor(start.getTime() / 60_000) * 60_000;
        let expected = 0;
        for (let m = 0; m < minutes; m++) if (oracle(cal, a + m * 60_000)) expected += 60_000;
        expect(workingTimeBetween(cal, new Date(a), new Date(a + minutes * 60_000))).toBe(expected);
        const probe = start.getTime();
        expect(isWorkingInstant(cal, start)).toBe(oracle(cal, probe));
      }),
      { numRuns: 30 },
    );
  });
});

describe('the official China calendar (properties)', () => {
  const cal = chinaCalendar();
  const dayIn2025or2026 = fc.integer({ min: dayNumber('2025-01-01'), max: dayNumber('2026-12-31') });
  it('a day is working iff it is a make-up day (调休 Saturdays/Sundays included) or a non-holiday weekday', () => {
    fc.assert(
      fc.property(dayIn2025or2026, (day) => {
        const iso = isoDate(day);
        const wd = weekday(day);
        const expected = cal.workdays.has(iso) || (!cal.holidays.has(iso) && wd >= 1 && wd <= 5);
        const hours = workingTimeBetween(cal, zonedTime('Asia/Shanghai', iso, '00:00'), zonedTime('Asia/Shanghai', isoDate(day + 1), '00:00'));
        expect(hours).toBe(expected ? 9 * H : 0);
      }),
      RUNS,
    );
  });
  it('never crosses into 2027 without reporting it', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(2026, 11, 1), max: Date.UTC(2026, 11, 31, 23) }), fc.integer({ min: 0, max: 200 * H }), (t, ms) => {
        const start = new Date(t);
        const d = addWorkingTime(cal, start, ms);
        const reaches2027 = zonedTime('Asia/Shanghai', '2027-01-01', '00:00').getTime() <= d.getTime();
        expect(yearsWithoutData(cal, start, d)).toEqual(reaches2027 ? [2027] : []);
      }),
      RUNS,
    );
  });
});

describe('a zone with daylight saving time (Europe/Berlin), around its clock changes', () => {
  // 01:00 UTC on the last Sundays of March and October: clocks go 02:00→03:00 and 03:00→02:00.
  const changes = [Date.UTC(2025, 2, 30, 1), Date.UTC(2025, 9, 26, 1), Date.UTC(2026, 2, 29, 1), Date.UTC(2026, 9, 25, 1)];
  const nearChange = fc
    .tuple(fc.constantFrom(...changes), fc.integer({ min: -3 * DAY, max: 3 * DAY }))
    .map(([t, d]) => new Date(t + d));
  it('add, between and subtract stay consistent', () => {
    fc.assert(
      fc.property(calendarArb(['Europe/Berlin']), nearChange, amountArb, (cal, start, ms) => {
        const d = addWorkingTime(cal, start, ms);
        expect(workingTimeBetween(cal, start, d)).toBe(ms);
        expect(isWorkingInstant(cal, ms > 0 ? new Date(d.getTime() - 1) : d)).toBe(true);
        if (ms > 0) expect(subtractWorkingTime(cal, d, ms)).toEqual(nextWorkingInstant(cal, start));
      }),
      RUNS,
    );
  });
});
