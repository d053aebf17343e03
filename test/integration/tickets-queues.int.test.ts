import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, intakeBody, seedWorld, workOrders, type Client, type TestApp, type World, type WorkOrderSample } from '../utils/app.ts';

type Ticket = { id: string; number: string; status: string; version: number; priority: string; createdAt: string; [k: string]: unknown };
const HOUR = 3_600_000;

/** Queues, filters, keyset pages and counts; editing; and branch B's work orders never reach branch A. */
describe('work orders: queues, filters, editing and branch scope', () => {
  let t: TestApp;
  let w: World;
  let agentA: Client;
  let leadA: Client;
  let managerA: Client;
  let agentB: Client;
  const tk: Record<'working' | 'open' | 'forLead' | 'waiting' | 'atBranch' | 'ofB', Ticket> = {} as never;
  const signIn = async () => {
    agentA = await t.login('agent.a');
    leadA = await t.login('lead.a');
    managerA = await t.login('manager.a');
    agentB = await t.login('agent.b');
  };
  const create = async (c: Client, s: WorkOrderSample, extra: Record<string, unknown> = {}): Promise<Ticket> => {
    const res = await c.post('/api/tickets', await intakeBody(c, s, extra));
    expect(res.statusCode, res.body).toBe(201);
    return res.json();
  };
  const move = async (c: Client, x: Ticket, to: string): Promise<Ticket> => (await c.post(`/api/tickets/${x.id}/transitions`, { to, version: x.version })).json();
  const ids = async (c: Client, query: string) => {
    const res = await c.get(`/api/tickets?${query}`);
    expect(res.statusCode, `${query}: ${res.body}`).toBe(200);
    return (res.json().items as Ticket[]).map((x) => x.id);
  };
  const same = (a: string[], b: string[]) => expect([...a].sort()).toEqual([...b].sort());

  beforeAll(async () => {
    t = await createTestApp();
    w = await seedWorld(t);
    await signIn();
    tk.working = await create(agentA, workOrders.aircon, { priority: 'high', customerName: '李先生', customerPhone: '139 0000 1111', tags: ['空调', '换房'] });
    tk.working = (await agentA.post(`/api/tickets/${tk.working.id}/take`, { version: 1 })).json();
    tk.working = await move(agentA, tk.working, 'in_progress');
    t.clock.advance(60_000);
    tk.open = await create(agentA, workOrders.lamp);
    t.clock.advance(60_000);
    tk.forLead = await create(agentA, workOrders.invoice, { priority: 'low' });
    tk.forLead = (await leadA.post(`/api/tickets/${tk.forLead.id}/assign`, { assigneeId: w.users.leadA.id, version: 1 })).json();
    t.clock.advance(60_000);
    tk.waiting = await create(agentA, workOrders.breakfast, { priority: 'urgent' });
    tk.waiting = (await agentA.post(`/api/tickets/${tk.waiting.id}/take`, { version: 1 })).json();
    tk.waiting = await move(agentA, await move(agentA, tk.waiting, 'in_progress'), 'resolved');
    tk.atBranch = await create(managerA, workOrders.quietRoom, { orgUnitId: w.units.branchA.id });
    tk.ofB = await create(agentB, workOrders.safe, { customerPhone: '13900001111' });
  });
  afterAll(() => t.close());

  it('fills each queue with what belongs there, for each person', async () => {
    same(await ids(agentA, 'queue=mine'), [tk.working.id]);
    same(await ids(leadA, 'queue=mine'), [tk.forLead.id]);
    same(await ids(agentA, 'queue=department'), [tk.working.id, tk.open.id, tk.forLead.id]);
    same(await ids(agentA, 'queue=unassigned'), [tk.open.id]);
    same(await ids(managerA, 'queue=unassigned'), [tk.open.id, tk.atBranch.id]); // the branch-level order is the manager's to see
    same(await ids(agentA, 'queue=awaiting_callback'), [tk.waiting.id]);
    same(await ids(agentA, 'queue=overdue'), []);
    same(await ids(agentA, 'queue=recent'), [tk.working.id, tk.open.id, tk.forLead.id, tk.waiting.id]);
    same(await ids(agentA, ''), [tk.working.id, tk.open.id, tk.forLead.id, tk.waiting.id]);
    same(await ids(agentB, ''), [tk.ofB.id]);
    expect((await agentA.get('/api/tickets/counts')).json()).toEqual({ mine: 1, department: 3, unassigned: 1, overdue: 0, awaiting_callback: 1, recent: 4 });
    expect((await agentB.get('/api/tickets/counts')).json()).toEqual({ mine: 0, department: 1, unassigned: 1, overdue: 0, awaiting_callback: 0, recent: 1 });

    // A day later the complaint's callback is overdue; in eight days nothing is recent any more.
    t.clock.advance(25 * HOUR);
    await signIn();
    same(await ids(agentA, 'queue=overdue'), [tk.waiting.id]);
    expect((await agentA.get('/api/tickets/counts')).json()).toMatchObject({ overdue: 1, recent: 4 });
    t.clock.advance(7 * 24 * HOUR);
    await signIn();
    expect((await agentA.get('/api/tickets/counts')).json()).toMatchObject({ overdue: 1, recent: 0 });
  });

  it('filters by each allowed field, and by text in number, subject, customer and phone', async () => {
    const categories = (await agentA.get('/api/ticket-categories')).json() as { id: string; name: string }[];
    const room = categories.find((c) => c.name === '客房')!.id;
    same(await ids(agentA, 'type=complaint'), [tk.working.id, tk.waiting.id]);
    same(await ids(agentA, 'channel=email'), [tk.forLead.id]);
    same(await ids(agentA, 'priority=high'), [tk.working.id]);
    same(await ids(agentA, 'status=new'), [tk.open.id]);
    same(await ids(agentA, `categoryId=${room}`), [tk.working.id, tk.open.id]);
    same(await ids(agentA, `assigneeId=${w.users.leadA.id}`), [tk.forLead.id]);
    same(await ids(agentA, `departmentId=${w.units.deptA.id}&type=complaint&status=in_progress`), [tk.working.id]);
    same(await ids(agentA, `q=${encodeURIComponent('空调')}`), [tk.working.id]);
    same(await ids(agentA, `q=${tk.forLead.number}`), [tk.forLead.id]);
    same(await ids(agentA, 'q=13900001111'), [tk.working.id]); // the same number in branch B stays there
    same(await ids(agentA, `q=${encodeURIComponent('李先生')}`), [tk.working.id]);
    same(await ids(agentA, `q=${encodeURIComponent("%' or 1=1 --")}`), []);
  });

  it('pages by keyset in every sort order without repeats or gaps', async () => {
    for (let i = 0; i < 5; i++) {
      t.clock.advance(1000);
      await create(agentA, workOrders.handrail, { priority: (['low', 'normal', 'high', 'urgent', 'normal'] as const)[i] });
    }
    for (const [sort, order] of [['created_at', 'desc'], ['created_at', 'asc'], ['updated_at', 'desc'], ['priority', 'desc'], ['priority', 'asc']] as const) {
      const all = (await agentA.get(`/api/tickets?sort=${sort}&order=${order}&limit=100`)).json().items as Ticket[];
      expect(all).toHaveLength(9);
      const paged: Ticket[] = [];
      let cursor: string | null = null;
      do {
        const res: { items: Ticket[]; nextCursor: string | null } = (await agentA.get(`/api/tickets?sort=${sort}&order=${order}&limit=2${cursor ? `&cursor=${cursor}` : ''}`)).json();
        paged.push(...res.items);
        cursor = res.nextCursor;
      } while (cursor);
      expect(paged.map((x) => x.id), `${sort} ${order}`).toEqual(all.map((x) => x.id));
    }
    const byPriority = (await agentA.get('/api/tickets?sort=priority&order=desc&limit=100')).json().items.map((x: Ticket) => x.priority);
    expect(byPriority).toEqual([...byPriority].sort((a: string, b: string) => ['urgent', 'high', 'normal', 'low'].indexOf(a) - ['urgent', 'high', 'normal', 'low'].indexOf(b)));
  });

  it('accepts only allow-listed query parameters and well-formed values', async () => {
    for (const q of ['foo=1', 'queue=all', 'sort=subject', 'order=up', 'limit=0', 'limit=101', 'status=archived', 'assigneeId=not-an-id', 'cursor=garbage', 'priority=critical', `cursor=${Buffer.from('["x"]').toString('base64url')}`]) {
      const res = await agentA.get(`/api/tickets?${q}`);
      expect(res.statusCode, q).toBe(400);
      expect(res.json().code).toBe('VALIDATION_FAILED');
    }
  });

  it('edits classification with before and after in the timeline and the audit trail', async () => {
    const x = (await agentA.get(`/api/tickets/${tk.open.id}`)).json();
    const categories = (await agentA.get('/api/ticket-categories')).json() as { id: string; name: string }[];
    const facilities = categories.find((c) => c.name === '设施设备')!.id;
    const bad: [Record<string, unknown>, number, string?][] = [
      [{ version: x.version, severity: 2 }, 400, 'severity'], // a repair has no complaint class
      [{ version: x.version, departmentId: w.units.deptB.id }, 400, 'departmentId'],
      [{ version: x.version, customerId: '019a0000-0000-7000-8000-000000000000' }, 400, 'customerId'],
      [{ version: x.version, subject: '长'.repeat(201) }, 400, 'subject'],
      [{ version: x.version, status: 'closed' }, 400],
      [{ version: x.version, priority: 'asap' }, 400, 'priority'],
    ];
    for (const [body, status, field] of bad) {
      const res = await agentA.patch(`/api/tickets/${x.id}`, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(status);
      if (field) expect(res.json().errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    expect((await agentA.get(`/api/tickets/${x.id}`)).json().version).toBe(x.version);

    const res = await agentA.patch(`/api/tickets/${x.id}`, { version: x.version, subject: '床头阅读灯闪烁（1208房）', priority: 'high', categoryId: facilities, tags: ['灯具'] });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ subject: '床头阅读灯闪烁（1208房）', priority: 'high', categoryName: '设施设备', tags: ['灯具'], version: x.version + 1 });
    const stale = await agentA.patch(`/api/tickets/${x.id}`, { version: x.version, subject: '过期的修改' });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().code).toBe('VERSION_CONFLICT');
    const same = await agentA.patch(`/api/tickets/${x.id}`, { version: x.version + 1, priority: 'high' });
    expect(same.json()).toMatchObject({ version: x.version + 1, subject: '床头阅读灯闪烁（1208房）' }); // nothing changed, nothing recorded
    const events = (await agentA.get(`/api/tickets/${x.id}/timeline`)).json() as { kind: string; data: { changes: Record<string, unknown> } }[];
    const updates = events.filter((e) => e.kind === 'updated');
    expect(updates).toHaveLength(1);
    expect(updates[0].data.changes).toEqual({
      subject: { from: '床头阅读灯一直闪烁', to: '床头阅读灯闪烁（1208房）' },
      priority: { from: 'normal', to: 'high' },
      categoryId: { from: x.categoryId, to: facilities },
      tags: { from: [], to: ['灯具'] },
    });
    await t.kefu.sealer.flush();
    const audit = (await managerA.get(`/api/audit?entityType=ticket&entityId=${x.id}&action=ticket.update`)).json().items;
    expect(audit).toHaveLength(1);
    expect(audit[0].changes).toMatchObject({ priority: { from: 'normal', to: 'high' }, tags: { from: [], to: ['灯具'] } });
    expect(audit[0].orgUnitId).toBe(w.units.teamA.id);
  });

  it('keeps branch B work orders out of reach of branch A: 404 by id, absent from lists and counts', async () => {
    const b = (await agentB.get(`/api/tickets/${tk.ofB.id}`)).json();
    const attempts: [Client, string, string, unknown?][] = [
      [agentA, 'GET', `/api/tickets/${b.id}`],
      [agentA, 'GET', `/api/tickets/${b.id}/timeline`],
      [agentA, 'PATCH', `/api/tickets/${b.id}`, { version: b.version, subject: '被改了' }],
      [agentA, 'POST', `/api/tickets/${b.id}/transitions`, { to: 'in_progress', version: b.version }],
      [agentA, 'POST', `/api/tickets/${b.id}/take`, { version: b.version }],
      [agentA, 'POST', `/api/tickets/${b.id}/messages`, { kind: 'note', body: '偷看' }],
      [leadA, 'POST', `/api/tickets/${b.id}/assign`, { assigneeId: w.users.leadA.id, version: b.version }],
      [managerA, 'GET', `/api/tickets/${b.id}`],
      [managerA, 'PATCH', `/api/tickets/${b.id}`, { version: b.version, priority: 'urgent' }],
    ];
    for (const [c, method, url, body] of attempts) expect((await c.request(method, url, body as never)).statusCode, `${method} ${url}`).toBe(404);
    for (const c of [agentA, leadA, managerA]) {
      expect(await ids(c, `q=${b.number}`)).toEqual([]);
      expect(await ids(c, `departmentId=${w.units.deptB.id}`)).toEqual([]);
      expect(await ids(c, 'limit=100')).not.toContain(b.id);
    }
    const after = (await agentB.get(`/api/tickets/${b.id}`)).json();
    expect(after).toMatchObject({ version: b.version, subject: b.subject, status: 'new', assigneeId: null });
    expect((await agentB.get(`/api/tickets/${b.id}/timeline`)).json()).toHaveLength(1);
  });
});
