/**
 * Working calendars of org units (工作日历): a unit's effective calendar is its own row, else its
 * nearest ancestor's, else the built-in default (the unit's time zone, Mon–Fri 09:00–18:00, official
 * China holidays and 调休). Also the deadline arithmetic the work-order seams use (callbackDueAt,
 * handoffDueAt): working time on the effective calendar, with warnings for years without data.
 */
import type { CalendarInput, CalendarView, CalendarWarning, EffectiveCalendar } from '../../../contracts/calendar.ts';
import type { Tx } from '../../../db/database.ts';
import type { Lang } from '../../../contracts/errors.ts';
import { holdsIn, scopePaths } from '../../platform/actor.ts';
import { iso } from '../../platform/clock.ts';
import type { Ctx } from '../../platform/context.ts';
import { AppError, forbidden, invalid, notFound, versionConflict } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { orgUnitRepository, type OrgUnitRow } from '../org/org-unit.repository.ts';
import { calendarRepository as repo, type CalendarRow } from './calendar.repository.ts';
import { formatInterval, workingCalendarSchema, type WorkingCalendar } from './calendar.types.ts';
import { chinaDays, daysOf } from './china-holidays.ts';
import { parseICalendar, rangesFromDays, toICalendar } from './ical.ts';
import { localParts, yearOfDay } from './tz.ts';
import { addWorkingTime, NoWorkingTimeError, yearsWithoutData } from './working-time.ts';

const DEFAULT_HOURS = '09:00-18:00';

/** The built-in default in a unit's own time zone. */
function defaultView(timeZone: string): CalendarView {
  return {
    orgUnitId: null,
    timeZone,
    week: [[], [DEFAULT_HOURS], [DEFAULT_HOURS], [DEFAULT_HOURS], [DEFAULT_HOURS], [DEFAULT_HOURS], []],
    makeUpDayHours: null,
    holidaySet: 'china_official',
    extraHolidays: [],
    extraWorkdays: [],
    version: null,
    updatedAt: null,
  };
}

function rowToView(r: CalendarRow): CalendarView {
  return {
    orgUnitId: r.org_unit_id,
    timeZone: r.time_zone,
    week: JSON.parse(r.week) as string[][],
    makeUpDayHours: r.make_up_day_hours ? (JSON.parse(r.make_up_day_hours) as string[]) : null,
    holidaySet: r.holiday_set,
    extraHolidays: JSON.parse(r.extra_holidays) as string[],
    extraWorkdays: JSON.parse(r.extra_workdays) as string[],
    version: Number(r.version),
    updatedAt: r.updated_at,
  };
}

const yearOf = (d: string) => Number(d.slice(0, 4));

/**
 * The arithmetic's calendar. Extra days win over the holiday set (an extra working day cancels an
 * official day off, and the reverse). Years with data: the official ones plus every year an extra
 * day (or an imported iCalendar) touches. With the holiday set 'none' the unit keeps no official
 * holidays on purpose, so no year is reported missing (see warningsFor).
 */
export function toWorkingCalendar(v: CalendarView): WorkingCalendar {
  const official = v.holidaySet === 'china_official' ? chinaDays() : { holidays: new Set<string>(), workdays: new Set<string>(), years: [] };
  const holidays = new Set([...official.holidays, ...v.extraHolidays]);
  const workdays = new Set([...official.workdays, ...v.extraWorkdays]);
  for (const d of v.extraWorkdays) holidays.delete(d);
  for (const d of v.extraHolidays) workdays.delete(d);
  const years = [...new Set([...official.years, ...v.extraHolidays.map(yearOf), ...v.extraWorkdays.map(yearOf)])];
  return workingCalendarSchema.parse({
    timeZone: v.timeZone,
    week: v.week,
    ...(v.makeUpDayHours ? { makeUpDayHours: v.makeUpDayHours } : {}),
    holidays: [...holidays],
    workdays: [...workdays],
    years,
  });
}

function yearWarning(lang: Lang, year: number): CalendarWarning {
  return {
    code: 'YEAR_WITHOUT_HOLIDAYS',
    year,
    message: lang === 'zh' ? `${year} 年的节假日尚未录入，按普通周末计算` : `No holidays entered for ${year}; counted with plain weekends`,
  };
}

