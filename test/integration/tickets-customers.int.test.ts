import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, createTestApp, hireThroughApi, intakeBody, seedWorld, workOrders, type Client, type TestApp, type World } from '../utils/app.ts';

type Customer = { id: string; name: string; phone: string | null; orgUnitId: string; vip: boolean; tier: string };

/** The minimal customer file and phone intake: who called, and what is open for them. */
describe('customers and phone intake', () => {
  let t: TestApp;
  let w: World;
  let agentA: Client;
  let agentB: Client;
  let wang: Customer;
  beforeAll(async () => {
    t = await createTestApp();
    w = await seedWorld(t);
    agentA = await t.login('agent.a');
    agentB = await t.login('agent.b');
    const res = await agentA.post('/api/customers', { name: '王秀兰', phone: '138-1234 5678', vip: true, tier: 'key' });
    expect(res.statusCode, res.body).toBe(201);
    wang = res.json();
  });
  afterAll(() => t.close());

  it('opens a file in the company of the agent at intake, with the phone as digits, once per company', async () => {
    expect(wang).toMatchObject({ name: '王秀兰', phone: '13812345678', vip: true, tier: 'key', orgUnitId: w.units.branchA.id, orgUnitName: '洛阳分店' });
    const dup = await agentA.post('/api/customers', { name: '王女士', phone: '13812345678' });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().code).toBe('CUSTOMER_PHONE_TAKEN');
    const elsewhere = await agentB.post('/api/customers', { name: '王秀兰', phone: '+86 138 1234 5678' });
    expect(elsewhere.json()).toMatchObject({ phone: '+8613812345678', orgUnitId: w.units.branchB.id });
    expect((await agentB.post('/api/customers', { name: '冒名', phone: '13800000000', orgUnitId: w.units.branchA.id })).statusCode).toBe(404);
    for (const bad of [{ name: '', phone: '1' }, { name: '<b>王</b>' }, { name: '王', phone: '138abc' }, { name: '王', tier: 'gold' }, { name: '王', email: 'not-mail' }, { name: '王', level: 1 }]) {
      expect((await agentA.post('/api/customers', bad)).statusCode, JSON.stringify(bad)).toBe(400);
    }
    // Neither customer:manage nor ticket:create: a quality inspector reads, but does not open files.
    const admin = await t.login('admin', ADMIN_PASSWORD);
    const qa = await hireThroughApi(t, admin, { username: 'qa.a', displayName: '质检员小赵', orgUnitId: w.units.deptA.id, roleKey: 'qa_inspector' });
    expect((await qa.client.post('/api/customers', { name: '赵先生' })).statusCode).toBe(403);
    // The contact data in the audit trail is sealed with the customer's key (erasable), not stored in clear.
    const raw = await t.kefu.db.selectFrom('audit_entries').selectAll().where('entity_id', '=', wang.id).executeTakeFirstOrThrow();
    expect(raw).toMatchObject({ action: 'customer.create', subject_type: 'customer', subject_id: wang.id, org_unit_id: w.units.branchA.id });
    expect(raw.changes).not.toContain('13812345678');
    expect(raw.changes).not.toContain('王秀兰');
  });

  it('finds customers by phone or name prefix within the company, and by id only there', async () => {
    await agentA.post('/api/customers', { name: '王建国', phone: '13912345678' });
    await agentA.post('/api/customers', { name: '李娜', phone: '13812340000' });
    const names = async (c: Client, q: string) => ((await c.get(`/api/customers?${q}`)).json().items as Customer[]).map((x) => x.name);
    expect(await names(agentA, 'phone=1381234')).toEqual(['李娜', '王秀兰']);
    expect(await names(agentA, 'phone=139')).toEqual(['王建国']);
    expect(await names(agentA, `q=${encodeURIComponent('王')}`)).toEqual(['王建国', '王秀兰']);
    expect(await names(agentA, 'q=1381234')).toEqual(['李娜', '王秀兰']);
    expect(await names(agentB, 'phone=138')).toEqual([]); // branch B's own file has a + prefix; A's are not B's
    expect(await names(agentA, `q=${encodeURIComponent('%')}`)).toEqual([]);
    const page1 = (await agentA.get('/api/customers?limit=2')).json();
    const page2 = (await agentA.get(`/api/customers?limit=2&cursor=${page1.nextCursor}`)).json();
    expect([...page1.items, ...page2.items].map((x: Customer) => x.name)).toEqual(['李娜', '王建国', '王秀兰']);
    expect(page2.nextCursor).toBeNull();
    expect((await agentA.get(`/api/customers/${wang.id}`)).json().name).toBe('王秀兰');
    expect((await agentB.get(`/api/customers/${wang.id}`)).statusCode).toBe(404);
    expect((await agentA.get('/api/customers?phone=12')).statusCode).toBe(400); // too short to be a search
    expect((await agentA.get('/api/customers?name=王')).statusCode).toBe(400);
  });

  it('links work orders to the file, shows open and closed ones at the next call, and refuses other companies’ customers', async () => {
    const linked = await agentA.post('/api/tickets', await intakeBody(agentA, workOrders.shower, { customerId: wang.id }));
    expect(linked.json()).toMatchObject({ customerId: wang.id, customerName: '王秀兰', customerPhone: '13812345678', customer: { id: wang.id, vip: true, tier: 'key' } });
    const quick = (await agentA.post('/api/tickets', await intakeBody(agentA, workOrders.aircon, { customerName: '王女士', customerPhone: '13812345678' }))).json();
    expect(quick.customerId).toBeNull();
    const link = await agentA.patch(`/api/tickets/${quick.id}`, { version: quick.version, customerId: wang.id });
    expect(link.json()).toMatchObject({ customerId: wang.id, customerName: '王女士' }); // what the caller said stays
    const bFile = (await agentB.get('/api/customers?phone=%2B86138')).json().items[0] as Customer;
    const foreign = await agentA.patch(`/api/tickets/${quick.id}`, { version: link.json().version, customerId: bFile.id });
    expect(foreign.statusCode).toBe(400);
    expect((await agentA.post('/api/tickets', await intakeBody(agentA, workOrders.lamp, { customerId: bFile.id }))).statusCode).toBe(400);

    // Close the linked one through a satisfied callback: it moves from open to recent.
    let x = (await agentA.post(`/api/tickets/${linked.json().id}/take`, { version: 1 })).json();
    x = (await agentA.post(`/api/tickets/${x.id}/transitions`, { to: 'in_progress', version: x.version })).json();
    x = (await agentA.post(`/api/tickets/${x.id}/transitions`, { to: 'resolved', version: x.version })).json();
    const cb = (await agentA.get('/api/callbacks')).json().items.find((c: { ticketId: string }) => c.ticketId === x.id);
    await agentA.post(`/api/callbacks/${cb.id}/complete`, { reached: true, solved: true, satisfaction: 5, comment: '' });

    // Another customer the same digits find, with a work order of her own: each file lists only its own orders.
    const li = ((await agentA.get('/api/customers/lookup?phone=138-1234')).json().customers as Customer[]).find((c) => c.name === '李娜')!;
    const liOrder = await agentA.post('/api/tickets', await intakeBody(agentA, workOrders.lamp, { customerId: li.id }));
    expect(liOrder.statusCode, liOrder.body).toBe(201);

    const lookup = await agentA.get('/api/customers/lookup?phone=138-1234');
    expect(lookup.statusCode).toBe(200);
    const found = lookup.json().customers as (Customer & { openTickets: { id: string }[]; recentTickets: { id: string; status: string }[] })[];
    expect(found.map((c) => c.name)).toEqual(['李娜', '王秀兰']);
    const mine = found.find((c) => c.id === wang.id)!;
    expect(mine.openTickets.map((o) => o.id)).toEqual([quick.id]);
    expect(mine.recentTickets.map((o) => [o.id, o.status])).toEqual([[x.id, 'closed']]);
    const hers = found.find((c) => c.id === li.id)!;
    expect(hers.openTickets.map((o) => o.id)).toEqual([liOrder.json().id]);
    expect(hers.recentTickets).toEqual([]);
    expect((await agentB.get('/api/customers/lookup?phone=13812345678')).json().customers).toEqual([]);
    expect((await agentA.get('/api/customers/lookup?phone=13')).statusCode).toBe(400);
    expect((await agentA.get('/api/customers/lookup')).statusCode).toBe(400);
  });
});
