import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCustomerErasers } from '../../src/server/modules/customers/customer.erasure.ts';
import { runCustomerRelinkers } from '../../src/server/modules/customers/customer.relink.ts';
import { systemCtx } from '../../src/server/setup.ts';
import { addStaff, addUnit, createTestApp, seedWorld, type Client, type TestApp, type World } from '../utils/app.ts';

/**
 * An organisation's contacts 联系人 and key people 关键人 (customer-file issue §1): CRUD with versions,
 * masked like the file's contact section while the file is protected until the reader opens it (a reading
 * record of theirs, the last hour), sealed in the audit trail, erased with the file; customer notes
 * 跟进记录 hidden while the notes section is protected.
 */
describe('customer contacts and notes', () => {
  let t: TestApp;
  let w: World;
  let managerA: Client;
  let agentA: Client;
  let managerB: Client;
  let org: { id: string; version: number };
  let secretOrg: { id: string; version: number };
  let person: { id: string };

  beforeAll(async () => {
    t = await createTestApp();
    w = await seedWorld(t);
    managerA = await t.login('manager.a');
    agentA = await t.login('agent.a');
    managerB = await t.login('manager.b');
    const A = w.units.branchA.id;
    org = (await managerA.post('/api/customers', { orgUnitId: A, kind: 'organisation', name: '洛阳牡丹科技有限公司', industry: '软件' })).json();
    secretOrg = (await managerA.post('/api/customers', { orgUnitId: A, kind: 'organisation', name: '洛阳重工集团', confidentiality: 'confidential' })).json();
    person = (await managerA.post('/api/customers', { orgUnitId: A, kind: 'person', name: '陈志强', phone: '13911110000' })).json();
    expect(secretOrg.id).toBeTruthy();
  });
  afterAll(() => t?.close());

  it('adds, lists (key people first), changes at a version, and removes contacts', async () => {
    const user = await managerA.post(`/api/customers/${org.id}/contacts`, { name: '孙丽', title: '行政专员', phones: ['0379-6512 3456'], role: 'user' });
    expect(user.statusCode, user.body).toBe(201);
    expect(user.json()).toMatchObject({ name: '孙丽', phones: ['037965123456'], role: 'user', keyPerson: false, email: null, masked: false, version: 1 });
    const boss = await managerA.post(`/api/customers/${org.id}/contacts`, {
      name: '陈志强', title: '总经理', phones: ['13911110000', '13911110000', '+86 139 2222 3333'], email: 'chen@mudan-tech.cn',
      role: 'decision_maker', keyPerson: true, notes: '每周一上午不便接电话', personId: person.id,
    });
    expect(boss.statusCode, boss.body).toBe(201);
    expect(boss.json()).toMatchObject({ phones: ['13911110000', '+8613922223333'], personId: person.id, personName: '陈志强', keyPerson: true });

    const list = (await agentA.get(`/api/customers/${org.id}/contacts`)).json();
    expect(list.restrictedSections).toEqual([]);
    expect(list.items.map((c: { name: string }) => c.name)).toEqual(['陈志强', '孙丽']);

    const id = user.json().id;
    const changed = await managerA.patch(`/api/customers/${org.id}/contacts/${id}`, { version: 1, title: '行政主管', role: 'influencer', keyPerson: true });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json()).toMatchObject({ name: '孙丽', title: '行政主管', role: 'influencer', keyPerson: true, version: 2 });
    const stale = await managerA.patch(`/api/customers/${org.id}/contacts/${id}`, { version: 1, title: '被覆盖' });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().code).toBe('VERSION_CONFLICT');
    expect((await managerA.delete(`/api/customers/${org.id}/contacts/${id}?version=1`)).statusCode).toBe(409);
    expect((await managerA.delete(`/api/customers/${org.id}/contacts/${id}?version=2`)).statusCode).toBe(204);
    expect((await managerA.get(`/api/customers/${org.id}/contacts`)).json().items.map((c: { name: string }) => c.name)).toEqual(['陈志强']);

    // The audit trail has the change, its personal values sealed (not readable in the stored row).
    const rows = await t.kefu.db.selectFrom('audit_entries').select(['action', 'changes']).where('entity_type', '=', 'customer_contact').execute();
    expect(rows.map((r) => r.action).sort()).toEqual(['customer_contact.create', 'customer_contact.create', 'customer_contact.delete', 'customer_contact.update']);
    for (const r of rows) expect(r.changes).not.toMatch(/13911110000|chen@mudan|孙丽|每周一/);
  });

  it('refuses contacts on a person file, bad input, a foreign person link and agents, changing nothing', async () => {
    const onPerson = await managerA.post(`/api/customers/${person.id}/contacts`, { name: '某人' });
    expect(onPerson.statusCode).toBe(409);
    expect(onPerson.json().code).toBe('CUSTOMER_NOT_ORGANISATION');
    for (const body of [
      { name: '' },
      { name: 'x'.repeat(65) },
      { name: '<b>王</b>' },
      { name: '王五', phones: ['call me'] },
      { name: '王五', phones: ['1', '2', '3', '4', '5', '6'].map((d) => `13800000${d}00`) },
      { name: '王五', email: 'not-an-email' },
      { name: '王五', role: 'boss' },
      { name: '王五', notes: '长'.repeat(1001) },
      { name: '王五', extra: 1 },
    ]) {
      const res = await managerA.post(`/api/customers/${org.id}/contacts`, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
    }
    const bPerson = (await managerB.post('/api/customers', { orgUnitId: w.units.branchB.id, kind: 'person', name: '郑某' })).json();
    const foreign = await managerA.post(`/api/customers/${org.id}/contacts`, { name: '郑某', personId: bPerson.id });
    expect(foreign.statusCode).toBe(400);
    const orgLink = await managerA.post(`/api/customers/${org.id}/contacts`, { name: '某公司', personId: secretOrg.id });
    expect(orgLink.statusCode).toBe(400);
    expect((await agentA.post(`/api/customers/${org.id}/contacts`, { name: '刘某' })).statusCode).toBe(403);
    expect((await agentA.post(`/api/customers/${org.id}/notes`, { body: '客户来电' })).statusCode).toBe(403);
    expect((await managerA.get(`/api/customers/${org.id}/contacts`)).json().items).toHaveLength(1);
  });

  it('masks the contacts of a protected file for every reader until they open it, and only for an hour', async () => {
    const add = await managerA.post(`/api/customers/${secretOrg.id}/contacts`, {
      name: '周建军', title: '董事长', phones: ['13855556666'], email: 'zhou@lyzg.com', role: 'decision_maker', keyPerson: true, notes: '喜欢喝普洱',
    });
    expect(add.statusCode, add.body).toBe(201);
    // Even the writer's answer is masked: the values are shown through a reading only.
    expect(add.json()).toMatchObject({ name: '周建军', title: '董事长', phones: ['138****6666'], email: 'z***@lyzg.com', notes: null, masked: true });

    for (const c of [agentA, managerA]) {
      const res = await c.get(`/api/customers/${secretOrg.id}/contacts`);
      expect(res.statusCode).toBe(200);
      expect(res.json().restrictedSections).toEqual(expect.arrayContaining(['contact', 'notes']));
      expect(res.body).not.toMatch(/13855556666|zhou@lyzg|普洱/);
      expect(res.json().items[0]).toMatchObject({ name: '周建军', phones: ['138****6666'], masked: true });
    }
    // An agent cannot open a 机密 file: no reading of theirs exists, and someone else's does not count.
    expect((await agentA.post(`/api/customers/${secretOrg.id}/open`, { reason: '核对联系人' })).statusCode).toBe(403);
    const opened = await managerA.post(`/api/customers/${secretOrg.id}/open`, { reason: '准备年度拜访', sections: ['contact'] });
    expect(opened.statusCode, opened.body).toBe(200);
    const reading = opened.json().readingId;
    expect((await agentA.get(`/api/customers/${secretOrg.id}/contacts?reading=${reading}`)).body).not.toMatch(/13855556666/);

    const shown = (await managerA.get(`/api/customers/${secretOrg.id}/contacts?reading=${reading}`)).json();
    expect(shown.restrictedSections).toEqual(['identifiers', 'finance', 'notes']); // only the sections opened
    expect(shown.items[0]).toMatchObject({ phones: ['13855556666'], email: 'zhou@lyzg.com', notes: null, masked: true });
    // Another file's reading does not open this one.
    expect((await managerA.get(`/api/customers/${org.id}/contacts?reading=${reading}`)).statusCode).toBe(200);

    t.clock.advance(61 * 60 * 1000);
    expect((await managerA.get(`/api/customers/${secretOrg.id}/contacts?reading=${reading}`)).json().items[0].phones).toEqual(['138****6666']);
    // A protected file's contacts are changed only by holders of its level.
    const c = add.json();
    const edit = await managerA.patch(`/api/customers/${secretOrg.id}/contacts/${c.id}`, { version: c.version, phones: ['13855557777'] });
    expect(edit.statusCode, edit.body).toBe(200);
    expect(edit.json().phones).toEqual(['138****7777']);
  });

  it('shows the contacts to a reader who opened the file under an access request in force', async () => {
    const salesDept = await addUnit(t, w.units.branchA.id, 'department', '销售部', 'A-XS');
    await addStaff(t, { username: 'sales.a', displayName: '钱销售', orgUnitId: salesDept.id, roleKey: 'agent' });
    await addStaff(t, { username: 'salesmgr.a', displayName: '孙销售经理', orgUnitId: salesDept.id, roleKey: 'manager' });
    const sales = await t.login('sales.a');
    const salesManager = await t.login('salesmgr.a');
    let r = (await sales.post('/api/customer-access-requests', { customerId: secretOrg.id, sections: ['contact'], reason: '核对宴请联系人', days: 1 })).json();
    r = (await salesManager.post(`/api/customer-access-requests/${r.id}/approve`, { version: r.version })).json();
    r = (await managerA.post(`/api/customer-access-requests/${r.id}/approve`, { version: r.version })).json();
    expect(r.status).toBe('approved');
    const opened = await sales.post(`/api/customers/${secretOrg.id}/open`, { reason: '核对宴请联系人' });
    expect(opened.statusCode, opened.body).toBe(200);
    const shown = (await sales.get(`/api/customers/${secretOrg.id}/contacts?reading=${opened.json().readingId}`)).json();
    expect(shown.items[0]).toMatchObject({ name: '周建军', phones: ['13855557777'], email: 'zhou@lyzg.com', notes: null });
    expect(shown.restrictedSections).toContain('notes');
    // A day later (the request and the reading's hour both over) the same reading shows nothing.
    t.clock.advance(24 * 60 * 60 * 1000 + 1000);
    const later = await (await t.login('sales.a')).get(`/api/customers/${secretOrg.id}/contacts?reading=${opened.json().readingId}`);
    expect(later.body).not.toContain('13855557777');
    [managerA, agentA, managerB] = await Promise.all(['manager.a', 'agent.a', 'manager.b'].map((u) => t.login(u)));
  });

  it('keeps the notes of a protected file hidden until it is opened', async () => {
    const note = await managerA.post(`/api/customers/${secretOrg.id}/notes`, { body: '与周董事长通话，确认明年续约意向', at: '2026-11-20T06:30:00Z' });
    expect(note.statusCode, note.body).toBe(201);
    expect(note.json()).toMatchObject({ at: '2026-11-20T06:30:00.000Z', authorName: '王经理' });
    expect((await managerA.post(`/api/customers/${secretOrg.id}/notes`, { body: '未来的跟进', at: '2099-01-01T00:00:00Z' })).statusCode).toBe(400);
    expect((await managerA.post(`/api/customers/${secretOrg.id}/notes`, { body: '长'.repeat(2001) })).statusCode).toBe(400);

    for (const c of [agentA, managerA]) {
      const res = await c.get(`/api/customers/${secretOrg.id}/notes`);
      expect(res.json()).toEqual({ items: [], nextCursor: null, hidden: true });
    }
    const reading = (await managerA.post(`/api/customers/${secretOrg.id}/open`, { reason: '续约跟进' })).json().readingId;
    const shown = (await managerA.get(`/api/customers/${secretOrg.id}/notes?reading=${reading}`)).json();
    expect(shown.hidden).toBe(false);
    expect(shown.items.map((n: { body: string }) => n.body)).toEqual(['与周董事长通话，确认明年续约意向']);

    // An ordinary file's notes: everyone who reads the file, newest first, paged.
    for (const [k, at] of ['2026-11-01T01:00:00Z', '2026-11-03T01:00:00Z', '2026-11-02T01:00:00Z'].entries()) {
      expect((await managerA.post(`/api/customers/${org.id}/notes`, { body: `第${k + 1}次拜访`, at })).statusCode).toBe(201);
    }
    const first = (await agentA.get(`/api/customers/${org.id}/notes?limit=2`)).json();
    expect(first.items.map((n: { body: string }) => n.body)).toEqual(['第2次拜访', '第3次拜访']);
    const second = (await agentA.get(`/api/customers/${org.id}/notes?limit=2&cursor=${first.nextCursor}`)).json();
    expect(second).toMatchObject({ items: [{ body: '第1次拜访' }], nextCursor: null });
  });

  it('answers 404 for another branch’s file', async () => {
    for (const url of [`/api/customers/${org.id}/contacts`, `/api/customers/${org.id}/notes`]) expect((await managerB.get(url)).statusCode).toBe(404);
    expect((await managerB.post(`/api/customers/${org.id}/contacts`, { name: '冒名' })).statusCode).toBe(404);
    expect((await managerB.post(`/api/customers/${org.id}/notes`, { body: '冒名' })).statusCode).toBe(404);
  });

  it('moves the contacts and notes of a duplicate to the surviving file on a merge', async () => {
    const dup = (await managerA.post('/api/customers', { orgUnitId: w.units.branchA.id, kind: 'organisation', name: '牡丹科技（重复）' })).json();
    expect((await managerA.post(`/api/customers/${dup.id}/contacts`, { name: '孙丽', role: 'user' })).statusCode).toBe(201);
    expect((await managerA.post(`/api/customers/${dup.id}/notes`, { body: '重复档案上的跟进' })).statusCode).toBe(201);
    const ctx = systemCtx(t.db.handle, t.clock, t.kefu.log);
    const names = await t.kefu.db.transaction().execute((trx) => runCustomerRelinkers(trx, ctx, dup.id, org.id));
    expect(names).toContain('customer-relations');
    expect((await managerA.get(`/api/customers/${org.id}/contacts`)).json().items.map((c: { name: string }) => c.name).sort()).toEqual(['孙丽', '陈志强'].sort());
    expect((await managerA.get(`/api/customers/${org.id}/notes?limit=100`)).json().items.map((n: { body: string }) => n.body)).toContain('重复档案上的跟进');
    expect((await managerA.get(`/api/customers/${dup.id}/contacts`)).json().items).toEqual([]);
  });

  it('erases the contacts and notes with the customer (destruction), and unlinks a destroyed person', async () => {
    const ctx = systemCtx(t.db.handle, t.clock, t.kefu.log);
    const names = await t.kefu.db.transaction().execute((trx) => runCustomerErasers(trx, ctx, person.id));
    expect(names).toContain('customer-relations');
    const linked = await t.kefu.db.selectFrom('customer_contacts').select(['name', 'person_id']).where('customer_id', '=', org.id).where('name', '=', '陈志强').execute();
    expect(linked).toEqual([{ name: '陈志强', person_id: null }]);

    await t.kefu.db.transaction().execute((trx) => runCustomerErasers(trx, ctx, org.id));
    expect(await t.kefu.db.selectFrom('customer_contacts').select('id').where('customer_id', '=', org.id).execute()).toEqual([]);
    expect(await t.kefu.db.selectFrom('customer_notes').select('id').where('customer_id', '=', org.id).execute()).toEqual([]);
    expect((await managerA.get(`/api/customers/${org.id}/contacts`)).json().items).toEqual([]);
  });
});