function warningsFor(lang: Lang, v: CalendarView, cal: WorkingCalendar, from: Date, to: Date): CalendarWarning[] {
  if (v.holidaySet === 'none') return [];
  return yearsWithoutData(cal, from, to).map((y) => yearWarning(lang, y));
}

interface Resolved {
  view: CalendarView;
  /** The unit the calendar comes from when not the unit's own; null for own or default. */
  inheritedFrom: string | null;
  own: CalendarRow | null;
}

/** The effective calendar of a unit: own row, else the nearest ancestor's, else the default. */
async function resolve(db: Tx, unit: Pick<OrgUnitRow, 'id' | 'path' | 'time_zone'>): Promise<Resolved> {
  const ids = unit.path.split('/').filter(Boolean);
  const rows = await repo.alongPath(db, unit.path);
  let best: CalendarRow | null = null;
  for (const r of rows) if (!best || ids.indexOf(r.org_unit_id) > ids.indexOf(best.org_unit_id)) best = r;
  if (!best) return { view: defaultView(unit.time_zone), inheritedFrom: null, own: null };
  const own = best.org_unit_id === unit.id ? best : null;
  return { view: rowToView(best), inheritedFrom: own ? null : best.org_unit_id, own };
}

export interface Deadline {
  due: Date;
  warnings: CalendarWarning[];
}

/**
 * `minutes` of working time after `start` on the effective calendar of `unitId`. Never throws for a
 * calendar reason: a year without data still gives a deadline (with a warning), and a calendar
 * without any working hours falls back to calendar time (with a warning).
 */
export async function workingDeadline(db: Tx, lang: Lang, unitId: string, start: Date, minutes: number): Promise<Deadline> {
  const unit = await orgUnitRepository.byId(db, unitId);
  const { view } = unit ? await resolve(db, unit) : { view: defaultView('Asia/Shanghai') };
  return deadlineOn(lang, view, start, minutes);
}

/** The engine's calendar of a unit (own, inherited or default) — for code that keeps its own clocks (SLA). */
export async function effectiveWorkingCalendar(db: Tx, unitId: string): Promise<WorkingCalendar> {
  const unit = await orgUnitRepository.byId(db, unitId);
  const { view } = unit ? await resolve(db, unit) : { view: defaultView('Asia/Shanghai') };
  return toWorkingCalendar(view);
}

/** The warnings a deadline computed on `unitId`'s calendar carries (a year without holiday data). */
export async function deadlineWarnings(db: Tx, lang: Lang, unitId: string, start: Date, due: Date): Promise<CalendarWarning[]> {
  const unit = await orgUnitRepository.byId(db, unitId);
  const { view } = unit ? await resolve(db, unit) : { view: defaultView('Asia/Shanghai') };
  return warningsFor(lang, view, toWorkingCalendar(view), start, due);
}

function deadlineOn(lang: Lang, view: CalendarView, start: Date, minutes: number): Deadline {
  const cal = toWorkingCalendar(view);
  try {
    const due = addWorkingTime(cal, start, minutes * 60_000);
    return { due, warnings: warningsFor(lang, view, cal, start, due) };
  } catch (e) {
    if (!(e instanceof NoWorkingTimeError)) throw e;
    return {
      due: new Date(start.getTime() + minutes * 60_000),
      warnings: [{ code: 'NO_WORKING_TIME', message: lang === 'zh' ? '工作日历没有工作时间，按自然时间计算' : 'The working calendar has no working time; counted in calendar time' }],
    };
  }
}

// ---- use cases ----

async function unitInScope(db: Tx, ctx: Ctx, id: string): Promise<OrgUnitRow> {
  const unit = await orgUnitRepository.byIdInScope(db, id, scopePaths(ctx.actor, 'org:read'));
  if (!unit) throw notFound();
  return unit;
}

