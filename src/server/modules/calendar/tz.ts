/**
 * Time-zone arithmetic on plain numbers, without a date library: offsets come from the runtime's
 * IANA database through Intl.DateTimeFormat#formatToParts, so a zone with DST (Europe/Berlin) is
 * handled the same way as China's fixed +08:00.
 *
 * Vocabulary: a "day" is a civil date as a day number (days since 1970-01-01, proleptic Gregorian);
 * "local ms" is day * DAY + milliseconds into that civil day, i.e. wall-clock time read as if it were UTC.
 */
import type { DayOfWeek } from './calendar.types.ts';

export const DAY = 86_400_000;
const MINUTE = 60_000;

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    // h23 avoids the "24:00" some engines print for midnight with hour12:false.
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

export function isValidTimeZone(timeZone: string): boolean {
  if (typeof timeZone !== 'string' || timeZone.length === 0 || timeZone.length > 64) return false;
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** Offset of the zone at instant t, in ms (local − UTC): +08:00 → 28 800 000. */
export function offsetAt(timeZone: string, t: number): number {
  const secs = Math.floor(t / 1000) * 1000; // formatToParts has second resolution
  const p: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(secs)) {
    if (part.type !== 'literal') p[part.type] = Number(part.value);
  }
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - secs;
}

/** Civil day and milliseconds into it, at instant t in the zone. */
export function localParts(timeZone: string, t: number): { day: number; ms: number } {
  const local = t + offsetAt(timeZone, t);
  const day = Math.floor(local / DAY);
  return { day, ms: local - day * DAY };
}

// A day's offset is looked up often (each interval endpoint); tz data never changes at run time, so
// the answer for (zone, day) is cached. null means "an offset change is near; resolve each instant".
const dayOffsets = new Map<string, number | null>();
function steadyOffset(timeZone: string, day: number): number | null {
  const key = `${timeZone}|${day}`;
  let v = dayOffsets.get(key);
  if (v === undefined) {
    // Endpoints of a day's intervals lie in local [day, day + 2) (a shift may spill past midnight);
    // probing one day before and one after that window brackets every offset (max ±14 h) they could
    // have. Assumes a zone never changes offset and back again within those four days.
    const before = offsetAt(timeZone, day * DAY - DAY);
    const after = offsetAt(timeZone, day * DAY + 3 * DAY);
    v = before === after ? before : null;
    if (dayOffsets.size > 50_000) dayOffsets.clear();
    dayOffsets.set(key, v);
  }
  return v;
}

/**
 * UTC instant of wall-clock time `minutes` after local midnight of `day` (minutes may exceed 1440).
 * Near an offset change: a wall time that occurs twice (clocks back) means the earlier instant; a
 * wall time that does not exist (clocks forward) means the instant the clocks jump, so hours that do
 * not exist that day are simply not worked (02:00–02:30 → nothing; 02:45–03:20 → 03:00–03:20).
 * Unlike Temporal's "compatible" rule (shift forward by the gap) this keeps the map non-decreasing,
 * so an interval never turns inside out.
 */
export function localToUtc(timeZone: string, day: number, minutes: number): number {
  const local = day * DAY + minutes * MINUTE;
  const steady = steadyOffset(timeZone, day);
  if (steady !== null) return local - steady;
  const before = offsetAt(timeZone, local - DAY);
  const after = offsetAt(timeZone, local + DAY);
  const valid = [local - before, local - after].filter((c) => offsetAt(timeZone, c) === local - c);
  if (valid.length > 0) return Math.min(...valid);
  // In a gap (after > before): the jump lies in (local - after, local - before]; find it to the second.
  let lo = Math.floor((local - after) / 1000);
  let hi = Math.ceil((local - before) / 1000);
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (offsetAt(timeZone, mid * 1000) === before) lo = mid;
    else hi = mid;
  }
  return hi * 1000;
}

/** Day number of 'YYYY-MM-DD' (no validation; see isIsoDate). */
export function dayNumber(iso: string): number {
  return Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10))) / DAY;
}
export function isoDate(day: number): string {
  return new Date(day * DAY).toISOString().slice(0, 10);
}
export function weekday(day: number): DayOfWeek {
  return new Date(day * DAY).getUTCDay() as DayOfWeek;
}
export function yearOfDay(day: number): number {
  return new Date(day * DAY).getUTCFullYear();
}

/** Instant of a wall-clock date and time in a zone: zonedTime('Asia/Shanghai', '2026-10-14', '11:00'). */
export function zonedTime(timeZone: string, date: string, hhmm: string): Date {
  const [h, m] = hhmm.split(':').map(Number);
  return new Date(localToUtc(timeZone, dayNumber(date), h * 60 + m));
}

/** 'YYYY-MM-DD HH:MM' in the zone: for messages, warnings and readable test failures. */
export function formatLocal(timeZone: string, at: Date): string {
  const { day, ms } = localParts(timeZone, at.getTime());
  const min = Math.floor(ms / MINUTE);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${isoDate(day)} ${pad(Math.floor(min / 60))}:${pad(min % 60)}`;
}
