import { describe, expect, it } from 'vitest';
import { chinaCalendar, chinaDayRanges } from './china-holidays.ts';
import { daysFromRanges, ICAL_MAX_EVENTS, parseICalendar, rangesFromDays, toICalendar } from './ical.ts';

const stamp = new Date('2025-11-04T00:00:00Z');
const wrap = (...body: string[]) => ['BEGIN:VCALENDAR', 'VERSION:2.0', ...body, 'END:VCALENDAR'].join('\r\n');
const errorsOf = (text: string) => {
  const r = parseICalendar(text);
  return r.ok ? [] : r.errors;
};

describe('iCalendar export', () => {
  it('writes all-day events with an exclusive DTEND, kind, CRLF and folded lines', () => {
    const ics = toICalendar(chinaDayRanges([2026]), { name: '中国法定节假日 2026', stamp });
    expect(ics).toContain('BEGIN:VEVENT\r\nUID:holiday-2026-10-01@kefu\r\nDTSTAMP:20251104T000000Z\r\nDTSTART;VALUE=DATE:20261001\r\nDTEND;VALUE=DATE:20261008\r\n');
    expect(ics).toContain('X-KEFU-KIND:WORKDAY');
    expect(ics).toContain('CATEGORIES:HOLIDAY');
    expect(ics.endsWith('END:VCALENDAR\r\n')).toBe(true);
    for (const line of ics.split('\r\n')) expect(new TextEncoder().encode(line).length).toBeLessThanOrEqual(75);
  });
});