async function unitToManage(db: Tx, ctx: Ctx, id: string): Promise<OrgUnitRow> {
  const unit = await unitInScope(db, ctx, id);
  if (!holdsIn(ctx.actor, 'sla:manage', unit.path)) throw forbidden();
  return unit;
}

function present(ctx: Ctx, r: Resolved): EffectiveCalendar {
  const cal = toWorkingCalendar(r.view);
  const now = ctx.clock.now();
  const thisYear = yearOfDay(localParts(cal.timeZone, now.getTime()).day);
  // The current and the next year are the ones deadlines land in; say when either lacks holidays.
  const warnings = r.view.holidaySet === 'none' ? [] : [thisYear, thisYear + 1].filter((y) => !cal.years.includes(y)).map((y) => yearWarning(ctx.lang, y));
  return { inheritedFrom: r.inheritedFrom, calendar: r.view, yearsWithData: [...cal.years], warnings };
}

export async function getCalendar(ctx: Ctx, unitId: string): Promise<EffectiveCalendar> {
  const unit = await unitInScope(ctx.db, ctx, unitId);
  return present(ctx, await resolve(ctx.db, unit));
}

/** Validates through the engine's schema; field names are the API's. */
function normalise(ctx: Ctx, input: Omit<CalendarInput, 'version'>): Omit<CalendarView, 'orgUnitId' | 'version' | 'updatedAt'> {
  const parsed = workingCalendarSchema.safeParse({
    timeZone: input.timeZone,
    week: input.week,
    ...(input.makeUpDayHours ? { makeUpDayHours: input.makeUpDayHours } : {}),
    holidays: input.extraHolidays,
    workdays: input.extraWorkdays,
    years: [],
  });
  if (!parsed.success) {
    const rename: Record<string, string> = { holidays: 'extraHolidays', workdays: 'extraWorkdays' };
    const fields = parsed.error.issues.map((i) => ({
      field: i.path.map((p, n) => (n === 0 ? (rename[String(p)] ?? String(p)) : String(p))).join('.') || 'body',
      message: i.message,
    }));
    throw new AppError('VALIDATION_FAILED', 400, { fields });
  }
  const cal = parsed.data;
  if ([0, 1, 2, 3, 4, 5, 6].every((d) => cal.week[d as 0].length === 0))
    throw invalid('week', ctx.lang === 'zh' ? '每周至少需要一段工作时间' : 'the week needs some working hours');
  const fmt = (ivs: readonly { start: number; end: number }[]) => ivs.map(formatInterval);
  return {
    timeZone: cal.timeZone,
    week: [0, 1, 2, 3, 4, 5, 6].map((d) => fmt(cal.week[d as 0])),
    makeUpDayHours: cal.makeUpDayHours ? fmt(cal.makeUpDayHours) : null,
    holidaySet: input.holidaySet,
    extraHolidays: [...cal.holidays].sort(),
    extraWorkdays: [...cal.workdays].sort(),
  };
}

type Stored = Omit<CalendarView, 'orgUnitId' | 'version' | 'updatedAt'>;
const audited = (v: Stored) => ({
  timeZone: v.timeZone,
  week: v.week,
  makeUpDayHours: v.makeUpDayHours,
  holidaySet: v.holidaySet,
  extraHolidays: v.extraHolidays,
  extraWorkdays: v.extraWorkdays,
});

/** Writes the unit's own row (insert, or replace at `version`) and its audit entry. */
async function store(trx: Tx, ctx: Ctx, unit: OrgUnitRow, own: CalendarRow | null, v: Stored, version: number | undefined, action: string): Promise<void> {
  const at = iso(ctx.clock.now());
  const cols = {
    time_zone: v.timeZone,
    week: JSON.stringify(v.week),
    make_up_day_hours: v.makeUpDayHours ? JSON.stringify(v.makeUpDayHours) : null,
    holiday_set: v.holidaySet,
    extra_holidays: JSON.stringify(v.extraHolidays),
    extra_workdays: JSON.stringify(v.extraWorkdays),
    updated_at: at,
  };
  let id: string;
  if (own) {
    if (version === undefined) throw invalid('version', ctx.lang === 'zh' ? '替换本单位的日历需要版本号' : 'required when replacing the unit’s own calendar');
    if (Number(own.version) !== version || !(await repo.update(trx, own.id, version, cols))) throw versionConflict();
    id = own.id;
  } else {
    id = newId(ctx.clock.now().getTime());
    await repo.insert(trx, { id, org_unit_id: unit.id, ...cols, created_at: at, version: 1 });
  }
  await recordAudit(trx, ctx, {
    action,
    entityType: 'working_calendar',
    entityId: id,
    orgUnitId: unit.id,
    ...(own ? { before: audited(rowToView(own)) } : {}),
    after: audited(v),
  });
}

