import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUnit, createTestApp, seedWorld, type Client, type TestApp, type World } from '../utils/app.ts';

const NINE_SIX = '09:00-18:00';
const weekdays = (hours: string[]) => [[], hours, hours, hours, hours, hours, []];

/** Working calendars (工作日历) per org unit: inheritance, scope, validation, iCalendar, and the deadlines that use them. */
describe('working calendars', () => {
  let t: TestApp;
  let w: World;
  let managerA: Client;
  let managerB: Client;
  let agentA: Client;
  let agentB: Client;

  const signIn = async () => {
    managerA = await t.login('manager.a');
    managerB = await t.login('manager.b');
    agentA = await t.login('agent.a');
    agentB = await t.login('agent.b');
  };
  const calendarOf = async (c: Client, unitId: string) => {
    const res = await c.get(`/api/org-units/${unitId}/calendar`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };
  const deadline = async (c: Client, unitId: string, start: string, minutes: number) => {
    const res = await c.get(`/api/calendar/deadline?orgUnitId=${unitId}&start=${encodeURIComponent(start)}&minutes=${minutes}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as { due: string; warnings: { code: string; year?: number }[] };
  };

  beforeAll(async () => {
    t = await createTestApp();
    w = await seedWorld(t);
    await signIn();
  });
  afterAll(() => t.close());

  it('gives every unit the built-in default: Mon–Fri 09:00–18:00, official holidays, a warning for the next year', async () => {
    const cal = await calendarOf(agentA, w.units.teamA.id);
    expect(cal).toMatchObject({
      inheritedFrom: null,
      calendar: { orgUnitId: null, timeZone: 'Asia/Shanghai', week: weekdays([NINE_SIX]), holidaySet: 'china_official', version: null },
      yearsWithData: [2025, 2026],
      warnings: [{ code: 'YEAR_WITHOUT_HOLIDAYS', year: 2027 }],
    });
  });

  it('computes the issue’s deadline: 48 working hours from 2026-09-30 17:00 end on 2026-10-14 11:00', async () => {
    // 1 h on Sep 30; Oct 1–7 off (国庆节·中秋节); Oct 8, 9, 10 (a Saturday working day, 调休), 12 and 13
    // give 5 × 9 = 45 h; the remaining 2 h on Oct 14 → 11:00 (+08:00) = 03:00Z.
    expect(await deadline(agentA, w.units.deptA.id, '2026-09-30T17:00:00+08:00', 48 * 60)).toEqual({ due: '2026-10-14T03:00:00.000Z', warnings: [] });
    // Into 2027, for which there is no official data yet: 1 h on Dec 31, 8 h on Friday Jan 1 (a plain weekday then).
    expect(await deadline(agentA, w.units.deptA.id, '2026-12-31T17:00:00+08:00', 9 * 60)).toMatchObject({
      due: '2027-01-01T09:00:00.000Z',
      warnings: [{ code: 'YEAR_WITHOUT_HOLIDAYS', year: 2027 }],
    });
  });

  it('schedules a complaint’s callback one working day after resolution, skipping the weekend', async () => {
    // Resolved Friday 2026-11-27 17:00 (+08:00) in 郑州 (default calendar): 9 working hours =
    // 1 h on Friday (17:00–18:00) + 8 h on Monday (09:00–17:00) → Monday 2026-11-30 17:00 (+08:00) = 09:00Z.
    t.clock.set('2026-11-27T09:00:00.000Z');
    await signIn();
    const intake = { type: 'complaint', channel: 'phone', subject: '退房时押金没有退', description: '押金三天还没到账。', severity: 2 };
    let tk = (await agentB.post('/api/tickets', intake)).json();
    tk = (await agentB.post(`/api/tickets/${tk.id}/take`, { version: tk.version })).json();
    tk = (await agentB.post(`/api/tickets/${tk.id}/transitions`, { to: 'in_progress', version: tk.version })).json();
    const res = await agentB.post(`/api/tickets/${tk.id}/transitions`, { to: 'resolved', version: tk.version });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'awaiting_callback', resolvedAt: '2026-11-27T09:00:00.000Z', dueAt: '2026-11-30T09:00:00.000Z' });
  });

  it('gives a department transfer its limit in working time', async () => {
    // Asked Friday 17:30 (+08:00) with 120 minutes: 30 min on Friday, 90 on Monday → Monday 10:30 = 02:30Z.
    t.clock.set('2026-11-27T09:30:00.000Z');
    await signIn();
    const asked = (await agentB.post('/api/tickets', { type: 'complaint', channel: 'phone', subject: '淋浴水发黄', severity: 3 })).json();
    const res = await managerB.post(`/api/tickets/${asked.id}/transfers`, { departmentIds: [w.units.deptB.id], reason: '请核实', timeLimitMinutes: 120, version: asked.version });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().transfers[0]).toMatchObject({ dueAt: '2026-11-30T02:30:00.000Z' });
    t.clock.set('2026-11-25T02:00:00.000Z');
    await signIn();
  });

  it('is inherited down the tree, overridable, and back to inherited when the override goes', async () => {
    const branchCal = { timeZone: 'Asia/Shanghai', week: weekdays(['09:00-12:00', '13:30-18:00']), holidaySet: 'china_official', extraHolidays: ['2026-12-24'] };
    const set = await managerA.put(`/api/org-units/${w.units.branchA.id}/calendar`, branchCal);
    expect(set.statusCode, set.body).toBe(200);
    expect(set.json()).toMatchObject({ inheritedFrom: null, calendar: { orgUnitId: w.units.branchA.id, version: 1, extraHolidays: ['2026-12-24'] } });
    expect(await calendarOf(agentA, w.units.deptA.id)).toMatchObject({ inheritedFrom: w.units.branchA.id, calendar: { orgUnitId: w.units.branchA.id, week: branchCal.week } });
    // 2026-12-24 is off now: from Wednesday 23rd 17:00, 2 working hours end on Friday 25th 10:00.
    expect((await deadline(agentA, w.units.teamA.id, '2026-12-23T17:00:00+08:00', 120)).due).toBe('2026-12-25T02:00:00.000Z');

    const allDay = Array.from({ length: 7 }, () => ['00:00-24:00']);
    const own = await managerA.put(`/api/org-units/${w.units.deptA.id}/calendar`, { timeZone: 'Asia/Shanghai', week: allDay, holidaySet: 'none' });
    expect(own.statusCode, own.body).toBe(200);
    expect(own.json()).toMatchObject({ inheritedFrom: null, calendar: { orgUnitId: w.units.deptA.id, holidaySet: 'none', version: 1 }, warnings: [] });
    expect(await calendarOf(agentA, w.units.teamA.id)).toMatchObject({ inheritedFrom: w.units.deptA.id });
    expect(await deadline(agentA, w.units.deptA.id, '2026-12-24T23:30:00+08:00', 60)).toEqual({ due: '2026-12-24T16:30:00.000Z', warnings: [] });

    // Replacing needs the version read.
    const noVersion = await managerA.put(`/api/org-units/${w.units.deptA.id}/calendar`, { timeZone: 'Asia/Shanghai', week: allDay, holidaySet: 'none' });
    expect(noVersion.statusCode).toBe(400);
    expect(noVersion.json().errors[0].field).toBe('version');
    expect((await managerA.put(`/api/org-units/${w.units.deptA.id}/calendar`, { timeZone: 'Asia/Shanghai', week: allDay, version: 7 })).statusCode).toBe(409);
    const replaced = await managerA.put(`/api/org-units/${w.units.deptA.id}/calendar`, { timeZone: 'Asia/Tokyo', week: allDay, holidaySet: 'none', version: 1 });
    expect(replaced.json()).toMatchObject({ calendar: { timeZone: 'Asia/Tokyo', version: 2 } });

    expect((await managerA.delete(`/api/org-units/${w.units.deptA.id}/calendar`)).statusCode).toBe(204);
    expect(await calendarOf(agentA, w.units.deptA.id)).toMatchObject({ inheritedFrom: w.units.branchA.id });
    expect((await managerA.delete(`/api/org-units/${w.units.deptA.id}/calendar`)).statusCode).toBe(404);

    await t.kefu.sealer.flush();
    const audit = (await managerA.get('/api/audit?entityType=working_calendar&limit=50')).json().items.map((e: { action: string }) => e.action);
    expect(audit.sort()).toEqual(['calendar.create', 'calendar.create', 'calendar.delete', 'calendar.update']);
  });

  it('is scoped: another branch gets 404, staff without sla:manage 403', async () => {
    for (const res of [
      await managerB.get(`/api/org-units/${w.units.branchA.id}/calendar`),
      await managerB.put(`/api/org-units/${w.units.deptA.id}/calendar`, { timeZone: 'Asia/Shanghai', week: weekdays([NINE_SIX]) }),
      await managerB.delete(`/api/org-units/${w.units.branchA.id}/calendar`),
      await managerB.get(`/api/org-units/${w.units.branchA.id}/calendar/ics`),
      await managerB.get(`/api/calendar/deadline?orgUnitId=${w.units.deptA.id}&start=2026-11-27T09:00:00Z&minutes=60`),
    ])
      expect(res.statusCode, res.body).toBe(404);
    expect((await agentA.put(`/api/org-units/${w.units.deptA.id}/calendar`, { timeZone: 'Asia/Shanghai', week: weekdays([NINE_SIX]) })).statusCode).toBe(403);
    expect((await agentA.delete(`/api/org-units/${w.units.branchA.id}/calendar`)).statusCode).toBe(403);
    expect((await calendarOf(managerA, w.units.branchA.id)).calendar.version).toBe(1);
  });

  it('refuses a bad calendar, naming the fields', async () => {
    const put = (body: Record<string, unknown>) => managerA.put(`/api/org-units/${w.units.deptA.id}/calendar`, body);
    const bad = await put({ timeZone: 'Mars/Olympus_Mons', week: [[], ['09:00-12:00', '11:00-18:00'], [NINE_SIX], [NINE_SIX], [NINE_SIX], ['25:00-26:00'], []] });
    expect(bad.statusCode).toBe(400);
    const fields = bad.json().errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['timeZone', 'week.1', 'week.5.0']));
    expect(JSON.stringify(bad.json().errors)).toContain('overlap');
    const both = await put({ timeZone: 'Asia/Shanghai', week: weekdays([NINE_SIX]), extraHolidays: ['2026-12-24', '2026-02-30'], extraWorkdays: ['2026-12-24'] });
    expect(both.statusCode).toBe(400);
    expect(both.json().errors.map((e: { field: string }) => e.field)).toContain('extraHolidays.1');
    const clash = await put({ timeZone: 'Asia/Shanghai', week: weekdays([NINE_SIX]), extraHolidays: ['2026-12-24'], extraWorkdays: ['2026-12-24'] });
    expect(clash.json().errors.map((e: { field: string }) => e.field)).toEqual(['extraWorkdays']);
    const idle = await put({ timeZone: 'Asia/Shanghai', week: [[], [], [], [], [], [], []] });
    expect(idle.json().errors.map((e: { field: string }) => e.field)).toEqual(['week']);
    expect((await put({ timeZone: 'Asia/Shanghai', week: [[NINE_SIX]] })).statusCode).toBe(400);
    expect((await managerA.get(`/api/org-units/${w.units.deptA.id}/calendar`)).json().inheritedFrom).toBe(w.units.branchA.id);
  });

  it('exports days off and make-up days as iCalendar and imports them back', async () => {
    const res = await managerA.get(`/api/org-units/${w.units.branchA.id}/calendar/ics`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/calendar/);
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename=".+\.ics"$/);
    expect(res.body).toContain('BEGIN:VCALENDAR');
    expect(res.body).toContain('DTSTART;VALUE=DATE:20261224'); // the branch's own extra day off
    expect(res.body).toContain('DTSTART;VALUE=DATE:20261010'); // the 调休 Saturday, a working day
    const branch = await calendarOf(managerA, w.units.branchA.id);

    // A new department with no holidays of its own takes the whole file in.
    const laundry = await addUnit(t, w.units.branchA.id, 'department', '洗衣房', 'A-XY');
    await signIn();
    const plain = await managerA.put(`/api/org-units/${laundry.id}/calendar`, { timeZone: 'Asia/Shanghai', week: weekdays([NINE_SIX]), holidaySet: 'none' });
    expect(plain.statusCode, plain.body).toBe(200);
    expect((await deadline(managerA, laundry.id, '2026-09-30T17:00:00+08:00', 48 * 60)).due).toBe('2026-10-08T03:00:00.000Z'); // no holidays: Oct 1, 2, 5, 6, 7 are working days
    const imported = await managerA.post(`/api/org-units/${laundry.id}/calendar/ics`, { ics: res.body, version: 1 });
    expect(imported.statusCode, imported.body).toBe(200);
    const cal = imported.json();
    expect(cal.calendar.version).toBe(2);
    expect(cal.calendar.extraHolidays).toContain('2026-12-24');
    expect(cal.calendar.extraHolidays).toContain('2026-10-01');
    expect(cal.calendar.extraWorkdays).toContain('2026-10-10');
    expect(cal.yearsWithData).toEqual(branch.yearsWithData);
    // Same days as the branch, so the same deadline as the case.
    expect((await deadline(managerA, laundry.id, '2026-09-30T17:00:00+08:00', 48 * 60)).due).toBe('2026-10-14T03:00:00.000Z');
    // Exported again, the same days come out.
    const again = (await managerA.get(`/api/org-units/${laundry.id}/calendar/ics`)).body;
    const days = (s: string) => s.split('\r\n').filter((l) => l.startsWith('DTSTART') || l.startsWith('DTEND') || l.startsWith('X-KEFU-KIND'));
    expect(days(again)).toEqual(days(res.body));

    // Errors name their line.
    const broken = await managerA.post(`/api/org-units/${laundry.id}/calendar/ics`, {
      ics: 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20261399\r\nX-KEFU-KIND:HOLIDAY\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n',
      version: 2,
    });
    expect(broken.statusCode).toBe(400);
    expect(broken.json().errors[0]).toMatchObject({ field: 'ics', message: expect.stringMatching(/^line \d+: /) });
    expect((await managerA.post(`/api/org-units/${laundry.id}/calendar/ics`, { ics: 'x'.repeat(1024 * 1024 + 1) })).statusCode).toBe(400);
    expect((await agentA.post(`/api/org-units/${laundry.id}/calendar/ics`, { ics: res.body, version: 2 })).statusCode).toBe(403);
  });
});
