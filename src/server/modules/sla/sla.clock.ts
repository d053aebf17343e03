import type { WorkingCalendar } from '../calendar/calendar.types.ts';
import { addWorkingTime, NoWorkingTimeError, workingTimeBetween } from '../calendar/working-time.ts';

/**
 * A service-time clock 时限计时, the pure part. A target (first response, resolution) allows
 * `targetMs` of working or calendar time. The clock keeps what was consumed before the current
 * running segment and when that segment started; paused (waiting on the customer) it has no
 * segment. Everything else is derived by interval arithmetic — never by stepping through time:
 *
 *   due       = segmentStart + (target − consumed)           (in the clock's time)
 *   warningAt = segmentStart + (warn% × target − consumed)   (when that is still ahead)
 *
 * so pausing keeps the time left, resuming adds it to the resume instant, and a new target
 * (priority or type changed) moves the deadline by the difference without losing what was used.
 */
export type TimeMode = 'working' | 'calendar';

export interface Clock {
  mode: TimeMode;
  targetMs: number;
  consumedMs: number;
  /** Null while paused. */
  segmentStart: Date | null;
}

/** Adds time on the clock's own scale; a calendar without working time counts calendar time. */
export function addTime(cal: WorkingCalendar, mode: TimeMode, start: Date, ms: number): Date {
  if (mode === 'calendar') return new Date(start.getTime() + ms);
  try {
    return addWorkingTime(cal, start, ms);
  } catch (e) {
    if (e instanceof NoWorkingTimeError) return new Date(start.getTime() + ms);
    throw e;
  }
}

export function timeBetween(cal: WorkingCalendar, mode: TimeMode, a: Date, b: Date): number {
  if (mode === 'calendar') return b.getTime() - a.getTime();
  try {
    return workingTimeBetween(cal, a, b);
  } catch (e) {
    if (e instanceof NoWorkingTimeError) return b.getTime() - a.getTime();
    throw e;
  }
}

/** Time used so far (ms), including the running segment up to `now`. */
export function consumed(cal: WorkingCalendar, c: Clock, now: Date): number {
  return c.consumedMs + (c.segmentStart ? Math.max(0, timeBetween(cal, c.mode, c.segmentStart, now)) : 0);
}

/** The instant at which `fraction` of the target is used up; null while paused. */
export function instantAt(cal: WorkingCalendar, c: Clock, fraction: number): Date | null {
  if (!c.segmentStart) return null;
  return addTime(cal, c.mode, c.segmentStart, Math.round(c.targetMs * fraction) - c.consumedMs);
}

export const dueAt = (cal: WorkingCalendar, c: Clock): Date | null => instantAt(cal, c, 1);

export function pause(cal: WorkingCalendar, c: Clock, now: Date): Clock {
  if (!c.segmentStart) return c;
  return { ...c, consumedMs: consumed(cal, c, now), segmentStart: null };
}

export function resume(c: Clock, now: Date): Clock {
  return c.segmentStart ? c : { ...c, segmentStart: now };
}

/** A new target (priority or type changed, another policy applies): what was used stays used. */
export function retarget(cal: WorkingCalendar, c: Clock, now: Date, mode: TimeMode, targetMs: number): Clock {
  if (mode === c.mode) return { ...c, targetMs };
  // Changing scale: carry the used time over as measured on the new scale from here on.
  const used = consumed(cal, c, now);
  return { mode, targetMs, consumedMs: used, segmentStart: c.segmentStart ? now : null };
}

/**
 * The escalation stages of one target, in order: warning (at `warnPercent`), breach (at the
 * deadline), then up to three levels, each `afterMinutes` past the deadline (same scale).
 */
export interface StagePlan {
  warnPercent: number | null;
  levels: readonly { afterMinutes: number }[];
}
export type Stage = 'warning' | 'breach' | 'level1' | 'level2' | 'level3';
export const STAGES: readonly Stage[] = ['warning', 'breach', 'level1', 'level2', 'level3'];

/** When a stage falls due for a running clock; null when it does not exist or the clock is paused. */
export function stageAt(cal: WorkingCalendar, c: Clock, plan: StagePlan, stage: Stage): Date | null {
  if (!c.segmentStart) return null;
  if (stage === 'warning') return plan.warnPercent ? instantAt(cal, c, plan.warnPercent / 100) : null;
  const due = dueAt(cal, c)!;
  if (stage === 'breach') return due;
  const level = plan.levels[Number(stage.slice(5)) - 1];
  return level ? addTime(cal, c.mode, due, level.afterMinutes * 60_000) : null;
}

/**
 * The next stage to fire after `fired` (the last one that fired, or null) and when. A stage whose
 * instant has already passed is still returned (it fires at the next sweep); a warning that would
 * come after a breach that already fired is skipped.
 */
export function nextStage(cal: WorkingCalendar, c: Clock, plan: StagePlan, fired: Stage | null): { stage: Stage; at: Date } | null {
  if (!c.segmentStart) return null;
  for (const stage of STAGES.slice(fired ? STAGES.indexOf(fired) + 1 : 0)) {
    const at = stageAt(cal, c, plan, stage);
    if (at) return { stage, at };
  }
  return null;
}
