import { describe, expect, it } from 'vitest';
import { callbackDueAt } from './callback.due.ts';
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
  it('is a day after resolution for complaints and two days for the rest', () => {
    expect(callbackDueAt({ type: 'complaint', org_unit_id: 'x', severity: 2 }, at).toISOString()).toBe('2026-11-26T02:00:00.000Z');
    expect(callbackDueAt({ type: 'repair', org_unit_id: 'x', severity: null }, at).toISOString()).toBe('2026-11-27T02:00:00.000Z');
  });
});
