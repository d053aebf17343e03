import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addStaff, createTestApp, seedWorld, type Client, type TestApp, type World } from '../utils/app.ts';

/**
 * Re-verification 定期核定 (customer-file issue §4): each file's next date (a quarter after opening), the
 * work list of files due (oldest first, in scope, paged), confirm (unchanged) or correct (through the file's
 * update, same transaction), each recorded and moving the date a quarter on; the overdue count per branch.
 * The test clock starts 2026-11-25 10:00 in Shanghai.
 */
const DAY = 24 * 60 * 60 * 1000;

describe('customer re-verification 定期核定', () => {
  let t: TestApp;
  let w: World;
  let rec: Client; // records officer of branch A
  let managerA: Client;
  const ids: Record<'a1' | 'a2' | 'a3' | 'b1', { id: string; version: number }> = {} as never;

  beforeAll(async () => {
    t = await createTestApp();
    w = await seedWorld(t);
    await addStaff(t, { username: 'rec.a', displayName: '钱档案员', orgUnitId: w.units.deptA.id, roleKey: 'records_officer', grantUnitId: w.units.branchA.id });
    managerA = await t.login('manager.a');
    const mk = async (c: Client, unit: string, name: string, phone: string) => {
      const res = await c.post('/api/customers', { orgUnitId: unit, name, phone, tier: 'key', address: '洛阳市老城区中州路1号' });
      expect(res.statusCode, res.body).toBe(201);
      return res.json();
    };
    ids.a1 = await mk(managerA, w.units.branchA.id, '陈先生', '13800000001'); // 2026-11-25 → due 2027-02-25
    t.clock.advance(2 * DAY);
    managerA = await t.login('manager.a');
    const managerB = await t.login('manager.b');
    ids.a2 = await mk(managerA, w.units.branchA.id, '林女士', '13800000002'); // 2026-11-27 → 2027-02-27
    ids.a3 = await mk(managerA, w.units.branchA.id, '何先生', '13800000003'); // 2026-11-27 → 2027-02-27
    ids.b1 = await mk(managerB, w.units.branchB.id, '郑女士', '13700000001'); // 2026-11-27 → 2027-02-27
  });
  afterAll(() => t.close());

  it('gives every new file its next date a quarter on; nothing is due before it', async () => {
    rec = await t.login('rec.a');
    const row = await t.kefu.db.selectFrom('customers').select(['next_verification_on', 'verification_months']).where('id', '=', ids.a1.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ next_verification_on: '2027-02-25', verification_months: 3 });
    expect((await rec.get('/api/customer-verifications/due')).json()).toEqual({ items: [], nextCursor: null });
  });

  it('lists the files due in scope, oldest first, paged; confirming records it and moves the date a quarter on', async () => {
    t.clock.set('2027-03-01T02:00:00.000Z');
    rec = await t.login('rec.a');
    managerA = await t.login('manager.a');
    const due = (await rec.get('/api/customer-verifications/due')).json();
    expect(due.items.map((d: { name: string }) => d.name)).toEqual(['陈先生', '林女士', '何先生']); // by date, then id (UUIDv7: creation order)
    expect(due.items[0]).toMatchObject({ customerId: ids.a1.id, nextVerificationOn: '2027-02-25', overdueDays: 4, orgUnitName: '洛阳分店', verificationMonths: 3 });
    // Paged: one at a time, the same order.
    const p1 = (await rec.get('/api/customer-verifications/due?limit=1')).json();
    const p2 = (await rec.get(`/api/customer-verifications/due?limit=1&cursor=${encodeURIComponent(p1.nextCursor)}`)).json();
    expect([p1.items[0].customerId, p2.items[0].customerId]).toEqual([due.items[0].customerId, due.items[1].customerId]);

    const confirmed = await rec.post(`/api/customers/${ids.a1.id}/verification/confirm`, { note: '电话回访核实无变化' });
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    expect(confirmed.json()).toMatchObject({ result: 'confirmed', userName: '钱档案员', dueOn: '2027-02-25', nextOn: '2027-06-01', note: '电话回访核实无变化' });
    const after = (await rec.get('/api/customer-verifications/due')).json().items;
    expect(after.map((d: { customerId: string }) => d.customerId)).not.toContain(ids.a1.id);
    expect(after).toHaveLength(2);
    expect((await rec.get(`/api/customers/${ids.a1.id}/verifications`)).json()).toMatchObject([{ result: 'confirmed', nextOn: '2027-06-01' }]);
    // The file itself is unchanged (same version).
    expect((await rec.get(`/api/customers/${ids.a1.id}`)).json().version).toBe(ids.a1.version);
  });

  it('correcting applies the change through the file update and records it; a stale version changes nothing', async () => {
    const stale = await rec.post(`/api/customers/${ids.a2.id}/verification/correct`, { changes: { version: ids.a2.version + 5, address: '洛阳市西工区凯旋路9号' } });
    expect(stale.statusCode).toBe(409);
    expect((await rec.get(`/api/customers/${ids.a2.id}/verifications`)).json()).toEqual([]);
    const ok = await rec.post(`/api/customers/${ids.a2.id}/verification/correct`, { note: '客户搬迁，更新地址', everyMonths: 6, changes: { version: ids.a2.version, address: '洛阳市西工区凯旋路9号' } });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ result: 'corrected', dueOn: '2027-02-27', nextOn: '2027-09-01' });
    const file = (await rec.get(`/api/customers/${ids.a2.id}`)).json();
    expect(file).toMatchObject({ address: '洛阳市西工区凯旋路9号', version: ids.a2.version + 1 });
    // The audit trail has the update and the verification.
    await t.kefu.sealer.flush();
    const audit = (await managerA.get(`/api/audit?entityId=${ids.a2.id}&limit=50`)).json().items.map((e: { action: string }) => e.action);
    expect(audit).toEqual(expect.arrayContaining(['customer.update', 'customer.verify']));
    // Bad input: nothing changed.
    expect((await rec.post(`/api/customers/${ids.a3.id}/verification/confirm`, { everyMonths: 0 })).statusCode).toBe(400);
    expect((await rec.post(`/api/customers/${ids.a3.id}/verification/confirm`, { note: 'x'.repeat(501) })).statusCode).toBe(400);
    expect((await rec.get('/api/customer-verifications/due')).json().items.map((d: { customerId: string }) => d.customerId)).toEqual([ids.a3.id]);
  });

  it('the dashboard counts overdue and due per branch, within scope', async () => {
    const a = (await managerA.get('/api/customer-verifications/dashboard')).json();
    expect(a.today).toBe('2027-03-01');
    expect(a.rows).toEqual([{ orgUnitId: w.units.branchA.id, orgUnitName: '洛阳分店', overdue: 1, dueToday: 0, dueThisWeek: 0, total: 3 }]);
    const director = await t.login('director');
    const all = (await director.get('/api/customer-verifications/dashboard')).json().rows;
    expect(all).toEqual([
      { orgUnitId: w.units.branchA.id, orgUnitName: '洛阳分店', overdue: 1, dueToday: 0, dueThisWeek: 0, total: 3 },
      { orgUnitId: w.units.branchB.id, orgUnitName: '郑州分店', overdue: 1, dueToday: 0, dueThisWeek: 0, total: 1 },
    ].sort((x, y) => x.orgUnitName.localeCompare(y.orgUnitName, 'zh')));
    await rec.post(`/api/customers/${ids.a3.id}/verification/confirm`, {});
    expect((await managerA.get('/api/customer-verifications/dashboard')).json().rows[0]).toMatchObject({ overdue: 0, total: 3 });
    // Due this week: the confirmed files come due again on 2027-06-01.
    t.clock.set('2027-05-28T02:00:00.000Z');
    const week = (await (await t.login('manager.a')).get('/api/customer-verifications/dashboard')).json().rows[0];
    expect(week).toMatchObject({ overdue: 0, dueToday: 0, dueThisWeek: 2 });
  });

  it('outside scope: 404 for another branch’s file, 403 without customer:manage', async () => {
    t.clock.set('2027-03-02T02:00:00.000Z');
    const managerB = await t.login('manager.b');
    const agentA = await t.login('agent.a');
    expect((await managerB.post(`/api/customers/${ids.a1.id}/verification/confirm`, {})).statusCode).toBe(404);
    expect((await managerB.post(`/api/customers/${ids.a1.id}/verification/correct`, { changes: { version: 1, address: '越权' } })).statusCode).toBe(404);
    expect((await managerB.get(`/api/customers/${ids.a1.id}/verifications`)).statusCode).toBe(404);
    expect((await managerB.get('/api/customer-verifications/due')).json().items.map((d: { customerId: string }) => d.customerId)).toEqual([ids.b1.id]);
    expect((await agentA.get('/api/customer-verifications/due')).statusCode).toBe(403);
    expect((await agentA.get('/api/customer-verifications/dashboard')).statusCode).toBe(403);
    expect((await agentA.post(`/api/customers/${ids.a1.id}/verification/confirm`, {})).statusCode).toBe(403);
  });
});
