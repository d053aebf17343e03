import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, seedWorld, type Client, type TestApp, type World } from '../utils/app.ts';

/**
 * Customer care 客户关怀 (customer-file issue §8). Done-when: a care rule generates the Mid-Autumn greetings
 * for 2026 on 2026-09-22..24 (1–3 days before 09-25) for the chosen segment — once; a gift over the limit
 * is refused; branch B's customers never appear for branch A; a lunar birthday lands on its solar date.
 */
describe('customer care: rules generate care tasks', () => {
  let t: TestApp;
  let w: World;
  let managerA: Client;
  let managerB: Client;
  let agentA: Client;
  const ids: Record<string, string> = {};

  const customer = async (c: Client, key: string, body: Record<string, unknown>) => {
    const res = await c.post('/api/customers', { kind: 'person', ...body });
    expect(res.statusCode, res.body).toBe(201);
    ids[key] = res.json().id;
  };

  beforeAll(async () => {
    t = await createTestApp();
    w = await seedWorld(t);
    managerA = await t.login('manager.a');
    managerB = await t.login('manager.b');
    agentA = await t.login('agent.a');
    const A = w.units.branchA.id;
    await customer(managerA, 'vipA', { orgUnitId: A, name: '张秀英', phone: '13900000001', tier: 'strategic', category: 'A', tags: ['VIP'] });
    await customer(managerA, 'keyA', { orgUnitId: A, name: '李建国', phone: '13900000002', tier: 'key', category: 'B', tags: ['VIP', '商务'] });
    await customer(managerA, 'plainA', { orgUnitId: A, name: '王小明', phone: '13900000003', tier: 'ordinary', category: 'A', tags: ['VIP'] });
    await customer(managerA, 'untaggedA', { orgUnitId: A, name: '赵丽', phone: '13900000004', tier: 'strategic', category: 'A', tags: [] });
    await customer(managerA, 'lunarA', { orgUnitId: A, name: '孙大伟', phone: '13900000005', tier: 'ordinary', birthday: '1975-08-15', birthdayLunar: true });
    await customer(managerA, 'solarA', { orgUnitId: A, name: '周敏', phone: '13900000006', tier: 'ordinary', birthday: '1988-03-07' });
    await customer(managerB, 'vipB', { orgUnitId: w.units.branchB.id, name: '郑国强', phone: '13900000007', tier: 'strategic', category: 'A', tags: ['VIP'] });
  });
  afterAll(() => t?.close());

  const midAutumn = {
    name: '中秋问候（VIP）',
    occasion: 'festival',
    festival: 'mid_autumn',
    daysMin: 1,
    daysMax: 3,
    tiers: ['strategic', 'key'],
    tags: ['VIP'],
    channel: 'sms',
    template: '尊敬的{{name}}，祝您{{festival}}快乐！',
    giftValue: 150,
  };

  it('generates the Mid-Autumn 2026 greetings on 2026-09-22..24 for the chosen segment only, once', async () => {
    const res = await managerA.post('/api/care-rules', { orgUnitId: w.units.branchA.id, ...midAutumn });
    expect(res.statusCode, res.body).toBe(201);
    const rule = res.json();
    expect(rule).toMatchObject({ daysMin: 1, daysMax: 3, giftValue: 150, version: 1 });
    ids.rule = rule.id;

    const gen = await managerA.post(`/api/care-rules/${rule.id}/generate?year=2026`);
    expect(gen.statusCode, gen.body).toBe(200);
    expect(gen.json()).toEqual({ created: 2, existing: 0 });

    const tasks = (await managerA.get('/api/care-tasks?from=2026-09-01&to=2026-09-30')).json() as Record<string, unknown>[];
    expect(tasks.map((x) => x.customerId).sort()).toEqual([ids.vipA, ids.keyA].sort());
    for (const task of tasks) {
      expect(task).toMatchObject({ occasion: 'mid_autumn', occasionDate: '2026-09-25', windowStart: '2026-09-22', windowEnd: '2026-09-24', status: 'pending', channel: 'sms', giftValue: 150, year: 2026 });
    }
    expect(tasks.find((x) => x.customerId === ids.vipA)!.message).toBe('尊敬的张秀英，祝您中秋节快乐！');

    const again = await managerA.post(`/api/care-rules/${rule.id}/generate?year=2026`);
    expect(again.json()).toEqual({ created: 0, existing: 2 });
    expect((await managerA.get('/api/care-tasks')).json()).toHaveLength(2);
  });

  it('refuses a gift above the ¥200 limit, and bad input, changing nothing', async () => {
    const over = await managerA.post('/api/care-rules', { orgUnitId: w.units.branchA.id, ...midAutumn, giftValue: 201 });
    expect(over.statusCode).toBe(422);
    expect(over.json().code).toBe('CARE_GIFT_OVER_LIMIT');
    expect((await managerA.post('/api/care-rules', { orgUnitId: w.units.branchA.id, ...midAutumn, festival: null })).statusCode).toBe(400);
    expect((await managerA.post('/api/care-rules', { orgUnitId: w.units.branchA.id, ...midAutumn, daysMin: 5, daysMax: 2 })).statusCode).toBe(400);
    const rule = (await managerA.get('/api/care-rules')).json()[0];
    const up = await managerA.put(`/api/care-rules/${rule.id}`, { version: rule.version, ...midAutumn, giftValue: 500 });
    expect(up.statusCode).toBe(422);
    expect((await managerA.get('/api/care-rules')).json()).toHaveLength(1);
    expect((await managerA.get('/api/care-rules')).json()[0].giftValue).toBe(150);
  });

  it('keeps branch B out of branch A and the other way round', async () => {
    const ruleB = (await managerB.post('/api/care-rules', { orgUnitId: w.units.branchB.id, ...midAutumn })).json();
    expect((await managerB.post(`/api/care-rules/${ruleB.id}/generate?year=2026`)).json()).toEqual({ created: 1, existing: 0 });
    const seenA = (await managerA.get('/api/care-tasks')).json() as { customerId: string }[];
    expect(seenA.map((x) => x.customerId)).not.toContain(ids.vipB);
    const seenB = (await managerB.get('/api/care-tasks')).json() as { id: string; customerId: string; version: number }[];
    expect(seenB.map((x) => x.customerId)).toEqual([ids.vipB]);
    expect((await managerA.get('/api/care-rules')).json().map((r: { id: string }) => r.id)).not.toContain(ruleB.id);
    // Branch A can neither use B's rule nor touch B's task: 404.
    expect((await managerA.post(`/api/care-rules/${ruleB.id}/generate?year=2026`)).statusCode).toBe(404);
    expect((await managerA.put(`/api/care-rules/${ruleB.id}`, { version: 1, ...midAutumn })).statusCode).toBe(404);
    expect((await managerA.delete(`/api/care-rules/${ruleB.id}`)).statusCode).toBe(404);
    expect((await managerA.post(`/api/care-tasks/${seenB[0]!.id}/done`, { version: seenB[0]!.version })).statusCode).toBe(404);
    expect((await managerA.post('/api/care-rules', { orgUnitId: w.units.branchB.id, ...midAutumn })).statusCode).toBe(404);
    // An agent does not hold customer:manage at all: 403.
    expect((await agentA.get('/api/care-tasks')).statusCode).toBe(403);
  });

  it('marks a task done once; a stale version is 409', async () => {
    const task = ((await managerA.get('/api/care-tasks?status=pending')).json() as { id: string; version: number }[])[0]!;
    expect((await managerA.post(`/api/care-tasks/${task.id}/done`, { version: task.version + 1 })).statusCode).toBe(409);
    const done = await managerA.post(`/api/care-tasks/${task.id}/done`, { version: task.version });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json()).toMatchObject({ status: 'sent', version: task.version + 1 });
    expect(done.json().doneAt).toBeTruthy();
    expect((await managerA.post(`/api/care-tasks/${task.id}/done`, { version: task.version + 1 })).json().code).toBe('CARE_TASK_DONE');
    expect((await managerA.get('/api/care-tasks?status=sent')).json().map((x: { id: string }) => x.id)).toEqual([task.id]);
  });

  it('puts a lunar birthday on its solar date of the year', async () => {
    const res = await managerA.post('/api/care-rules', {
      orgUnitId: w.units.branchA.id, name: '生日关怀', occasion: 'birthday', daysMin: 0, daysMax: 2, tiers: ['ordinary'], channel: 'gift', template: '{{name}}，生日快乐', giftValue: 200,
    });
    expect(res.statusCode, res.body).toBe(201);
    expect((await managerA.post(`/api/care-rules/${res.json().id}/generate?year=2026`)).json()).toEqual({ created: 2, existing: 0 });
    const tasks = (await managerA.get('/api/care-tasks')).json() as Record<string, unknown>[];
    // 农历八月十五 in 2026 = 2026-09-25; the solar birthday stays on 03-07.
    expect(tasks.find((x) => x.customerId === ids.lunarA)).toMatchObject({ occasion: 'birthday', occasionDate: '2026-09-25', windowStart: '2026-09-23', windowEnd: '2026-09-25', message: '孙大伟，生日快乐' });
    expect(tasks.find((x) => x.customerId === ids.solarA)).toMatchObject({ occasionDate: '2026-03-07', windowStart: '2026-03-05', windowEnd: '2026-03-07' });
    // The work-list window filter: only tasks whose window overlaps March.
    const march = (await managerA.get('/api/care-tasks?from=2026-03-01&to=2026-03-31')).json() as { customerId: string }[];
    expect(march.map((x) => x.customerId)).toEqual([ids.solarA]);
  });
});
