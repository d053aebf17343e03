/**
 * Working calendars (工作日历): the shape the arithmetic works on, 'HH:MM' helpers, and zod schemas
 * so an API can validate a calendar sent as JSON (arrays instead of Sets, 'HH:MM-HH:MM' or minutes).
 */
import { z } from 'zod';
import { isValidTimeZone } from './tz.ts';

/**
 * Working hours of one day, in minutes from local midnight. `end` may exceed 1440 for a shift
 * crossing midnight (18:30–02:00 → { start: 1110, end: 1560 }); that spill belongs to the day the
 * shift starts, so a night shift begun the evening before a holiday still runs into the holiday.
 * Intervals are half-open [start, end).
 */
export interface Interval {
  readonly start: number;
  readonly end: number;
}
export type DayOfWeek = 0 | 1 | 2 | 3 | 4 | 5 | 6;
/** Index 0 = Sunday, as Date#getDay. */
export type Week = Readonly<Record<DayOfWeek, readonly Interval[]>>;

export interface WorkingCalendar {
  /** IANA zone; local dates (holidays) and hours are read in it. */
  readonly timeZone: string;
  readonly week: Week;
  /** Hours on a make-up working day (调休上班). Default: Monday's (see makeUpHours). */
  readonly makeUpDayHours?: readonly Interval[];
  /** Days off ('YYYY-MM-DD'), whatever weekday they fall on. */
  readonly holidays: ReadonlySet<string>;
  /** Make-up working days ('YYYY-MM-DD'), usually a Saturday or Sunday. */
  readonly workdays: ReadonlySet<string>;
  /** Years whose official holidays are entered; other years fall back to plain weekends. */
  readonly years: readonly number[];
}

export type DayKind = 'HOLIDAY' | 'WORKDAY';
/** A run of consecutive days of one kind (inclusive) — the unit of the iCalendar import/export. */
export interface DayRange {
  readonly kind: DayKind;
  readonly first: string;
  readonly last: string;
  readonly summary: string;
}

export const MINUTES_PER_DAY = 1440;
export const MAX_INTERVALS_PER_DAY = 6;
export const MAX_DAYS_LISTED = 10_000;

const HHMM = /^(\d{2}):(\d{2})$/;
/** 'HH:MM' → minutes; '24:00' is accepted (an interval may end at midnight). */
export function parseHHMM(s: string): number {
  const m = HHMM.exec(s.trim());
  const minutes = m ? Number(m[1]) * 60 + Number(m[2]) : NaN;
  if (!m || Number(m[2]) > 59 || minutes > MINUTES_PER_DAY) throw new RangeError(`not a time of day 'HH:MM': ${s}`);
  return minutes;
}
/** Minutes → 'HH:MM'; 1440 prints as '24:00', later spill wraps (1560 → '02:00'). */
export function formatHHMM(minutes: number): string {
  const m = minutes === MINUTES_PER_DAY ? minutes : minutes % MINUTES_PER_DAY;
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}

/** '09:00-12:00' (hyphen, en dash or ~). An end at or before the start means the next day. */
export function parseInterval(s: string): Interval {
  const parts = s.split(/\s*[-–~]\s*/);
  if (parts.length !== 2) throw new RangeError(`not an interval 'HH:MM-HH:MM': ${s}`);
  const start = parseHHMM(parts[0]);
  let end = parseHHMM(parts[1]);
  if (start >= MINUTES_PER_DAY) throw new RangeError(`an interval cannot start at 24:00: ${s}`);
  if (end <= start) end += MINUTES_PER_DAY;
  return { start, end };
}
export function formatInterval(iv: Interval): string {
  return `${formatHHMM(iv.start)}-${formatHHMM(iv.end)}`;
}
/** '09:00-12:00, 13:30-18:00' → intervals; '' → a day off. Validated like the schema. */
export function parseDay(s: string): Interval[] {
  const ivs = s.trim() === '' ? [] : s.split(/[,;，；]/).map((p) => parseInterval(p.trim()));
  const errors = dayErrors(ivs);
  if (errors.length > 0) throw new RangeError(errors.join('; '));
  return sortDay(ivs);
}
export function formatDay(ivs: readonly Interval[]): string {
  return sortDay(ivs).map(formatInterval).join(', ');
}

