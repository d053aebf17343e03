import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, intakeBody, seedWorld, workOrders, type Client, type TestApp, type World } from '../utils/app.ts';

type Field = { id: string; key: string; ticketType: string; version: number };
type File = { id: string; version: number; name: string; customFields: Record<string, unknown> | null; notes: string | null };

/**
 * Custom fields 自定义字段 on customer files 客户档案 (issue #5 §1): the work-order field definitions also
 * serve the form `customer`; the file form checks the values like intake does, the detail shows them in
 * the notes section (hidden on a protected file until opened), and work orders never meet them.
 */
describe('customer files: custom fields', () => {
  let t: TestApp;
  let w: World;
  let managerA: Client;
  let agentA: Client;
  let agentB: Client;
  let director: Client;
  let source: Field;
  let file: File;
  const hobby = '周末带孙子钓鱼';
  const errorsOf = (res: { json(): { errors?: { field: string }[] } }) => (res.json().errors ?? []).map((e) => e.field).sort();
  const named = async (name: string) => (await t.kefu.db.selectFrom('customers').select('id').where('name', '=', name).execute()).length;
  const person = (name: string, extra: Record<string, unknown> = {}) => ({ orgUnitId: w.units.branchA.id, name, kind: 'person', category: 'B', ...extra });

  beforeAll(async () => {
    t = await createTestApp();
    w = await seedWorld(t);
    managerA = await t.login('manager.a');
    agentA = await t.login('agent.a');
    agentB = await t.login('agent.b');
    director = await t.login('director');
  });
  afterAll(() => t.close());

  it('a manager defines a required select field 客户来源 for the customer files of their branch', async () => {
    const res = await managerA.post('/api/ticket-fields', {
      orgUnitId: w.units.branchA.id,
      ticketType: 'customer',
      key: 'source',
      labelZh: '客户来源',
      labelEn: 'Source',
      kind: 'select',
      required: true,
      options: [
        { value: 'referral', zh: '老客介绍', en: 'Referral' },
        { value: 'walk_in', zh: '到店', en: 'Walk-in' },
        { value: 'online', zh: '网络', en: 'Online' },
      ],
    });
    expect(res.statusCode, res.body).toBe(201);
    source = res.json();
    expect(source.ticketType).toBe('customer');
    const text = await managerA.post('/api/ticket-fields', { orgUnitId: w.units.branchA.id, ticketType: 'customer', key: 'hobby', labelZh: '爱好', labelEn: 'Hobby', kind: 'text', maxLength: 20 });
    expect(text.statusCode, text.body).toBe(201);
    // The settings list of the form 客户档案 has them; a work-order type's list does not.
    expect(((await managerA.get(`/api/ticket-fields?orgUnitId=${w.units.branchA.id}&ticketType=customer`)).json() as Field[]).map((f) => f.key)).toEqual(['source', 'hobby']);
    expect(((await managerA.get(`/api/ticket-fields?orgUnitId=${w.units.branchA.id}&ticketType=repair`)).json() as Field[]).map((f) => f.key)).not.toContain('source');
    // Readers of the branch's files see what its file form offers; another branch has none and may not look at this one.
    expect(((await agentA.get('/api/customer-fields')).json() as Field[]).map((f) => f.key)).toEqual(['source', 'hobby']);
    expect((await agentB.get('/api/customer-fields')).json()).toEqual([]);
    expect((await agentB.get(`/api/customer-fields?orgUnitId=${w.units.branchA.id}`)).statusCode).toBe(404);
    expect((await agentA.post('/api/ticket-fields', { orgUnitId: w.units.branchA.id, ticketType: 'customer', key: 'x', labelZh: 'x', labelEn: 'x', kind: 'text' })).statusCode).toBe(403);
  });

  it('work-order intake does not offer customer fields and refuses them', async () => {
    expect((await agentA.get('/api/ticket-fields/applicable?ticketType=customer')).statusCode).toBe(400);
    const repair = (await agentA.get('/api/ticket-fields/applicable?ticketType=repair')).json() as Field[];
    expect(repair.map((f) => f.key)).not.toContain('source');
    expect((await agentA.post('/api/tickets', await intakeBody(agentA, workOrders.lamp, { type: 'customer' }))).statusCode).toBe(400);
    const res = await agentA.post('/api/tickets', await intakeBody(agentA, workOrders.lamp, { customFields: { source: 'referral' } }));
    expect(res.statusCode).toBe(422);
    expect(errorsOf(res)).toEqual(['customFields.source']);
  });

  it('the file form checks them: required, options, unknown keys → 422 naming the field, nothing saved', async () => {
    let res = await managerA.post('/api/customers', person('周建国'));
    expect(res.statusCode).toBe(422);
    expect(errorsOf(res)).toEqual(['customFields.source']);
    res = await managerA.post('/api/customers', person('周建国', { customFields: { source: 'tv' } }));
    expect(res.statusCode).toBe(422);
    expect(errorsOf(res)).toEqual(['customFields.source']);
    res = await managerA.post('/api/customers', person('周建国', { customFields: { source: 'referral', shoe_size: 42 } }));
    expect(res.statusCode).toBe(422);
    expect(errorsOf(res)).toEqual(['customFields.shoe_size']);
    res = await managerA.post('/api/customers', person('周建国', { customFields: { source: 'referral', hobby: '很长的爱好'.repeat(5) } }));
    expect(errorsOf(res)).toEqual(['customFields.hobby']);
    expect(await named('周建国')).toBe(0);

    res = await managerA.post('/api/customers', person('周建国', { phone: '13900001111', notes: '喜欢安静', customFields: { source: 'referral', hobby } }));
    expect(res.statusCode, res.body).toBe(201);
    file = res.json();
    expect(file.customFields).toEqual({ source: 'referral', hobby });
  });

  it('the minimal file opened at intake needs none', async () => {
    const res = await agentA.post('/api/customers', { name: '临时来电客人', phone: '13900002222' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().customFields).toEqual({});
    // Custom fields are part of the full file: an agent may not set them.
    expect((await agentA.post('/api/customers', { name: '临时来电客人二', customFields: { source: 'online' } })).statusCode).toBe(403);
  });

  it('the detail shows the values; an update changes only the keys given and checks them', async () => {
    expect(((await agentA.get(`/api/customers/${file.id}`)).json() as File).customFields).toEqual({ source: 'referral', hobby });

    let res = await managerA.patch(`/api/customers/${file.id}`, { version: file.version, customFields: { source: 'tv' } });
    expect(res.statusCode).toBe(422);
    expect(errorsOf(res)).toEqual(['customFields.source']);
    res = await managerA.patch(`/api/customers/${file.id}`, { version: file.version, customFields: { source: null } });
    expect(errorsOf(res)).toEqual(['customFields.source']);
    const unchanged = (await managerA.get(`/api/customers/${file.id}`)).json() as File;
    expect(unchanged.version).toBe(file.version);
    expect(unchanged.customFields).toEqual({ source: 'referral', hobby });

    res = await managerA.patch(`/api/customers/${file.id}`, { version: file.version, customFields: { source: 'walk_in', hobby: null } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().customFields).toEqual({ source: 'walk_in' });
    res = await managerA.patch(`/api/customers/${file.id}`, { version: res.json().version, notes: '喜欢高楼层' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().customFields).toEqual({ source: 'walk_in' });
  });

  it('the values are personal: sealed in the audit trail', async () => {
    const entries = await t.kefu.db.selectFrom('audit_entries').select(['action', 'changes']).where('entity_id', '=', file.id).execute();
    expect(entries.map((e) => e.action)).toEqual(expect.arrayContaining(['customer.create', 'customer.update']));
    expect(JSON.stringify(entries)).not.toContain(hobby);
  });

  it('a protected file hides them (like its notes) until opened with a reason', async () => {
    const res = await director.post('/api/customers', person('保密客户甲', { confidentiality: 'secret', customFields: { source: 'online' } }));
    expect(res.statusCode, res.body).toBe(201);
    const id = res.json().id as string;
    for (const c of [agentA, managerA]) {
      const seen = (await c.get(`/api/customers/${id}`)).json() as File;
      expect(seen.customFields).toBeNull();
      expect(JSON.stringify(seen)).not.toContain('online');
    }
    const listed = await managerA.get('/api/customers?q=保密客户');
    expect(listed.body).not.toContain('online');
    const opened = await managerA.post(`/api/customers/${id}/open`, { reason: '核对客户来源' });
    expect(opened.statusCode, opened.body).toBe(200);
    expect(opened.json().file.customFields).toEqual({ source: 'online' });
    // Opening only the contact section leaves them hidden.
    const contactOnly = await managerA.post(`/api/customers/${id}/open`, { reason: '核对电话', sections: ['contact'] });
    expect(contactOnly.json().file.customFields).toBeNull();
  });

  it('a definition a file stores a value for cannot be deleted (disable it instead); an unused one can', async () => {
    const del = await managerA.delete(`/api/ticket-fields/${source.id}`);
    expect(del.statusCode).toBe(409);
    expect(del.json().code).toBe('FIELD_KEY_IN_USE');
    const unused = (await managerA.post('/api/ticket-fields', { orgUnitId: w.units.branchA.id, ticketType: 'customer', key: 'unused', labelZh: '未用', labelEn: 'Unused', kind: 'checkbox' })).json() as Field;
    expect((await managerA.delete(`/api/ticket-fields/${unused.id}`)).statusCode).toBe(204);
    // Disabled: no longer required or offered for new values; stored ones stay and show.
    expect((await managerA.patch(`/api/ticket-fields/${source.id}`, { version: source.version, enabled: false })).statusCode).toBe(200);
    const res = await managerA.post('/api/customers', person('吴晓明'));
    expect(res.statusCode, res.body).toBe(201);
    expect(((await agentA.get(`/api/customers/${file.id}`)).json() as File).customFields).toEqual({ source: 'walk_in' });
  });

  it('merging two files keeps the survivor\'s values and takes the keys it lacks from the merged file', async () => {
    const other = (await managerA.post('/api/customers', person('周建国（重复）', { customFields: { hobby: '下象棋' } }))).json() as File;
    const survivor = (await managerA.get(`/api/customers/${file.id}`)).json() as File;
    const res = await managerA.post(`/api/customers/${file.id}/merge`, { version: survivor.version, mergeId: other.id, mergeVersion: other.version });
    expect(res.statusCode, res.body).toBe(200);
    expect(((await managerA.get(`/api/customers/${file.id}`)).json() as File).customFields).toEqual({ source: 'walk_in', hobby: '下象棋' });
    expect(((await managerA.get(`/api/customers/${other.id}`)).json() as File).customFields).toEqual({});
    const merge = await t.kefu.db.selectFrom('audit_entries').select('changes').where('action', '=', 'customer.merge').execute();
    expect(JSON.stringify(merge)).not.toContain('下象棋');
  });
});
