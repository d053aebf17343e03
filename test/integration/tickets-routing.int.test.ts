import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { addStaff, addUnit, createTestApp, intakeBody, seedWorld, workOrders, type Client, type TestApp, type World, type WorkOrderSample } from '../utils/app.ts';

type Ticket = { id: string; number: string; status: string; version: number; priority: string; tags: string[]; departmentId: string | null; assigneeId: string | null; [k: string]: unknown };
type Rule = { id: string; name: string; version: number; position: number; enabled: boolean; orgUnitId: string; actions: Record<string, unknown>; conditions: Record<string, unknown> };
type Event = { kind: string; data: Record<string, unknown> };

/** Routing rules (分流): every condition, the order of rules, every action, the policies of assignment, and their scope. */
describe('work orders: routing rules', () => {
  let t: TestApp;
  let w: World;
  let agentA: Client;
  let agentB: Client;
  let managerA: Client;
  let managerB: Client;
  let director: Client;
  let engineering: { id: string; path: string };
  let vipTeam: { id: string; path: string };
  let categories: Map<string, string>;
  const rota: { id: string; username: string }[] = [];
  const vips: { id: string; username: string }[] = [];

  const create = async (c: Client, s: WorkOrderSample, extra: Record<string, unknown> = {}): Promise<Ticket> => {
    const res = await c.post('/api/tickets', await intakeBody(c, s, extra));
    expect(res.statusCode, res.body).toBe(201);
    return res.json();
  };
  const rule = async (body: Record<string, unknown>, by: Client = managerA): Promise<Rule> => {
    const res = await by.post('/api/routing-rules', { orgUnitId: w.units.branchA.id, ...body });
    expect(res.statusCode, res.body).toBe(201);
    return res.json();
  };
  const routedBy = async (c: Client, tk: Ticket): Promise<string | null> => (await c.get(`/api/tickets/${tk.id}/routing`)).json().routingRule?.name ?? null;
  const timeline = async (c: Client, id: string): Promise<Event[]> => (await c.get(`/api/tickets/${id}/timeline`)).json();
  const count = async (table: 'tickets' | 'ticket_transfers' | 'routing_rules') =>
    Number((await t.kefu.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

  beforeAll(async () => {
    t = await createTestApp();
    w = await seedWorld(t);
    engineering = await addUnit(t, w.units.branchA.id, 'department', '工程部', 'A-GC');
    vipTeam = await addUnit(t, w.units.deptA.id, 'team', '贵宾组', 'A-KF-V');
    // The early shift's rota: three agents granted in the team itself.
    for (const [i, name] of ['孙一', '孙二', '孙三'].entries()) rota.push(await addStaff(t, { username: `rota.${i + 1}`, displayName: name, orgUnitId: w.units.teamA.id, roleKey: 'agent' }));
    for (const [i, name] of ['钱一', '钱二', '钱三'].entries()) vips.push(await addStaff(t, { username: `vip.${i + 1}`, displayName: name, orgUnitId: vipTeam.id, roleKey: 'agent' }));
    agentA = await t.login('agent.a');
    agentB = await t.login('agent.b');
    managerA = await t.login('manager.a');
    managerB = await t.login('manager.b');
    director = await t.login('director');
    categories = new Map(((await agentA.get('/api/ticket-categories')).json() as { id: string; name: string }[]).map((c) => [c.name, c.id]));
  });
  afterEach(async () => {
    for (const r of (await director.get('/api/routing-rules')).json() as Rule[]) expect((await director.delete(`/api/routing-rules/${r.id}`)).statusCode).toBe(204);
  });
  afterAll(() => t.close());

  it('checks every condition alone: a work order that meets it is routed, one that does not is not', async () => {
    const customer = async (name: string, tier: string, vip: boolean) => (await agentA.post('/api/customers', { name, tier, vip })).json().id as string;
    const strategic = await customer('洛阳钢铁集团', 'strategic', false);
    const vipGuest = await customer('王秀兰', 'ordinary', true);
    const cases: { name: string; conditions: Record<string, unknown>; by?: Client; yes: [Client, WorkOrderSample, Record<string, unknown>?]; no: [Client, WorkOrderSample, Record<string, unknown>?][] }[] = [
      { name: '报修类', conditions: { types: ['repair'] }, yes: [agentA, workOrders.lamp], no: [[agentA, workOrders.invoice]] },
      { name: '设施设备', conditions: { categoryIds: [categories.get('设施设备')] }, yes: [agentA, workOrders.shower], no: [[agentA, workOrders.lamp]] },
      { name: '邮件渠道', conditions: { channels: ['email', 'web'] }, yes: [agentA, workOrders.invoice], no: [[agentA, workOrders.lamp]] },
      { name: '关键词', conditions: { keywords: ['停电', '发黄'] }, yes: [agentA, workOrders.shower], no: [[agentA, workOrders.lamp]] },
      { name: '关键词不分大小写', conditions: { keywords: ['LEAK'] }, yes: [agentA, workOrders.lamp, { subject: 'Water leak in room 1208' }], no: [[agentA, workOrders.lamp]] },
      { name: '战略客户', conditions: { customerTiers: ['strategic', 'key'] }, yes: [agentA, workOrders.invoice, { customerId: strategic }], no: [[agentA, workOrders.invoice, { customerId: vipGuest }], [agentA, workOrders.invoice]] },
      { name: '仅VIP', conditions: { vipOnly: true }, yes: [agentA, workOrders.shower, { customerId: vipGuest }], no: [[agentA, workOrders.shower, { customerId: strategic }], [agentA, workOrders.shower]] },
      { name: '郑州分店', conditions: { branchIds: [w.units.branchB.id] }, by: director, yes: [agentB, workOrders.lamp], no: [[agentA, workOrders.lamp]] },
    ];
    for (const c of cases) {
      const r = await rule({ name: c.name, conditions: c.conditions, actions: { tags: [c.name] }, ...(c.by ? { orgUnitId: w.units.group.id } : {}) }, c.by);
      const [who, sample, extra] = c.yes;
      const yes = await create(who, sample, extra);
      expect(await routedBy(who, yes), c.name).toBe(c.name);
      expect(yes.tags, c.name).toContain(c.name);
      const routed = (await timeline(who, yes.id)).find((e) => e.kind === 'routed')!;
      expect(routed.data).toMatchObject({ ruleId: r.id, ruleName: c.name });
      for (const [other, s, x] of c.no) {
        const no = await create(other, s, x);
        expect(await routedBy(other, no), `${c.name}: ${s.subject}`).toBeNull();
        expect(no.tags).not.toContain(c.name);
        expect((await timeline(other, no.id)).map((e) => e.kind)).toEqual(['created']);
      }
      expect((await director.delete(`/api/routing-rules/${r.id}`)).statusCode).toBe(204);
    }
  });

  it('takes the first matching rule: the company’s in their order, then the group’s; disabled rules are skipped', async () => {
    const water = await rule({ name: '用水问题', conditions: { keywords: ['水'] }, actions: { tags: ['水'] } });
    const complaints = await rule({ name: '全部投诉', conditions: { types: ['complaint'] }, actions: { tags: ['投诉'] } });
    const groupWide = (await director.post('/api/routing-rules', { orgUnitId: w.units.group.id, name: '集团兜底', actions: { tags: ['集团'] } })).json();
    expect(groupWide.orgUnitId).toBe(w.units.group.id);
    expect(await routedBy(agentA, await create(agentA, workOrders.shower))).toBe('用水问题');

    const off = await managerA.patch(`/api/routing-rules/${water.id}`, { version: water.version, enabled: false });
    expect(off.json()).toMatchObject({ enabled: false, version: water.version + 1 });
    expect(await routedBy(agentA, await create(agentA, workOrders.shower))).toBe('全部投诉');
    expect(await routedBy(agentA, await create(agentA, workOrders.lamp))).toBe('集团兜底'); // neither company rule: the group's

    await managerA.patch(`/api/routing-rules/${water.id}`, { version: off.json().version, enabled: true });
    const mine = ((await managerA.get(`/api/routing-rules?orgUnitId=${w.units.branchA.id}`)).json() as Rule[]).filter((r) => r.orgUnitId === w.units.branchA.id);
    const ids = mine.map((r) => r.id);
    expect((await managerA.post('/api/routing-rules/reorder', { orgUnitId: w.units.branchA.id, ids: [complaints.id] })).statusCode).toBe(409); // not every rule: stale
    const reordered = await managerA.post('/api/routing-rules/reorder', { orgUnitId: w.units.branchA.id, ids: [...ids].reverse() });
    expect(reordered.statusCode, reordered.body).toBe(200);
    expect(reordered.json().map((r: Rule) => [r.name, r.position])).toEqual([...mine].reverse().map((r, i) => [r.name, i + 1]));
    expect(await routedBy(agentA, await create(agentA, workOrders.shower))).toBe('全部投诉');

    // The dry run tells an administrator the same, rule by rule, and changes nothing.
    const before = await count('tickets');
    const dry = await managerA.post('/api/routing-rules/test', { orgUnitId: w.units.teamA.id, type: 'complaint', channel: 'phone', subject: '洗浴水小发黄' });
    expect(dry.statusCode, dry.body).toBe(200);
    expect(dry.json().trace.map((e: { name: string; result: string }) => `${e.name}:${e.result}`)).toEqual(['全部投诉:matched', '用水问题:not_reached', '集团兜底:not_reached']);
    expect(dry.json().outcome).toMatchObject({ ruleName: '全部投诉', tags: ['投诉'], priority: 'normal' });
    const none = (await managerA.post('/api/routing-rules/test', { orgUnitId: w.units.teamA.id, type: 'praise', channel: 'web', subject: '服务很好' })).json();
    expect(none.trace.find((e: { name: string }) => e.name === '全部投诉')).toMatchObject({ result: 'no_match', failed: ['types'] });
    expect(none.outcome.ruleName).toBe('集团兜底');
    expect(await count('tickets')).toBe(before);
    expect((await managerA.post('/api/routing-rules/test', { orgUnitId: w.units.deptB.id, type: 'praise', channel: 'web', subject: 'x' })).statusCode).toBe(404);
  });

  it('applies department, priority (raised, never lowered), tags; an explicit department at intake wins', async () => {
    const r = await rule({ name: '保险箱', conditions: { keywords: ['保险箱'] }, actions: { departmentId: engineering.id, priority: 'high', tags: ['安全', '急'] } });
    expect(r.actions).toMatchObject({ departmentId: engineering.id, departmentName: '工程部', priority: 'high', tags: ['安全', '急'], assignment: 'manual', timeLimitMinutes: null });
    const routed = await create(agentA, workOrders.safe, { tags: ['证件', '急'] });
    expect(routed).toMatchObject({ departmentId: engineering.id, departmentName: '工程部', priority: 'high', tags: ['证件', '急', '安全'], status: 'new', assigneeId: null });
    const event = (await timeline(agentA, routed.id)).find((e) => e.kind === 'routed')!;
    expect(event.data).toMatchObject({ ruleName: '保险箱', departmentId: engineering.id, departmentName: '工程部', priority: 'high', assignment: 'manual' });
    expect((await create(agentA, workOrders.safe, { priority: 'urgent' })).priority).toBe('urgent');
    expect((await create(agentA, workOrders.safe, { priority: 'low' })).priority).toBe('high');

    const chosen = await create(agentA, workOrders.safe, { departmentId: w.units.deptA.id });
    expect(chosen).toMatchObject({ departmentId: w.units.deptA.id, priority: 'high', tags: ['安全', '急'] });
    expect((await timeline(agentA, chosen.id)).find((e) => e.kind === 'routed')!.data.skipped).toEqual(['department']);

    await t.kefu.sealer.flush();
    const audit = (await managerA.get(`/api/audit?entityType=ticket&entityId=${routed.id}`)).json().items.map((e: { action: string }) => e.action);
    expect(audit.sort()).toEqual(['ticket.create', 'ticket.route']);
  });

  it('assigns round robin through the team, one turn each, also under concurrent intake', async () => {
    const r = await rule({ name: '早班轮流', conditions: { keywords: ['灯'] }, actions: { departmentId: w.units.deptA.id, teamId: w.units.teamA.id, assignment: 'round_robin' } });
    expect(r.actions).toMatchObject({ teamId: w.units.teamA.id, teamName: '早班组', assignment: 'round_robin' });
    const dry = (await managerA.post('/api/routing-rules/test', { orgUnitId: w.units.teamA.id, type: 'repair', channel: 'app', subject: '床头灯闪烁' })).json();
    expect(dry.outcome.candidates.map((c: { id: string }) => c.id)).toEqual(rota.map((p) => p.id)); // agent.a and lead.a are granted at the department, not in the team
    expect(dry.outcome.assignee.id).toBe(rota[0].id);

    const order: string[] = [];
    for (let i = 0; i < 4; i++) {
      const tk = await create(agentA, workOrders.lamp);
      expect(tk.status).toBe('assigned');
      order.push(tk.assigneeId!);
    }
    expect(order).toEqual([rota[0].id, rota[1].id, rota[2].id, rota[0].id]);
    const last = (await create(agentA, workOrders.lamp)).id;
    const events = await timeline(agentA, last);
    expect(events.map((e) => e.kind)).toEqual(['created', 'routed', 'assigned', 'status']);
    expect(events[2].data).toMatchObject({ to: { id: rota[1].id, name: '孙二' }, rule: '早班轮流' });
    const told = (await (await t.login('rota.2')).get('/api/notifications')).json().items;
    expect(told.filter((n: { kind: string; ticketId: string }) => n.kind === 'assigned' && n.ticketId === last)).toHaveLength(1);

    // Concurrent intakes each take their own turn: six at once give everyone exactly two.
    const burst = await Promise.all(Array.from({ length: 6 }, async () => (await agentA.post('/api/tickets', await intakeBody(agentA, workOrders.lamp))).json().assigneeId as string));
    expect(rota.map((p) => burst.filter((x) => x === p.id).length)).toEqual([2, 2, 2]);

    // Someone disabled leaves the rota; the turn passes on.
    const admin = await t.login('director');
    const gone = (await admin.get(`/api/users/${rota[2].id}`)).json();
    expect((await admin.patch(`/api/users/${rota[2].id}`, { version: gone.version, status: 'disabled' })).statusCode).toBe(200);
    const after = [await create(agentA, workOrders.lamp), await create(agentA, workOrders.lamp), await create(agentA, workOrders.lamp)].map((x) => x.assigneeId);
    expect(after.every((x) => x === rota[0].id || x === rota[1].id)).toBe(true);
    expect(new Set(after).size).toBe(2);

    // Without a team, the whole department's people take turns — those who can handle orders registered in the early shift.
    const current = ((await managerA.get('/api/routing-rules')).json() as Rule[]).find((x) => x.id === r.id)!;
    const wider = await managerA.patch(`/api/routing-rules/${r.id}`, { version: current.version, actions: { departmentId: w.units.deptA.id, assignment: 'round_robin' } });
    expect(wider.json().actions).toMatchObject({ teamId: null, teamName: null, assignment: 'round_robin' });
    const all = (await managerA.post('/api/routing-rules/test', { orgUnitId: w.units.teamA.id, type: 'repair', channel: 'app', subject: '床头灯闪烁' })).json();
    expect(all.outcome.candidates.map((c: { name: string }) => c.name)).toEqual(['刘客服', '张领班', '孙一', '孙二']); // not the VIP team (granted below the early shift's reach), not 孙三 (disabled)
  });

  it('assigns to whoever has the fewest open work orders', async () => {
    // Three work orders registered in the VIP team: two for vip.1, one for vip.2, none for vip.3.
    for (const who of [vips[0], vips[0], vips[1]]) {
      const tk = await create(managerA, workOrders.quietRoom, { orgUnitId: vipTeam.id });
      expect((await managerA.post(`/api/tickets/${tk.id}/assign`, { assigneeId: who.id, version: tk.version })).statusCode).toBe(200);
    }
    await rule({ name: '贵宾最少', conditions: { keywords: ['贵宾'] }, actions: { departmentId: w.units.deptA.id, teamId: vipTeam.id, assignment: 'least_open' } });
    const dry = (await managerA.post('/api/routing-rules/test', { orgUnitId: vipTeam.id, type: 'request', channel: 'phone', subject: '贵宾换房' })).json();
    expect(dry.outcome.candidates.map((c: { name: string; openTickets: number }) => [c.name, c.openTickets])).toEqual([['钱一', 2], ['钱二', 1], ['钱三', 0]]);
    const first = await create(managerA, workOrders.quietRoom, { orgUnitId: vipTeam.id, subject: '贵宾换房' });
    expect(first.assigneeId).toBe(vips[2].id);
    const second = await create(managerA, workOrders.quietRoom, { orgUnitId: vipTeam.id, subject: '贵宾加床' });
    expect(second.assigneeId).toBe(vips[1].id); // 1 each for vip.2 and vip.3: the first by name
    // Registered where the team cannot handle it (the department's unit): nobody is eligible, the order stays unassigned.
    const elsewhere = await create(managerA, workOrders.quietRoom, { orgUnitId: w.units.deptA.id, subject: '贵宾接机' });
    expect(elsewhere).toMatchObject({ assigneeId: null, status: 'new', departmentId: w.units.deptA.id });
    expect((await timeline(managerA, elsewhere.id)).find((e) => e.kind === 'routed')!.data.unassigned).toBe('no eligible person');
  });

  it('keeps rules within their unit: other branches’ rules do not exist, and bad rules are refused naming the field', async () => {
    const ofB = await rule({ orgUnitId: w.units.branchB.id, name: '郑州工程', conditions: { keywords: ['漏水'] }, actions: { departmentId: w.units.deptB.id } }, managerB);
    const ofA = await rule({ name: '洛阳工程', conditions: { keywords: ['漏水'] }, actions: { departmentId: engineering.id } });
    expect(((await managerA.get('/api/routing-rules')).json() as Rule[]).map((r) => r.id)).toEqual([ofA.id]);
    expect(((await director.get('/api/routing-rules')).json() as Rule[]).map((r) => r.id).sort()).toEqual([ofA.id, ofB.id].sort());
    expect((await managerA.patch(`/api/routing-rules/${ofB.id}`, { version: ofB.version, name: '被改了' })).statusCode).toBe(404);
    expect((await managerA.delete(`/api/routing-rules/${ofB.id}`)).statusCode).toBe(404);
    expect((await managerA.post('/api/routing-rules', { orgUnitId: w.units.branchB.id, name: '冒名', actions: {} })).statusCode).toBe(404);
    expect((await agentA.get('/api/routing-rules')).statusCode).toBe(403); // agents do not manage routing
    expect((await managerB.get('/api/routing-rules')).json()).toMatchObject([{ id: ofB.id, name: '郑州工程', version: 1 }]);

    const before = await count('routing_rules');
    const base = { orgUnitId: w.units.branchA.id, name: '坏规则', conditions: {}, actions: {} };
    const bad: [Record<string, unknown>, string][] = [
      [{ ...base, orgUnitId: w.units.deptA.id }, 'orgUnitId'], // a department is not a company
      [{ ...base, actions: { departmentId: w.units.deptB.id } }, 'actions.departmentId'],
      [{ ...base, actions: { departmentId: w.units.teamA.id } }, 'actions.departmentId'],
      [{ ...base, actions: { departmentId: engineering.id, teamId: w.units.teamA.id } }, 'actions.teamId'], // not a team of 工程部
      [{ ...base, actions: { assignment: 'round_robin' } }, 'actions.departmentId'],
      [{ ...base, actions: { timeLimitMinutes: 120 } }, 'actions.departmentId'],
      [{ ...base, actions: { departmentId: engineering.id, timeLimitMinutes: 4 } }, 'actions.timeLimitMinutes'],
      [{ ...base, actions: { assignment: 'random' } }, 'actions.assignment'],
      [{ ...base, conditions: { keywords: Array.from({ length: 51 }, (_, i) => `k${i}`) } }, 'conditions.keywords'],
      [{ ...base, conditions: { keywords: ['长'.repeat(51)] } }, 'conditions.keywords.0'],
      [{ ...base, conditions: { categoryIds: ['019a0000-0000-7000-8000-000000000000'] } }, 'conditions.categoryIds.0'],
      [{ ...base, conditions: { branchIds: [w.units.branchB.id] } }, 'conditions.branchIds.0'],
      [{ ...base, conditions: { types: ['reservation'] } }, 'conditions.types.0'],
      [{ ...base, conditions: { mood: 'angry' } }, 'conditions'],
      [{ ...base, name: '' }, 'name'],
    ];
    for (const [body, field] of bad) {
      const res = await managerA.post('/api/routing-rules', body);
      expect(res.statusCode, `${field}: ${res.body}`).toBe(400);
      expect(res.json().errors.map((e: { field: string }) => e.field), res.body).toContain(field);
    }
    expect(await count('routing_rules')).toBe(before);
    const stale = await managerA.patch(`/api/routing-rules/${ofA.id}`, { version: ofA.version + 1, name: '过期' });
    expect(stale.json().code).toBe('VERSION_CONFLICT');

    // At most 200 rules per unit.
    for (let i = (await managerB.get('/api/routing-rules')).json().length; i < 200; i++) await rule({ orgUnitId: w.units.branchB.id, name: `规则${i}`, actions: {} }, managerB);
    const full = await managerB.post('/api/routing-rules', { orgUnitId: w.units.branchB.id, name: '第201条', actions: {} });
    expect(full.statusCode).toBe(409);
    expect(full.json().code).toBe('ROUTING_RULE_LIMIT');
  });
});
