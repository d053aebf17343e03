import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, intakeBody, seedWorld, workOrders, type Client, type TestApp, type World } from '../utils/app.ts';

type Ticket = { id: string; number: string; status: string; version: number; [k: string]: unknown };
type Compensation = { id: string; ticketId: string; status: string; amount: number; kind: string; decisionNote: string | null; decidedBy: string | null };

/** Resolution (处理结果) with compensations (补偿): small ones stand at once, large ones wait for a manager. */
describe('work orders: resolution and compensation approval', () => {
  let t: TestApp;
  let w: World;
  let agentA: Client;
  let managerA: Client;
  let managerB: Client;
  let agentB: Client;
  const timeline = async (c: Client, id: string) => (await c.get(`/api/tickets/${id}/timeline`)).json() as { kind: string; data: Record<string, unknown> }[];
  const working = async (c: Client, s = workOrders.shower): Promise<Ticket> => {
    let tk: Ticket = (await c.post('/api/tickets', await intakeBody(c, s))).json();
    tk = (await c.post(`/api/tickets/${tk.id}/take`, { version: tk.version })).json();
    tk = (await c.post(`/api/tickets/${tk.id}/transitions`, { to: 'in_progress', version: tk.version })).json();
    expect(tk.status).toBe('in_progress');
    return tk;
  };
  const pendingCallback = async (c: Client, ticketId: string) =>
    ((await c.get('/api/callbacks?status=pending&due=all&limit=100')).json().items as { ticketId: string }[]).find((x) => x.ticketId === ticketId);

  beforeAll(async () => {
    t = await createTestApp();
    w = await seedWorld(t);
    agentA = await t.login('agent.a');
    managerA = await t.login('manager.a');
    managerB = await t.login('manager.b');
    agentB = await t.login('agent.b');
  });
  afterAll(() => t.close());

  it('resolves at once with a compensation within the limit, callback scheduled', async () => {
    const tk = await working(agentA);
    const res = await agentA.post(`/api/tickets/${tk.id}/resolution`, {
      version: tk.version,
      summary: '已为客人换房并检修水管',
      rootCause: 'facility',
      compensations: [{ kind: 'gift', amount: 88.5, note: '果盘' }, { kind: 'waiver', amount: 300 }],
    });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.ticket.status).toBe('awaiting_callback');
    expect(body.resolution).toMatchObject({ status: 'approved', rootCause: 'facility', summary: '已为客人换房并检修水管' });
    expect(body.resolution.compensations.map((c: Compensation) => [c.kind, c.amount, c.status])).toEqual([
      ['gift', 88.5, 'approved'],
      ['waiver', 300, 'approved'],
    ]);
    expect(await pendingCallback(agentA, tk.id)).toBeDefined();
    expect((await timeline(agentA, tk.id)).map((e) => e.kind)).toEqual(expect.arrayContaining(['resolution', 'callback.scheduled']));
  });

  it('holds a compensation above the limit for approval; resolving is refused until a manager approves', async () => {
    const tk = await working(agentA);
    const res = await agentA.post(`/api/tickets/${tk.id}/resolution`, {
      version: tk.version,
      summary: '免除两晚房费',
      rootCause: 'facility',
      compensations: [{ kind: 'refund', amount: 400 }, { kind: 'waiver', amount: 200.01 }],
    });
    expect(res.statusCode, res.body).toBe(200);
    const { ticket, resolution } = res.json();
    expect(ticket.status).toBe('in_progress');
    expect(resolution.status).toBe('pending_approval');
    expect(resolution.compensations.every((c: Compensation) => c.status === 'pending_approval')).toBe(true);

    // Resolving by hand or with another resolution: 409, nothing changed.
    const before = await timeline(agentA, tk.id);
    const refused = await agentA.post(`/api/tickets/${tk.id}/transitions`, { to: 'resolved', version: ticket.version });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().code).toBe('COMPENSATION_NEEDS_APPROVAL');
    const again = await agentA.post(`/api/tickets/${tk.id}/resolution`, { version: ticket.version, summary: 'x', rootCause: 'y' });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('COMPENSATION_NEEDS_APPROVAL');
    expect(await timeline(agentA, tk.id)).toEqual(before);
    expect((await agentA.get(`/api/tickets/${tk.id}`)).json()).toMatchObject({ status: 'in_progress', version: ticket.version });
    expect(await pendingCallback(agentA, tk.id)).toBeUndefined();

    // The approval list: manager A sees them, B does not, an agent may not ask.
    const list = (await managerA.get('/api/compensations?status=pending_approval')).json() as Compensation[];
    const mine = list.filter((c) => c.ticketId === tk.id);
    expect(mine).toHaveLength(2);
    // What the approver weighs: who asked, for which customer.
    expect(mine[0]).toMatchObject({ requestedBy: '刘客服', ticketNumber: tk.number, customerName: tk.customerName ?? null });
    expect(((await managerB.get('/api/compensations?status=pending_approval')).json() as Compensation[]).filter((c) => c.ticketId === tk.id)).toEqual([]);
    expect((await agentA.get('/api/compensations')).statusCode).toBe(403);
    expect((await agentA.post(`/api/compensations/${mine[0].id}/approve`, { note: '' })).statusCode).toBe(403);
    expect((await managerB.post(`/api/compensations/${mine[0].id}/approve`, { note: '' })).statusCode).toBe(404);

    const first = await managerA.post(`/api/compensations/${mine[0].id}/approve`, { note: '同意' });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({ status: 'approved', decisionNote: '同意', decidedBy: '王经理' });
    expect((await agentA.get(`/api/tickets/${tk.id}`)).json().status).toBe('in_progress'); // one still pending
    expect((await managerA.post(`/api/compensations/${mine[0].id}/approve`, { note: '' })).json().code).toBe('COMPENSATION_DECIDED');
    expect((await managerA.post(`/api/compensations/${mine[1].id}/approve`, { note: '同意' })).statusCode).toBe(200);
    expect((await agentA.get(`/api/tickets/${tk.id}`)).json().status).toBe('awaiting_callback');
    expect(await pendingCallback(agentA, tk.id)).toBeDefined();
    const kinds = (await timeline(agentA, tk.id)).map((e) => e.kind);
    expect(kinds.filter((k) => k === 'compensation.approved')).toHaveLength(2);
    expect(kinds).toContain('callback.scheduled');
    const notes = (await agentA.get('/api/notifications')).json().items as { ticketId: string; text: string }[];
    expect(notes.filter((n) => n.ticketId === tk.id).length).toBe(2);
    expect(notes.find((n) => n.ticketId === tk.id)!.text).toContain('批准');
  });

  it('a rejected compensation leaves the order unresolved, with the note, and a new resolution may follow', async () => {
    const tk = await working(agentA);
    const res = await agentA.post(`/api/tickets/${tk.id}/resolution`, { version: tk.version, summary: '全额退款', rootCause: 'service', compensations: [{ kind: 'refund', amount: 1200 }] });
    const { ticket, resolution } = res.json();
    const rejected = await managerA.post(`/api/compensations/${resolution.compensations[0].id}/reject`, { note: '金额过高，改为赠送服务' });
    expect(rejected.statusCode, rejected.body).toBe(200);
    expect(rejected.json()).toMatchObject({ status: 'rejected', decisionNote: '金额过高，改为赠送服务' });
    const now = (await agentA.get(`/api/tickets/${tk.id}`)).json();
    expect(now.status).toBe('in_progress');
    const ev = (await timeline(agentA, tk.id)).find((e) => e.kind === 'compensation.rejected')!;
    expect(ev.data.note).toBe('金额过高，改为赠送服务');
    const retry = await agentA.post(`/api/tickets/${tk.id}/resolution`, { version: now.version, summary: '赠送早餐', rootCause: 'service', compensations: [{ kind: 'free_service', amount: 98 }] });
    expect(retry.statusCode, retry.body).toBe(200);
    expect(retry.json().ticket.status).toBe('awaiting_callback');
    expect(ticket.version).toBeLessThan(now.version + 1);
  });

  it('refuses bad input and stale versions with nothing changed', async () => {
    const tk = await working(agentA);
    const ok = { version: tk.version, summary: '处理完毕', rootCause: 'facility' };
    const bad = [
      { ...ok, compensations: [{ kind: 'refund', amount: -1 }] },
      { ...ok, compensations: Array.from({ length: 6 }, () => ({ kind: 'gift', amount: 1 })) },
      { ...ok, compensations: [{ kind: 'cash', amount: 1 }] },
      { ...ok, compensations: [{ kind: 'refund', amount: 1.005 }] },
      { ...ok, compensations: [{ kind: 'refund', amount: 1_000_001 }] },
      { ...ok, summary: '长'.repeat(2001) },
      { ...ok, rootCause: 'x'.repeat(65) },
      { ...ok, summary: '' },
    ];
    for (const b of bad) expect((await agentA.post(`/api/tickets/${tk.id}/resolution`, b)).statusCode, JSON.stringify(b).slice(0, 80)).toBe(400);
    const stale = await agentA.post(`/api/tickets/${tk.id}/resolution`, { ...ok, version: tk.version - 1 });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().code).toBe('VERSION_CONFLICT');
    expect((await agentB.post(`/api/tickets/${tk.id}/resolution`, ok)).statusCode).toBe(404);
    expect((await agentA.get(`/api/tickets/${tk.id}`)).json()).toMatchObject({ status: 'in_progress', version: tk.version });
    expect((await timeline(agentA, tk.id)).map((e) => e.kind)).not.toContain('resolution');
    expect((await managerA.get('/api/compensations')).json().filter((c: Compensation) => c.ticketId === tk.id)).toEqual([]);
    void w;
  });
});

