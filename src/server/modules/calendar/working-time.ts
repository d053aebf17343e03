/**
 * Working-time arithmetic (时限计算) by intervals: each local day yields at most six UTC intervals,
 * and sums, deadlines and pauses are computed over those — O(days), never minute by minute.
 *
 * Semantics (the tests pin each one):
 * - Working time is the union of half-open intervals [start, end): 09:00 is working, 18:00 is not.
 * - addWorkingTime(start, ms) is the EARLIEST instant t ≥ start with workingTimeBetween(start, t) = ms.
 *   So a deadline that uses up an interval exactly stays at its end (18:00, not 09:00 next morning):
 *   the result may equal an interval end, and is never strictly inside non-working time. With ms = 0
 *   it is the next working instant (counting begins there).
 * - subtractWorkingTime(end, ms) is the LATEST t ≤ end with workingTimeBetween(t, end) = ms, so it may
 *   equal an interval start. subtract(add(s, ms), ms) = nextWorkingInstant(s); = s if s is working.
 * - workingTimeBetween(a, b) is the working time in [a, b), negative when b < a.
 */
import type { Interval, WorkingCalendar } from './calendar.types.ts';
import { DAY, isoDate, localParts, localToUtc, weekday, yearOfDay } from './tz.ts';

/** No working time for this long means a broken calendar (no hours at all), not a far deadline. */
export const MAX_IDLE_MS = 3 * 366 * DAY;
/** A limit reaching further than this is refused: walks are O(days) and must stay bounded. */
export const MAX_WALK_MS = 50 * 366 * DAY;
// Days are resolved in batches; two weeks covers a typical limit in one pass.
const CHUNK = 14 * DAY;

export class NoWorkingTimeError extends Error {
  constructor(from: number, direction: 'after' | 'before') {
    super(`the working calendar has no working time within 3 years ${direction} ${new Date(from).toISOString()} — does it have any working hours?`);
    this.name = 'NoWorkingTimeError';
  }
}

type Span = [start: number, end: number];

/**
 * Hours on a make-up working day: makeUpDayHours, else Monday's. A unit whose Monday is off
 * (e.g. Tue–Sat) gets its first scheduled day's hours, Monday → Sunday, so a 调休 day is never empty.
 */
export function makeUpHours(cal: WorkingCalendar): readonly Interval[] {
  if (cal.makeUpDayHours) return cal.makeUpDayHours;
  for (const d of [1, 2, 3, 4, 5, 6, 0] as const) if (cal.week[d].length > 0) return cal.week[d];
  return [];
}

/**
 * The hours that start on a civil day: holiday → none, make-up day → makeUpHours, else the week.
 * A day in both sets counts as a holiday (workingCalendarSchema and the importer refuse such data).
 */
export function hoursOfDay(cal: WorkingCalendar, day: number): readonly Interval[] {
  const key = isoDate(day);
  if (cal.holidays.has(key)) return [];
  if (cal.workdays.has(key)) return makeUpHours(cal);
  return cal.week[weekday(day)];
}

/** Sorted, merged spans of working time inside [from, to) (UTC ms). */
function spansIn(cal: WorkingCalendar, from: number, to: number): Span[] {
  if (!(to > from)) return [];
  const tz = cal.timeZone;
  // Shifts of the day before may spill into `from`'s day; none starts after `to`'s day.
  const first = localParts(tz, from).day - 1;
  const last = localParts(tz, to).day;
  const raw: Span[] = [];
  for (let d = first; d <= last; d++) {
    for (const iv of hoursOfDay(cal, d)) {
      const s = Math.max(localToUtc(tz, d, iv.start), from);
      const e = Math.min(localToUtc(tz, d, iv.end), to);
      if (e > s) raw.push([s, e]);
    }
  }
  // A shift crossing midnight may overlap the next day's hours; merging counts that time once.
  raw.sort((a, b) => a[0] - b[0]);
  const out: Span[] = [];
  for (const sp of raw) {
    const prev = out[out.length - 1];
    if (prev && sp[0] <= prev[1]) prev[1] = Math.max(prev[1], sp[1]);
    else out.push([sp[0], sp[1]]);
  }
  return out;
}

/** Disjoint spans in time order from `from` onwards (batch edges may split a span; sums are unaffected). */
function* forward(cal: WorkingCalendar, from: number): Generator<Span> {
  for (let t = from, idle = 0; ; t += CHUNK) {
    if (t - from > MAX_WALK_MS) throw new RangeError('working time limit reaches more than 50 years ahead');
    const spans = spansIn(cal, t, t + CHUNK);
    idle = spans.length > 0 ? 0 : idle + CHUNK;
    if (idle > MAX_IDLE_MS) throw new NoWorkingTimeError(from, 'after');
    yield* spans;
  }
}
/** Disjoint spans in reverse time order ending at or before `to`. */
function* backward(cal: WorkingCalendar, to: number): Generator<Span> {
  for (let t = to, idle = 0; ; t -= CHUNK) {
    if (to - t > MAX_WALK_MS) throw new RangeError('working time limit reaches more than 50 years back');
    const spans = spansIn(cal, t - CHUNK, t);
    idle = spans.length > 0 ? 0 : idle + CHUNK;
    if (idle > MAX_IDLE_MS) throw new NoWorkingTimeError(to, 'before');
    yield* spans.reverse();
  }
}

