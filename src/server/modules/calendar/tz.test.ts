import { describe, expect, it } from 'vitest';
import type { WorkingCalendar } from './calendar.types.ts';
import { dayNumber, formatLocal, isoDate, isValidTimeZone, localParts, localToUtc, offsetAt, weekday, zonedTime } from './tz.ts';
import { workingTimeBetween } from './working-time.ts';

const H = 3_600_000;

describe('time zones', () => {
  it('reads the offsets of China and its neighbours from Intl', () => {
    const mid2026 = Date.UTC(2026, 5, 1);
    const expected: Record<string, string> = {
      'Asia/Shanghai': '+08:00', 'Asia/Ulaanbaatar': '+08:00', 'Asia/Tokyo': '+09:00', 'Asia/Seoul': '+09:00',
      'Asia/Pyongyang': '+09:00', 'Asia/Vladivostok': '+10:00', 'Asia/Bangkok': '+07:00', 'Asia/Yangon': '+06:30',
      'Asia/Thimphu': '+06:00', 'Asia/Dhaka': '+06:00', 'Asia/Bishkek': '+06:00', 'Asia/Kathmandu': '+05:45',
      'Asia/Kolkata': '+05:30', 'Asia/Karachi': '+05:00', 'Asia/Kabul': '+04:30',
      // Kazakhstan moved to a single zone, +05:00, on 2024-03-01 (tzdata 2024a): Almaty is no longer +06:00.
      'Asia/Almaty': '+05:00',
      'Europe/Berlin': '+02:00',
    };
    const fmt = (ms: number) => `${ms < 0 ? '-' : '+'}${String(Math.floor(Math.abs(ms) / H)).padStart(2, '0')}:${String((Math.abs(ms) % H) / 60_000).padStart(2, '0')}`;
    for (const [tz, off] of Object.entries(expected)) expect([tz, fmt(offsetAt(tz, mid2026))]).toEqual([tz, off]);
  });

  it('converts wall time to instants and back', () => {
    expect(zonedTime('Asia/Shanghai', '2026-10-14', '11:00').toISOString()).toBe('2026-10-14T03:00:00.000Z');
    expect(zonedTime('Asia/Kathmandu', '2026-01-01', '00:00').toISOString()).toBe('2025-12-31T18:15:00.000Z');
    expect(formatLocal('Asia/Tokyo', new Date('2026-12-31T15:00:00Z'))).toBe('2027-01-01 00:00');
    expect(localParts('Asia/Shanghai', Date.UTC(2026, 0, 1, 16))).toEqual({ day: dayNumber('2026-01-02'), ms: 0 });
    // Minutes past 1440 continue into the next day (a shift's spill).
    expect(localToUtc('Asia/Shanghai', dayNumber('2026-03-02'), 1560)).toBe(Date.UTC(2026, 2, 2, 18));
  });

  it('resolves wall times at a DST change: the jump for a missing time, the earlier of a repeated one', () => {
    const berlin = (d: string, min: number) => new Date(localToUtc('Europe/Berlin', dayNumber(d), min)).toISOString();
    // 2026-03-29: 02:00 CET → 03:00 CEST. 02:00…02:59 do not exist: the instant of the jump.
    expect(berlin('2026-03-29', 120)).toBe('2026-03-29T01:00:00.000Z');
    expect(berlin('2026-03-29', 150)).toBe('2026-03-29T01:00:00.000Z');
    expect(berlin('2026-03-29', 180)).toBe('2026-03-29T01:00:00.000Z'); // 03:00 CEST
    expect(berlin('2026-03-29', 119)).toBe('2026-03-29T00:59:00.000Z'); // 01:59 CET
    // 2026-10-25: 03:00 CEST → 02:00 CET. 02:30 happens twice: the earlier one (CEST).
    expect(berlin('2026-10-25', 150)).toBe('2026-10-25T00:30:00.000Z');
    expect(berlin('2026-10-25', 180)).toBe('2026-10-25T02:00:00.000Z'); // 03:00 CET
  });

  it('maps wall time to instants without going backwards, on every clock change of 2025–2026', () => {
    const backwards: string[] = [];
    let changeDays = 0;
    for (const tz of ['Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe'])
      for (let day = dayNumber('2025-01-01'); day <= dayNumber('2026-12-31'); day++) {
        if (offsetAt(tz, (day - 1) * 86_400_000) === offsetAt(tz, (day + 3) * 86_400_000)) continue; // no change near
        changeDays++;
        let prev = -Infinity;
        for (let m = 0; m <= 2880; m += 5) {
          const t = localToUtc(tz, day, m);
          if (t < prev) backwards.push(`${tz} ${isoDate(day)} +${m}min`);
          prev = t;
        }
      }
    expect(changeDays).toBeGreaterThan(3 * 4 * 3); // each change is near ~4 days; 4 changes per zone
    expect(backwards).toEqual([]);
  });

  it('makes a DST day 23 or 25 hours of 24×7 working time', () => {
    const all = [{ start: 0, end: 1440 }];
    const night = [{ start: 60, end: 240 }]; // 01:00–04:00
    const cal = (hours: typeof all): WorkingCalendar => ({
      timeZone: 'Europe/Berlin', week: { 0: hours, 1: hours, 2: hours, 3: hours, 4: hours, 5: hours, 6: hours },
      holidays: new Set(), workdays: new Set(), years: [],
    });
    const day = (c: WorkingCalendar, d: string) => workingTimeBetween(c, zonedTime('Europe/Berlin', d, '00:00'), zonedTime('Europe/Berlin', isoDate(dayNumber(d) + 1), '00:00'));
    expect(day(cal(all), '2026-03-29')).toBe(23 * H);
    expect(day(cal(all), '2026-10-25')).toBe(25 * H);
    expect(day(cal(all), '2026-06-01')).toBe(24 * H);
    expect(day(cal(night), '2026-03-29')).toBe(2 * H);
    expect(day(cal(night), '2026-10-25')).toBe(4 * H);
    // Working hours inside the missing hour are not worked; those straddling it keep their real part.
    expect(day(cal([{ start: 120, end: 150 }]), '2026-03-29')).toBe(0);
    expect(day(cal([{ start: 165, end: 200 }]), '2026-03-29')).toBe(20 * 60_000);
  });

  it('validates zone names and knows weekdays', () => {
    expect(isValidTimeZone('Asia/Shanghai')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus_Mons')).toBe(false);
    expect(isValidTimeZone('')).toBe(false);
    expect(weekday(dayNumber('2026-10-10'))).toBe(6);
    expect(weekday(dayNumber('2026-09-20'))).toBe(0);
  });
});