type Capa = { id: string; status: string; version: number; overdue: boolean; verificationResult: string | null; verificationNote: string | null; tickets: { id: string }[]; ownerName: string };

/** Corrective and preventive actions (纠正预防措施), linked to many work orders of their company. */
describe('work orders: corrective and preventive actions (CAPA)', () => {
  let t: TestApp;
  let w: World;
  let agentA: Client;
  let leadA: Client;
  let managerA: Client;
  let managerB: Client;
  let agentB: Client;
  const order = async (c: Client): Promise<Ticket> => (await c.post('/api/tickets', await intakeBody(c, workOrders.shower))).json();
  const timeline = async (c: Client, id: string) => (await c.get(`/api/tickets/${id}/timeline`)).json() as { kind: string; data: Record<string, unknown> }[];

  beforeAll(async () => {
    t = await createTestApp();
    w = await seedWorld(t);
    t.clock.set('2026-11-25T02:00:00Z');
    agentA = await t.login('agent.a');
    leadA = await t.login('lead.a');
    managerA = await t.login('manager.a');
    managerB = await t.login('manager.b');
    agentB = await t.login('agent.b');
  });
  afterAll(() => t.close());

  it('opens, links many work orders, completes and verifies (effective and not)', async () => {
    const [a1, a2, a3] = [await order(agentA), await order(agentA), await order(agentA)];
    const created = await leadA.post('/api/capas', {
      orgUnitId: w.units.deptA.id, title: '客房水管定期放水', description: '空置客房每周放水一次', kind: 'preventive', ownerId: w.users.agentA.id, dueDate: '2026-12-10', ticketIds: [a1.id, a2.id],
    });
    expect(created.statusCode, created.body).toBe(201);
    let k: Capa = created.json();
    expect(k).toMatchObject({ status: 'open', overdue: false, ownerName: '刘客服' });
    expect(k.tickets.map((x) => x.id).sort()).toEqual([a1.id, a2.id].sort());
    const linked = await leadA.post(`/api/capas/${k.id}/links`, { ticketIds: [a2.id, a3.id] });
    expect(linked.statusCode, linked.body).toBe(200);
    expect(linked.json().tickets).toHaveLength(3);
    expect((await timeline(agentA, a3.id)).map((e) => e.kind)).toContain('capa.linked');
    expect((await timeline(agentA, a2.id)).filter((e) => e.kind === 'capa.linked')).toHaveLength(1); // linked twice, one event
    const unlinked = await leadA.delete(`/api/capas/${k.id}/links/${a3.id}`);
    expect(unlinked.json().tickets).toHaveLength(2);
    expect((await leadA.delete(`/api/capas/${k.id}/links/${a3.id}`)).statusCode).toBe(404);

    // An agent cannot open or verify; the owner reports it done.
    expect((await agentA.post('/api/capas', { orgUnitId: w.units.deptA.id, title: 'x', kind: 'corrective', ownerId: w.users.agentA.id, dueDate: '2026-12-10' })).statusCode).toBe(403);
    k = (await agentA.get(`/api/capas/${k.id}`)).json();
    expect((await agentA.post(`/api/capas/${k.id}/verify`, { version: k.version, effective: true, note: '好' })).statusCode).toBe(403);
    const done = await agentA.post(`/api/capas/${k.id}/complete`, { version: k.version });
    expect(done.statusCode, done.body).toBe(200);
    k = done.json();
    expect(k.status).toBe('done');
    expect((await leadA.post(`/api/capas/${k.id}/verify`, { version: k.version, effective: true, note: '好' })).statusCode).toBe(403);

    const notYet = await managerA.post(`/api/capas/${k.id}/verify`, { version: k.version, effective: false, note: '上周仍有两起黄水投诉' });
    expect(notYet.statusCode, notYet.body).toBe(200);
    k = notYet.json();
    expect(k).toMatchObject({ status: 'open', verificationResult: 'ineffective', verificationNote: '上周仍有两起黄水投诉' });
    k = (await agentA.post(`/api/capas/${k.id}/complete`, { version: k.version })).json();
    const ok = await managerA.post(`/api/capas/${k.id}/verify`, { version: k.version, effective: true, note: '一个月无同类投诉' });
    expect(ok.json()).toMatchObject({ status: 'verified', verificationResult: 'effective' });
    expect((await managerA.post(`/api/capas/${k.id}/verify`, { version: ok.json().version, effective: true, note: 'x' })).json().code).toBe('CAPA_STATE');
    expect((await managerA.patch(`/api/capas/${k.id}`, { version: k.version, title: '旧' })).statusCode).toBe(409);
  });

  it('keeps CAPAs in their branch: B’s work orders cannot be linked, B sees nothing of A', async () => {
    const mine = await order(agentA);
    const theirs = await order(agentB);
    const k: Capa = (await managerA.post('/api/capas', { orgUnitId: w.units.branchA.id, title: '前台交接班核对', kind: 'corrective', ownerId: w.users.leadA.id, dueDate: '2026-12-01', ticketIds: [mine.id] })).json();
    expect((await managerA.post(`/api/capas/${k.id}/links`, { ticketIds: [theirs.id] })).statusCode).toBe(404);
    expect((await managerA.post('/api/capas', { orgUnitId: w.units.branchA.id, title: 'x', kind: 'corrective', ownerId: w.users.leadA.id, dueDate: '2026-12-01', ticketIds: [theirs.id] })).statusCode).toBe(404);
    expect((await managerA.post('/api/capas', { orgUnitId: w.units.branchA.id, title: 'x', kind: 'corrective', ownerId: w.users.agentB.id, dueDate: '2026-12-01' })).statusCode).toBe(400);
    expect((await managerB.get(`/api/capas/${k.id}`)).statusCode).toBe(404);
    expect((await managerB.post(`/api/capas/${k.id}/links`, { ticketIds: [theirs.id] })).statusCode).toBe(404);
    expect((await managerB.get('/api/capas')).json().items).toEqual([]);
    const after: Capa = (await managerA.get(`/api/capas/${k.id}`)).json();
    expect(after.tickets.map((x) => x.id)).toEqual([mine.id]);
    expect(after.version).toBe(k.version);
    // Bad input: nothing created.
    const count = (await managerA.get('/api/capas?limit=200')).json().items.length;
    for (const bad of [
      { orgUnitId: w.units.branchA.id, title: '', kind: 'corrective', ownerId: w.users.leadA.id, dueDate: '2026-12-01' },
      { orgUnitId: w.units.branchA.id, title: 'x', kind: 'fix', ownerId: w.users.leadA.id, dueDate: '2026-12-01' },
      { orgUnitId: w.units.branchA.id, title: 'x', kind: 'corrective', ownerId: w.users.leadA.id, dueDate: '2026-02-30' },
      { orgUnitId: w.units.branchA.id, title: 'x'.repeat(201), kind: 'corrective', ownerId: w.users.leadA.id, dueDate: '2026-12-01' },
    ]) expect((await managerA.post('/api/capas', bad)).statusCode).toBe(400);
    expect((await managerA.get('/api/capas?limit=200')).json().items.length).toBe(count);
  });

  it('finds overdue CAPAs by the test clock, page by page', async () => {
    const mk = async (dueDate: string) => (await managerA.post('/api/capas', { orgUnitId: w.units.branchA.id, title: `到期 ${dueDate}`, kind: 'corrective', ownerId: w.users.agentA.id, dueDate })).json() as Capa;
    const soon = await mk('2026-11-26');
    const later = await mk('2027-01-15');
    const overdueIds = async () => {
      const res = await managerA.get('/api/capas?overdue=true&limit=200');
      expect(res.statusCode, res.body).toBe(200);
      return (res.json().items as Capa[]).map((k) => k.id);
    };
    expect(await overdueIds()).not.toContain(soon.id);
    t.clock.set('2026-11-27T01:00:00Z');
    managerA = await t.login('manager.a'); // two days later: a fresh session
    const ids = await overdueIds();
    expect(ids).toContain(soon.id);
    expect(ids).not.toContain(later.id);
    expect((await managerA.get(`/api/capas/${soon.id}`)).json().overdue).toBe(true);
    expect(((await managerA.get('/api/capas?overdue=false&limit=200')).json().items as Capa[]).map((k) => k.id)).toContain(later.id);
    // Keyset pages cover everything once.
    const all = (await managerA.get('/api/capas?limit=200')).json().items as Capa[];
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const p: { items: Capa[]; nextCursor: string | null } = (await managerA.get(`/api/capas?limit=2${cursor ? `&cursor=${cursor}` : ''}`)).json();
      seen.push(...p.items.map((k) => k.id));
      cursor = p.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all.map((k) => k.id));
    expect((await managerA.get('/api/capas?cursor=bad')).statusCode).toBe(400);
  });
});
