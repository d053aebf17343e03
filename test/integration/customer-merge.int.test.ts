import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCustomerErasers } from '../../src/server/modules/customers/customer.erasure.ts';
import { newId } from '../../src/server/platform/ids.ts';
import { systemCtx } from '../../src/server/setup.ts';
import { addStaff, createTestApp, seedWorld, type Client, type TestApp, type World } from '../utils/app.ts';

/**
 * Duplicates and merge of customer files 疑似重复 / 合并 (customer-file issue §6): likely duplicates by
 * phone, e-mail, ID number and normalised name (+ birthday), within one company and the caller's scope;
 * "not duplicates" is remembered; a merge takes chosen fields, unites identifiers and tags, relinks work
 * orders and care tasks, leaves a pointer and a history; every refusal changes nothing.
 */
describe('customer files: duplicates and merge', () => {
  let t: TestApp;
  let w: World;
  let managerA: Client;
  let managerB: Client;
  let agentA: Client;
  let director: Client;
  const f: Record<string, { id: string; version: number }> = {};

  const file = async (c: Client, key: string, body: Record<string, unknown>) => {
    const res = await c.post('/api/customers', { kind: 'person', orgUnitId: w.units.branchA.id, ...body });
    expect(res.statusCode, res.body).toBe(201);
    f[key] = res.json();
  };
  const current = async (key: string) => (await managerA.get(`/api/customers/${f[key].id}`)).json();
  type Pair = { a: { id: string; name: string }; b: { id: string }; reasons: string[] };
  const pairs = async (c: Client) => {
    const res = await c.get('/api/customer-duplicates?limit=50');
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as { items: Pair[]; total: number; nextCursor: string | null };
  };
  const reasonsOf = (items: Pair[], x: string, y: string) => {
    const [a, b] = f[x].id < f[y].id ? [f[x].id, f[y].id] : [f[y].id, f[x].id];
    return items.find((p) => p.a.id === a && p.b.id === b)?.reasons;
  };

  beforeAll(async () => {
    t = await createTestApp();
    w = await seedWorld(t);
    managerA = await t.login('manager.a');
    managerB = await t.login('manager.b');
    agentA = await t.login('agent.a');
    director = await t.login('director');
    // The same phone: the second file holds it as a further identifier (a company's files never share the primary phone).
    await file(managerA, 'wang1', { name: '王秀兰', phone: '13812345678', email: 'wxl@old.example', address: '洛阳市西工区中州中路1号', birthday: '1962-05-01', tags: ['老客户'], tier: 'key' });
    await file(managerA, 'wang2', { name: '王　秀兰', phone: '13900001111', email: 'wxl@new.example', address: '洛阳市涧西区建设路88号', tags: ['VIP'], identifiers: [{ kind: 'phone', value: '138-1234-5678' }] });
    await file(managerA, 'li1', { name: '李建国', email: 'Li.JG@Example.com' });
    await file(managerA, 'li2', { name: '李国建', identifiers: [{ kind: 'email', value: ' li.jg@example.com ' }] });
    await file(managerA, 'zhao1', { name: '赵敏', identifiers: [{ kind: 'id_number', value: '41030219900101123x' }] });
    await file(managerA, 'zhao2', { name: '赵小敏', identifiers: [{ kind: 'id_number', value: '41030219900101123X' }] });
    await file(managerA, 'chen1', { name: '陈静', birthday: '1985-03-03' });
    await file(managerA, 'chen2', { name: ' 陈 静 ', birthday: '1985-03-03' });
    await file(managerA, 'liu1', { name: '刘洋', birthday: '1990-01-01' });
    await file(managerA, 'liu2', { name: '刘洋', birthday: '1991-01-01' });
    // Branch B: the same phone and name, another company.
    await file(managerB, 'wangB', { orgUnitId: w.units.branchB.id, name: '王秀兰', phone: '13812345678' });
  });
  afterAll(() => t?.close());

  it('suggests pairs by phone, e-mail, ID number and name (+ birthday), saying why, within one company', async () => {
    const { items, total } = await pairs(managerA);
    expect(reasonsOf(items, 'wang1', 'wang2')).toEqual(['phone', 'name']);
    expect(reasonsOf(items, 'li1', 'li2')).toEqual(['email']);
    expect(reasonsOf(items, 'zhao1', 'zhao2')).toEqual(['id_number']);
    expect(reasonsOf(items, 'chen1', 'chen2')).toEqual(['name_birthday']);
    // The same name with two different birthdays: two people.
    expect(reasonsOf(items, 'liu1', 'liu2')).toBeUndefined();
    expect(total).toBe(4);
    expect(items).toHaveLength(4);
    // Strongest reason first; branch B's file never shows.
    expect(items[0].reasons[0]).toBe('id_number');
    expect(JSON.stringify(items)).not.toContain(f.wangB.id);
    // Paged.
    const first = (await managerA.get('/api/customer-duplicates?limit=3')).json();
    expect(first.items).toHaveLength(3);
    const second = (await managerA.get(`/api/customer-duplicates?limit=3&cursor=${first.nextCursor}`)).json();
    expect(second.items).toHaveLength(1);
    expect(second.nextCursor).toBeNull();
    expect([...first.items, ...second.items]).toEqual(items);
    // Branch B alone has no pair; agents may not look.
    expect((await pairs(managerB)).items).toEqual([]);
    expect((await agentA.get('/api/customer-duplicates')).statusCode).toBe(403);
  });

  it('remembers a pair dismissed as "not duplicates"', async () => {
    const res = await managerA.post('/api/customer-duplicates/dismiss', { customerIds: [f.li2.id, f.li1.id] });
    expect(res.statusCode, res.body).toBe(204);
    expect((await managerA.post('/api/customer-duplicates/dismiss', { customerIds: [f.li1.id, f.li2.id] })).statusCode).toBe(204);
    const { items, total } = await pairs(managerA);
    expect(reasonsOf(items, 'li1', 'li2')).toBeUndefined();
    expect(total).toBe(3);
    expect((await managerA.post('/api/customer-duplicates/dismiss', { customerIds: [f.li1.id, f.wangB.id] })).statusCode).toBe(404);
    expect((await managerA.post('/api/customer-duplicates/dismiss', { customerIds: [f.li1.id, f.li1.id] })).statusCode).toBe(422);
  });

  it('previews the differing fields side by side', async () => {
    const res = await managerA.get(`/api/customers/${f.wang1.id}/merge-preview?otherId=${f.wang2.id}`);
    expect(res.statusCode, res.body).toBe(200);
    const p = res.json();
    expect(p.survivor.id).toBe(f.wang1.id);
    expect(p.merged.id).toBe(f.wang2.id);
    const byField = Object.fromEntries(p.fields.map((x: { field: string }) => [x.field, x]));
    expect(Object.keys(byField).sort()).toEqual(['address', 'birthday', 'email', 'name', 'phone', 'tier'].sort());
    expect(byField.address).toMatchObject({ survivor: '洛阳市西工区中州中路1号', merged: '洛阳市涧西区建设路88号', masked: false });
  });

  it('merges with a choice per field, unites identifiers and tags, relinks work orders and care tasks, keeps the history', async () => {
    // A work order of each file, and a Mid-Autumn care task for both (unique per customer, occasion and year).
    const agent = agentA;
    const order = (await agent.post('/api/tickets', { type: 'inquiry', channel: 'phone', subject: '咨询会员积分', customerId: f.wang2.id })).json();
    expect(order.customerId).toBe(f.wang2.id);
    const rule = (await managerA.post('/api/care-rules', { orgUnitId: w.units.branchA.id, name: '中秋问候', occasion: 'festival', festival: 'mid_autumn', channel: 'sms', template: '{{name}}，中秋快乐' })).json();
    expect((await managerA.post(`/api/care-rules/${rule.id}/generate?year=2026`)).json().created).toBeGreaterThanOrEqual(2);

    const w1 = await current('wang1');
    const w2 = await current('wang2');
    const res = await managerA.post(`/api/customers/${f.wang1.id}/merge`, { version: w1.version, mergeId: f.wang2.id, mergeVersion: w2.version, take: ['email'] });
    expect(res.statusCode, res.body).toBe(200);
    const { file: s, merge } = res.json();
    expect(s).toMatchObject({ id: f.wang1.id, name: '王秀兰', phone: '13812345678', email: 'wxl@new.example', address: '洛阳市西工区中州中路1号', birthday: '1962-05-01', tier: 'key', version: w1.version + 1 });
    expect(s.tags.sort()).toEqual(['VIP', '老客户'].sort());
    const ids = s.identifiers.map((i: { kind: string; value: string }) => `${i.kind}:${i.value}`).sort();
    // United and deduplicated: the shared phone once, the other file's phone and the e-mail that stopped being primary kept.
    expect(ids).toEqual(['email:wxl@old.example', 'phone:13812345678', 'phone:13900001111'].sort());
    expect(merge).toMatchObject({ survivorId: f.wang1.id, mergedId: f.wang2.id, mergedByName: '王经理', fields: { name: 'survivor', phone: 'survivor', email: 'merged', address: 'survivor', birthday: 'survivor', tier: 'survivor' } });
    expect(merge.relinked).toEqual(expect.arrayContaining(['tickets', 'care_tasks', 'customer_identifiers']));

    // The merged-away file is a pointer; lists no longer show it; its work order and care task now belong to the survivor.
    const gone = await current('wang2');
    expect(gone).toMatchObject({ mergedIntoId: f.wang1.id, phone: null, email: null, address: null, identifiers: [] });
    // Archived, so care and other work lists leave it out; and it takes no more changes.
    expect(gone.archived).toBe(true);
    const patched = await managerA.patch(`/api/customers/${f.wang2.id}`, { version: gone.version, notes: '改到被合并的档案上' });
    expect([patched.statusCode, patched.json().code]).toEqual([409, 'CUSTOMER_MERGE_ALREADY_MERGED']);
    const list = (await managerA.get(`/api/customers?q=${encodeURIComponent('王')}`)).json().items.map((x: { id: string }) => x.id);
    expect(list).toContain(f.wang1.id);
    expect(list).not.toContain(f.wang2.id);
    expect((await agent.get(`/api/tickets/${order.id}`)).json().customerId).toBe(f.wang1.id);
    const tasks = (await managerA.get('/api/care-tasks?from=2026-09-01&to=2026-09-30')).json() as { customerId: string }[];
    expect(tasks.filter((x) => x.customerId === f.wang1.id)).toHaveLength(1);
    expect(tasks.filter((x) => x.customerId === f.wang2.id)).toHaveLength(0);
    await managerA.post(`/api/care-rules/${rule.id}/generate?year=2026`);
    expect(((await managerA.get('/api/care-tasks?from=2026-09-01&to=2026-09-30')).json() as { customerId: string }[]).filter((x) => x.customerId === f.wang2.id)).toHaveLength(0);
    // Found by the other file's phone still.
    expect((await managerA.get('/api/customers?phone=13900001111')).json().items.map((x: { id: string }) => x.id)).toEqual([f.wang1.id]);

    // History: on both files, and the audit entry with the before values (sealed with the survivor's key, opened for readers).
    const history = (await managerA.get(`/api/customers/${f.wang1.id}/merges`)).json();
    expect(history).toMatchObject([{ id: merge.id, mergedId: f.wang2.id, fields: { email: 'merged' } }]);
    expect((await managerA.get(`/api/customers/${f.wang2.id}/merges`)).json()).toMatchObject([{ id: merge.id }]);
    await t.kefu.sealer.flush();
    const audit = (await managerA.get(`/api/audit?entityType=customer&entityId=${f.wang1.id}&action=customer.merge`)).json().items;
    expect(audit).toHaveLength(1);
    expect(JSON.stringify(audit[0])).toContain('wxl@old.example');
    expect(JSON.stringify(audit[0])).toContain('洛阳市涧西区建设路88号');
    const raw = await t.kefu.db.selectFrom('audit_entries').select('changes').where('action', '=', 'customer.merge').executeTakeFirstOrThrow();
    expect(raw.changes).not.toContain('洛阳市涧西区建设路88号');
    // No longer suggested.
    expect(reasonsOf((await pairs(managerA)).items, 'wang1', 'wang2')).toBeUndefined();
  });

  it('refuses self, other company, already merged, stale versions, category A into another category, a level above the caller, scope; nothing changes', async () => {
    const z1 = await current('zhao1');
    const z2 = await current('zhao2');
    const merge = (c: Client, id: string, body: Record<string, unknown>) => c.post(`/api/customers/${id}/merge`, body);
    const code = async (p: Promise<{ statusCode: number; json: () => { code: string } }>) => {
      const r = await p;
      return [r.statusCode, r.json().code];
    };
    expect(await code(merge(managerA, z1.id, { version: z1.version, mergeId: z1.id, mergeVersion: z1.version }))).toEqual([422, 'CUSTOMER_MERGE_SELF']);
    expect(await code(merge(director, z1.id, { version: z1.version, mergeId: f.wangB.id, mergeVersion: 1 }))).toEqual([422, 'CUSTOMER_MERGE_OTHER_COMPANY']);
    const w1 = await current('wang1');
    expect(await code(merge(managerA, z1.id, { version: z1.version, mergeId: f.wang2.id, mergeVersion: (await current('wang2')).version }))).toEqual([409, 'CUSTOMER_MERGE_ALREADY_MERGED']);
    expect(await code(merge(managerA, f.wang2.id, { version: (await current('wang2')).version, mergeId: w1.id, mergeVersion: w1.version }))).toEqual([409, 'CUSTOMER_MERGE_ALREADY_MERGED']);
    expect(await code(merge(managerA, z1.id, { version: z1.version, mergeId: z2.id, mergeVersion: z2.version + 1 }))).toEqual([409, 'VERSION_CONFLICT']);
    expect(await code(merge(managerA, z1.id, { version: z1.version + 5, mergeId: z2.id, mergeVersion: z2.version }))).toEqual([409, 'VERSION_CONFLICT']);
    // Category A is permanent: it goes only into a category A file.
    const b = (await managerA.post('/api/customers', { orgUnitId: w.units.branchA.id, name: '合作方联系人', category: 'B' })).json();
    expect(await code(merge(managerA, b.id, { version: b.version, mergeId: z2.id, mergeVersion: z2.version }))).toEqual([409, 'CUSTOMER_MERGE_PERMANENT']);
    // A 绝密 file: the manager (up to 机密) may not merge it, either way.
    const top = (await director.post('/api/customers', { orgUnitId: w.units.branchA.id, name: '赵敏', confidentiality: 'top_secret' })).json();
    expect(await code(merge(managerA, z1.id, { version: z1.version, mergeId: top.id, mergeVersion: top.version }))).toEqual([403, 'CUSTOMER_MERGE_LEVEL']);
    expect(await code(merge(managerA, top.id, { version: top.version, mergeId: z1.id, mergeVersion: z1.version }))).toEqual([403, 'CUSTOMER_MERGE_LEVEL']);
    expect((await managerA.get(`/api/customers/${top.id}/merge-preview?otherId=${z1.id}`)).statusCode).toBe(403);
    // Scope: branch B's file does not exist for branch A; agents lack the permission.
    expect((await merge(managerA, z1.id, { version: z1.version, mergeId: f.wangB.id, mergeVersion: 1 })).statusCode).toBe(404);
    expect((await merge(managerA, f.wangB.id, { version: 1, mergeId: z1.id, mergeVersion: z1.version })).statusCode).toBe(404);
    expect((await managerA.get(`/api/customers/${f.wangB.id}/merge-preview?otherId=${z1.id}`)).statusCode).toBe(404);
    expect((await managerA.get(`/api/customers/${f.wangB.id}/merges`)).statusCode).toBe(404);
    expect((await merge(agentA, z1.id, { version: z1.version, mergeId: z2.id, mergeVersion: z2.version })).statusCode).toBe(403);
    // Bad input: unknown field, missing versions.
    expect((await merge(managerA, z1.id, { version: z1.version, mergeId: z2.id, mergeVersion: z2.version, take: ['secretField'] })).statusCode).toBe(400);
    expect((await merge(managerA, z1.id, { mergeId: z2.id })).statusCode).toBe(400);
    // Nothing changed.
    expect(await current('zhao1')).toMatchObject({ version: z1.version, mergedIntoId: null });
    expect(await current('zhao2')).toMatchObject({ version: z2.version, mergedIntoId: null });
    expect(reasonsOf((await pairs(managerA)).items, 'zhao1', 'zhao2')).toEqual(['id_number']);
    expect((await managerA.get(`/api/customers/${f.zhao1.id}/merges`)).json()).toEqual([]);
  });

  it('refuses to merge while either file awaits destruction (销毁审批中); nothing changes', async () => {
    await addStaff(t, { username: 'records.a', displayName: '档案员甲', orgUnitId: w.units.branchA.id, roleKey: 'records_officer' });
    const records = await t.login('records.a');
    const one = (await managerA.post('/api/customers', { orgUnitId: w.units.branchA.id, name: '钱多多', phone: '13655550001', category: 'B' })).json();
    const two = (await managerA.post('/api/customers', { orgUnitId: w.units.branchA.id, name: '钱多多', phone: '13655550002', category: 'B' })).json();
    const asked = await records.post('/api/customer-destructions', { customerId: two.id, reason: '合作终止满五年' });
    expect(asked.statusCode, asked.body).toBe(201);
    for (const [keep, gone] of [[one, two], [two, one]]) {
      const res = await managerA.post(`/api/customers/${keep.id}/merge`, { version: keep.version, mergeId: gone.id, mergeVersion: gone.version });
      expect([res.statusCode, res.json().code]).toEqual([409, 'CUSTOMER_MERGE_DESTRUCTION_PENDING']);
    }
    expect((await managerA.get(`/api/customers/${one.id}`)).json()).toMatchObject({ version: one.version, mergedIntoId: null });
    expect((await managerA.get(`/api/customers/${two.id}`)).json()).toMatchObject({ version: two.version, mergedIntoId: null });
  });

  it('finds files written in bulk without the name key (import) by their normalised name', async () => {
    const at = t.clock.now().toISOString();
    const row = (name: string) => ({
      id: newId(), org_unit_id: w.units.branchA.id, name, phone: null, email: null, vip: 0, tier: 'ordinary' as const, created_at: at, updated_at: at, version: 1,
      kind: 'person', gender: null, birthday: null, birthday_lunar: 0, position: null, address: null, industry: null, org_size: null, relation_since: null,
      needs: null, preferences: null, notes: null, owner_id: null, category: 'A', member_level: null, credit_class: null, credit_date: null, credit_basis: null,
      tags: '[]', confidentiality: 'ordinary', declassify_on: null, protected_sections: '[]', archived_at: null,
    });
    const [x, y] = [row('孙 丽'), row('孙丽')];
    await t.kefu.db.insertInto('customers').values([x, y]).execute();
    const { items } = await pairs(managerA);
    const [a, b] = x.id < y.id ? [x.id, y.id] : [y.id, x.id];
    expect(items.find((p) => p.a.id === a && p.b.id === b)?.reasons).toEqual(['name']);
  });

  it('a merged file that had earlier files merged into it passes them on to the survivor', async () => {
    const c1 = await current('chen1');
    const c2 = await current('chen2');
    expect((await managerA.post(`/api/customers/${c2.id}/merge`, { version: c2.version, mergeId: c1.id, mergeVersion: c1.version })).statusCode).toBe(200);
    const l1 = await current('liu1');
    const c2b = await current('chen2');
    // 陈静 (with 陈静 merged into it) goes into 刘洋's file: the earlier pointer follows.
    expect((await managerA.post(`/api/customers/${l1.id}/merge`, { version: l1.version, mergeId: c2b.id, mergeVersion: c2b.version, take: ['name', 'birthday'] })).statusCode).toBe(200);
    expect((await current('chen1')).mergedIntoId).toBe(l1.id);
    expect((await current('liu1')).name).toBe('陈 静');
  });

  it('erasing a survivor (销毁) erases what is left of the files merged into it', async () => {
    const ctx = systemCtx(t.db.handle, t.clock, t.kefu.log);
    const keyOf = () => t.kefu.db.selectFrom('audit_subject_keys').select('subject_id').where('subject_type', '=', 'customer').where('subject_id', '=', f.wang2.id).executeTakeFirst();
    expect(await keyOf()).toBeDefined();
    await t.kefu.db.transaction().execute((trx) => runCustomerErasers(trx, ctx, f.wang1.id));
    const pointer = await t.kefu.db.selectFrom('customers').select(['name', 'phone', 'address']).where('id', '=', f.wang2.id).executeTakeFirstOrThrow();
    expect(pointer).toEqual({ name: `已销毁客户 #${f.wang2.id.slice(0, 8)}`, phone: null, address: null });
    expect(await keyOf()).toBeUndefined();
  });
});
