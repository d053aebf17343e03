import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addStaff, addUnit, createTestApp, intakeBody, seedWorld, workOrders, type Client, type TestApp, type World, type WorkOrderSample } from '../utils/app.ts';

type Ticket = { id: string; number: string; status: string; version: number; departmentId: string | null; assigneeId: string | null; [k: string]: unknown };
type Transfer = { id: string; ticketId: string; status: string; toDepartmentId: string; toDepartmentName: string; dueAt: string; overdue: boolean; answer: string | null; routingRuleId: string | null; [k: string]: unknown };
type Event = { kind: string; data: Record<string, unknown>; actorName: string; seq: number };
const MINUTE = 60_000;

/** Transfers to departments (转派 / 部门回复) with their own limits, the story of the weak yellow shower water, and manual escalation (升级). */
describe('work orders: transfers and escalation', () => {
  let t: TestApp;
  let w: World;
  let agentA: Client;
  let leadA: Client;
  let managerA: Client;
  let agentB: Client;
  let engineer: Client;
  let accountant: Client;
  let engineering: { id: string; path: string };
  let finance: { id: string; path: string };
  let engineerUser: { id: string };

  const signIn = async () => {
    agentA = await t.login('agent.a');
    leadA = await t.login('lead.a');
    managerA = await t.login('manager.a');
    agentB = await t.login('agent.b');
    engineer = await t.login('eng.a');
    accountant = await t.login('fin.a');
  };
  const create = async (c: Client, s: WorkOrderSample, extra: Record<string, unknown> = {}): Promise<Ticket> => {
    const res = await c.post('/api/tickets', await intakeBody(c, s, extra));
    expect(res.statusCode, res.body).toBe(201);
    return res.json();
  };
  const move = async (c: Client, x: Ticket, to: string): Promise<Ticket> => {
    const res = await c.post(`/api/tickets/${x.id}/transitions`, { to, version: x.version });
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };
  /** Registered, taken and being worked on by agent.a. */
  const working = async (s: WorkOrderSample = workOrders.lamp): Promise<Ticket> => {
    const tk = await create(agentA, s);
    return move(agentA, (await agentA.post(`/api/tickets/${tk.id}/take`, { version: tk.version })).json(), 'in_progress');
  };
  const get = async (c: Client, id: string): Promise<Ticket> => (await c.get(`/api/tickets/${id}`)).json();
  const timeline = async (c: Client, id: string): Promise<Event[]> => (await c.get(`/api/tickets/${id}/timeline`)).json();
  const transfersOf = async (c: Client, id: string): Promise<Transfer[]> => (await c.get(`/api/tickets/${id}/routing`)).json().transfers;
  const inbox = async (c: Client, query = 'mine=true'): Promise<Transfer[]> => {
    const res = await c.get(`/api/transfers?${query}&limit=100`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json().items;
  };
  const count = async (table: 'ticket_transfers' | 'ticket_events' | 'notifications') =>
    Number((await t.kefu.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

  beforeAll(async () => {
    t = await createTestApp();
    w = await seedWorld(t);
    engineering = await addUnit(t, w.units.branchA.id, 'department', '工程部', 'A-GC');
    finance = await addUnit(t, w.units.branchA.id, 'department', '财务部', 'A-CW');
    // Other departments' people: agents of their own department, nothing in 客服部.
    engineerUser = await addStaff(t, { username: 'eng.a', displayName: '赵工', orgUnitId: engineering.id, roleKey: 'agent' });
    await addStaff(t, { username: 'fin.a', displayName: '钱会计', orgUnitId: finance.id, roleKey: 'agent' });
    await signIn();
  });
  afterAll(() => t.close());

  it('the story: 洗浴水小发黄 is routed to 工程部 within two hours, the engineer sees it and answers, the order is worked on again', async () => {
    const rule = await managerA.post('/api/routing-rules', {
      orgUnitId: w.units.branchA.id,
      name: '用水问题转工程部',
      conditions: { types: ['complaint', 'repair'], keywords: ['水小', '发黄', '漏水'] },
      actions: { departmentId: engineering.id, timeLimitMinutes: 120, tags: ['工程'] },
    });
    expect(rule.statusCode, rule.body).toBe(201);
    // Wednesday 10:00 (+08:00): the limits below fall inside working hours, so working time = clock time here.
    const registered = t.clock.now().getTime();
    const tk = await create(agentA, workOrders.shower, { subject: '洗浴水小发黄', customerName: '王秀兰', customerPhone: '13812345678' });
    expect(tk).toMatchObject({ status: 'new', departmentId: engineering.id, departmentName: '工程部', tags: ['工程'], orgUnitId: w.units.teamA.id });
    const routing = (await agentA.get(`/api/tickets/${tk.id}/routing`)).json();
    expect(routing.routingRule).toEqual({ id: rule.json().id, name: '用水问题转工程部' });
    expect(routing.transfers).toHaveLength(1);
    const handoff: Transfer = routing.transfers[0];
    expect(handoff).toMatchObject({
      status: 'open',
      toDepartmentId: engineering.id,
      toDepartmentName: '工程部',
      fromUnitId: w.units.teamA.id,
      timeLimitMinutes: 120,
      dueAt: new Date(registered + 120 * MINUTE).toISOString(),
      overdue: false,
      routingRuleId: rule.json().id,
      reason: '分流规则：用水问题转工程部',
    });
    expect((await timeline(agentA, tk.id)).map((e) => e.kind)).toEqual(['created', 'routed', 'transferred']);

    // The engineer sees the order through the transfer — in the inbox, the lists and the department queue — but may not change it.
    expect((await inbox(engineer)).map((x) => x.id)).toEqual([handoff.id]);
    expect((await engineer.get(`/api/tickets/${tk.id}`)).json()).toMatchObject({ number: tk.number, customerPhone: '13812345678' });
    expect((await engineer.get('/api/tickets?queue=department')).json().items.map((x: Ticket) => x.id)).toEqual([tk.id]);
    expect((await engineer.get('/api/tickets/counts')).json().department).toBe(1);
    expect((await engineer.patch(`/api/tickets/${tk.id}`, { version: tk.version, subject: '工程部改的' })).statusCode).toBe(403);
    expect((await agentB.get(`/api/tickets/${tk.id}`)).statusCode).toBe(404);
    expect(await inbox(accountant)).toEqual([]);
    expect((await accountant.get(`/api/tickets/${tk.id}`)).statusCode).toBe(404);

    // 客服部 works on it meanwhile and waits for 工程部.
    let mine = (await agentA.post(`/api/tickets/${tk.id}/take`, { version: tk.version })).json();
    mine = await move(agentA, await move(agentA, mine, 'in_progress'), 'waiting_department');
    t.clock.advance(95 * MINUTE);
    await signIn();
    // Only people of the asked department answer: not the agent who keeps the case, not another department.
    expect((await agentA.post(`/api/transfers/${handoff.id}/answer`, { answer: '我来答' })).statusCode).toBe(403);
    expect((await accountant.post(`/api/transfers/${handoff.id}/answer`, { answer: '我来答' })).statusCode).toBe(404);
    expect((await engineer.post(`/api/transfers/${handoff.id}/answer`, { answer: '' })).statusCode).toBe(400);
    const answer = '已检查1208房间：热水管阀门未开足，管道锈水已放净，水压与水色恢复正常。建议三个月后复查。';
    const answered = await engineer.post(`/api/transfers/${handoff.id}/answer`, { answer });
    expect(answered.statusCode, answered.body).toBe(200);
    expect(answered.json()).toMatchObject({ status: 'answered', answer, answeredBy: engineerUser.id, answeredByName: '赵工', answeredAt: t.clock.now().toISOString(), overdue: false });
    expect((await engineer.post(`/api/transfers/${handoff.id}/answer`, { answer })).json().code).toBe('TRANSFER_FINISHED');

    const back = await get(agentA, tk.id);
    expect(back.status).toBe('in_progress');
    const events = await timeline(agentA, tk.id);
    const reply = events.find((e) => e.kind === 'department_answered')!;
    expect(reply).toMatchObject({ actorName: '赵工', data: { transferId: handoff.id, departmentName: '工程部', answer, late: false } });
    expect(events.at(-1)!.data).toEqual({ from: 'waiting_department', to: 'in_progress' });
    const told = (await agentA.get('/api/notifications?unread=true')).json().items.filter((n: { ticketId: string }) => n.ticketId === tk.id);
    expect(told).toHaveLength(1);
    expect(told[0].kind).toBe('transfer_answered');
    expect(told[0].text).toContain('工程部');
    expect(told[0].text).toContain(tk.number);

    // Answered, it stays visible to the engineer and leaves the inbox of open transfers.
    expect(await inbox(engineer)).toEqual([]);
    expect((await inbox(engineer, 'mine=true&status=answered')).map((x) => x.id)).toEqual([handoff.id]);
    expect((await engineer.get(`/api/tickets/${tk.id}/timeline`)).statusCode).toBe(200);
    await t.kefu.sealer.flush();
    const audit = (await managerA.get(`/api/audit?entityType=ticket_transfer&entityId=${handoff.id}`)).json().items;
    expect(audit.map((e: { action: string }) => e.action)).toEqual(['transfer.answer']);
  });

  it('asks two departments in parallel and returns to in_progress only when both have answered', async () => {
    const tk = await working();
    const res = await leadA.post(`/api/tickets/${tk.id}/transfers`, { departmentIds: [engineering.id, finance.id], reason: '床头灯维修费用是否由酒店承担，请工程部和财务部分别回复', timeLimitMinutes: 60, version: tk.version });
    expect(res.statusCode, res.body).toBe(201);
    const { ticket, transfers } = res.json() as { ticket: Ticket; transfers: Transfer[] };
    expect(ticket).toMatchObject({ status: 'waiting_department', version: tk.version + 1 });
    expect(transfers.map((x) => x.toDepartmentName).sort()).toEqual(['工程部', '财务部']);
    expect(transfers.every((x) => x.dueAt === new Date(t.clock.now().getTime() + 60 * MINUTE).toISOString())).toBe(true);
    const [toEng, toFin] = [engineering.id, finance.id].map((d) => transfers.find((x) => x.toDepartmentId === d)!);

    expect((await engineer.post(`/api/transfers/${toFin.id}/answer`, { answer: '越部门' })).statusCode).toBe(404); // finance's part is not the engineer's to act on
    expect((await engineer.post(`/api/transfers/${toEng.id}/answer`, { answer: '灯座老化，已更换。' })).statusCode).toBe(200);
    expect((await get(agentA, tk.id)).status).toBe('waiting_department');
    expect((await accountant.post(`/api/transfers/${toFin.id}/answer`, { answer: '属设备自然损耗，费用由酒店承担。' })).statusCode).toBe(200);
    expect((await get(agentA, tk.id)).status).toBe('in_progress');
    const kinds = (await timeline(agentA, tk.id)).map((e) => e.kind);
    expect(kinds.slice(-5)).toEqual(['status', 'transferred', 'department_answered', 'department_answered', 'status']);
    expect((await transfersOf(agentA, tk.id)).map((x) => x.status)).toEqual(['answered', 'answered']);

    // Both answering at the same moment: the order comes back exactly once.
    const other = await working(workOrders.quietRoom);
    const both: Transfer[] = (await leadA.post(`/api/tickets/${other.id}/transfers`, { departmentIds: [engineering.id, finance.id], reason: '换房涉及维修与差价', timeLimitMinutes: 60, version: other.version })).json().transfers;
    const answers = await Promise.all(both.map((x) => (x.toDepartmentId === engineering.id ? engineer : accountant).post(`/api/transfers/${x.id}/answer`, { answer: '同意' })));
    expect(answers.map((r) => r.statusCode)).toEqual([200, 200]);
    expect((await get(agentA, other.id)).status).toBe('in_progress');
    const events = await timeline(agentA, other.id);
    expect(events.filter((e) => e.kind === 'status' && e.data.from === 'waiting_department')).toHaveLength(1);
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
  });

  it('refuses transfers without the permission, outside the company, without a reason or on a stale version, changing nothing', async () => {
    const tk = await working(workOrders.smoke);
    const body = { departmentIds: [engineering.id], reason: '烟感误报，请工程部检修', timeLimitMinutes: 120, version: tk.version };
    const before = { transfers: await count('ticket_transfers'), events: await count('ticket_events') };
    const refused: [Client, Record<string, unknown>, number, string?][] = [
      [agentA, body, 403], // agents do not hold ticket:assign
      [leadA, { ...body, departmentIds: [w.units.deptB.id] }, 404], // another branch's department does not exist here
      [leadA, { ...body, departmentIds: [w.units.teamA.id] }, 400, 'departmentIds.0'],
      [leadA, { ...body, reason: undefined }, 400, 'reason'],
      [leadA, { ...body, reason: '  ' }, 400, 'reason'],
      [leadA, { ...body, reason: '长'.repeat(501) }, 400, 'reason'],
      [leadA, { ...body, timeLimitMinutes: 4 }, 400, 'timeLimitMinutes'],
      [leadA, { ...body, timeLimitMinutes: 10081 }, 400, 'timeLimitMinutes'],
      [leadA, { ...body, departmentIds: [] }, 400, 'departmentIds'],
      [leadA, { ...body, departmentIds: Array.from({ length: 6 }, () => crypto.randomUUID()) }, 400, 'departmentIds'],
      [leadA, { ...body, version: tk.version - 1 }, 409],
    ];
    for (const [c, b, status, field] of refused) {
      const res = await c.post(`/api/tickets/${tk.id}/transfers`, b);
      expect(res.statusCode, `${JSON.stringify(b).slice(0, 100)}: ${res.body}`).toBe(status);
      if (field) expect(res.json().errors.map((e: { field: string }) => e.field)).toContain(field);
      if (status === 409) expect(res.json().code).toBe('VERSION_CONFLICT');
    }
    expect({ transfers: await count('ticket_transfers'), events: await count('ticket_events') }).toEqual(before);
    expect(await get(agentA, tk.id)).toMatchObject({ status: 'in_progress', version: tk.version });
    expect((await (await t.login('manager.b')).post(`/api/tickets/${tk.id}/transfers`, body)).statusCode).toBe(404);

    // Asked once, the same department is not asked again while it has not answered.
    const first = (await leadA.post(`/api/tickets/${tk.id}/transfers`, body)).json();
    const again = await leadA.post(`/api/tickets/${tk.id}/transfers`, { ...body, version: first.ticket.version });
    expect(again.json()).toMatchObject({ code: 'TRANSFER_ALREADY_OPEN', errors: [{ field: 'departmentIds.0' }] });
    // Withdrawn by someone who may assign (not the engineer), the last open one sends the order back to work.
    const x = first.transfers[0] as Transfer;
    expect((await engineer.post(`/api/transfers/${x.id}/cancel`, {})).statusCode).toBe(403);
    expect((await (await t.login('manager.b')).post(`/api/transfers/${x.id}/cancel`, {})).statusCode).toBe(404);
    const cancelled = await leadA.post(`/api/transfers/${x.id}/cancel`, { reason: '客人已退房' });
    expect(cancelled.json()).toMatchObject({ status: 'cancelled' });
    expect((await get(agentA, tk.id)).status).toBe('in_progress');
    expect((await engineer.get(`/api/tickets/${tk.id}`)).statusCode).toBe(404); // a withdrawn transfer shows nothing
    expect((await engineer.post(`/api/transfers/${x.id}/answer`, { answer: '晚了' })).json().code).toBe('TRANSFER_FINISHED'); // still in the department's list
    expect((await leadA.post(`/api/transfers/${x.id}/cancel`, {})).json().code).toBe('TRANSFER_FINISHED');

    // A closed order waits for nobody: its open transfers are withdrawn.
    const last = (await leadA.post(`/api/tickets/${tk.id}/transfers`, { ...body, version: (await get(agentA, tk.id)).version })).json();
    let done = await move(agentA, last.ticket, 'resolved');
    done = await move(leadA, done, 'closed');
    expect((await transfersOf(leadA, tk.id)).map((y) => y.status)).toEqual(['cancelled', 'cancelled']);
    expect((await timeline(leadA, tk.id)).slice(-3).map((e) => e.kind)).toEqual(['status', 'transfer.cancelled', 'callback.cancelled']);
  });

  it('flags a transfer overdue once its limit has passed', async () => {
    const tk = await working(workOrders.handrail);
    const res = await leadA.post(`/api/tickets/${tk.id}/transfers`, { departmentIds: [engineering.id], reason: '卫生间加装扶手', timeLimitMinutes: 30, version: tk.version });
    const x: Transfer = res.json().transfers[0];
    expect((await inbox(engineer)).find((y) => y.id === x.id)!.overdue).toBe(false);
    expect((await inbox(engineer, 'mine=true&overdue=true')).map((y) => y.id)).not.toContain(x.id);
    t.clock.advance(31 * MINUTE);
    await signIn();
    expect((await inbox(engineer)).find((y) => y.id === x.id)!.overdue).toBe(true);
    expect((await inbox(engineer, 'mine=true&overdue=true')).map((y) => y.id)).toContain(x.id);
    expect((await inbox(engineer, 'mine=true&overdue=false')).map((y) => y.id)).not.toContain(x.id);
    // The side that keeps the case sees it too (mine=false), the engineer's only as their department's.
    expect((await inbox(leadA, 'mine=false&overdue=true')).map((y) => y.id)).toContain(x.id);
    expect((await inbox(leadA, 'mine=true')).map((y) => y.id)).not.toContain(x.id);
    const late = await engineer.post(`/api/transfers/${x.id}/answer`, { answer: '已安装。' });
    expect(late.json()).toMatchObject({ status: 'answered', overdue: false });
    expect((await timeline(agentA, tk.id)).find((e) => e.kind === 'department_answered')!.data.late).toBe(true);
    expect((await agentA.get('/api/transfers?status=later')).statusCode).toBe(400);
    expect((await agentA.get('/api/transfers?sort=due_at')).statusCode).toBe(400); // filters are an allow-list
  });

  it('escalates by hand to the shift lead, the duty manager or the department manager, keeping the highest level', async () => {
    const tk = await working(workOrders.aircon);
    const escalate = (c: Client, level: string, reason = '客人情绪激动，要求找负责人') => c.post(`/api/tickets/${tk.id}/escalations`, { level, reason });
    const notes = async (c: Client) => (await c.get('/api/notifications?unread=true')).json().items.filter((n: { ticketId: string; kind: string }) => n.ticketId === tk.id && n.kind === 'escalation');

    const toLead = await escalate(agentA, 'shift_lead');
    expect(toLead.statusCode, toLead.body).toBe(201);
    expect(toLead.json()).toMatchObject({ level: 'shift_lead', escalationLevel: 'shift_lead', role: 'shift_lead', notified: [{ id: w.users.leadA.id, name: '张领班' }] });
    expect((await notes(leadA))[0].text).toContain('领班');
    expect(await notes(managerA)).toEqual([]);
    expect((await escalate(agentA, 'duty_manager')).json()).toMatchObject({ escalationLevel: 'duty_manager', notified: [{ id: w.users.leadA.id }] });
    expect((await escalate(agentA, 'department_manager', '客人要求经理出面')).json()).toMatchObject({ escalationLevel: 'department_manager', role: 'manager', notified: [{ id: w.users.managerA.id, name: '王经理' }] });
    expect((await notes(managerA))[0].text).toContain('客人要求经理出面');
    // A later, lower escalation still tells the lead, but the level is never lowered.
    expect((await escalate(agentA, 'shift_lead')).json().escalationLevel).toBe('department_manager');
    expect((await agentA.get(`/api/tickets/${tk.id}/routing`)).json().escalationLevel).toBe('department_manager');
    expect((await get(agentA, tk.id)).version).toBe(tk.version); // not an edit of the form
    const escalated = (await timeline(agentA, tk.id)).filter((e) => e.kind === 'escalated');
    expect(escalated.map((e) => e.data.level)).toEqual(['shift_lead', 'duty_manager', 'department_manager', 'shift_lead']);
    expect(escalated[2].data).toMatchObject({ reason: '客人要求经理出面', role: 'manager', to: [{ id: w.users.managerA.id, name: '王经理' }] });

    const before = await count('notifications');
    expect((await escalate(agentB, 'shift_lead')).statusCode).toBe(404);
    const noReason = await agentA.post(`/api/tickets/${tk.id}/escalations`, { level: 'shift_lead' });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().errors[0].field).toBe('reason');
    expect((await escalate(agentA, 'general_manager')).statusCode).toBe(400);
    expect(await count('notifications')).toBe(before);

    // 工程部 has no shift lead: the escalation goes up to the company's manager instead of nowhere.
    const routed = await create(agentA, workOrders.smoke, { departmentId: engineering.id });
    const up = await agentA.post(`/api/tickets/${routed.id}/escalations`, { level: 'shift_lead', reason: '烟感再次误报' });
    expect(up.json()).toMatchObject({ role: 'manager', notified: [{ id: w.users.managerA.id }] });
    await t.kefu.sealer.flush();
    const audit = (await managerA.get(`/api/audit?entityType=ticket&entityId=${tk.id}&action=ticket.escalate`)).json().items;
    expect(audit).toHaveLength(4);
  });
});
