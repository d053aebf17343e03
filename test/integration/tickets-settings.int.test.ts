import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, intakeBody, seedWorld, workOrders, type Client, type TestApp, type World } from '../utils/app.ts';

type Ticket = { id: string; type: string; version: number; customFields: Record<string, unknown>; categoryId: string | null; categoryName: string | null; [k: string]: unknown };
type Field = { id: string; key: string; version: number; enabled: boolean; position: number; orgUnitId: string };
type Category = { id: string; parentId: string | null; name: string; sort: number; enabled: boolean; version: number };

/** Work-order settings 工单设置: custom fields per unit and type, and the category tree. */
describe('work-order settings: custom fields and categories', () => {
  let t: TestApp;
  let w: World;
  let agentA: Client;
  let managerA: Client;
  let managerB: Client;
  let agentB: Client;
  let director: Client;
  const errorsOf = (res: { json(): { errors?: { field: string }[] } }) => (res.json().errors ?? []).map((e) => e.field).sort();
  const timeline = async (c: Client, id: string) => (await c.get(`/api/tickets/${id}/timeline`)).json() as { kind: string; data: Record<string, unknown> }[];
  const count = async (c: Client) => ((await c.get('/api/tickets?limit=100')).json().items as unknown[]).length;

  beforeAll(async () => {
    t = await createTestApp();
    w = await seedWorld(t);
    agentA = await t.login('agent.a');
    managerA = await t.login('manager.a');
    managerB = await t.login('manager.b');
    agentB = await t.login('agent.b');
    director = await t.login('director');
  });
  afterAll(() => t.close());

  describe('custom fields', () => {
    let room: Field;
    let part: Field;
    let urgentRepair: Field;
    let floors: Field;

    it('a manager defines fields for repairs 报修 of their branch; the group adds one for every branch', async () => {
      let res = await managerA.post('/api/ticket-fields', { orgUnitId: w.units.branchA.id, ticketType: 'repair', key: 'room_no', labelZh: '房号', labelEn: 'Room', kind: 'text', maxLength: 10, required: true });
      expect(res.statusCode, res.body).toBe(201);
      room = res.json();
      expect(room).toMatchObject({ key: 'room_no', kind: 'text', required: true, enabled: true, position: 1, maxLength: 10, version: 1 });
      res = await managerA.post('/api/ticket-fields', {
        orgUnitId: w.units.branchA.id,
        ticketType: 'repair',
        key: 'part',
        labelZh: '部位',
        labelEn: 'Part',
        kind: 'select',
        options: [
          { value: 'lamp', zh: '灯具', en: 'Lamp' },
          { value: 'ac', zh: '空调', en: 'Air conditioner' },
        ],
      });
      expect(res.statusCode, res.body).toBe(201);
      part = res.json();
      urgentRepair = (await managerA.post('/api/ticket-fields', { orgUnitId: w.units.branchA.id, ticketType: 'repair', key: 'guest_present', labelZh: '客人在房', labelEn: 'Guest present', kind: 'checkbox' })).json();
      res = await director.post('/api/ticket-fields', { orgUnitId: w.units.group.id, ticketType: 'repair', key: 'floor', labelZh: '楼层', labelEn: 'Floor', kind: 'number', min: -3, max: 60 });
      expect(res.statusCode, res.body).toBe(201);
      floors = res.json();
      await managerA.post('/api/ticket-fields', { orgUnitId: w.units.branchA.id, ticketType: 'repair', key: 'seen_on', labelZh: '发现日期', labelEn: 'Seen on', kind: 'date' });
      await managerA.post('/api/ticket-fields', {
        orgUnitId: w.units.branchA.id,
        ticketType: 'repair',
        key: 'tools',
        labelZh: '工具',
        labelEn: 'Tools',
        kind: 'multi_select',
        options: [
          { value: 'ladder', zh: '梯子', en: 'Ladder' },
          { value: 'meter', zh: '万用表', en: 'Multimeter' },
        ],
      });

      // Branch A's agents meet the group's field and branch A's; branch B's meet only the group's.
      const a = (await agentA.get('/api/ticket-fields/applicable?ticketType=repair')).json() as Field[];
      expect(a.map((f) => f.key).sort()).toEqual(['floor', 'guest_present', 'part', 'room_no', 'seen_on', 'tools']);
      const b = (await agentB.get('/api/ticket-fields/applicable?ticketType=repair')).json() as Field[];
      expect(b.map((f) => f.key)).toEqual(['floor']);
      expect((await agentA.get('/api/ticket-fields/applicable?ticketType=praise')).json()).toEqual([]);
    });

    it('refuses bad definitions: bad key, select without options, duplicate key, min above max', async () => {
      const base = { orgUnitId: w.units.branchA.id, ticketType: 'repair', labelZh: '字段', labelEn: 'Field' };
      expect((await managerA.post('/api/ticket-fields', { ...base, key: 'Room No', kind: 'text' })).statusCode).toBe(400);
      const noOptions = await managerA.post('/api/ticket-fields', { ...base, key: 'x1', kind: 'select' });
      expect(noOptions.statusCode).toBe(422);
      expect(errorsOf(noOptions)).toEqual(['options']);
      const tooMany = await managerA.post('/api/ticket-fields', { ...base, key: 'x2', kind: 'select', options: Array.from({ length: 51 }, (_, i) => ({ value: `o${i}`, zh: `选项${i}`, en: `o${i}` })) });
      expect(tooMany.statusCode).toBe(400);
      expect((await managerA.post('/api/ticket-fields', { ...base, key: 'x3', kind: 'number', min: 5, max: 1 })).statusCode).toBe(422);
      const dup = await managerA.post('/api/ticket-fields', { ...base, key: 'room_no', kind: 'text' });
      expect(dup.statusCode).toBe(409);
      expect(dup.json().code).toBe('FIELD_KEY_TAKEN');
      // A department is not where settings live.
      expect((await managerA.post('/api/ticket-fields', { ...base, orgUnitId: w.units.deptA.id, key: 'x4', kind: 'text' })).statusCode).toBe(422);
    });

    it('permissions and scope: agents cannot configure (403); another branch’s definitions do not exist (404)', async () => {
      expect((await agentA.get('/api/ticket-fields')).statusCode).toBe(403);
      expect((await agentA.post('/api/ticket-fields', { orgUnitId: w.units.branchA.id, ticketType: 'repair', key: 'x', labelZh: 'x', labelEn: 'x', kind: 'text' })).statusCode).toBe(403);
      expect((await agentA.patch(`/api/ticket-fields/${room.id}`, { version: room.version, labelZh: '房间' })).statusCode).toBe(403);
      // agent.b: branch A's fields are not there for them.
      expect((await agentB.get(`/api/ticket-fields/applicable?ticketType=repair&orgUnitId=${w.units.branchA.id}`)).statusCode).toBe(404);
      // manager.b configures branch B only.
      expect((await managerB.patch(`/api/ticket-fields/${room.id}`, { version: room.version, labelZh: '房间' })).statusCode).toBe(404);
      expect((await managerB.post('/api/ticket-fields', { orgUnitId: w.units.branchA.id, ticketType: 'repair', key: 'y', labelZh: 'y', labelEn: 'y', kind: 'text' })).statusCode).toBe(404);
      expect(((await managerB.get('/api/ticket-fields')).json() as Field[]).map((f) => f.key)).toEqual([]);
      expect((await managerB.post('/api/ticket-fields', { orgUnitId: w.units.group.id, ticketType: 'repair', key: 'y', labelZh: 'y', labelEn: 'y', kind: 'text' })).statusCode).toBe(404);
      // manager.a sees their own, not the group's (that is the director's).
      expect(((await managerA.get('/api/ticket-fields?ticketType=repair')).json() as Field[]).map((f) => f.key)).toEqual(['room_no', 'part', 'guest_present', 'seen_on', 'tools']);
    });

    it('updates with versions, reorders, and audits', async () => {
      const res = await managerA.patch(`/api/ticket-fields/${room.id}`, { version: room.version, labelEn: 'Room number' });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ labelEn: 'Room number', version: 2 });
      expect((await managerA.patch(`/api/ticket-fields/${room.id}`, { version: room.version, labelEn: 'stale' })).statusCode).toBe(409);
      room = res.json();
      const all = (await managerA.get('/api/ticket-fields?ticketType=repair')).json() as Field[];
      const ids = all.map((f) => f.id);
      const reordered = await managerA.post('/api/ticket-fields/reorder', { orgUnitId: w.units.branchA.id, ticketType: 'repair', ids: [part.id, ...ids.filter((x) => x !== part.id)] });
      expect(reordered.statusCode, reordered.body).toBe(200);
      expect((reordered.json() as Field[]).map((f) => f.key)[0]).toBe('part');
      expect((await managerA.post('/api/ticket-fields/reorder', { orgUnitId: w.units.branchA.id, ticketType: 'repair', ids: [part.id] })).statusCode).toBe(422);
      const audit = (await managerA.get(`/api/audit?entityType=ticket_field&entityId=${room.id}`)).json().items.map((e: { action: string }) => e.action);
      expect(audit.sort()).toEqual(['ticket_field.create', 'ticket_field.update']);
    });

    it('intake stores valid values and returns them on GET', async () => {
      const body = await intakeBody(agentA, workOrders.lamp, {
        customFields: { room_no: '1512', part: 'lamp', guest_present: true, floor: 15, seen_on: '2026-11-24', tools: ['ladder'] },
      });
      const res = await agentA.post('/api/tickets', body);
      expect(res.statusCode, res.body).toBe(201);
      const tk = res.json() as Ticket;
      expect(tk.customFields).toEqual({ room_no: '1512', part: 'lamp', guest_present: true, floor: 15, seen_on: '2026-11-24', tools: ['ladder'] });
      expect(((await agentA.get(`/api/tickets/${tk.id}`)).json() as Ticket).customFields).toEqual(tk.customFields);
    });

    it('each bad value at intake is a 422 naming customFields.<key>, and nothing is written', async () => {
      const before = await count(agentA);
      const cases: [Record<string, unknown>, string[]][] = [
        [{ room_no: '1512', nope: 'x' }, ['customFields.nope']], // unknown key
        [{ room_no: 1512 }, ['customFields.room_no']], // wrong kind
        [{ room_no: '12345678901' }, ['customFields.room_no']], // longer than its limit
        [{ part: 'lamp' }, ['customFields.room_no']], // required missing
        [{ room_no: '1', part: 'sofa' }, ['customFields.part']], // option not in list
        [{ room_no: '1', tools: ['ladder', 'saw'] }, ['customFields.tools']],
        [{ room_no: '1', floor: 99 }, ['customFields.floor']], // above max
        [{ room_no: '1', seen_on: '2026-02-30' }, ['customFields.seen_on']],
        [{ room_no: '1', guest_present: 'yes' }, ['customFields.guest_present']],
        [{ nope: 1, part: 'x' }, ['customFields.nope', 'customFields.part', 'customFields.room_no']],
      ];
      for (const [customFields, fields] of cases) {
        const res = await agentA.post('/api/tickets', await intakeBody(agentA, workOrders.lamp, { customFields }));
        expect(res.statusCode, JSON.stringify(customFields)).toBe(422);
        expect(errorsOf(res), JSON.stringify(customFields)).toEqual(fields);
      }
      // The English answer names the same field.
      const en = await (await t.login('agent.a', undefined, 'en')).post('/api/tickets', await intakeBody(agentA, workOrders.lamp, { customFields: {} }));
      expect(en.json().errors[0]).toMatchObject({ field: 'customFields.room_no', message: 'required' });
      expect(await count(agentA)).toBe(before);
      // Another type has no fields: any value is unknown.
      const inquiry = await agentA.post('/api/tickets', await intakeBody(agentA, workOrders.invoice, { customFields: { room_no: '1' } }));
      expect(inquiry.statusCode).toBe(422);
      expect(await count(agentA)).toBe(before);
    });

    it('update: values are checked the same way, nothing changes on a failure; a good update is recorded', async () => {
      const tk = (await agentA.post('/api/tickets', await intakeBody(agentA, workOrders.lamp, { customFields: { room_no: '808', part: 'ac' } }))).json() as Ticket;
      const events = await timeline(agentA, tk.id);
      for (const customFields of [{ part: 'sofa' }, { room_no: null }, { unknown_key: 1 }, { floor: 'high' }]) {
        const res = await agentA.patch(`/api/tickets/${tk.id}`, { version: tk.version, subject: '改了主题', customFields });
        expect(res.statusCode, JSON.stringify(customFields)).toBe(422);
        expect(errorsOf(res)[0]).toMatch(/^customFields\./);
      }
      expect((await agentA.get(`/api/tickets/${tk.id}`)).json()).toMatchObject({ version: tk.version, subject: tk.subject, customFields: { room_no: '808', part: 'ac' } });
      expect(await timeline(agentA, tk.id)).toEqual(events);

      const ok = await agentA.patch(`/api/tickets/${tk.id}`, { version: tk.version, customFields: { part: 'lamp', floor: 8 } });
      expect(ok.statusCode, ok.body).toBe(200);
      expect(ok.json().customFields).toEqual({ room_no: '808', part: 'lamp', floor: 8 });
      const updated = (await timeline(agentA, tk.id)).filter((e) => e.kind === 'updated').at(-1)!;
      expect((updated.data.changes as Record<string, unknown>).customFields).toEqual({ from: { room_no: '808', part: 'ac' }, to: { room_no: '808', part: 'lamp', floor: 8 } });
      const audit = (await managerA.get(`/api/audit?entityType=ticket&entityId=${tk.id}`)).json().items.map((e: { action: string }) => e.action);
      expect(audit).toContain('ticket.update');
    });

    it('changing the type keeps the fields still defined and drops the others, on the timeline', async () => {
      // Complaints of branch A define room_no too (required) but not part.
      await managerA.post('/api/ticket-fields', { orgUnitId: w.units.branchA.id, ticketType: 'complaint', key: 'room_no', labelZh: '房号', labelEn: 'Room', kind: 'text', required: true });
      const tk = (await agentA.post('/api/tickets', await intakeBody(agentA, workOrders.lamp, { customFields: { room_no: '1208', part: 'lamp', floor: 12 } }))).json() as Ticket;
      const res = await agentA.patch(`/api/tickets/${tk.id}`, { version: tk.version, type: 'complaint' });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ type: 'complaint', customFields: { room_no: '1208' } });
      const changes = (await timeline(agentA, tk.id)).filter((e) => e.kind === 'updated').at(-1)!.data.changes as Record<string, { from: unknown; to: unknown }>;
      expect(changes.type).toEqual({ from: 'repair', to: 'complaint' });
      expect(changes.customFields).toEqual({ from: { room_no: '1208', part: 'lamp', floor: 12 }, to: { room_no: '1208' } });

      // To a type whose required field is empty: refused until given, nothing changes.
      const inquiry = (await agentA.post('/api/tickets', await intakeBody(agentA, workOrders.invoice))).json() as Ticket;
      const refused = await agentA.patch(`/api/tickets/${inquiry.id}`, { version: inquiry.version, type: 'repair' });
      expect(refused.statusCode).toBe(422);
      expect(errorsOf(refused)).toEqual(['customFields.room_no']);
      expect((await agentA.get(`/api/tickets/${inquiry.id}`)).json()).toMatchObject({ type: 'inquiry', version: inquiry.version });
      const moved = await agentA.patch(`/api/tickets/${inquiry.id}`, { version: inquiry.version, type: 'repair', customFields: { room_no: '301' } });
      expect(moved.statusCode, moved.body).toBe(200);
      expect(moved.json().customFields).toEqual({ room_no: '301' });
    });

    it('disabling keeps stored values; a disabled field is not accepted any more; a used key cannot change', async () => {
      const tk = (await agentA.post('/api/tickets', await intakeBody(agentA, workOrders.lamp, { customFields: { room_no: '9', part: 'ac' } }))).json() as Ticket;
      part = ((await managerA.get('/api/ticket-fields?ticketType=repair')).json() as Field[]).find((f) => f.key === 'part')!;
      const renamed = await managerA.patch(`/api/ticket-fields/${part.id}`, { version: part.version, key: 'part_2' });
      expect(renamed.statusCode).toBe(409);
      expect(renamed.json().code).toBe('FIELD_KEY_IN_USE');
      const off = await managerA.patch(`/api/ticket-fields/${part.id}`, { version: part.version, enabled: false });
      expect(off.statusCode, off.body).toBe(200);
      expect(((await agentA.get(`/api/tickets/${tk.id}`)).json() as Ticket).customFields).toEqual({ room_no: '9', part: 'ac' });
      const applicable = (await agentA.get('/api/ticket-fields/applicable?ticketType=repair')).json() as Field[];
      expect(applicable.find((f) => f.key === 'part')).toMatchObject({ enabled: false });
      const refused = await agentA.post('/api/tickets', await intakeBody(agentA, workOrders.lamp, { customFields: { room_no: '9', part: 'ac' } }));
      expect(refused.statusCode).toBe(422);
      expect(errorsOf(refused)).toEqual(['customFields.part']);
      // Other edits of the order keep the disabled field's value.
      const cur = (await agentA.get(`/api/tickets/${tk.id}`)).json() as Ticket;
      const ok = await agentA.patch(`/api/tickets/${tk.id}`, { version: cur.version, customFields: { room_no: '10' } });
      expect(ok.json().customFields).toEqual({ room_no: '10', part: 'ac' });
      // An unused key can still change.
      const spare = (await managerA.post('/api/ticket-fields', { orgUnitId: w.units.branchA.id, ticketType: 'repair', key: 'spare', labelZh: '备用', labelEn: 'Spare', kind: 'text' })).json() as Field;
      expect((await managerA.patch(`/api/ticket-fields/${spare.id}`, { version: spare.version, key: 'spare_2' })).json()).toMatchObject({ key: 'spare_2' });
      // Deleting: an unused field goes, a used one is refused (disable it instead).
      expect((await agentA.delete(`/api/ticket-fields/${spare.id}`)).statusCode).toBe(403);
      expect((await managerB.delete(`/api/ticket-fields/${spare.id}`)).statusCode).toBe(404);
      expect((await managerA.delete(`/api/ticket-fields/${spare.id}`)).statusCode).toBe(204);
      expect(((await managerA.get('/api/ticket-fields?ticketType=repair')).json() as Field[]).some((f) => f.id === spare.id)).toBe(false);
      const used = await managerA.delete(`/api/ticket-fields/${part.id}`);
      expect(used.statusCode).toBe(409);
      expect(used.json().code).toBe('FIELD_KEY_IN_USE');
      void urgentRepair;
      void floors;
    });
  });

  describe('categories', () => {
    const list = async (c: Client = agentA) => (await c.get('/api/ticket-categories')).json() as Category[];
    const byName = async (name: string, parentId: string | null = null) => (await list()).find((c) => c.name === name && c.parentId === parentId)!;

    it('keeps the seeded tree; only whole-group configurers edit it (agents 403, a branch manager 403)', async () => {
      expect((await list()).filter((c) => c.parentId === null).map((c) => c.name)).toEqual(['客房', '餐饮', '设施设备', '账单', '服务态度', '安全', '其他']);
      expect((await list()).every((c) => c.enabled)).toBe(true);
      expect((await agentA.post('/api/ticket-categories', { parentId: null, name: '会议' })).statusCode).toBe(403);
      expect((await managerA.post('/api/ticket-categories', { parentId: null, name: '会议' })).statusCode).toBe(403);
    });

    it('creates under a parent up to three levels, names unique among siblings', async () => {
      const roomCat = await byName('客房');
      const res = await director.post('/api/ticket-categories', { parentId: roomCat.id, name: '卫浴' });
      expect(res.statusCode, res.body).toBe(201);
      const bath = res.json() as Category;
      const shower = (await director.post('/api/ticket-categories', { parentId: bath.id, name: '淋浴' })).json() as Category;
      const tooDeep = await director.post('/api/ticket-categories', { parentId: shower.id, name: '花洒' });
      expect(tooDeep.statusCode).toBe(409);
      expect(tooDeep.json().code).toBe('CATEGORY_TOO_DEEP');
      const dup = await director.post('/api/ticket-categories', { parentId: roomCat.id, name: '卫浴' });
      expect(dup.statusCode).toBe(409);
      expect(dup.json().code).toBe('CATEGORY_NAME_TAKEN');
      // The same name under another parent is fine.
      expect((await director.post('/api/ticket-categories', { parentId: (await byName('设施设备')).id, name: '卫浴' })).statusCode).toBe(201);
      expect((await director.post('/api/ticket-categories', { parentId: null, name: 'x'.repeat(51) })).statusCode).toBe(400);
      expect((await director.post('/api/ticket-categories', { parentId: null, name: '<b>' })).statusCode).toBe(400);
    });

    it('renames and moves with versions; refuses a move under itself, too deep or onto a sibling’s name', async () => {
      const bath = await byName('卫浴', (await byName('客房')).id);
      const renamed = await director.patch(`/api/ticket-categories/${bath.id}`, { version: bath.version, name: '卫生间' });
      expect(renamed.statusCode, renamed.body).toBe(200);
      expect(renamed.json()).toMatchObject({ name: '卫生间', version: bath.version + 1 });
      expect((await director.patch(`/api/ticket-categories/${bath.id}`, { version: bath.version, name: '旧' })).statusCode).toBe(409);
      const cur = renamed.json() as Category;
      const shower = (await list()).find((c) => c.parentId === bath.id)!;
      expect((await director.post(`/api/ticket-categories/${bath.id}/move`, { version: cur.version, parentId: shower.id })).json().code).toBe('CATEGORY_MOVE_INVALID');
      // 卫生间 has a child: under 设施设备/卫浴 it would be four levels.
      const facilityBath = await byName('卫浴', (await byName('设施设备')).id);
      expect((await director.post(`/api/ticket-categories/${bath.id}/move`, { version: cur.version, parentId: facilityBath.id })).json().code).toBe('CATEGORY_TOO_DEEP');
      // To the top level, first.
      const moved = await director.post(`/api/ticket-categories/${bath.id}/move`, { version: cur.version, parentId: null, index: 0 });
      expect(moved.statusCode, moved.body).toBe(200);
      expect((await list()).filter((c) => c.parentId === null).map((c) => c.name)[0]).toBe('卫生间');
      expect((await list()).find((c) => c.id === shower.id)!.parentId).toBe(bath.id);
      // A top-level 其他 exists: moving 设施设备/卫浴 renamed 其他 to the top is refused.
      const other = await director.patch(`/api/ticket-categories/${facilityBath.id}`, { version: facilityBath.version, name: '其他' });
      expect(other.statusCode).toBe(200);
      expect((await director.post(`/api/ticket-categories/${facilityBath.id}/move`, { version: other.json().version, parentId: null })).json().code).toBe('CATEGORY_NAME_TAKEN');
      // Reorder the top level.
      const top = (await list()).filter((c) => c.parentId === null);
      const res = await director.post('/api/ticket-categories/reorder', { parentId: null, ids: [...top.map((c) => c.id)].reverse() });
      expect(res.statusCode, res.body).toBe(200);
      expect((await list()).filter((c) => c.parentId === null).map((c) => c.name)).toEqual(top.map((c) => c.name).reverse());
      const audit = (await director.get(`/api/audit?entityType=ticket_category&entityId=${bath.id}`)).json().items.map((e: { action: string }) => e.action);
      expect(audit.sort()).toEqual(['ticket_category.create', 'ticket_category.move', 'ticket_category.update']);
    });

    it('a category in use cannot be deleted, only disabled; a disabled one is refused at intake but stays on old orders', async () => {
      const food = await byName('餐饮');
      const tk = (await agentA.post('/api/tickets', await intakeBody(agentA, workOrders.breakfast, { customFields: { room_no: '0' } }))).json() as Ticket;
      expect(tk.categoryId).toBe(food.id);
      const del = await director.delete(`/api/ticket-categories/${food.id}`);
      expect(del.statusCode).toBe(409);
      expect(del.json().code).toBe('CATEGORY_IN_USE');
      const off = await director.patch(`/api/ticket-categories/${food.id}`, { version: food.version, enabled: false });
      expect(off.statusCode, off.body).toBe(200);
      expect((await list()).find((c) => c.id === food.id)).toMatchObject({ enabled: false });
      const before = await count(agentA);
      const refused = await agentA.post('/api/tickets', await intakeBody(agentA, workOrders.breakfast, { customFields: { room_no: '0' } }));
      expect(refused.statusCode).toBe(400);
      expect(errorsOf(refused)).toEqual(['categoryId']);
      expect(await count(agentA)).toBe(before);
      // The old order still shows it, and other edits of it are fine.
      const old = (await agentA.get(`/api/tickets/${tk.id}`)).json() as Ticket;
      expect(old).toMatchObject({ categoryId: food.id, categoryName: '餐饮' });
      expect((await agentA.patch(`/api/tickets/${tk.id}`, { version: old.version, subject: '早餐热菜不足' })).statusCode).toBe(200);
      // An unused one can be deleted.
      const spare = (await director.post('/api/ticket-categories', { parentId: null, name: '临时' })).json() as Category;
      expect((await director.delete(`/api/ticket-categories/${spare.id}`)).statusCode).toBe(204);
      expect((await list()).some((c) => c.id === spare.id)).toBe(false);
      // A parent with children is in use too.
      expect((await director.delete(`/api/ticket-categories/${(await byName('卫生间')).id}`)).json().code).toBe('CATEGORY_IN_USE');
    });
  });
});
