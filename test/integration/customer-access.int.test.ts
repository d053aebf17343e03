import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addStaff, addUnit, createTestApp, seedWorld, type Client, type TestApp, type World } from '../utils/app.ts';

/**
 * Access requests 申请查阅 (customer-file issue §3): staff of another department ask for sections of a
 * protected file; their manager AND the service department approve; while in force the requester opens the
 * granted sections only (reading record naming the request); one approval is not enough; rejection ends it;
 * after expiry it is refused again; people outside the request's reach get 404.
 */
const DAY = 24 * 60 * 60 * 1000;
const secret = { phone: '13912345678', email: 'li.zong@example.com', notes: '偏好无烟高层客房', idNumber: '410302198001011234', address: '洛阳市涧西区牡丹路8号' };

describe('customer access requests 申请查阅', () => {
  let t: TestApp;
  let w: World;
  let sales: Client; // 销售部 staffer of branch A: customer:read, not the secret level
  let salesManager: Client; // their manager (user:manage over 销售部)
  let managerA: Client; // the service department (customer:manage over branch A)
  let agentB: Client;
  let managerB: Client;
  let salesId: string;
  let file: { id: string; version: number };

  beforeAll(async () => {
    t = await createTestApp();
    w = await seedWorld(t);
    const salesDept = await addUnit(t, w.units.branchA.id, 'department', '销售部', 'A-XS');
    salesId = (await addStaff(t, { username: 'sales.a', displayName: '钱销售', orgUnitId: salesDept.id, roleKey: 'agent' })).id;
    await addStaff(t, { username: 'salesmgr.a', displayName: '孙销售经理', orgUnitId: salesDept.id, roleKey: 'manager' });
    sales = await t.login('sales.a');
    salesManager = await t.login('salesmgr.a');
    managerA = await t.login('manager.a');
    agentB = await t.login('agent.b');
    managerB = await t.login('manager.b');
    const res = await managerA.post('/api/customers', {
      orgUnitId: w.units.branchA.id,
      name: '李总',
      phone: secret.phone,
      email: secret.email,
      tier: 'strategic',
      address: secret.address,
      notes: secret.notes,
      confidentiality: 'secret',
      identifiers: [{ kind: 'id_number', value: secret.idNumber }],
    });
    expect(res.statusCode, res.body).toBe(201);
    file = res.json();
  });
  afterAll(() => t.close());
  /** Moving the clock by days ends sessions: everyone signs in again. */
  async function signInAgain() {
    [sales, salesManager, managerA, agentB, managerB] = await Promise.all(['sales.a', 'salesmgr.a', 'manager.a', 'agent.b', 'manager.b'].map((u) => t.login(u)));
  }

  const ask = (c: Client, body: Record<string, unknown> = {}) => c.post('/api/customer-access-requests', { customerId: file.id, sections: ['contact'], reason: '核对大客户宴请联系人', days: 7, ...body });

  it('needs both approvals: the requester opens the granted sections only, and the reading record names the request', async () => {
    // Masked, and not openable, before any request.
    const seen = (await sales.get(`/api/customers/${file.id}`)).json();
    expect(seen.access.canOpen).toBe(false);
    expect(JSON.stringify(seen)).not.toContain(secret.phone);
    expect((await sales.post(`/api/customers/${file.id}/open`, { reason: '看一下' })).statusCode).toBe(403);

    const asked = await ask(sales);
    expect(asked.statusCode, asked.body).toBe(201);
    let r = asked.json();
    expect(r).toMatchObject({ status: 'pending', inForce: false, customerName: '李总', requesterName: '钱销售', sections: ['contact'], days: 7, canApprove: null });
    expect((await ask(sales)).json().code).toBe('ACCESS_REQUEST_PENDING');

    // Both approvers see it waiting for them; the requester's list has it.
    expect((await salesManager.get('/api/customer-access-requests?box=to_approve')).json().items).toMatchObject([{ id: r.id, canApprove: 'manager' }]);
    expect((await sales.get('/api/customer-access-requests?box=mine')).json().items).toMatchObject([{ id: r.id }]);
    expect((await sales.get('/api/customer-access-requests?box=to_approve')).json().items).toEqual([]);

    // The manager's approval alone is not enough.
    const first = await salesManager.post(`/api/customer-access-requests/${r.id}/approve`, { version: r.version, note: '同意' });
    expect(first.statusCode, first.body).toBe(200);
    r = first.json();
    expect(r).toMatchObject({ status: 'pending', managerName: '孙销售经理', serviceName: null, inForce: false });
    expect((await sales.post(`/api/customers/${file.id}/open`, { reason: '核对联系人' })).statusCode).toBe(403);
    // The same person cannot give the second approval too.
    expect((await salesManager.post(`/api/customer-access-requests/${r.id}/approve`, { version: r.version })).statusCode).toBe(403);
    expect((await salesManager.get('/api/customer-access-requests?box=to_approve')).json().items).toEqual([]);

    // The service department's approval puts it in force for 7 days.
    expect((await managerA.get('/api/customer-access-requests?box=to_approve')).json().items).toMatchObject([{ id: r.id, canApprove: 'service' }]);
    const second = await managerA.post(`/api/customer-access-requests/${r.id}/approve`, { version: r.version });
    expect(second.statusCode, second.body).toBe(200);
    r = second.json();
    expect(r).toMatchObject({ status: 'approved', inForce: true, serviceName: '王经理' });
    expect(r.expiresAt).toBe(new Date(t.clock.now().getTime() + 7 * DAY).toISOString());
    expect((await managerA.post(`/api/customer-access-requests/${r.id}/approve`, { version: r.version })).json().code).toBe('ACCESS_REQUEST_DECIDED');

    // Granted sections only: contact yes, notes and identifiers no.
    const opened = await sales.post(`/api/customers/${file.id}/open`, { reason: '核对宴请联系人' });
    expect(opened.statusCode, opened.body).toBe(200);
    const o = opened.json();
    expect(o.sections).toEqual(['contact']);
    expect(o.file).toMatchObject({ phone: secret.phone, email: secret.email, address: secret.address, notes: null });
    expect(JSON.stringify(o.file)).not.toContain(secret.idNumber);
    expect((await sales.post(`/api/customers/${file.id}/open`, { reason: '再看备注', sections: ['notes'] })).statusCode).toBe(403);
    expect((await sales.post(`/api/customers/${file.id}/open`, { reason: '再看全部', sections: ['contact', 'identifiers'] })).statusCode).toBe(403);

    // The reading log shows it; the record names the request.
    const log = (await managerA.get(`/api/customer-reading-log?customerId=${file.id}`)).json().items;
    expect(log).toMatchObject([{ userId: salesId, userName: '钱销售', sections: ['contact'], reason: '核对宴请联系人', accessRequestId: r.id }]);
    const rows = await t.kefu.db.selectFrom('customer_readings').select(['access_request_id']).where('customer_id', '=', file.id).execute();
    expect(rows).toEqual([{ access_request_id: r.id }]);
    expect((await sales.get(`/api/customer-access-requests/${r.id}`)).json()).toMatchObject({ inForce: true });

    // After expiry: refused again, and shown as no longer in force.
    t.clock.advance(7 * DAY + 60_000);
    await signInAgain();
    expect((await sales.post(`/api/customers/${file.id}/open`, { reason: '过期后再看' })).statusCode).toBe(403);
    expect((await sales.get(`/api/customer-access-requests/${r.id}`)).json()).toMatchObject({ status: 'approved', inForce: false });
    expect(await t.kefu.db.selectFrom('customer_readings').select('id').where('customer_id', '=', file.id).execute()).toHaveLength(1);
  });

  it('either approver rejects with a reason; a rejected request opens nothing', async () => {
    let r = (await ask(sales, { sections: ['notes'], reason: '了解客户偏好' })).json();
    expect((await managerA.post(`/api/customer-access-requests/${r.id}/reject`, { version: r.version })).statusCode).toBe(400); // a reason is required
    const rejected = await managerA.post(`/api/customer-access-requests/${r.id}/reject`, { version: r.version, note: '无业务必要' });
    expect(rejected.statusCode, rejected.body).toBe(200);
    r = rejected.json();
    expect(r).toMatchObject({ status: 'rejected', rejectedByName: '王经理', decisionNote: '无业务必要', inForce: false });
    expect((await salesManager.post(`/api/customer-access-requests/${r.id}/approve`, { version: r.version })).json().code).toBe('ACCESS_REQUEST_DECIDED');
    expect((await sales.post(`/api/customers/${file.id}/open`, { reason: '看备注', sections: ['notes'] })).statusCode).toBe(403);
    // The requester may withdraw a pending one; nobody else may.
    const p = (await ask(sales, { sections: ['finance'], reason: '核对信用等级' })).json();
    expect((await managerA.post(`/api/customer-access-requests/${p.id}/withdraw`, { version: p.version })).statusCode).toBe(403);
    expect((await sales.post(`/api/customer-access-requests/${p.id}/withdraw`, { version: p.version })).json()).toMatchObject({ status: 'withdrawn' });
  });

  it('refuses what is not needed or invalid: a reader who may open already, more than 30 days, an unknown file', async () => {
    expect((await managerA.post('/api/customer-access-requests', { customerId: file.id, sections: ['contact'], reason: '查看', days: 3 })).json().code).toBe('ACCESS_NOT_NEEDED');
    expect((await ask(sales, { days: 31 })).statusCode).toBe(400);
    expect((await ask(sales, { sections: [] })).statusCode).toBe(400);
    expect((await ask(sales, { reason: '' })).statusCode).toBe(400);
    expect((await ask(sales, { customerId: '0192f0a0-0000-7000-8000-000000000000' })).statusCode).toBe(404);
  });

  it('outside the request’s reach it does not exist (404); a requester of another branch is approved by their own manager and the file’s service department', async () => {
    const asked = await ask(agentB, { sections: ['contact', 'identifiers'], reason: '郑州分店协助办理会员转店', days: 2 });
    expect(asked.statusCode, asked.body).toBe(201);
    let r = asked.json();
    // The requester of branch B does not learn the name of a file outside their scope before approval.
    expect(r.customerName).toBeNull();
    expect((await agentB.get(`/api/customers/${file.id}`)).statusCode).toBe(404);
    // Someone of neither line: 404 on read and on decisions.
    for (const c of [sales, await t.login('agent.a')]) {
      expect((await c.get(`/api/customer-access-requests/${r.id}`)).statusCode).toBe(404);
      expect((await c.post(`/api/customer-access-requests/${r.id}/approve`, { version: r.version })).statusCode).toBe(404);
      expect((await c.post(`/api/customer-access-requests/${r.id}/reject`, { version: r.version, note: '越权驳回' })).statusCode).toBe(404);
    }
    // Branch A's sales manager is not agent B's manager, but holds customer:manage over the file's company.
    const sm = await salesManager.post(`/api/customer-access-requests/${r.id}/approve`, { version: r.version });
    expect(sm.statusCode, sm.body).toBe(200);
    r = sm.json();
    expect(r).toMatchObject({ status: 'pending', serviceName: '孙销售经理', managerName: null });
    expect((await agentB.post(`/api/customers/${file.id}/open`, { reason: '协助办理' })).statusCode).toBe(404);
    const mb = await managerB.post(`/api/customer-access-requests/${r.id}/approve`, { version: r.version });
    expect(mb.statusCode, mb.body).toBe(200);
    r = mb.json();
    expect(r).toMatchObject({ status: 'approved', managerName: '郑经理', customerName: '李总' });
    const opened = await agentB.post(`/api/customers/${file.id}/open`, { reason: '协助办理会员转店' });
    expect(opened.statusCode, opened.body).toBe(200);
    expect(opened.json().file).toMatchObject({ phone: secret.phone, notes: null, creditBasis: null });
    expect(JSON.stringify(opened.json().file)).toContain(secret.idNumber);
    // Still not a reader of the file otherwise.
    expect((await agentB.get(`/api/customers/${file.id}`)).statusCode).toBe(404);
    t.clock.advance(2 * DAY + 1);
    await signInAgain();
    expect((await agentB.post(`/api/customers/${file.id}/open`, { reason: '协助办理会员转店' })).statusCode).toBe(404);
  });
});
