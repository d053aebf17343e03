import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, HIRED_PASSWORD, PASSWORD, createTestApp, hireThroughApi, intakeBody, seedWorld, workOrders, type Client, type TestApp, type World, type WorkOrderSample } from '../utils/app.ts';

type Ticket = { id: string; number: string; status: string; version: number; [k: string]: unknown };
type Callback = { id: string; ticketId: string; status: string; attempts: number; dueAt: string; outcome: Record<string, unknown> };
const HOUR = 3_600_000;

/** The conversation, mentions, and the complaint closed loop: resolve → callback → close, reopen or escalate. */
describe('work orders: conversation and the callback loop', () => {
  let t: TestApp;
  let w: World;
  let agentA: Client;
  let leadA: Client;
  let agentB: Client;
  let supervisor: { id: string; client: Client };
  const signIn = async () => {
    agentA = await t.login('agent.a');
    leadA = await t.login('lead.a');
    agentB = await t.login('agent.b');
    if (supervisor) supervisor.client = await t.login('sup.a', HIRED_PASSWORD);
  };
  const timeline = async (c: Client, id: string) => (await c.get(`/api/tickets/${id}/timeline`)).json() as { kind: string; data: Record<string, unknown>; actorName: string }[];
  const notifications = async (c: Client) => (await c.get('/api/notifications')).json().items as { id: string; kind: string; ticketId: string; text: string; readAt: string | null }[];
  /** Registers, takes, works on and resolves a work order; returns it awaiting its callback. */
  const resolved = async (c: Client, s: WorkOrderSample): Promise<Ticket> => {
    let tk: Ticket = (await c.post('/api/tickets', await intakeBody(c, s))).json();
    tk = (await c.post(`/api/tickets/${tk.id}/take`, { version: tk.version })).json();
    tk = (await c.post(`/api/tickets/${tk.id}/transitions`, { to: 'in_progress', version: tk.version })).json();
    const res = await c.post(`/api/tickets/${tk.id}/transitions`, { to: 'resolved', version: tk.version });
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };
  const callbackOf = async (c: Client, ticketId: string, query = 'status=pending&due=all'): Promise<Callback | undefined> =>
    ((await c.get(`/api/callbacks?${query}&limit=100`)).json().items as Callback[]).find((x) => x.ticketId === ticketId);

  beforeAll(async () => {
    t = await createTestApp();
    w = await seedWorld(t);
    const admin = await t.login('admin', ADMIN_PASSWORD);
    supervisor = await hireThroughApi(t, admin, { username: 'sup.a', displayName: '陈主管', orgUnitId: w.units.deptA.id, roleKey: 'supervisor' });
    await signIn();
  });
  afterAll(() => t.close());

  it('records replies as sent and notes as internal; the first reply is the first response', async () => {
    const tk: Ticket = (await agentA.post('/api/tickets', await intakeBody(agentA, workOrders.shower))).json();
    const reply = await agentA.post(`/api/tickets/${tk.id}/messages`, { kind: 'reply', body: '王女士您好，工程部已在处理，两小时内未修好即为您换房。' });
    expect(reply.statusCode).toBe(201);
    expect(reply.json()).toMatchObject({ kind: 'reply', authorName: '刘客服', ticketId: tk.id });
    const first = t.clock.now().toISOString();
    t.clock.advance(60_000);
    await agentA.post(`/api/tickets/${tk.id}/messages`, { kind: 'reply', body: '已为您换到1810房间。' });
    const html = '<img src=x onerror=alert(1)> 客人说水还是黄的';
    await agentA.post(`/api/tickets/${tk.id}/messages`, { kind: 'note', body: html });
    const after = (await agentA.get(`/api/tickets/${tk.id}`)).json();
    expect(after.firstResponseAt).toBe(first);
    expect(after.version).toBe(tk.version); // a message is not an edit: nobody's open form goes stale
    const events = await timeline(agentA, tk.id);
    expect(events.map((e) => e.kind)).toEqual(['created', 'reply', 'reply', 'note']);
    expect(events[3].data.body).toBe(html); // stored and returned as plain text, as typed
    for (const bad of [{ kind: 'email', body: 'x' }, { kind: 'note', body: '' }, { kind: 'note', body: '长'.repeat(10001) }, { kind: 'note', body: 'x', internal: true }]) {
      expect((await agentA.post(`/api/tickets/${tk.id}/messages`, bad)).statusCode).toBe(400);
    }
    expect((await timeline(agentA, tk.id)).length).toBe(4);
  });

  it('notifies the people a note mentions who can see the work order, and nobody else', async () => {
    const tk: Ticket = (await agentA.post('/api/tickets', await intakeBody(agentA, workOrders.safe))).json();
    const body = '客人证件锁在保险箱里，急需开箱。请@lead.a 协调工程部，@agent.b 也看一下，@nobody 和 @sup.a。客人邮箱 guest@example.com';
    expect((await agentA.post(`/api/tickets/${tk.id}/messages`, { kind: 'note', body })).statusCode).toBe(201);
    const lead = (await notifications(leadA)).filter((n) => n.ticketId === tk.id);
    expect(lead).toHaveLength(1);
    expect(lead[0]).toMatchObject({ kind: 'mention', readAt: null });
    expect(lead[0].text).toContain(tk.number);
    expect(lead[0].text).toContain('刘客服');
    expect(lead[0].text).toContain('提到了你');
    // The same notification reads in English for an English reader.
    const inEnglish = (await (await t.login('lead.a', PASSWORD, 'en')).get('/api/notifications')).json().items.find((n: { id: string }) => n.id === lead[0].id);
    expect(inEnglish.text).toMatch(new RegExp(`mentioned you on ${tk.number}`));
    expect((await notifications(supervisor.client)).filter((n) => n.ticketId === tk.id)).toHaveLength(1);
    expect(await notifications(agentB)).toEqual([]); // branch B cannot see the order: no notification
    expect((await notifications(agentA)).filter((n) => n.ticketId === tk.id)).toEqual([]); // not the writer either
    const note = (await timeline(agentA, tk.id)).find((e) => e.kind === 'note')!;
    expect(note.data.mentioned).toEqual([w.users.leadA.id, supervisor.id]);

    // Reading is one's own business: marked read, filtered, and nobody else's to mark.
    expect((await agentA.post(`/api/notifications/${lead[0].id}/read`)).statusCode).toBe(404);
    const read = await leadA.post(`/api/notifications/${lead[0].id}/read`);
    expect(read.json().readAt).toBe(t.clock.now().toISOString());
    expect((await leadA.get('/api/notifications?unread=true')).json().items.map((n: { id: string }) => n.id)).not.toContain(lead[0].id);
    expect((await leadA.get('/api/notifications?unread=false')).json().items.map((n: { id: string }) => n.id)).toContain(lead[0].id);
    expect((await leadA.get('/api/notifications?unread=maybe')).statusCode).toBe(400);
  });

  it('schedules the callback on resolution: next day for complaints, two days otherwise, in the callback queues', async () => {
    const complaint = await resolved(agentA, workOrders.aircon);
    const repair = await resolved(agentA, workOrders.lamp);
    const now = t.clock.now().getTime();
    // Working time on the default calendar (09:00–18:00 Mon–Fri): resolved Wednesday about 10:00 (+08:00),
    // 9 working hours → Thursday the same time, 18 → Friday — a day and two days, as before.
    expect(new Date(now).toISOString()).toMatch(/^2026-11-25T02:/);
    expect(complaint).toMatchObject({ status: 'awaiting_callback', dueAt: new Date(now + 24 * HOUR).toISOString() });
    expect(repair.dueAt).toBe(new Date(now + 48 * HOUR).toISOString());
    const cb = (await callbackOf(agentA, complaint.id))!;
    expect(cb).toMatchObject({ status: 'pending', attempts: 0, dueAt: complaint.dueAt, ticketNumber: complaint.number, assigneeName: '刘客服' });
    expect(await callbackOf(agentA, complaint.id, 'status=pending&due=overdue')).toBeUndefined();
    expect(await callbackOf(agentA, complaint.id, 'status=pending&due=today')).toBeUndefined(); // due tomorrow 10:00 in 洛阳
    expect(await callbackOf(agentB, complaint.id)).toBeUndefined();
    expect((await agentB.post(`/api/callbacks/${cb.id}/attempt`, { reached: false, note: '无人接听' })).statusCode).toBe(404);

    t.clock.advance(25 * HOUR);
    await signIn();
    expect(await callbackOf(agentA, complaint.id, 'status=pending&due=overdue')).toBeDefined();
    expect(await callbackOf(agentA, complaint.id, 'status=pending&due=today')).toBeDefined();
    expect(await callbackOf(agentA, repair.id, 'status=pending&due=overdue')).toBeUndefined();
    const overdue = (await agentA.get('/api/tickets?queue=overdue')).json().items.map((x: { id: string }) => x.id);
    expect(overdue).toContain(complaint.id);
    expect(overdue).not.toContain(repair.id);
    expect((await agentA.get('/api/callbacks?due=later')).statusCode).toBe(400);
  });

  it('closes the order as unreachable after three unanswered calls', async () => {
    const tk = await resolved(agentA, workOrders.breakfast);
    const cb = (await callbackOf(agentA, tk.id))!;
    for (const [i, note] of ['无人接听', '关机', '无人接听，已发短信'].entries()) {
      const res = await agentA.post(`/api/callbacks/${cb.id}/attempt`, { reached: false, note });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ attempts: i + 1, status: i < 2 ? 'pending' : 'unreachable' });
    }
    const closed = (await agentA.get(`/api/tickets/${tk.id}`)).json();
    expect(closed).toMatchObject({ status: 'closed', closeReason: '回访未联系上客户', dueAt: null });
    const again = await agentA.post(`/api/callbacks/${cb.id}/attempt`, { reached: false, note: '再打一次' });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('CALLBACK_FINISHED');
    const done = ((await agentA.get('/api/callbacks?status=unreachable')).json().items as Callback[]).find((x) => x.id === cb.id)!;
    expect((done.outcome.attempts as { note: string }[]).map((a) => a.note)).toEqual(['无人接听', '关机', '无人接听，已发短信']);
    const events = await timeline(agentA, tk.id);
    expect(events.slice(-5).map((e) => e.kind)).toEqual(['callback.attempt', 'callback.attempt', 'callback.attempt', 'callback.unreachable', 'status']);
    expect(events.at(-1)!.data).toEqual({ from: 'awaiting_callback', to: 'closed', reason: '回访未联系上客户' });
  });

  it('reopens a dissatisfied callback and escalates it to the supervisors of the department, with every step in the timeline', async () => {
    const tk = await resolved(agentA, workOrders.shower);
    const cb = (await callbackOf(agentA, tk.id))!;
    await agentA.post(`/api/callbacks/${cb.id}/attempt`, { reached: false, note: '无人接听' });
    const before = { manager: (await notifications(await t.login('manager.a'))).length };
    const res = await agentA.post(`/api/callbacks/${cb.id}/complete`, { reached: true, solved: true, satisfaction: 2, comment: '换房后水还是发黄' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'done', attempts: 2, outcome: { reached: true, solved: true, satisfaction: 2, comment: '换房后水还是发黄' } });
    const reopened = (await agentA.get(`/api/tickets/${tk.id}`)).json();
    expect(reopened).toMatchObject({ status: 'in_progress', reopenCount: 1, assigneeId: w.users.agentA.id, dueAt: null, closedAt: null });

    const escalations = (await notifications(supervisor.client)).filter((n) => n.ticketId === tk.id && n.kind === 'escalation');
    expect(escalations).toHaveLength(1);
    expect(escalations[0].text).toContain(tk.number);
    expect(escalations[0].text).toContain('回访不满意');
    // The manager is only the fallback when the department has no supervisor.
    expect((await notifications(await t.login('manager.a'))).length).toBe(before.manager);

    const events = await timeline(agentA, tk.id);
    expect(events.map((e) => (e.kind === 'status' ? `status:${e.data.from}→${e.data.to}` : e.kind))).toEqual([
      'created',
      'assigned',
      'status:new→assigned',
      'status:assigned→in_progress',
      'status:in_progress→resolved',
      'callback.scheduled',
      'status:resolved→awaiting_callback',
      'callback.attempt',
      'callback.completed',
      'status:awaiting_callback→in_progress',
      'escalated',
    ]);
    expect(events[9].data).toMatchObject({ reason: '回访不满意', reopenCount: 1 });
    expect(events[10].data).toEqual({ reason: '回访不满意', role: 'supervisor', to: [{ id: supervisor.id, name: '陈主管' }] });
    await t.kefu.sealer.flush();
    const audit = (await supervisor.client.get(`/api/audit?entityId=${tk.id}&limit=100`)).json().items.map((e: { action: string }) => e.action);
    expect(audit).toEqual(expect.arrayContaining(['ticket.reopen', 'ticket.escalate', 'ticket.resolve']));

    // Resolved again and this time satisfied: closed, with a new callback of its own.
    let again: Ticket = (await agentA.post(`/api/tickets/${tk.id}/transitions`, { to: 'resolved', version: reopened.version })).json();
    const second = (await callbackOf(agentA, tk.id))!;
    expect(second.id).not.toBe(cb.id);
    const ok = await agentA.post(`/api/callbacks/${second.id}/complete`, { reached: true, solved: true, satisfaction: 5, comment: '非常满意' });
    expect(ok.statusCode).toBe(200);
    again = (await agentA.get(`/api/tickets/${tk.id}`)).json();
    expect(again).toMatchObject({ status: 'closed', closeReason: '回访满意', reopenCount: 1 });
    expect((await agentA.post(`/api/callbacks/${second.id}/complete`, { reached: true, solved: true, satisfaction: 5, comment: '' })).json().code).toBe('CALLBACK_FINISHED');
  });

  it('reopens an unsolved problem even when the customer is polite, and falls back to the manager without a supervisor', async () => {
    const tk = await resolved(agentB, workOrders.safe);
    const cb = (await callbackOf(agentB, tk.id))!;
    const res = await agentB.post(`/api/callbacks/${cb.id}/complete`, { reached: true, solved: false, satisfaction: 4, comment: '态度很好，但保险箱还是打不开' });
    expect(res.statusCode).toBe(200);
    expect((await agentB.get(`/api/tickets/${tk.id}`)).json()).toMatchObject({ status: 'in_progress', reopenCount: 1 });
    const managerB = (await notifications(await t.login('manager.b'))).filter((n) => n.ticketId === tk.id);
    expect(managerB.map((n) => n.kind)).toEqual(['escalation']);
    expect(managerB[0].text).toContain('问题未解决');
    expect((await notifications(supervisor.client)).filter((n) => n.ticketId === tk.id)).toEqual([]);
    expect((await timeline(agentB, tk.id)).at(-1)!.data).toMatchObject({ role: 'manager', to: [{ id: w.users.managerB.id, name: '郑经理' }] });
  });

  it('refuses malformed outcomes and changes nothing', async () => {
    const tk = await resolved(agentA, workOrders.gingerTea);
    const cb = (await callbackOf(agentA, tk.id))!;
    for (const body of [
      { reached: true, solved: true, satisfaction: 6, comment: '' },
      { reached: true, solved: true, satisfaction: 0, comment: '' },
      { reached: false, solved: true, satisfaction: 5, comment: '' },
      { reached: true, satisfaction: 5 },
      { reached: true, solved: 'yes', satisfaction: 5 },
    ]) {
      expect((await agentA.post(`/api/callbacks/${cb.id}/complete`, body)).statusCode, JSON.stringify(body)).toBe(400);
    }
    for (const body of [{ reached: true, note: '接通了' }, { reached: false }, { reached: false, note: '' }]) {
      expect((await agentA.post(`/api/callbacks/${cb.id}/attempt`, body)).statusCode, JSON.stringify(body)).toBe(400);
    }
    expect(await callbackOf(agentA, tk.id)).toMatchObject({ status: 'pending', attempts: 0 });
    expect((await agentA.get(`/api/tickets/${tk.id}`)).json()).toMatchObject({ status: 'awaiting_callback', version: tk.version });
  });
});