function instant(d: Date, what: string): number {
  const t = d instanceof Date ? d.getTime() : NaN;
  if (Number.isNaN(t)) throw new RangeError(`${what} is not a valid date`);
  return t;
}
function amount(ms: number): number {
  if (!Number.isSafeInteger(ms)) throw new RangeError(`working time must be a whole number of milliseconds, got ${ms}`);
  // Working time never exceeds clock time, so this is refused before walking at all.
  if (Math.abs(ms) > MAX_WALK_MS) throw new RangeError('working time limit reaches more than 50 years');
  return ms;
}

/** Working intervals inside [from, to), as absolute instants, sorted and merged. */
export function workingIntervals(cal: WorkingCalendar, from: Date, to: Date): { start: Date; end: Date }[] {
  return spansIn(cal, instant(from, 'from'), instant(to, 'to')).map(([s, e]) => ({ start: new Date(s), end: new Date(e) }));
}

/** Working time (ms) in [a, b); negative if b < a, so workingTimeBetween(s, addWorkingTime(s, x)) = x. */
export function workingTimeBetween(cal: WorkingCalendar, a: Date, b: Date): number {
  const ta = instant(a, 'a');
  const tb = instant(b, 'b');
  if (tb < ta) return 0 - workingTimeBetween(cal, b, a); // 0 - x: never -0
  let sum = 0;
  for (const [s, e] of spansIn(cal, ta, tb)) sum += e - s;
  return sum;
}

/** The instant at which `ms` of working time has elapsed since `start` (see the header for edges). */
export function addWorkingTime(cal: WorkingCalendar, start: Date, ms: number): Date {
  const t = instant(start, 'start');
  if (amount(ms) < 0) return subtractWorkingTime(cal, start, -ms);
  let left = ms;
  for (const [s, e] of forward(cal, t)) {
    if (left <= e - s) return new Date(s + left);
    left -= e - s;
  }
  throw new Error('unreachable');
}

/** The latest instant from which `ms` of working time elapses by `end`. */
export function subtractWorkingTime(cal: WorkingCalendar, end: Date, ms: number): Date {
  const t = instant(end, 'end');
  if (amount(ms) < 0) return addWorkingTime(cal, end, -ms);
  let left = ms;
  for (const [s, e] of backward(cal, t)) {
    if (left <= e - s) return new Date(e - left);
    left -= e - s;
  }
  throw new Error('unreachable');
}

/** Whether `at` is working time (interval ends are not: [start, end)). */
export function isWorkingInstant(cal: WorkingCalendar, at: Date): boolean {
  const t = instant(at, 'at');
  return spansIn(cal, t, t + 1).length > 0;
}

/** `at` itself if it is working time, else the start of the next working interval. */
export function nextWorkingInstant(cal: WorkingCalendar, at: Date): Date {
  for (const [s] of forward(cal, instant(at, 'at'))) return new Date(s);
  throw new Error('unreachable');
}

/**
 * Years touched by [from, to] (in the calendar's zone) that have no official holiday data — the
 * product shows these as a warning on the policy and the work order ("2027 holidays not entered").
 */
export function yearsWithoutData(cal: WorkingCalendar, from: Date, to: Date): number[] {
  let a = yearOfDay(localParts(cal.timeZone, instant(from, 'from')).day);
  let b = yearOfDay(localParts(cal.timeZone, instant(to, 'to')).day);
  if (b < a) [a, b] = [b, a];
  const known = new Set(cal.years);
  const missing: number[] = [];
  for (let y = a; y <= b; y++) if (!known.has(y)) missing.push(y);
  return missing;
}

/**
 * Pausing the clock (waiting on the customer, 等待客户): keep the working time left at the pause…
 * (negative when already overdue, so an overdue order stays overdue by the same amount).
 */
export function remainingAfterPause(cal: WorkingCalendar, pausedAt: Date, deadline: Date): number {
  return workingTimeBetween(cal, pausedAt, deadline);
}
/** …and on resuming, the new deadline is that much working time after the resume instant. */
export function resumedDeadline(cal: WorkingCalendar, resumedAt: Date, remaining: number): Date {
  return addWorkingTime(cal, resumedAt, remaining);
}
