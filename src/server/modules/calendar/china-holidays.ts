/**
 * China's official holidays and make-up working days (放假调休), from the State Council General
 * Office notices (国务院办公厅关于20XX年部分节假日安排的通知), as shipped data. Administrators edit
 * the calendar built from it and add a year when the November notice appears; years not listed
 * here fall back to plain weekends (and yearsWithoutData says so).
 */
import type { DayRange, Interval, Week, WorkingCalendar } from './calendar.types.ts';
import { dayNumber, isoDate } from './tz.ts';

export interface OfficialHoliday {
  readonly id: 'new-year' | 'spring-festival' | 'qingming' | 'labour-day' | 'dragon-boat' | 'mid-autumn' | 'national-day';
  readonly zh: string;
  readonly en: string;
  /** First and last day off, inclusive. */
  readonly off: readonly [first: string, last: string];
  /** Saturdays/Sundays that are working days to make up for it (调休上班). */
  readonly makeUp: readonly string[];
}
export interface OfficialYear {
  readonly year: number;
  /** Date of the State Council notice. */
  readonly notice: string;
  readonly holidays: readonly OfficialHoliday[];
}

export const CHINA_OFFICIAL_HOLIDAYS: readonly OfficialYear[] = [
  {
    year: 2025,
    notice: '2024-11-12',
    holidays: [
      { id: 'new-year', zh: '元旦', en: "New Year's Day", off: ['2025-01-01', '2025-01-01'], makeUp: [] },
      { id: 'spring-festival', zh: '春节', en: 'Spring Festival', off: ['2025-01-28', '2025-02-04'], makeUp: ['2025-01-26', '2025-02-08'] },
      { id: 'qingming', zh: '清明节', en: 'Qingming Festival', off: ['2025-04-04', '2025-04-06'], makeUp: [] },
      { id: 'labour-day', zh: '劳动节', en: 'Labour Day', off: ['2025-05-01', '2025-05-05'], makeUp: ['2025-04-27'] },
      { id: 'dragon-boat', zh: '端午节', en: 'Dragon Boat Festival', off: ['2025-05-31', '2025-06-02'], makeUp: [] },
      {
        id: 'national-day',
        zh: '国庆节、中秋节',
        en: 'National Day and Mid-Autumn Festival',
        off: ['2025-10-01', '2025-10-08'],
        makeUp: ['2025-09-28', '2025-10-11'],
      },
    ],
  },
  {
    year: 2026,
    notice: '2025-11-04',
    holidays: [
      { id: 'new-year', zh: '元旦', en: "New Year's Day", off: ['2026-01-01', '2026-01-03'], makeUp: ['2026-01-04'] },
      { id: 'spring-festival', zh: '春节', en: 'Spring Festival', off: ['2026-02-15', '2026-02-23'], makeUp: ['2026-02-14', '2026-02-28'] },
      { id: 'qingming', zh: '清明节', en: 'Qingming Festival', off: ['2026-04-04', '2026-04-06'], makeUp: [] },
      { id: 'labour-day', zh: '劳动节', en: 'Labour Day', off: ['2026-05-01', '2026-05-05'], makeUp: ['2026-05-09'] },
      { id: 'dragon-boat', zh: '端午节', en: 'Dragon Boat Festival', off: ['2026-06-19', '2026-06-21'], makeUp: [] },
      { id: 'mid-autumn', zh: '中秋节', en: 'Mid-Autumn Festival', off: ['2026-09-25', '2026-09-27'], makeUp: [] },
      { id: 'national-day', zh: '国庆节', en: 'National Day', off: ['2026-10-01', '2026-10-07'], makeUp: ['2026-09-20', '2026-10-10'] },
    ],
  },
];

function officialYears(years?: readonly number[]): OfficialYear[] {
  return CHINA_OFFICIAL_HOLIDAYS.filter((y) => !years || years.includes(y.year));
}

/** Every day in [first, last] as 'YYYY-MM-DD'. */
export function daysOf(first: string, last: string): string[] {
  const out: string[] = [];
  for (let d = dayNumber(first); d <= dayNumber(last); d++) out.push(isoDate(d));
  return out;
}

/** Days off and make-up days of the given official years (default: all shipped). */
export function chinaDays(years?: readonly number[]): { holidays: Set<string>; workdays: Set<string>; years: number[] } {
  const holidays = new Set<string>();
  const workdays = new Set<string>();
  const ys = officialYears(years);
  for (const y of ys)
    for (const h of y.holidays) {
      for (const d of daysOf(h.off[0], h.off[1])) holidays.add(d);
      for (const d of h.makeUp) workdays.add(d);
    }
  return { holidays, workdays, years: ys.map((y) => y.year) };
}

/** The official data as day ranges with bilingual summaries, for iCalendar export. */
export function chinaDayRanges(years?: readonly number[]): DayRange[] {
  const out: DayRange[] = [];
  for (const y of officialYears(years))
    for (const h of y.holidays) {
      out.push({ kind: 'HOLIDAY', first: h.off[0], last: h.off[1], summary: `${h.zh} ${h.en}` });
      for (const d of h.makeUp)
        out.push({ kind: 'WORKDAY', first: d, last: d, summary: `${h.zh}调休上班 Make-up working day (${h.en})` });
    }
  return out.sort((a, b) => a.first.localeCompare(b.first));
}

export interface ChinaCalendarOptions {
  /** Default Asia/Shanghai (UTC+08:00, no DST). */
  readonly timeZone?: string;
  /** Monday–Friday hours; default 09:00–18:00. */
  readonly hours?: readonly Interval[];
  /** Hours on a make-up working day; default the weekday hours. */
  readonly makeUpDayHours?: readonly Interval[];
  /** Official years to include; default all shipped (2025, 2026). */
  readonly years?: readonly number[];
}

/** A Monday–Friday calendar with China's official holidays and make-up working days. */
export function chinaCalendar(opts: ChinaCalendarOptions = {}): WorkingCalendar {
  const hours = opts.hours ?? [{ start: 9 * 60, end: 18 * 60 }];
  const week: Week = { 0: [], 1: hours, 2: hours, 3: hours, 4: hours, 5: hours, 6: [] };
  const { holidays, workdays, years } = chinaDays(opts.years);
  return {
    timeZone: opts.timeZone ?? 'Asia/Shanghai',
    week,
    ...(opts.makeUpDayHours ? { makeUpDayHours: opts.makeUpDayHours } : {}),
    holidays,
    workdays,
    years,
  };
}
