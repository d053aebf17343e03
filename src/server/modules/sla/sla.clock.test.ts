import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chinaCalendar } from '../calendar/china-holidays.ts';
import { consumed, dueAt, nextStage, pause, resume, retarget, stageAt, type Clock } from './sla.clock.ts';

const HOUR = 3600_000;
const sh = (local: string) => new Date(`${local}+08:00`);
const cal = chinaCalendar();

const running = (start: Date, hours: number): Clock => ({ mode: 'working', targetMs: hours * HOUR, consumedMs: 0, segmentStart: start });

describe('service-time clocks', () => {
  it('gives the issue’s deadline and keeps it through a pause of any length', () => {
    const c = running(sh('2026-09-30T17:00:00'), 48);
    expect(dueAt(cal, c)).toEqual(sh('2026-10-14T11:00:00'));
    // Waiting on the customer from Oct 8 10:00 to Oct 9 10:00 (9 working hours): the deadline moves by 9 working hours.
    const paused = pause(cal, c, sh('2026-10-08T10:00:00'));
    expect(dueAt(cal, paused)).toBeNull();
    expect(paused.consumedMs).toBe(2 * HOUR);
    expect(dueAt(cal, resume(paused, sh('2026-10-09T10:00:00')))).toEqual(sh('2026-10-15T11:00:00'));
  });

  it('keeps the time used when the target changes, and carries it across scales', () => {
    const c = running(sh('2026-11-16T09:00:00'), 48);
    const faster = retarget(cal, c, sh('2026-11-16T11:00:00'), 'working', 8 * HOUR);
    expect(dueAt(cal, faster)).toEqual(sh('2026-11-16T17:00:00'));
    const calendarTime = retarget(cal, c, sh('2026-11-16T11:00:00'), 'calendar', 24 * HOUR);
    // 2 h used; 22 calendar hours left from 11:00.
    expect(dueAt(cal, calendarTime)).toEqual(sh('2026-11-17T09:00:00'));
  });

  it('orders its stages: warning at 75%, breach, then levels after the deadline; a passed warning is skipped by the sweep', () => {
    const c = running(sh('2026-11-23T09:00:00'), 48);
    const plan = { warnPercent: 75, levels: [{ afterMinutes: 0 }, { afterMinutes: 60 }] };
    expect(stageAt(cal, c, plan, 'warning')).toEqual(sh('2026-11-26T18:00:00')); // 36 h: the end of Thursday
    expect(nextStage(cal, c, plan, null)).toEqual({ stage: 'warning', at: sh('2026-11-26T18:00:00') });
    expect(nextStage(cal, c, plan, 'warning')).toEqual({ stage: 'breach', at: sh('2026-11-30T12:00:00') });
    expect(nextStage(cal, c, plan, 'breach')).toEqual({ stage: 'level1', at: sh('2026-11-30T12:00:00') });
    expect(nextStage(cal, c, plan, 'level1')).toEqual({ stage: 'level2', at: sh('2026-11-30T13:00:00') });
    expect(nextStage(cal, c, plan, 'level2')).toBeNull();
    expect(nextStage(cal, pause(cal, c, sh('2026-11-24T09:00:00')), plan, null)).toBeNull();
  });

  it('never loses or invents time across any sequence of pauses and resumes (property)', () => {
    const start = sh('2026-01-05T09:00:00').getTime();
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 5 * 24 * 60 }), { minLength: 1, maxLength: 8 }), fc.integer({ min: 1, max: 200 }), (gaps, hours) => {
        let c = running(new Date(start), hours);
        let at = start;
        let paused = false;
        let pausedWorking = 0;
        let lastPause = 0;
        for (const g of gaps) {
          at += g * 60_000;
          if (paused) {
            c = resume(c, new Date(at));
            pausedWorking += consumedBetween(lastPause, at);
          } else {
            c = pause(cal, c, new Date(at));
            lastPause = at;
          }
          paused = !paused;
        }
        if (paused) c = resume(c, new Date(at)), (pausedWorking += consumedBetween(lastPause, at));
        fc.pre(c.consumedMs < c.targetMs); // the deadline is still ahead of the last resume
        // Time used at the deadline is exactly the target, and the working time between start and
        // deadline is the target plus the working time spent paused.
        const due = dueAt(cal, c)!;
        expect(consumed(cal, c, due)).toBe(hours * HOUR);
        expect(consumedBetween(start, due.getTime())).toBe(hours * HOUR + pausedWorking);
      }),
      { numRuns: 200 },
    );
  });
});

function consumedBetween(a: number, b: number): number {
  return consumed(cal, { mode: 'working', targetMs: 0, consumedMs: 0, segmentStart: new Date(a) }, new Date(b));
}
