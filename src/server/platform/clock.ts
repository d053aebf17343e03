/** The only source of "now". Tests and the SLA issue move time through a settable clock. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export class TestClock implements Clock {
  private at: number;
  constructor(start: Date | string = '2026-11-25T02:00:00.000Z') {
    this.at = new Date(start).getTime();
  }
  now(): Date {
    return new Date(this.at);
  }
  set(to: Date | string): void {
    this.at = new Date(to).getTime();
  }
  advance(ms: number): void {
    this.at += ms;
  }
}

/** End-to-end tests only (KEFU_TEST_CLOCK=true): the system time moved forward by a settable offset. */
export class ShiftedClock implements Clock {
  private offset: number;
  /** `offsetMs`: where a restarted test server starts (KEFU_TEST_CLOCK_OFFSET_MINUTES). */
  constructor(offsetMs = 0) {
    this.offset = Math.max(0, offsetMs);
  }
  now(): Date {
    return new Date(Date.now() + this.offset);
  }
  /** Moves forward (never back: deadlines already stored stay consistent). */
  advance(ms: number): void {
    if (ms > 0) this.offset += ms;
  }
}

/** Instants are stored as ISO-8601 UTC text with milliseconds: same bytes on SQLite and PostgreSQL, and text order is time order. */
export function iso(d: Date): string {
  return d.toISOString();
}
