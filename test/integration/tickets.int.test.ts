import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, intakeBody, seedWorld, workOrders, type Client, type TestApp, type WorkOrderSample, type World } from '../utils/app.ts';

type Ticket = { id: string; number: string; status: string; version: number; assigneeId: string | null; reopenCount: number; [k: string]: unknown };

describe('work orders: intake, life cycle, assignment', () => {
  let t: TestApp;
  let w: World;
  let agentA: Client;
  let leadA: Client;
  let agentB: Client;
  const count = async (table: 'tickets' | 'ticket_events' | 'ticket_counters' | 'callbacks' | 'audit_entries') =>
    Number((await t.kefu.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  const create = async (c: Client, s: WorkOrderSample = workOrders.lamp, extra: Record<string, unknown> = {}): Promise<Ticket> => {
    const res = await c.post('/api/tickets', await intakeBody(c, s, extra));
    expect(res.statusCode, res.body).toBe(201);
    return res.json();
  };
  const timeline = async (c: Client, id: string) => (await c.get(`/api/tickets/${id}/timeline`)).json() as { kind: string; data: Record<string, unknown>; seq: number }[];
  const move = (c: Client, tk: { id: string; version: number }, to: string, reason?: string) =>
    c.post(`/api/tickets/${tk.id}/transitions`, { to, version: tk.version, ...(reason ? { reason } : {}) });

  /** Signs everyone in again: moving the clock by hours ends idle sessions. */
  const signIn = async () => {
    agentA = await t.login('agent.a');
    leadA = await t.login('lead.a');
    agentB = await t.login('agent.b');
  };

  beforeAll(async () => {
    t = await createTestApp();
    w = await seedWorld(t);
    await signIn();
  });
  afterAll(() => t.close());

  it('numbers work orders per company and local day, also under concurrent intake', async () => {
    const first = await create(agentA, workOrders.shower, { customerName: '王秀兰', customerPhone: '138-1234 5678' });
    expect(first).toMatchObject({
      number: 'A-20261125-0001',
      status: 'new',
      type: 'complaint',
      channel: 'phone',
      subject: '客房淋浴水小且发黄无法洗澡',
      severity: 3,
      priority: 'normal',
      categoryName: '设施设备',
      customerName: '王秀兰',
      customerPhone: '13812345678',
      orgUnitId: w.units.teamA.id,
      departmentId: w.units.deptA.id,
      departmentName: '客服部',
      assigneeId: null,
      createdByName: '刘客服',
      version: 1,
      reopenCount: 0,
    });
    expect(first.description).toBe(workOrders.shower.body);
    expect((await create(agentA, workOrders.aircon)).number).toBe('A-20261125-0002');
    expect((await create(agentB, workOrders.breakfast)).number).toBe('B-20261125-0001');

    const burst = await Promise.all([1, 2, 3, 4, 5].map(async () => (await agentA.post('/api/tickets', await intakeBody(agentA, workOrders.lamp))).json().number));
    expect(burst.sort()).toEqual(['A-20261125-0003', 'A-20261125-0004', 'A-20261125-0005', 'A-20261125-0006', 'A-20261125-0007']);

    // 00:30 in 洛阳 is still the 25th in UTC, but a new day for the numbers.
    t.clock.set('2026-11-25T16:30:00.000Z');
    await signIn();
    expect((await create(agentA, workOrders.smoke)).number).toBe('A-20261126-0001');
    expect((await create(agentB, workOrders.smoke)).number).toBe('B-20261126-0001');

    const events = await timeline(agentA, first.id);
    expect(events.map((e) => e.kind)).toEqual(['created']);
    expect(events[0].data).toMatchObject({ number: 'A-20261125-0001', type: 'complaint' });
  });

  it('registers where the creator may, with a department of the same company, and refuses bad input changing nothing', async () => {
    const before = { tickets: await count('tickets'), counters: await count('ticket_counters'), events: await count('ticket_events') };
    const base = await intakeBody(agentA, workOrders.invoice);
    const bad: [Record<string, unknown>, number, string?][] = [
      [{ ...base, orgUnitId: w.units.deptB.id }, 404],
      [{ ...base, orgUnitId: w.units.branchA.id }, 404], // above the agent's grant
      [{ ...base, departmentId: w.units.deptB.id }, 400, 'departmentId'],
      [{ ...base, departmentId: w.units.teamA.id }, 400, 'departmentId'], // a team is not a department
      [{ ...base, severity: 1 }, 400, 'severity'], // an inquiry has no severity class
      [{ ...base, subject: '长'.repeat(201) }, 400, 'subject'],
      [{ ...base, description: '长'.repeat(5001) }, 400, 'description'],
      [{ ...base, type: 'reservation' }, 400, 'type'],
      [{ ...base, channel: 'fax' }, 400, 'channel'],
      [{ ...base, priority: 'critical' }, 400, 'priority'],
      [{ ...base, tags: Array.from({ length: 21 }, (_, i) => `t${i}`) }, 400, 'tags'],
      [{ ...base, tags: ['x'.repeat(33)] }, 400, 'tags.0'],
      [{ ...base, customerPhone: '138abc' }, 400, 'customerPhone'],
      [{ ...base, status: 'closed' }, 400],
      [{ ...base, categoryId: '019a0000-0000-7000-8000-000000000000' }, 400, 'categoryId'],
    ];
    for (const [body, status, field] of bad) {
      const res = await agentA.post('/api/tickets', body);
      expect(res.statusCode, JSON.stringify(body).slice(0, 120)).toBe(status);
      if (field) expect(res.json().errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    expect({ tickets: await count('tickets'), counters: await count('ticket_counters'), events: await count('ticket_events') }).toEqual(before);

    const manager = await t.login('manager.a');
    const atBranch = await manager.post('/api/tickets', { ...base, orgUnitId: w.units.branchA.id, departmentId: w.units.deptA.id, priority: 'high', tags: ['发票', '发票', '企业客户'] });
    expect(atBranch.statusCode).toBe(201);
    expect(atBranch.json()).toMatchObject({ orgUnitId: w.units.branchA.id, departmentId: w.units.deptA.id, priority: 'high', tags: ['发票', '企业客户'], severity: null });
    const noDept = await manager.post('/api/tickets', { ...base, orgUnitId: w.units.branchA.id });
    expect(noDept.json().departmentId).toBeNull(); // a company has no department above it
    expect((await agentB.post('/api/tickets', { ...base })).json().number).toMatch(/^B-/);
  });

  it('walks every legal transition, recording each in the timeline and the audit trail', async () => {
    let tk = await create(agentA, workOrders.aircon);
    const step = async (c: Client, to: string, expected: string, reason?: string) => {
      const res = await move(c, tk, to, reason);
      expect(res.statusCode, `${tk.status} → ${to}: ${res.body}`).toBe(200);
      expect(res.json().status).toBe(expected);
      expect(res.json().version).toBe(tk.version + 1);
      tk = res.json();
    };
    tk = (await agentA.post(`/api/tickets/${tk.id}/take`, { version: tk.version })).json();
    expect(tk).toMatchObject({ status: 'assigned', assigneeId: w.users.agentA.id, assigneeName: '刘客服' });
    await step(agentA, 'in_progress', 'in_progress');
    await step(agentA, 'waiting_customer', 'waiting_customer');
    await step(agentA, 'in_progress', 'in_progress');
    await step(agentA, 'waiting_department', 'waiting_department');
    await step(agentA, 'in_progress', 'in_progress');
    await step(agentA, 'resolved', 'awaiting_callback'); // resolving schedules the callback at once
    expect(tk.resolvedAt).toBe(t.clock.now().toISOString());
    // A complaint: one working day (9 h) later. Resolved 2026-11-26 00:30 (+08:00), before the day's
    // hours: 09:00–18:00 that Thursday → 18:00 = 10:00Z.
    expect(tk.resolvedAt).toBe('2026-11-25T16:30:00.000Z');
    expect(tk.dueAt).toBe('2026-11-26T10:00:00.000Z');
    expect((await move(agentA, tk, 'closed')).statusCode).toBe(403); // closing by hand needs ticket:close
    await step(leadA, 'closed', 'closed', '客人已换房，确认满意');
    expect(tk).toMatchObject({ closeReason: '客人已换房，确认满意', dueAt: null });
    expect(tk.closedAt).not.toBeNull();
    await step(agentA, 'in_progress', 'in_progress', '客人来电：新房间空调也不制冷');
    expect(tk).toMatchObject({ reopenCount: 1, closedAt: null, resolvedAt: null, closeReason: null });
    await step(agentA, 'waiting_customer', 'waiting_customer');
    await step(agentA, 'resolved', 'awaiting_callback');
    await step(agentA, 'in_progress', 'in_progress', '工程部复查发现压缩机故障');
    expect(tk.reopenCount).toBe(2);
    await step(agentA, 'waiting_department', 'waiting_department');
    await step(agentA, 'resolved', 'awaiting_callback');

    const events = await timeline(agentA, tk.id);
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    const statuses = events.filter((e) => e.kind === 'status').map((e) => `${e.data.from}→${e.data.to}`);
    expect(statuses).toEqual([
      'new→assigned', 'assigned→in_progress', 'in_progress→waiting_customer', 'waiting_customer→in_progress', 'in_progress→waiting_department',
      'waiting_department→in_progress', 'in_progress→resolved', 'resolved→awaiting_callback', 'awaiting_callback→closed', 'closed→in_progress',
      'in_progress→waiting_customer', 'waiting_customer→resolved', 'resolved→awaiting_callback', 'awaiting_callback→in_progress',
      'in_progress→waiting_department', 'waiting_department→resolved', 'resolved→awaiting_callback',
    ]);
    expect(events.find((e) => e.kind === 'status' && e.data.to === 'closed')!.data.reason).toBe('客人已换房，确认满意');
    // The callback of the second resolution was cancelled by the reopening; the third one waits.
    const callbacks = await t.kefu.db.selectFrom('callbacks').select(['status']).where('ticket_id', '=', tk.id).orderBy('created_at').orderBy('id').execute();
    expect(callbacks.map((c) => c.status).sort()).toEqual(['cancelled', 'cancelled', 'pending']);

    await t.kefu.sealer.flush();
    const audit = (await (await t.login('manager.a')).get(`/api/audit?entityType=ticket&entityId=${tk.id}&limit=100`)).json().items;
    expect(audit.map((e: { action: string }) => e.action).sort()).toEqual(
      ['ticket.create', 'ticket.take', ...Array(7).fill('ticket.transition'), ...Array(3).fill('ticket.resolve'), 'ticket.close', ...Array(2).fill('ticket.reopen')].sort(),
    );
    expect(audit.every((e: { orgUnitId: string }) => e.orgUnitId === w.units.teamA.id)).toBe(true);
  });

  it('answers an illegal move with 409 naming both statuses, and changes nothing', async () => {
    const fresh = await create(agentA, workOrders.quietRoom);
    const tryMove = async (tk: Ticket, to: string, c = agentA, reason?: string) => {
      const eventsBefore = (await timeline(c, tk.id)).length;
      const res = await move(c, tk, to, reason);
      expect(res.statusCode, `${tk.status} → ${to}`).toBe(409);
      expect(res.json().code).toBe('INVALID_TRANSITION');
      const after = (await c.get(`/api/tickets/${tk.id}`)).json();
      expect(after.version).toBe(tk.version);
      expect(after.status).toBe(tk.status);
      expect((await timeline(c, tk.id)).length).toBe(eventsBefore);
      return res.json();
    };
    const zh = await tryMove(fresh, 'in_progress');
    expect(zh.errors[0]).toEqual({ field: 'to', message: '工单不能从「新建」变为「处理中」' });
    const en = await (await t.login('agent.a', undefined, 'en')).post(`/api/tickets/${fresh.id}/transitions`, { to: 'resolved', version: 1 });
    expect(en.json().errors[0].message).toBe('A work order cannot move from new to resolved');
    await tryMove(fresh, 'assigned'); // only by assigning or taking
    await tryMove(fresh, 'closed', leadA);
    await tryMove(fresh, 'new');
    const taken: Ticket = (await agentA.post(`/api/tickets/${fresh.id}/take`, { version: 1 })).json();
    await tryMove(taken, 'resolved');
    await tryMove(taken, 'awaiting_callback');
    const working: Ticket = (await move(agentA, taken, 'in_progress')).json();
    await tryMove(working, 'closed', leadA);
    await tryMove(working, 'awaiting_callback');
    const waiting: Ticket = (await move(agentA, working, 'resolved')).json();
    await tryMove(waiting, 'resolved');
    await tryMove(waiting, 'waiting_customer');

    // A reopening needs its reason; a stale version is a conflict before anything else.
    const noReason = await move(agentA, waiting, 'in_progress');
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().errors[0].field).toBe('reason');
    const stale = await move(agentA, { id: waiting.id, version: waiting.version - 1 }, 'in_progress', '回访前客人又来电');
    expect(stale.statusCode).toBe(409);
    expect(stale.json().code).toBe('VERSION_CONFLICT');
    const bogus = await agentA.post(`/api/tickets/${waiting.id}/transitions`, { to: 'archived', version: waiting.version });
    expect(bogus.statusCode).toBe(400);
    expect((await agentA.get(`/api/tickets/${waiting.id}`)).json().version).toBe(waiting.version);
  });

  it('lets exactly one of two agents take the same work order at once', async () => {
    for (const s of [workOrders.safe, workOrders.handrail, workOrders.gingerTea]) {
      const tk = await create(agentA, s);
      const [a, b] = await Promise.all([agentA.post(`/api/tickets/${tk.id}/take`, { version: 1 }), leadA.post(`/api/tickets/${tk.id}/take`, { version: 1 })]);
      expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
      const loser = a.statusCode === 409 ? a : b;
      expect(loser.json().code).toBe('TICKET_TAKEN');
      const winner = a.statusCode === 200 ? w.users.agentA.id : w.users.leadA.id;
      const after = (await agentA.get(`/api/tickets/${tk.id}`)).json();
      expect(after).toMatchObject({ assigneeId: winner, status: 'assigned', version: 2 });
      expect((await timeline(agentA, tk.id)).filter((e) => e.kind === 'assigned')).toHaveLength(1);
      expect((await agentA.post(`/api/tickets/${tk.id}/take`, { version: 2 })).json().code).toBe('TICKET_TAKEN');
    }
  });

  it('assigns to someone who may handle it, tells them, and reassigns without losing the status', async () => {
    const tk = await create(agentA, workOrders.smoke);
    expect((await agentA.post(`/api/tickets/${tk.id}/assign`, { assigneeId: w.users.agentA.id, version: 1 })).statusCode).toBe(403);
    const outsider = await leadA.post(`/api/tickets/${tk.id}/assign`, { assigneeId: w.users.agentB.id, version: 1 });
    expect(outsider.statusCode).toBe(400);
    expect(outsider.json().errors[0].field).toBe('assigneeId');
    const assigned = await leadA.post(`/api/tickets/${tk.id}/assign`, { assigneeId: w.users.agentA.id, version: 1 });
    expect(assigned.json()).toMatchObject({ status: 'assigned', assigneeId: w.users.agentA.id, assigneeName: '刘客服', version: 2 });
    const notes = (await agentA.get('/api/notifications?unread=true')).json().items;
    expect(notes[0]).toMatchObject({ kind: 'assigned', ticketId: tk.id });
    expect(notes[0].text).toContain(tk.number);
    expect(notes[0].text).toContain('张领班');
    const working = (await move(agentA, assigned.json(), 'in_progress')).json();
    const re = await leadA.post(`/api/tickets/${tk.id}/assign`, { assigneeId: w.users.leadA.id, version: working.version });
    expect(re.json()).toMatchObject({ status: 'in_progress', assigneeId: w.users.leadA.id });
    const assignments = (await timeline(leadA, tk.id)).filter((e) => e.kind === 'assigned').map((e) => e.data);
    expect(assignments[1]).toEqual({ from: { id: w.users.agentA.id, name: '刘客服' }, to: { id: w.users.leadA.id, name: '张领班' } });
    const stale = await leadA.post(`/api/tickets/${tk.id}/assign`, { assigneeId: w.users.agentA.id, version: working.version });
    expect(stale.json().code).toBe('VERSION_CONFLICT');
    const resolved = (await move(leadA, re.json(), 'resolved')).json();
    const late = await leadA.post(`/api/tickets/${tk.id}/assign`, { assigneeId: w.users.agentA.id, version: resolved.version });
    expect(late.statusCode).toBe(409);
    expect(late.json().code).toBe('INVALID_TRANSITION');
  });
});
