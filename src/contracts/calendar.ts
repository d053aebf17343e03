/**
 * Working calendars (工作日历) over the API. The day lists are 'HH:MM-HH:MM' strings (a shift may
 * cross midnight: '18:30-02:00'); the server validates the whole through the engine's
 * workingCalendarSchema and names the offending field.
 */
import { z } from 'zod';
import { id } from './api.ts';

const day = z.array(z.string().max(20)).max(20);
const dates = z.array(z.string().max(20)).max(10_000);

export const holidaySets = ['china_official', 'none'] as const;

export const calendarInput = z.strictObject({
  timeZone: z.string().max(64),
  /** Seven days, index 0 = Sunday. */
  week: z.array(day).length(7),
  /** Hours on a make-up working day (调休上班); absent: Monday's. */
  makeUpDayHours: day.nullable().optional(),
  holidaySet: z.enum(holidaySets).default('china_official'),
  extraHolidays: dates.default([]),
  extraWorkdays: dates.default([]),
  /** Required when replacing the unit's own calendar. */
  version: z.number().int().optional(),
});

/** YEAR_WITHOUT_HOLIDAYS: a year the deadline touches has no holiday data (plain weekends counted);
 * NO_WORKING_TIME: the calendar has no working hours at all (the deadline falls back to calendar time). */
export const calendarWarning = z.object({ code: z.enum(['YEAR_WITHOUT_HOLIDAYS', 'NO_WORKING_TIME']), year: z.number().optional(), message: z.string() });

export const calendarView = z.object({
  /** The unit whose row this is; null for the built-in default. */
  orgUnitId: id.nullable(),
  timeZone: z.string(),
  week: z.array(z.array(z.string())),
  makeUpDayHours: z.array(z.string()).nullable(),
  holidaySet: z.enum(holidaySets),
  extraHolidays: z.array(z.string()),
  extraWorkdays: z.array(z.string()),
  version: z.number().nullable(),
  updatedAt: z.string().nullable(),
});

export const effectiveCalendar = z.object({
  /** null: the unit's own calendar; else the ancestor it comes from (or the default, with calendar.orgUnitId null). */
  inheritedFrom: id.nullable(),
  calendar: calendarView,
  yearsWithData: z.array(z.number()),
  warnings: z.array(calendarWarning),
});

export const calendarImport = z.strictObject({
  ics: z.string().max(1024 * 1024),
  version: z.number().int().optional(),
});

export const deadlineQuery = z.strictObject({
  orgUnitId: id,
  start: z.iso.datetime({ offset: true }),
  minutes: z.coerce.number().int().min(0).max(60 * 24 * 366),
});
export const deadlineResult = z.object({ due: z.string(), warnings: z.array(calendarWarning) });

export type CalendarInput = z.infer<typeof calendarInput>;
export type CalendarView = z.infer<typeof calendarView>;
export type EffectiveCalendar = z.infer<typeof effectiveCalendar>;
export type CalendarWarning = z.infer<typeof calendarWarning>;