export async function putCalendar(ctx: Ctx, unitId: string, input: CalendarInput): Promise<EffectiveCalendar> {
  return ctx.db.transaction().execute(async (trx) => {
    const unit = await unitToManage(trx, ctx, unitId);
    const v = normalise(ctx, input);
    const { own } = await resolve(trx, unit);
    await store(trx, ctx, unit, own, v, input.version, own ? 'calendar.update' : 'calendar.create');
    return present(ctx, await resolve(trx, unit));
  });
}

/** Back to the inherited calendar. */
export async function deleteCalendar(ctx: Ctx, unitId: string): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    const unit = await unitToManage(trx, ctx, unitId);
    const own = await repo.byUnit(trx, unit.id);
    if (!own) throw notFound();
    await repo.delete(trx, own.id);
    await recordAudit(trx, ctx, { action: 'calendar.delete', entityType: 'working_calendar', entityId: own.id, orgUnitId: unit.id, before: audited(rowToView(own)) });
  });
}

/** The effective calendar's days off and make-up working days as iCalendar. */
export async function exportCalendarIcs(ctx: Ctx, unitId: string): Promise<{ filename: string; body: string }> {
  const unit = await unitInScope(ctx.db, ctx, unitId);
  const { view } = await resolve(ctx.db, unit);
  const cal = toWorkingCalendar(view);
  const body = toICalendar(rangesFromDays(cal.holidays, cal.workdays), { name: `${unit.name} 工作日历`, stamp: ctx.clock.now() });
  return { filename: `calendar-${unit.code}.ics`, body };
}

/**
 * Adds an iCalendar's days to the unit's own calendar (created from the inherited one when the unit
 * has none): days off to extra holidays, working days to extra working days, each removed from the
 * other list. Errors name their line.
 */
export async function importCalendarIcs(ctx: Ctx, unitId: string, input: { ics: string; version?: number }): Promise<EffectiveCalendar> {
  const parsed = parseICalendar(input.ics);
  if (!parsed.ok) throw new AppError('VALIDATION_FAILED', 400, { fields: parsed.errors.map((e) => ({ field: 'ics', message: `line ${e.line}: ${e.message}` })) });
  return ctx.db.transaction().execute(async (trx) => {
    const unit = await unitToManage(trx, ctx, unitId);
    const { view, own } = await resolve(trx, unit);
    const holidays = new Set(view.extraHolidays);
    const workdays = new Set(view.extraWorkdays);
    for (const r of parsed.ranges) {
      const [add, drop] = r.kind === 'HOLIDAY' ? [holidays, workdays] : [workdays, holidays];
      for (const d of daysOf(r.first, r.last)) {
        add.add(d);
        drop.delete(d);
      }
    }
    const { orgUnitId: _o, version: _v, updatedAt: _u, ...rest } = view;
    const next = normalise(ctx, { ...rest, extraHolidays: [...holidays], extraWorkdays: [...workdays] });
    await store(trx, ctx, unit, own, next, input.version, 'calendar.import');
    return present(ctx, await resolve(trx, unit));
  });
}

export async function calculateDeadline(ctx: Ctx, q: { orgUnitId: string; start: string; minutes: number }): Promise<{ due: string; warnings: CalendarWarning[] }> {
  const unit = await unitInScope(ctx.db, ctx, q.orgUnitId);
  const { view } = await resolve(ctx.db, unit);
  const d = deadlineOn(ctx.lang, view, new Date(q.start), q.minutes);
  return { due: iso(d.due), warnings: d.warnings };
}
