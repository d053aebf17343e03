import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERASED, verifyAuditChain } from '../../src/server/modules/audit/audit.service.ts';
import { addStaff, createTestApp, intakeBody, seedWorld, workOrders, type Client, type TestApp, type World } from '../utils/app.ts';

/**
 * Destruction 销毁 of customer files (issue #5 §5): a records officer marks a file; the records officer,
 * the service manager and the general manager approve in that order, three different people; a
 * rejection ends the request; category A files are permanent. The last approval erases the personal
 * data for good — the file, its identifiers, the work orders' copies, care greetings, the personal
 * values sealed in earlier audit entries — while the audit chain still verifies and keeps a tombstone.
 */
const SECRET = { name: '林美华', phone: '13912345678', phone2: '13787654321', email: 'lin.meihua@example.com', idNumber: '410302198502021234', address: '洛阳市西工区中州路88号', notes: '对海鲜过敏' };

describe('customer files: destruction with three approvals in order', () => {
  let t: TestApp;
  let w: World;
  let recA: Client;
  let recB: Client;
  let managerA: Client;
  let managerB: Client;
  let director: Client;
  let agentA: Client;
  const ids: Record<string, string> = {};

  const file = async (key: string, body: Record<string, unknown>) => {
    const res = await managerA.post('/api/customers', { orgUnitId: w.units.branchA.id, kind: 'person', ...body });
    expect(res.statusCode, res.body).toBe(201);
    ids[key] = res.json().id;
  };
  const decide = (c: Client, id: string, step: number, decision: 'approve' | 'reject', comment = '') => c.post(`/api/customer-destructions/${id}/decisions`, { step, decision, comment });
  const request = async (customerId: string, reason = '超过保管期限，客户已注销') => {
    const res = await recA.post('/api/customer-destructions', { customerId, reason });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: string; status: string; currentStep: number | null; steps: unknown[] };
  };

  beforeAll(async () => {
    t = await createTestApp();
    w = await seedWorld(t);
    await addStaff(t, { username: 'rec.a', displayName: '钱主管', orgUnitId: w.units.deptA.id, roleKey: 'records_officer', grantUnitId: w.units.branchA.id });
    await addStaff(t, { username: 'rec.b', displayName: '孙主管', orgUnitId: w.units.deptB.id, roleKey: 'records_officer', grantUnitId: w.units.branchB.id });
    [recA, recB, managerA, managerB, director, agentA] = await Promise.all(['rec.a', 'rec.b', 'manager.a', 'manager.b', 'director', 'agent.a'].map((u) => t.login(u)));
    await file('secretB', {
      name: SECRET.name,
      phone: SECRET.phone,
      email: SECRET.email,
      category: 'B',
      confidentiality: 'secret',
      birthday: '1985-02-02',
      address: SECRET.address,
      notes: SECRET.notes,
      identifiers: [
        { kind: 'id_number', value: SECRET.idNumber },
        { kind: 'phone', value: SECRET.phone2 },
      ],
    });
    await file('permanentA', { name: '洛阳牡丹集团', kind: 'organisation', category: 'A' });
    await file('regulatorC', { name: '市场监管局王科长', phone: '13700001111', category: 'C' });
    // A work order copying the file's name, a reading record, a care greeting naming the customer.
    const ticket = await agentA.post('/api/tickets', await intakeBody(agentA, workOrders.lamp, { customerId: ids.secretB }));
    expect(ticket.statusCode, ticket.body).toBe(201);
    ids.ticket = ticket.json().id;
    expect((await managerA.post(`/api/customers/${ids.secretB}/open`, { reason: '核对投诉客户信息' })).statusCode).toBe(200);
    const rule = (await managerA.post('/api/care-rules', { orgUnitId: w.units.branchA.id, name: '生日问候', occasion: 'birthday', channel: 'sms', template: '尊敬的{{name}}，祝您生日快乐！' })).json();
    expect((await managerA.post(`/api/care-rules/${rule.id}/generate?year=2027`)).json().created).toBeGreaterThanOrEqual(1);
  });
  afterAll(() => t?.close());

  it('is marked only by a records officer over the file; category A files are permanent (archive instead)', async () => {
    const permanent = await recA.post('/api/customer-destructions', { customerId: ids.permanentA, reason: '不再合作' });
    expect(permanent.statusCode).toBe(409);
    expect(permanent.json().code).toBe('CUSTOMER_PERMANENT');
    // The manager approves step 2 but does not mark files; agents neither; branch B's records officer does not see A's files.
    expect((await managerA.post('/api/customer-destructions', { customerId: ids.regulatorC, reason: '不再合作' })).statusCode).toBe(403);
    expect((await agentA.post('/api/customer-destructions', { customerId: ids.regulatorC, reason: '不再合作' })).statusCode).toBe(403);
    expect((await recB.post('/api/customer-destructions', { customerId: ids.regulatorC, reason: '不再合作' })).statusCode).toBe(404);
    expect((await recA.post('/api/customer-destructions', { customerId: ids.regulatorC, reason: '' })).statusCode).toBe(400);
    expect((await recA.post('/api/customer-destructions', { customerId: ids.regulatorC, reason: '不再合作', extra: 1 })).statusCode).toBe(400);
    expect((await recA.get('/api/customer-destructions')).json()).toEqual([]);
  });

  it('takes the steps in order, each by its own role; a rejection ends the request and leaves the file', async () => {
    const r = await request(ids.regulatorC);
    expect(r).toMatchObject({ status: 'pending', currentStep: 1, steps: [], requestedByName: '钱主管', customerName: '市场监管局王科长', customerCategory: 'C' });
    expect((await recA.post('/api/customer-destructions', { customerId: ids.regulatorC, reason: '重复申请' })).json().code).toBe('DESTRUCTION_PENDING');

    // Out of order: the manager and the director may not decide before the records officer.
    expect((await decide(managerA, r.id, 2, 'approve')).json().code).toBe('DESTRUCTION_STEP');
    expect((await decide(director, r.id, 3, 'approve')).json().code).toBe('DESTRUCTION_STEP');
    // Not their step's permission: 403; outside their scope: 404; no destruction permission at all: 403.
    expect((await decide(managerA, r.id, 1, 'approve')).statusCode).toBe(403);
    expect((await decide(managerB, r.id, 2, 'approve')).statusCode).toBe(404);
    expect((await recB.get(`/api/customer-destructions/${r.id}`)).statusCode).toBe(404);
    expect((await agentA.get(`/api/customer-destructions/${r.id}`)).statusCode).toBe(403);
    expect((await agentA.get('/api/customer-destructions')).statusCode).toBe(403);
    expect((await managerB.get('/api/customer-destructions')).json()).toEqual([]);

    const step1 = await decide(recA, r.id, 1, 'approve', '已核对，同意销毁');
    expect(step1.statusCode, step1.body).toBe(200);
    expect(step1.json()).toMatchObject({ status: 'pending', currentStep: 2, steps: [{ step: 1, decision: 'approve', userName: '钱主管', comment: '已核对，同意销毁' }] });
    expect((await managerA.get('/api/customer-destructions?awaiting=me')).json().map((d: { id: string }) => d.id)).toEqual([r.id]);
    expect((await recA.get('/api/customer-destructions?awaiting=me')).json()).toEqual([]);
    // The same step twice: it has moved on.
    expect((await decide(recA, r.id, 1, 'approve')).json().code).toBe('DESTRUCTION_STEP');

    expect((await decide(managerA, r.id, 2, 'reject')).statusCode).toBe(400); // a rejection says why
    const rejected = await decide(managerA, r.id, 2, 'reject', '监管部门档案须继续保存');
    expect(rejected.json()).toMatchObject({ status: 'rejected', currentStep: null, canDecide: false });
    expect(rejected.json().endedAt).not.toBeNull();
    expect((await decide(director, r.id, 3, 'approve')).json().code).toBe('DESTRUCTION_STEP');
    const c = (await managerA.get(`/api/customers/${ids.regulatorC}`)).json();
    expect(c).toMatchObject({ name: '市场监管局王科长', phone: '13700001111', archived: false });
    expect((await recA.get('/api/customer-destructions?status=rejected')).json().map((d: { id: string }) => d.id)).toEqual([r.id]);
    expect((await recA.get('/api/customer-destructions?status=pending')).json()).toEqual([]);
  });

  it('never lets one person approve two steps of the same request', async () => {
    const r = await request(ids.regulatorC, '合作终止五年');
    expect((await decide(recA, r.id, 1, 'approve')).statusCode).toBe(200);
    // The director holds both the manager's and the general manager's permission.
    expect((await director.get('/api/customer-destructions?awaiting=me')).json().map((d: { id: string }) => d.id)).toEqual([r.id]);
    expect((await decide(director, r.id, 2, 'approve')).json()).toMatchObject({ currentStep: 3, canDecide: false });
    expect((await director.get('/api/customer-destructions?awaiting=me')).json()).toEqual([]);
    const twice = await decide(director, r.id, 3, 'approve');
    expect(twice.statusCode).toBe(409);
    expect(twice.json().code).toBe('DESTRUCTION_SAME_PERSON');
    expect((await managerA.get(`/api/customers/${ids.regulatorC}`)).json().name).toBe('市场监管局王科长');
    // Nobody else in the branch holds the general manager's permission: the request waits at step 3.
    expect((await decide(managerA, r.id, 3, 'approve')).statusCode).toBe(403);
    // One request in approval per file, also against a concurrent writer (a unique index, not only the service's check).
    const twin = { ...(await t.kefu.db.selectFrom('customer_destructions').selectAll().where('id', '=', r.id).executeTakeFirstOrThrow()), id: crypto.randomUUID() };
    await expect(t.kefu.db.insertInto('customer_destructions').values(twin).execute()).rejects.toThrow(/unique/i);
  });

  it('erases the personal data irreversibly at the last approval, keeping the audit chain and a tombstone', async () => {
    const pseudonym = `已销毁客户 #${ids.secretB.slice(0, 8)}`;
    const r = await request(ids.secretB);
    expect((await decide(recA, r.id, 1, 'approve')).statusCode).toBe(200);
    expect((await decide(managerA, r.id, 2, 'approve', '同意')).statusCode).toBe(200);
    const done = await decide(director, r.id, 3, 'approve', '批准销毁');
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json()).toMatchObject({ status: 'destroyed', currentStep: null, customerName: pseudonym });
    expect(done.json().steps.map((s: { userName: string }) => s.userName)).toEqual(['钱主管', '王经理', '周总']);

    // The API shows the tombstone (archived, out of the default list); a second request is refused.
    const tomb = (await managerA.get(`/api/customers/${ids.secretB}`)).json();
    expect(tomb).toMatchObject({ name: pseudonym, phone: null, email: null, address: null, notes: null, birthday: null, category: 'B', kind: 'person', archived: true, identifiers: [] });
    expect((await managerA.get(`/api/customers?q=${encodeURIComponent(SECRET.name)}`)).json().items).toEqual([]);
    expect((await recA.post('/api/customer-destructions', { customerId: ids.secretB, reason: '再次销毁' })).json().code).toBe('CUSTOMER_DESTROYED');
    // Nothing is written into the tombstone again, nor is it brought back from the archive.
    const refill = await managerA.patch(`/api/customers/${ids.secretB}`, { version: tomb.version, name: SECRET.name, phone: SECRET.phone });
    expect(refill.statusCode).toBe(409);
    expect(refill.json().code).toBe('CUSTOMER_DESTROYED');
    expect((await managerA.post(`/api/customers/${ids.secretB}/archive`, { version: tomb.version, archived: false })).json().code).toBe('CUSTOMER_DESTROYED');
    expect((await agentA.get(`/api/tickets/${ids.ticket}`)).json()).toMatchObject({ customerId: ids.secretB, customerName: pseudonym, customerPhone: null });

    // A direct look at the database: the personal values are nowhere.
    await t.kefu.sealer.flush();
    const db = t.kefu.db;
    const row = await db.selectFrom('customers').selectAll().where('id', '=', ids.secretB).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ name: pseudonym, phone: null, email: null, address: null, notes: null, needs: null, birthday: null, owner_id: null, tags: '[]' });
    expect(row.destroyed_at).not.toBeNull();
    expect(await db.selectFrom('customer_identifiers').selectAll().where('customer_id', '=', ids.secretB).execute()).toEqual([]);
    expect(await db.selectFrom('audit_subject_keys').selectAll().where('subject_type', '=', 'customer').where('subject_id', '=', ids.secretB).execute()).toEqual([]);
    // Every table of the database (other modules' too, through their registered erasers).
    const tables = (await db.introspection.getTables()).map((x) => x.name).filter((n) => !n.startsWith('kysely_'));
    expect(tables).toEqual(expect.arrayContaining(['customers', 'customer_identifiers', 'tickets', 'care_tasks', 'audit_entries']));
    for (const table of tables) {
      const text = JSON.stringify(await db.selectFrom(table as 'customers').selectAll().execute());
      for (const v of Object.values(SECRET)) expect(text, `${table} still holds ${v}`).not.toContain(v);
    }
    // The reading log stays (it holds no personal values); the care greeting that named the customer is gone.
    expect((await db.selectFrom('customer_readings').selectAll().where('customer_id', '=', ids.secretB).execute()).length).toBe(1);
    const tasks = await db.selectFrom('care_tasks').selectAll().where('customer_id', '=', ids.secretB).execute();
    expect(tasks.length).toBeGreaterThan(0);
    for (const task of tasks) expect(task.message).toBe('');

    // The earlier entries' personal values read as erased; the chain verifies; the tombstone and the erasure stay.
    const entries = (await director.get(`/api/audit?entityId=${ids.secretB}&limit=50`)).json().items as { action: string; changes: Record<string, { from?: unknown; to?: unknown }> }[];
    expect(entries.find((e) => e.action === 'customer.create')!.changes.name.to).toBe(ERASED);
    const tombstone = entries.find((e) => e.action === 'customer.destroy')!;
    expect(tombstone.changes).toMatchObject({ name: { to: pseudonym }, category: { to: 'B' }, destructionId: { to: r.id }, approvedBy: { to: ['钱主管', '王经理', '周总'] } });
    expect(JSON.stringify(tombstone)).not.toContain(SECRET.name);
    expect(entries.some((e) => e.action === 'subject.erase')).toBe(true);
    const chain = await verifyAuditChain(db);
    expect(chain.ok, JSON.stringify(chain)).toBe(true);
  });
});