describe('iCalendar import', () => {
  it('round-trips the official data', () => {
    const ranges = chinaDayRanges();
    const r = parseICalendar(toICalendar(ranges, { stamp }));
    expect(r).toEqual({ ok: true, ranges });
    const cal = chinaCalendar();
    expect(daysFromRanges(ranges)).toEqual({ holidays: cal.holidays, workdays: cal.workdays, years: [2025, 2026] });
  });

  it('round-trips day sets grouped into runs, with escaped and long summaries', () => {
    const cal = chinaCalendar();
    const long = '很长的说明；with, commas \\ and; semicolons '.repeat(5).trim();
    const ranges = rangesFromDays(cal.holidays, cal.workdays, (k, first) => `${long} ${k} ${first}`);
    const r = parseICalendar(toICalendar(ranges, { stamp }));
    expect(r.ok && r.ranges).toEqual(ranges);
    expect(ranges.find((x) => x.first === '2026-10-01')?.last).toBe('2026-10-07');
  });

  it('is tolerant: LF, folded lines with tabs, lower case, no DTEND, DURATION, CATEGORIES only, extra components', () => {
    const text = [
      'BEGIN:VCALENDAR', 'PRODID:other', 'BEGIN:VTIMEZONE', 'TZID:Asia/Shanghai', 'END:VTIMEZONE',
      'BEGIN:VEVENT', 'dtstart;value=date:20270101', 'SUMMARY:元旦', '\t(New Year)', 'x-kefu-kind:holiday', 'END:VEVENT',
      'BEGIN:VEVENT', 'DTSTART;VALUE=DATE:20270206', 'DURATION:P1W', 'CATEGORIES:Holidays,HOLIDAY', 'BEGIN:VALARM', 'ACTION:DISPLAY', 'END:VALARM', 'END:VEVENT',
      'BEGIN:VEVENT', 'DTSTART:20270214', 'DTEND:20270215', 'CATEGORIES:WORKDAY', 'SUMMARY:班', 'END:VEVENT',
      'END:VCALENDAR', '',
    ].join('\n');
    const r = parseICalendar(text);
    expect(r).toEqual({
      ok: true,
      ranges: [
        { kind: 'HOLIDAY', first: '2027-01-01', last: '2027-01-01', summary: '元旦(New Year)' },
        { kind: 'HOLIDAY', first: '2027-02-06', last: '2027-02-12', summary: '' },
        { kind: 'WORKDAY', first: '2027-02-14', last: '2027-02-14', summary: '班' },
      ],
    });
  });

  it('reports bad input with line numbers', () => {
    expect(errorsOf(wrap('BEGIN:VEVENT', 'DTSTART:20261001T090000', 'X-KEFU-KIND:HOLIDAY', 'END:VEVENT'))).toEqual([
      { line: 4, message: expect.stringMatching(/all-day date/) },
    ]);
    expect(errorsOf(wrap('BEGIN:VEVENT', 'DTSTART;VALUE=DATE:20260230', 'X-KEFU-KIND:HOLIDAY', 'END:VEVENT'))[0]).toMatchObject({ line: 4 });
    expect(errorsOf(wrap('BEGIN:VEVENT', 'DTSTART;VALUE=DATE:20261001', 'END:VEVENT'))[0]).toMatchObject({ line: 3, message: expect.stringMatching(/X-KEFU-KIND/) });
    expect(errorsOf(wrap('BEGIN:VEVENT', 'DTSTART;VALUE=DATE:20261001', 'DTEND;VALUE=DATE:20261001', 'X-KEFU-KIND:HOLIDAY', 'END:VEVENT'))[0]).toMatchObject({ line: 5 });
    expect(errorsOf(wrap('BEGIN:VEVENT', 'DTSTART;VALUE=DATE:20261001', 'RRULE:FREQ=YEARLY', 'X-KEFU-KIND:HOLIDAY', 'END:VEVENT'))[0].message).toMatch(/recurring/);
    expect(errorsOf(wrap('BEGIN:VEVENT', 'DTSTART;VALUE=DATE:20261001', 'X-KEFU-KIND:SOMETIMES', 'END:VEVENT'))[0]).toMatchObject({ line: 5 });
    expect(errorsOf(wrap('BEGIN:VEVENT', 'DTSTART;VALUE=DATE:20261001', 'X-KEFU-KIND:HOLIDAY', 'CATEGORIES:WORKDAY', 'END:VEVENT'))[0].message).toMatch(/contradicts/);
    expect(errorsOf(wrap('BEGIN:VEVENT', 'this is not a content line', 'END:VEVENT'))[0]).toMatchObject({ line: 4 });
    expect(errorsOf(wrap('BEGIN:VEVENT', 'DTSTART;VALUE=DATE:20261001', 'X-KEFU-KIND:HOLIDAY', 'END:VTODO'))[0]).toMatchObject({ line: 6 });
    expect(errorsOf('BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\n')[0].message).toMatch(/unterminated/);
    expect(errorsOf('hello')[0].line).toBe(1);
    expect(errorsOf('')[0].message).toMatch(/no BEGIN:VCALENDAR/);
  });

  it('refuses a day that is both off and working, naming both lines', () => {
    const text = wrap(
      'BEGIN:VEVENT', 'DTSTART;VALUE=DATE:20261001', 'DTEND;VALUE=DATE:20261008', 'X-KEFU-KIND:HOLIDAY', 'END:VEVENT',
      'BEGIN:VEVENT', 'DTSTART;VALUE=DATE:20261003', 'X-KEFU-KIND:WORKDAY', 'END:VEVENT',
    );
    expect(errorsOf(text)).toEqual([{ line: 8, message: '2026-10-03 is both a HOLIDAY (line 3) and a WORKDAY' }]);
  });

  it('enforces the limits: 2,000 events, 1 MB, 366 days an event', () => {
    const event = (i: number) => ['BEGIN:VEVENT', `DTSTART;VALUE=DATE:${20000101 + (i % 28)}`, 'X-KEFU-KIND:HOLIDAY', 'END:VEVENT'];
    const many = wrap(...Array.from({ length: ICAL_MAX_EVENTS + 1 }, (_, i) => event(i)).flat());
    expect(errorsOf(many)[0].message).toMatch(/more than 2000 events/);
    expect(parseICalendar(wrap(...Array.from({ length: ICAL_MAX_EVENTS }, (_, i) => event(i)).flat())).ok).toBe(true);
    expect(errorsOf(wrap(`X-PAD:${'x'.repeat(1024 * 1024)}`))[0]).toEqual({ line: 0, message: 'file larger than 1048576 bytes' });
    expect(errorsOf(wrap(`X-PAD:${'汉'.repeat(400_000)}`))[0].line).toBe(0); // 1.2 MB in UTF-8, 400k characters
    expect(errorsOf(wrap('BEGIN:VEVENT', 'DTSTART;VALUE=DATE:20260101', 'DTEND;VALUE=DATE:20270103', 'X-KEFU-KIND:HOLIDAY', 'END:VEVENT'))[0].message).toMatch(/at most 366 days/);
  });
});
