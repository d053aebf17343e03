import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../src/server/platform/ids.ts';
import { addStaff, createTestApp, intakeBody, seedWorld, workOrders, type Client, type TestApp, type World, type WorkOrderSample } from '../utils/app.ts';

type Ticket = { id: string; number: string; status: string; version: number; priority: string; tags: string[]; dueAt: string | null; createdAt: string; assigneeId: string | null; [k: string]: unknown };
const HOUR = 3_600_000;

/** Every queue filter and sort (keyset pages across ties and empty deadlines), saved filters and bulk actions. */
describe('work-order queues: filters, sorts, saved filters, bulk actions', () => {
  let t: TestApp;
  let w: World;
  let agentA: Client;
  let managerA: Client;
  let leadA: Client;
  let agentB: Client;
  let peer: Client; // another agent of department A
  let room: string;
  let roomAircon: string;
  let vipCustomer: string;
  const tk: Record<'aircon' | 'lamp' | 'invoice' | 'breakfast' | 'atBranch' | 'vip' | 'ofB', Ticket> = {} as never;
  const create = async (c: Client, s: WorkOrderSample, extra: Record<string, unknown> = {}): Promise<Ticket> => {
    const res = await c.post('/api/tickets', await intakeBody(c, s, extra));
    expect(res.statusCode, res.body).toBe(201);
    return res.json();
  };
  const get = async (c: Client, x: { id: string }): Promise<Ticket> => (await c.get(`/api/tickets/${x.id}`)).json();
  const ids = async (c: Client, query: string) => {
    const res = await c.get(`/api/tickets?${query}`);
    expect(res.statusCode, `${query}: ${res.body}`).toBe(200);
    return (res.json().items as Ticket[]).map((x) => x.id);
  };
  const same = async (c: Client, query: string, expected: Ticket[]) => expect((await ids(c, query)).sort(), query).toEqual(expected.map((x) => x.id).sort());

  const signIn = async () => {
    [agentA, managerA, leadA, agentB, peer] = await Promise.all(['agent.a', 'manager.a', 'lead.a', 'agent.b', 'peer.a'].map((u) => t.login(u)));
  };

  beforeAll(async () => {
    t = await createTestApp();
    w = await seedWorld(t);
    await addStaff(t, { username: 'peer.a', displayName: '孙客服', orgUnitId: w.units.teamA.id, roleKey: 'agent', grantUnitId: w.units.deptA.id });
    await signIn();
    const categories = (await agentA.get('/api/ticket-categories')).json() as { id: string; name: string }[];
    room = categories.find((c) => c.name === '客房')!.id;
    roomAircon = newId();
    // A sub-category (other columns keep their defaults).
    await t.kefu.db.insertInto('ticket_categories').values({ id: roomAircon, parent_id: room, name: '客房空调', sort: 999 } as never).execute();
    const vip = await managerA.post('/api/customers', { name: '贵宾赵女士', phone: '13700000001', vip: true });
    expect(vip.statusCode, vip.body).toBe(201);
    vipCustomer = vip.json().id;

    tk.aircon = await create(agentA, workOrders.aircon, { priority: 'high', categoryId: roomAircon, tags: ['空调', '换房'] });
    tk.aircon = (await agentA.post(`/api/tickets/${tk.aircon.id}/take`, { version: 1 })).json();
    t.clock.advance(60_000);
    tk.lamp = await create(agentA, workOrders.lamp, { tags: ['灯具'] });
    t.clock.advance(60_000);
    tk.invoice = await create(agentA, workOrders.invoice, { priority: 'low' });
    t.clock.advance(60_000);
    tk.breakfast = await create(agentA, workOrders.breakfast, { priority: 'urgent', tags: ['早餐'] });
    tk.breakfast = (await agentA.post(`/api/tickets/${tk.breakfast.id}/take`, { version: 1 })).json();
    tk.breakfast = (await agentA.post(`/api/tickets/${tk.breakfast.id}/transitions`, { to: 'in_progress', version: tk.breakfast.version })).json();
    tk.breakfast = (await agentA.post(`/api/tickets/${tk.breakfast.id}/transitions`, { to: 'resolved', version: tk.breakfast.version })).json();
    t.clock.advance(60_000);
    tk.atBranch = await create(managerA, workOrders.quietRoom, { orgUnitId: w.units.branchA.id });
    t.clock.advance(60_000);
    tk.vip = await create(agentA, workOrders.safe, { customerId: vipCustomer, priority: 'high' });
    tk.ofB = await create(agentB, workOrders.smoke, { tags: ['空调'] });
  });
  afterAll(() => t.close());

  it('filters by every allowed field, within the caller’s scope', async () => {
    const A = [tk.aircon, tk.lamp, tk.invoice, tk.breakfast, tk.vip];
    await same(managerA, 'status=new,assigned', [tk.aircon, tk.lamp, tk.invoice, tk.atBranch, tk.vip]);
    await same(managerA, 'status=awaiting_callback&status=assigned', [tk.aircon, tk.breakfast]);
    await same(agentA, 'type=complaint&channel=phone', [tk.aircon, tk.vip]);
    await same(agentA, 'priority=high,urgent', [tk.aircon, tk.breakfast, tk.vip]);
    await same(agentA, 'severity=2', [tk.vip]);
    await same(agentA, `categoryId=${room}`, [tk.aircon, tk.lamp]); // with its sub-category
    await same(agentA, `categoryId=${roomAircon}`, [tk.aircon]);
    await same(agentA, `tags=${encodeURIComponent('空调,早餐')}`, [tk.aircon, tk.breakfast]); // any of; B's 空调 stays in B
    await same(managerA, `orgUnitId=${w.units.deptA.id}`, A); // the subtree: the team's orders are the department's
    await same(managerA, `orgUnitId=${w.units.branchA.id}`, [...A, tk.atBranch]);
    await same(agentA, `orgUnitId=${w.units.branchB.id}`, []); // outside scope: nothing, not B's orders
    await same(agentA, `departmentId=${w.units.deptA.id}&assigneeId=unassigned`, [tk.lamp, tk.invoice, tk.vip]);
    await same(agentA, `assigneeId=${w.users.agentA.id}`, [tk.aircon, tk.breakfast]);
    await same(agentA, `customerId=${vipCustomer}`, [tk.vip]);
    await same(agentA, 'vip=true', [tk.vip]);
    await same(agentA, 'vip=false', [tk.aircon, tk.lamp, tk.invoice, tk.breakfast]);
    await same(agentA, `createdFrom=${encodeURIComponent(tk.lamp.createdAt)}&createdTo=${encodeURIComponent(tk.breakfast.createdAt)}`, [tk.lamp, tk.invoice]);
    await same(agentA, `updatedFrom=${encodeURIComponent(tk.breakfast.updatedAt as string)}`, [tk.breakfast, tk.vip]);
    const due = tk.breakfast.dueAt!; // the callback's deadline
    await same(agentA, `dueFrom=${encodeURIComponent(due)}&dueTo=${encodeURIComponent(new Date(Date.parse(due) + 1).toISOString())}`, [tk.breakfast]);
    await same(agentA, 'overdue=true', []);
    t.clock.advance(30 * 24 * HOUR);
    await signIn(); // the sessions expired meanwhile
    await same(agentA, 'overdue=true', [tk.breakfast]);
    await same(agentA, 'overdue=false&type=complaint', [tk.aircon, tk.vip]);
    await same(agentA, `q=${encodeURIComponent('空调')}&tags=${encodeURIComponent('空调')}`, [tk.aircon]);
    await same(agentB, `tags=${encodeURIComponent('空调')}`, [tk.ofB]);
  });

  it('sorts by each allowed column and pages by keyset across ties and empty deadlines', async () => {
    // Ties: several orders created in the same millisecond, equal priorities, most without a deadline.
    for (let i = 0; i < 4; i++) await create(agentA, workOrders.handrail, { priority: i % 2 ? 'high' : 'normal' });
    const sorts = ['created_at', 'updated_at', 'due_at', 'priority', 'number'] as const;
    for (const sort of sorts) {
      for (const order of ['asc', 'desc'] as const) {
        const all = (await agentA.get(`/api/tickets?sort=${sort}&order=${order}&limit=100`)).json().items as Ticket[];
        expect(all).toHaveLength(9);
        const paged: Ticket[] = [];
        let cursor: string | null = null;
        do {
          const res = await agentA.get(`/api/tickets?sort=${sort}&order=${order}&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
          expect(res.statusCode, res.body).toBe(200);
          paged.push(...res.json().items);
          cursor = res.json().nextCursor;
        } while (cursor);
        expect(paged.map((x) => x.id), `${sort} ${order}`).toEqual(all.map((x) => x.id));
        if (sort === 'due_at') expect(all[0].id, `${sort} ${order}: deadlines first, empty ones last`).toBe(tk.breakfast.id);
        if (sort === 'number') {
          const numbers = all.map((x) => x.number);
          expect(numbers).toEqual([...numbers].sort((a, b) => (order === 'asc' ? a.localeCompare(b) : b.localeCompare(a))));
        }
      }
    }
  });

  it('refuses unknown filters, sorts and malformed values with 400', async () => {
    for (const q of ['foo=1', 'sort=subject', 'sort=tags', 'status=new,archived', 'vip=yes', 'overdue=1', 'severity=4', 'createdFrom=yesterday', 'assigneeId=nobody', 'orgUnitId=x', `tags=${'a'.repeat(33)}`, `tags=${Array.from({ length: 11 }, (_, i) => `t${i}`).join(',')}`]) {
      const res = await agentA.get(`/api/tickets?${q}`);
      expect(res.statusCode, q).toBe(400);
      expect(res.json().code).toBe('VALIDATION_FAILED');
    }
  });

  it('saves filters, shares them with the department, versions and limits them', async () => {
    const bad = await agentA.post('/api/saved-filters', { name: '坏的', query: { sort: 'subject' } });
    expect(bad.statusCode).toBe(400);
    expect((await agentA.post('/api/saved-filters', { name: '多余', query: { status: 'new' }, extra: 1 })).statusCode).toBe(400);
    const res = await agentA.post('/api/saved-filters', { name: '我的紧急投诉', query: { type: 'complaint', priority: 'high,urgent', sort: 'due_at', order: 'asc' } });
    expect(res.statusCode, res.body).toBe(201);
    const mine = res.json();
    expect(mine).toMatchObject({ name: '我的紧急投诉', mine: true, departmentId: null, version: 1, query: { type: 'complaint', priority: 'high,urgent', sort: 'due_at', order: 'asc' } });
    // The stored query is what GET /api/tickets takes.
    const qs = new URLSearchParams(mine.query).toString();
    await same(agentA, qs, [tk.aircon, tk.breakfast, tk.vip]);

    expect((await peer.get('/api/saved-filters')).json()).toEqual([]);
    expect((await peer.get(`/api/saved-filters/${mine.id}`)).statusCode).toBe(404);
    const shared = await agentA.patch(`/api/saved-filters/${mine.id}`, { version: 1, shared: true, name: '部门紧急投诉' });
    expect(shared.statusCode, shared.body).toBe(200);
    expect(shared.json()).toMatchObject({ version: 2, departmentId: w.units.deptA.id, name: '部门紧急投诉' });
    expect((await agentA.patch(`/api/saved-filters/${mine.id}`, { version: 1, name: '旧版本' })).statusCode).toBe(409);
    const seen = (await peer.get('/api/saved-filters')).json();
    expect(seen.map((f: { id: string; mine: boolean }) => [f.id, f.mine])).toEqual([[mine.id, false]]);
    expect((await leadA.get('/api/saved-filters')).json()).toHaveLength(1); // the lead works in department A too
    expect((await agentB.get('/api/saved-filters')).json()).toEqual([]);
    expect((await agentB.get(`/api/saved-filters/${mine.id}`)).statusCode).toBe(404);
    expect((await peer.patch(`/api/saved-filters/${mine.id}`, { version: 2, name: '抢来的' })).statusCode).toBe(403);
    expect((await peer.delete(`/api/saved-filters/${mine.id}`)).statusCode).toBe(403);
    expect((await agentB.delete(`/api/saved-filters/${mine.id}`)).statusCode).toBe(404);

    for (let i = 1; i < 50; i++) expect((await agentA.post('/api/saved-filters', { name: `筛选 ${i}`, query: { queue: 'mine' } })).statusCode).toBe(201);
    const over = await agentA.post('/api/saved-filters', { name: '第 51 个', query: {} });
    expect(over.statusCode).toBe(409);
    expect(over.json().code).toBe('SAVED_FILTER_LIMIT');
    expect((await agentA.delete(`/api/saved-filters/${mine.id}`)).statusCode).toBe(204);
    expect((await peer.get('/api/saved-filters')).json()).toEqual([]);
    expect((await agentA.get('/api/saved-filters')).json()).toHaveLength(49);
  });

  it('bulk: all or nothing — one refused item changes nothing and is named', async () => {
    const before = await Promise.all([tk.lamp, tk.invoice, tk.breakfast].map((x) => get(managerA, x)));
    // awaiting_callback cannot move to in_progress by hand: the whole action is refused.
    const res = await managerA.post('/api/tickets/bulk', { action: 'status', ids: [tk.lamp.id, tk.invoice.id, tk.breakfast.id], to: 'closed', reason: '批量关闭' });
    expect(res.statusCode, res.body).toBe(409);
    expect(res.json().code).toBe('BULK_REFUSED');
    expect(res.json().refused.map((r: { id: string; code: string }) => [r.id, r.code]).sort()).toEqual(
      [tk.lamp.id, tk.invoice.id].map((id) => [id, 'INVALID_TRANSITION']).sort(),
    );
    const assign = await managerA.post('/api/tickets/bulk', { action: 'assign', ids: [tk.lamp.id, tk.breakfast.id], assigneeId: w.users.agentB.id });
    expect(assign.statusCode).toBe(422); // agent.b may not handle branch A's orders
    expect(assign.json().refused.map((r: { id: string }) => r.id).sort()).toEqual([tk.lamp.id, tk.breakfast.id].sort());
    const after = await Promise.all([tk.lamp, tk.invoice, tk.breakfast].map((x) => get(managerA, x)));
    expect(after.map((x) => [x.version, x.status, x.assigneeId])).toEqual(before.map((x) => [x.version, x.status, x.assigneeId]));
    const timeline = (await managerA.get(`/api/tickets/${tk.lamp.id}/timeline`)).json();
    expect(timeline.map((e: { kind: string }) => e.kind)).toEqual(['created']);
  });

  it('bulk: succeeds for every item with timeline and audit entries', async () => {
    const assign = await managerA.post('/api/tickets/bulk', { action: 'assign', ids: [tk.lamp.id, tk.invoice.id], assigneeId: w.users.agentA.id });
    expect(assign.statusCode, assign.body).toBe(200);
    expect(assign.json()).toEqual({ action: 'assign', ids: [tk.lamp.id, tk.invoice.id] });
    for (const x of [tk.lamp, tk.invoice]) {
      expect(await get(managerA, x)).toMatchObject({ assigneeId: w.users.agentA.id, status: 'assigned' });
      const kinds = (await managerA.get(`/api/tickets/${x.id}/timeline`)).json().map((e: { kind: string }) => e.kind);
      expect(kinds).toEqual(['created', 'assigned', 'status']);
    }
    const tag = await agentA.post('/api/tickets/bulk', { action: 'tag', ids: [tk.lamp.id, tk.aircon.id], tags: ['回访重点', '空调'] });
    expect(tag.statusCode, tag.body).toBe(200);
    expect((await get(agentA, tk.aircon)).tags).toEqual(['空调', '换房', '回访重点']);
    expect((await get(agentA, tk.lamp)).tags).toEqual(['灯具', '回访重点', '空调']);
    const status = await agentA.post('/api/tickets/bulk', { action: 'status', ids: [tk.lamp.id, tk.invoice.id], to: 'in_progress' });
    expect(status.statusCode, status.body).toBe(200);
    const transfer = await managerA.post('/api/tickets/bulk', { action: 'transfer', ids: [tk.lamp.id], departmentIds: [w.units.deptA.id], reason: '请协助', timeLimitMinutes: 120 });
    expect(transfer.statusCode, transfer.body).toBe(200);
    expect((await get(managerA, tk.lamp)).status).toBe('waiting_department');
    const tooMany = await agentA.post('/api/tickets/bulk', { action: 'tag', ids: [tk.aircon.id], tags: Array.from({ length: 19 }, (_, i) => `标签${i}`) });
    expect(tooMany.statusCode).toBe(422);
    expect(tooMany.json().refused[0]).toMatchObject({ id: tk.aircon.id, code: 'VALIDATION_FAILED' });
    await t.kefu.sealer.flush();
    const audit = (await managerA.get(`/api/audit?entityId=${tk.invoice.id}`)).json();
    const actions = (audit.items ?? audit).map((e: { action: string }) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['ticket.assign', 'ticket.transition']));
  });

  it('bulk: another branch’s orders do not exist for the caller, and the limits hold', async () => {
    const res = await agentB.post('/api/tickets/bulk', { action: 'tag', ids: [tk.ofB.id, tk.aircon.id], tags: ['越权'] });
    expect(res.statusCode).toBe(404);
    expect(res.json().refused).toEqual([expect.objectContaining({ id: tk.aircon.id, code: 'NOT_FOUND', status: 404 })]);
    expect((await get(agentB, tk.ofB)).tags).toEqual(['空调']); // nothing changed, its own order neither
    expect((await agentA.get(`/api/tickets/${tk.aircon.id}`)).json().tags).not.toContain('越权');
    expect((await agentA.post('/api/tickets/bulk', { action: 'assign', ids: [tk.aircon.id], assigneeId: w.users.agentA.id })).statusCode).toBe(403); // agents do not assign
    for (const body of [
      { action: 'tag', ids: [], tags: ['x'] },
      { action: 'tag', ids: Array.from({ length: 101 }, () => newId()), tags: ['x'] },
      { action: 'delete', ids: [tk.aircon.id] },
      { action: 'status', ids: [tk.aircon.id], to: 'archived' },
      { action: 'assign', ids: [tk.aircon.id] },
    ]) {
      expect((await managerA.post('/api/tickets/bulk', body)).statusCode, JSON.stringify(body).slice(0, 80)).toBe(400);
    }
  });
});