export function sortDay(ivs: readonly Interval[]): Interval[] {
  return [...ivs].sort((a, b) => a.start - b.start);
}
/** Problems with one day's intervals (empty when valid): the limits the issue sets. */
export function dayErrors(ivs: readonly Interval[]): string[] {
  const errors: string[] = [];
  if (ivs.length > MAX_INTERVALS_PER_DAY) errors.push(`at most ${MAX_INTERVALS_PER_DAY} intervals a day`);
  for (const iv of ivs) {
    const ok = Number.isInteger(iv.start) && Number.isInteger(iv.end) && iv.start >= 0;
    if (!ok || iv.start >= MINUTES_PER_DAY || iv.end <= iv.start || iv.end > iv.start + MINUTES_PER_DAY)
      errors.push(`bad interval ${iv.start}–${iv.end}: need 0 ≤ start < 1440 and start < end ≤ start + 1440`);
  }
  const sorted = sortDay(ivs);
  for (let i = 1; i < sorted.length; i++)
    if (sorted[i].start < sorted[i - 1].end)
      errors.push(`intervals overlap: ${formatInterval(sorted[i - 1])} and ${formatInterval(sorted[i])}`);
  return errors;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
export function isIsoDate(s: string): boolean {
  const m = ISO_DATE.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

// ---- zod schemas (JSON form) ----

export const intervalSchema = z.union([
  z.object({ start: z.number().int(), end: z.number().int() }),
  z.string().max(20),
]).transform((v, ctx): Interval => {
  try {
    return typeof v === 'string' ? parseInterval(v) : { start: v.start, end: v.end };
  } catch (e) {
    ctx.addIssue({ code: 'custom', message: (e as Error).message });
    return z.NEVER;
  }
});

export const daySchema = z.array(intervalSchema).max(MAX_INTERVALS_PER_DAY).transform((ivs, ctx) => {
  for (const message of dayErrors(ivs)) ctx.addIssue({ code: 'custom', message });
  return sortDay(ivs);
});

export const isoDateSchema = z.string().refine(isIsoDate, 'expected a date YYYY-MM-DD');
export const timeZoneSchema = z.string().refine(isValidTimeZone, 'unknown time zone');

export const workingCalendarSchema = z
  .object({
    timeZone: timeZoneSchema,
    /** Seven days, index 0 = Sunday. */
    week: z.tuple([daySchema, daySchema, daySchema, daySchema, daySchema, daySchema, daySchema]),
    makeUpDayHours: daySchema.optional(),
    holidays: z.array(isoDateSchema).max(MAX_DAYS_LISTED),
    workdays: z.array(isoDateSchema).max(MAX_DAYS_LISTED),
    years: z.array(z.number().int().min(1970).max(2200)).max(500),
  })
  .transform((v, ctx): WorkingCalendar => {
    const holidays = new Set(v.holidays);
    // A day cannot be both off and a make-up working day; refuse rather than pick one silently.
    for (const d of v.workdays)
      if (holidays.has(d)) ctx.addIssue({ code: 'custom', message: `${d} is both a holiday and a working day`, path: ['workdays'] });
    return {
      timeZone: v.timeZone,
      week: { 0: v.week[0], 1: v.week[1], 2: v.week[2], 3: v.week[3], 4: v.week[4], 5: v.week[5], 6: v.week[6] },
      ...(v.makeUpDayHours ? { makeUpDayHours: v.makeUpDayHours } : {}),
      holidays,
      workdays: new Set(v.workdays),
      years: [...new Set(v.years)].sort((a, b) => a - b),
    };
  });
export type WorkingCalendarJson = z.input<typeof workingCalendarSchema>;

/** The JSON form of a calendar (sorted, minutes), which workingCalendarSchema parses back. */
export function calendarToJson(cal: WorkingCalendar) {
  const day = (ivs: readonly Interval[]) => sortDay(ivs).map((iv) => ({ start: iv.start, end: iv.end }));
  const w = cal.week;
  return {
    timeZone: cal.timeZone,
    week: [day(w[0]), day(w[1]), day(w[2]), day(w[3]), day(w[4]), day(w[5]), day(w[6])],
    ...(cal.makeUpDayHours ? { makeUpDayHours: day(cal.makeUpDayHours) } : {}),
    holidays: [...cal.holidays].sort(),
    workdays: [...cal.workdays].sort(),
    years: [...cal.years].sort((a, b) => a - b),
  } satisfies WorkingCalendarJson;
}
