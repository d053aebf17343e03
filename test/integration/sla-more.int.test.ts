import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUnit, createTestApp, intakeBody, seedWorld, workOrders, type Client, type TestApp, type World, type WorkOrderSample } from '../utils/app.ts';

type Ticket = { id: string; status: string; version: number };
type Policy = { id: string; name: string; warnings: { code: string; year?: number; message: string }[] };
type Transfer = { id: string; toDepartmentId: string; timeLimitMinutes: number; dueAt: string };
const MINUTE = 60_000;

/**
 * Two gaps of the time-limit policies: a policy says when its unit's calendar lacks the official
 * holidays of this year or the next (its working-time deadlines would count plain weekends there),
 * and a transfer (转派) without a limit takes the hand-off target of the order's policy.
 */
describe('time-limit policies: holiday-data warnings and the hand-off target of transfers', () => {
  let t: TestApp;
  let w: World;
  let manager: Client;
  let agent: Client;
  let lead: Client;
  let engineering: { id: string; path: string };

  const signIn = async () => {
    manager = await t.login('manager.a');
    agent = await t.login('agent.a');
    lead = await t.login('lead.a');
  };
  const policies = async (): Promise<Policy[]> => {
    const res = await manager.get(`/api/sla-policies?orgUnitId=${w.units.branchA.id}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };
  const addPolicy = async (body: Record<string, unknown>): Promise<Policy> => {
    const res = await manager.post('/api/sla-policies', { orgUnitId: w.units.branchA.id, ...body });
    expect(res.statusCode, res.body).toBe(201);
    return res.json();
  };
  /** Registered by the agent, taken and worked on: ready to be transferred. */
  const working = async (s: WorkOrderSample): Promise<Ticket> => {
    const created = await agent.post('/api/tickets', await intakeBody(agent, s));
    expect(created.statusCode, created.body).toBe(201);
    const taken = (await agent.post(`/api/tickets/${created.json().id}/take`, { version: created.json().version })).json() as Ticket;
    const res = await agent.post(`/api/tickets/${taken.id}/transitions`, { to: 'in_progress', version: taken.version });
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };
  const transfer = (tk: Ticket, extra: Record<string, unknown> = {}) =>
    lead.post(`/api/tickets/${tk.id}/transfers`, { departmentIds: [engineering.id], reason: '请工程部检修并回复', version: tk.version, ...extra });

  beforeAll(async () => {
    t = await createTestApp();
    // Mid-2025 first: the official holidays of 2025 and 2026 are shipped.
    t.clock.set('2025-06-04T02:00:00.000Z');
    w = await seedWorld(t);
    engineering = await addUnit(t, w.units.branchA.id, 'department', '工程部', 'A-GC');
    await signIn();
  });
  afterAll(() => t.close());

  it('warns on a working-time policy when this year or the next lacks official holiday data, not on a calendar-time one', async () => {
    await addPolicy({ name: '报修 4 小时转派', conditions: { types: ['repair'] }, targets: { resolution: { minutes: 24 * 60 }, handoff: { minutes: 240 } } });
    await addPolicy({ name: '咨询 10 小时自然时间', conditions: { types: ['inquiry'] }, targets: { handoff: { minutes: 600, mode: 'calendar' } } });
    // 2025 and 2026 both have data: nothing to say.
    expect((await policies()).map((p) => [p.name, p.warnings])).toEqual([
      ['报修 4 小时转派', []],
      ['咨询 10 小时自然时间', []],
    ]);

    // June 2030: neither 2030's nor 2031's holidays are shipped.
    t.clock.set('2030-06-05T02:00:00.000Z');
    await signIn();
    const [repair, inquiry] = await policies();
    expect(repair.warnings).toEqual([2030, 2031].map((year) => ({ code: 'YEAR_WITHOUT_HOLIDAYS', year, message: expect.stringContaining(String(year)) })));
    expect(repair.warnings[0].message).toContain('节假日');
    expect(inquiry.warnings).toEqual([]); // calendar time does not depend on holidays
    // The answer of a write carries it too, in the request's language.
    const managerEn = await t.login('manager.a', undefined, 'en');
    const en = await managerEn.patch(`/api/sla-policies/${repair.id}`, { version: 1, name: '报修 4 小时转派' });
    expect(en.statusCode, en.body).toBe(200);
    expect(en.json().warnings[1]).toEqual({ code: 'YEAR_WITHOUT_HOLIDAYS', year: 2031, message: 'No holidays entered for 2031; counted with plain weekends' });
  });

  it('a unit whose calendar uses no official holidays gets no warning', async () => {
    const { calendar: c } = (await manager.get(`/api/org-units/${w.units.branchA.id}/calendar`)).json();
    const res = await manager.put(`/api/org-units/${w.units.branchA.id}/calendar`, { timeZone: c.timeZone, week: c.week, holidaySet: 'none' });
    expect(res.statusCode, res.body).toBe(200);
    expect((await policies()).map((p) => p.warnings)).toEqual([[], []]);
    expect((await manager.delete(`/api/org-units/${w.units.branchA.id}/calendar`)).statusCode).toBe(204);
    expect((await policies())[0].warnings.map((x) => x.year)).toEqual([2030, 2031]);
    // The transfers below: Wednesday 25 November 2026, 10:00 in Luoyang.
    t.clock.set('2026-11-25T02:00:00.000Z');
    await signIn();
  });

  it('a transfer without a limit takes the policy’s hand-off target: working time on the department’s calendar', async () => {
    const tk = await working(workOrders.lamp); // repair: 240 working minutes
    const res = await transfer(tk);
    expect(res.statusCode, res.body).toBe(201);
    const [x] = res.json().transfers as Transfer[];
    const expected = await manager.get(`/api/calendar/deadline?orgUnitId=${engineering.id}&start=${encodeURIComponent(t.clock.now().toISOString())}&minutes=240`);
    expect(expected.statusCode, expected.body).toBe(200);
    expect(x).toMatchObject({ toDepartmentId: engineering.id, timeLimitMinutes: 240, dueAt: expected.json().due });
    // Wednesday 10:00 + 4 working hours = 14:00 the same day.
    expect(x.dueAt).toBe('2026-11-25T06:00:00.000Z');
  });

  it('in calendar time when the policy says so, and a limit given in the form still wins', async () => {
    const tk = await working(workOrders.invoice); // inquiry: 600 calendar minutes
    const [x] = (await transfer(tk)).json().transfers as Transfer[];
    expect(x).toMatchObject({ timeLimitMinutes: 600, dueAt: new Date(t.clock.now().getTime() + 600 * MINUTE).toISOString() });

    const other = await working(workOrders.lamp);
    const res = await transfer(other, { timeLimitMinutes: 60 });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().transfers[0]).toMatchObject({ timeLimitMinutes: 60, dueAt: '2026-11-25T03:00:00.000Z' });
  });

  it('without a limit and without a policy hand-off target, the transfer is refused clearly and nothing changes', async () => {
    const tk = await working(workOrders.breakfast); // a complaint: no policy applies
    const res = await transfer(tk);
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toEqual([expect.objectContaining({ field: 'timeLimitMinutes' })]);
    const after = (await agent.get(`/api/tickets/${tk.id}`)).json() as Ticket;
    expect(after).toMatchObject({ status: 'in_progress', version: tk.version });
    expect((await agent.get(`/api/tickets/${tk.id}/routing`)).json().transfers).toEqual([]);
  });
});
