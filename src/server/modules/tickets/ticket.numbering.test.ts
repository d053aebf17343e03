import { describe, expect, it } from 'vitest';
import { addWorkingTime } from '../calendar/working-time.ts';
import { chinaCalendar } from '../calendar/china-holidays.ts';
import { callbackWorkingMinutes } from './callback.due.ts';
import { endOfLocalDay, localDay, ticketNumber } from './ticket.numbering.ts';

describe('work order numbers', () => {
  it('counts the company local day, not the UTC one', () => {
    expect(localDay(new Date('2026-11-25T02:00:00Z'), 'Asia/Shanghai')).toBe('20261125');
    expect(localDay(new Date('2026-11-25T15:59:59Z'), 'Asia/Shanghai')).toBe('20261125');
    expect(localDay(new Date('2026-11-25T16:00:00Z'), 'Asia/Shanghai')).toBe('20261126');
    expect(localDay(new Date('2026-11-25T02:00:00Z'), 'America/New_York')).toBe('20261124');
  });

  it('pads the sequence to four digits and lets it grow', () => {
    expect(ticketNumber('A', '20261125', 1)).toBe('A-20261125-0001');
    expect(ticketNumber('LY-1', '20261125', 12345)).toBe('LY-1-20261125-12345');
  });

  it('finds the end of the local day', () => {
    expect(endOfLocalDay(new Date('2026-11-25T02:00:00Z'), 'Asia/Shanghai').toISOString()).toBe('2026-11-25T16:00:00.000Z');
    expect(endOfLocalDay(new Date('2026-11-25T16:00:00Z'), 'Asia/Shanghai').toISOString()).toBe('2026-11-26T16:00:00.000Z');
    // A day of 23 hours: New York enters daylight saving time on 2026-03-08.
    expect(endOfLocalDay(new Date('2026-03-08T12:00:00Z'), 'America/New_York').toISOString()).toBe('2026-03-09T04:00:00.000Z');
  });
});

describe('callback due time', () => {
  const at = new Date('2026-11-25T02:00:00Z');
  it('is one working day after resolution for complaints and two for the rest (default calendar)', () => {
    // Wednesday 10:00 in Shanghai: 9 working hours → Thursday 10:00, 18 → Friday 10:00.
    const due = (type: 'complaint' | 'repair') => addWorkingTime(chinaCalendar(), at, callbackWorkingMinutes(type) * 60_000).toISOString();
    expect(due('complaint')).toBe('2026-11-26T02:00:00.000Z');
    expect(due('repair')).toBe('2026-11-27T02:00:00.000Z');
  });
});
