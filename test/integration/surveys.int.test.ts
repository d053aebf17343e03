import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCustomerErasers } from '../../src/server/modules/customers/customer.erasure.ts';
import { systemCtx } from '../../src/server/setup.ts';
import { createTestApp, seedWorld, type Client, type TestApp, type World } from '../utils/app.ts';

/**
 * Satisfaction surveys 满意度调查 (customer-file issue §9): a survey sent to a segment creates exactly one
 * invitation per segment customer and queues the link to them; the customer answers once through the
 * link (then it is refused, as is an expired one); staff record an answer on a call; the results count
 * by segment and month; branch B never sees branch A's survey; bad questions and answers are refused.
 */
describe('satisfaction surveys', () => {
  let t: TestApp;
  let w: World;
  let managerA: Client;
  let managerB: Client;
  let agentA: Client;
  const ids: Record<string, string> = {};
  let surveyId = '';
  const inv: Record<string, string> = {};
  let vipToken = '';

  const questions = [
    { kind: 'scale', text: '您对本次入住的总体满意度', max: 5, minLabel: '非常不满意', maxLabel: '非常满意' },
    { kind: 'choice', text: '您是通过什么渠道预订的？', options: ['电话', '官网', '旅行社'] },
    { kind: 'text', text: '您还有什么建议？', maxLength: 200 },
  ];

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
    await customer(managerB, 'vipB', { orgUnitId: w.units.branchB.id, name: '郑国强', phone: '13900000007', tier: 'strategic', category: 'A', tags: ['VIP'] });
  });
  afterAll(() => t?.close());

  const invitations = async () => (await managerA.get(`/api/surveys/${surveyId}/invitations`)).json() as { id: string; customerId: string; status: string; channel: string }[];

  it('sends to exactly the segment, one invitation per customer, and queues the link to each', async () => {
    const res = await managerA.post('/api/surveys', { orgUnitId: w.units.branchA.id, title: '2026年冬季住客满意度调查', intro: '感谢您抽出两分钟。', questions });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ status: 'draft', invited: 0, version: 1, questions: [{ kind: 'scale', max: 5, required: true }, { kind: 'choice' }, { kind: 'text', required: false }] });
    surveyId = res.json().id;

    const sent = await managerA.post(`/api/surveys/${surveyId}/send`, { tiers: ['strategic', 'key'], tags: ['VIP'], channel: 'sms' });
    expect(sent.statusCode, sent.body).toBe(200);
    expect(sent.json()).toEqual({ created: 2, existing: 0, queued: 2 });
    let list = await invitations();
    expect(list.map((i) => i.customerId).sort()).toEqual([ids.vipA, ids.keyA].sort());
    for (const i of list) inv[Object.keys(ids).find((k) => ids[k] === i.customerId)!] = i.id;
    expect((await managerA.get(`/api/surveys/${surveyId}`)).json()).toMatchObject({ status: 'open', invited: 2, answered: 0 });

    // A second send of an overlapping segment adds only the new customer; nobody is invited twice.
    const again = await managerA.post(`/api/surveys/${surveyId}/send`, { tags: ['VIP'], channel: 'none' });
    expect(again.json()).toEqual({ created: 1, existing: 2, queued: 0 });
    list = await invitations();
    expect(list).toHaveLength(3);
    inv.plainA = list.find((i) => i.customerId === ids.plainA)!.id;
    expect(list.find((i) => i.customerId === ids.plainA)!.channel).toBe('none');

    // The messages carry the link; the database keeps only the token's SHA-256.
    const messages = await t.kefu.db.selectFrom('customer_messages').select(['customer_id', 'recipient', 'body']).where('source_kind', '=', 'survey').where('source_id', '=', surveyId).execute();
    expect(messages.map((m) => m.customer_id).sort()).toEqual([ids.vipA, ids.keyA].sort());
    const vipMessage = messages.find((m) => m.customer_id === ids.vipA)!;
    expect(vipMessage.recipient).toBe('13900000001');
    expect(vipMessage.body).toContain('2026年冬季住客满意度调查');
    vipToken = /\/survey\/([A-Za-z0-9_-]{43})/.exec(vipMessage.body)![1]!;
    const stored = await t.kefu.db.selectFrom('survey_invitations').select(['token_hash']).where('id', '=', inv.vipA!).executeTakeFirstOrThrow();
    expect(stored.token_hash).not.toContain(vipToken);
    expect(stored.token_hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('takes the answers through the link once, then refuses the link', async () => {
    const guest = t.anonymous();
    const view = await guest.get(`/api/public/surveys/${vipToken}`);
    expect(view.statusCode, view.body).toBe(200);
    expect(view.json()).toMatchObject({ title: '2026年冬季住客满意度调查', companyName: '洛阳分店', state: 'open', questions: [{ kind: 'scale' }, { kind: 'choice' }, { kind: 'text' }] });
    expect(JSON.stringify(view.json())).not.toContain('张秀英');

    // Wrong per question: a scale point above 5, an option that does not exist, a text too long.
    const bad = await guest.post(`/api/public/surveys/${vipToken}`, { answers: [6, 3, 'x'.repeat(201)] });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors.map((e: { field: string }) => e.field)).toEqual(['answers.0', 'answers.1', 'answers.2']);
    expect((await guest.post(`/api/public/surveys/${vipToken}`, { answers: [null, 0, null] })).json().errors).toEqual([{ field: 'answers.0', message: '此题必答' }]);
    expect((await guest.post(`/api/public/surveys/${vipToken}`, { answers: [5, 0] })).statusCode).toBe(400);
    expect((await guest.get(`/api/public/surveys/${vipToken}`)).json().state).toBe('open');

    const ok = await guest.post(`/api/public/surveys/${vipToken}`, { answers: [5, 0, '前台服务很热情'] });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().state).toBe('answered');
    const twice = await guest.post(`/api/public/surveys/${vipToken}`, { answers: [1, 1, '改主意了'] });
    expect(twice.statusCode).toBe(410);
    expect(twice.json().code).toBe('SURVEY_LINK_USED');
    expect((await managerA.get(`/api/survey-invitations/${inv.vipA}/answers`)).json().answers).toEqual([5, 0, '前台服务很热情']);
    // Staff cannot record a second answer set for the same invitation either.
    const staff = await agentA.post(`/api/survey-invitations/${inv.vipA}/answers`, { answers: [1, 1, null] });
    expect(staff.statusCode).toBe(409);
    expect(staff.json().code).toBe('SURVEY_ANSWERED');
    expect((await guest.get('/api/public/surveys/not-a-real-token')).statusCode).toBe(404);
  });

  it('refuses an expired link; staff record the answer given on a call', async () => {
    const link = await managerA.post(`/api/survey-invitations/${inv.keyA}/link`);
    expect(link.statusCode, link.body).toBe(201);
    expect(link.json().path).toBe(`/survey/${link.json().token}`);
    expect(link.json().url).toBe(`http://localhost:3000/survey/${link.json().token}`);
    t.clock.set('2026-12-27T03:00:00.000Z'); // 32 days on: past the 30-day link (and the sessions)
    [managerA, managerB, agentA] = [await t.login('manager.a'), await t.login('manager.b'), await t.login('agent.a')];
    const guest = t.anonymous('en');
    expect((await guest.get(`/api/public/surveys/${link.json().token}`)).json().state).toBe('expired');
    const late = await guest.post(`/api/public/surveys/${link.json().token}`, { answers: [4, 1, null] });
    expect(late.statusCode).toBe(410);
    expect(late.json()).toMatchObject({ code: 'SURVEY_LINK_EXPIRED', title: 'This survey link has expired' });

    const bad = await agentA.post(`/api/survey-invitations/${inv.keyA}/answers`, { answers: [0, 1, null] });
    expect(bad.statusCode).toBe(400);
    const call = await agentA.post(`/api/survey-invitations/${inv.keyA}/answers`, { answers: [3, 1, '早餐品种可以再多一些'] });
    expect(call.statusCode, call.body).toBe(200);
    const listed = (await agentA.get(`/api/customers/${ids.keyA}/survey-invitations`)).json();
    expect(listed).toMatchObject([{ id: inv.keyA, status: 'answered', answeredVia: 'staff', surveyTitle: '2026年冬季住客满意度调查' }]);
  });

  it('counts the results by segment and by month', async () => {
    const all = (await managerA.get(`/api/surveys/${surveyId}/results`)).json();
    expect(all).toMatchObject({ invited: 3, answered: 2, responseRate: 0.6667 });
    expect(all.groups).toHaveLength(1);
    const [scale, choice, text] = all.groups[0].questions;
    expect(scale).toMatchObject({ answers: 2, average: 4, distribution: [{ value: 1, count: 0 }, { value: 2, count: 0 }, { value: 3, count: 1 }, { value: 4, count: 0 }, { value: 5, count: 1 }] });
    expect(choice).toMatchObject({ answers: 2, average: null, distribution: [{ value: 0, count: 1 }, { value: 1, count: 1 }, { value: 2, count: 0 }] });
    expect(text).toMatchObject({ answers: 2, average: null, distribution: [] });

    const byTier = (await managerA.get(`/api/surveys/${surveyId}/results?groupBy=tier`)).json();
    const tier = (k: string) => byTier.groups.find((g: { key: string }) => g.key === k);
    expect(tier('strategic')).toMatchObject({ invited: 1, answered: 1, responseRate: 1 });
    expect(tier('strategic').questions[0].average).toBe(5);
    expect(tier('key')).toMatchObject({ invited: 1, answered: 1 });
    expect(tier('key').questions[0].average).toBe(3);
    expect(tier('ordinary')).toMatchObject({ invited: 1, answered: 0, responseRate: 0 });
    const byCategory = (await managerA.get(`/api/surveys/${surveyId}/results?groupBy=category`)).json();
    expect(byCategory.groups.map((g: { key: string; invited: number; answered: number }) => [g.key, g.invited, g.answered])).toEqual([['A', 2, 1], ['B', 1, 1]]);
    const byBranch = (await managerA.get(`/api/surveys/${surveyId}/results?groupBy=branch`)).json();
    expect(byBranch.groups).toMatchObject([{ key: w.units.branchA.id, label: '洛阳分店', invited: 3, answered: 2 }]);

    const byMonth = (await managerA.get(`/api/surveys/${surveyId}/results?groupBy=month`)).json();
    expect(byMonth.groups.map((g: { key: string; answered: number }) => [g.key, g.answered])).toEqual([['2026-11', 1], ['2026-12', 1]]);
    expect(byMonth.groups[0].questions[0].average).toBe(5);
    expect(byMonth.groups[1].questions[0].average).toBe(3);
    const november = (await managerA.get(`/api/surveys/${surveyId}/results?month=2026-11`)).json();
    expect(november).toMatchObject({ invited: 3, answered: 1 });
    expect(november.groups[0].questions[0]).toMatchObject({ answers: 1, average: 5 });
    const range = (await managerA.get(`/api/surveys/${surveyId}/results?from=2026-12-01&to=2026-12-31`)).json();
    expect(range.groups[0].questions[0]).toMatchObject({ answers: 1, average: 3 });
    expect((await managerA.get(`/api/surveys/${surveyId}/results?month=2026-11&from=2026-11-01`)).statusCode).toBe(400);
    expect((await managerA.get(`/api/surveys/${surveyId}/results?groupBy=weekday`)).statusCode).toBe(400);
  });

  it('keeps branch B out: 404 for the survey, its invitations and results; 403 without the permission', async () => {
    expect((await managerB.get(`/api/surveys/${surveyId}`)).statusCode).toBe(404);
    expect((await managerB.get(`/api/surveys/${surveyId}/invitations`)).statusCode).toBe(404);
    expect((await managerB.get(`/api/surveys/${surveyId}/results`)).statusCode).toBe(404);
    expect((await managerB.post(`/api/surveys/${surveyId}/send`, { tags: ['VIP'] })).statusCode).toBe(404);
    expect((await managerB.post(`/api/survey-invitations/${inv.plainA}/answers`, { answers: [5, 0, null] })).statusCode).toBe(404);
    expect((await managerB.post(`/api/survey-invitations/${inv.plainA}/link`)).statusCode).toBe(404);
    expect((await managerB.get('/api/surveys')).json()).toEqual([]);
    expect((await managerB.post('/api/surveys', { orgUnitId: w.units.branchA.id, title: '冒名调查', questions })).statusCode).toBe(404);
    // B's own survey to every VIP never reaches branch A's customers.
    const own = (await managerB.post('/api/surveys', { orgUnitId: w.units.branchB.id, title: 'B调查', questions })).json();
    expect((await managerB.post(`/api/surveys/${own.id}/send`, { tags: ['VIP'], channel: 'none' })).json()).toEqual({ created: 1, existing: 0, queued: 0 });
    expect((await managerB.get(`/api/surveys/${own.id}/invitations`)).json().map((i: { customerId: string }) => i.customerId)).toEqual([ids.vipB]);
    // An agent reads and records answers but does not manage surveys.
    expect((await agentA.post('/api/surveys', { orgUnitId: w.units.branchA.id, title: '冒名调查', questions })).statusCode).toBe(403);
    expect((await agentA.get(`/api/surveys/${surveyId}/results`)).statusCode).toBe(403);
    expect((await agentA.post(`/api/surveys/${surveyId}/send`, { tags: [] })).statusCode).toBe(403);
    expect((await agentA.get(`/api/surveys/${surveyId}`)).statusCode).toBe(200);
  });

  it('refuses bad surveys and changes only drafts, changing nothing', async () => {
    const base = { orgUnitId: w.units.branchA.id, title: '校验', questions };
    const before = (await managerA.get('/api/surveys')).json().length;
    expect((await managerA.post('/api/surveys', { ...base, questions: [] })).statusCode).toBe(400);
    expect((await managerA.post('/api/surveys', { ...base, questions: Array.from({ length: 31 }, () => questions[0]) })).statusCode).toBe(400);
    expect((await managerA.post('/api/surveys', { ...base, questions: [{ kind: 'choice', text: '只有一个选项', options: ['是'] }] })).statusCode).toBe(400);
    expect((await managerA.post('/api/surveys', { ...base, questions: [{ kind: 'scale', text: '七分制', max: 7 }] })).statusCode).toBe(400);
    expect((await managerA.post('/api/surveys', { ...base, questions: [{ kind: 'rating', text: '未知题型' }] })).statusCode).toBe(400);
    expect((await managerA.post('/api/surveys', { ...base, title: 'x'.repeat(101) })).statusCode).toBe(400);
    expect((await managerA.get('/api/surveys')).json()).toHaveLength(before);

    const open = (await managerA.get(`/api/surveys/${surveyId}`)).json();
    const edit = await managerA.put(`/api/surveys/${surveyId}`, { version: open.version, title: '改标题', questions });
    expect(edit.statusCode).toBe(409);
    expect(edit.json().code).toBe('SURVEY_STATE');
    expect((await managerA.delete(`/api/surveys/${surveyId}`)).json().code).toBe('SURVEY_STATE');

    const draft = (await managerA.post('/api/surveys', base)).json();
    const changed = await managerA.put(`/api/surveys/${draft.id}`, { version: draft.version, title: '校验（改）', questions: questions.slice(0, 1) });
    expect(changed.json()).toMatchObject({ title: '校验（改）', version: 2, questions: [{ kind: 'scale' }] });
    expect((await managerA.put(`/api/surveys/${draft.id}`, { version: 1, title: '旧版本', questions })).statusCode).toBe(409);
    expect((await managerA.delete(`/api/surveys/${draft.id}`)).statusCode).toBe(204);

    // Closing ends the links and the sending.
    const closed = await managerA.post(`/api/surveys/${surveyId}/status`, { version: open.version, to: 'closed' });
    expect(closed.json()).toMatchObject({ status: 'closed' });
    expect((await managerA.post(`/api/surveys/${surveyId}/send`, { tags: [] })).json().code).toBe('SURVEY_STATE');
    expect((await agentA.post(`/api/survey-invitations/${inv.plainA}/answers`, { answers: [4, 0, null] })).json().code).toBe('SURVEY_CLOSED');
    expect((await managerA.post(`/api/surveys/${surveyId}/status`, { version: open.version + 1, to: 'open' })).json().code).toBe('SURVEY_STATE');
  });

  it('erases a destroyed customer\'s free text and contact, keeping the numbers', async () => {
    const ctx = systemCtx(t.db.handle, t.clock, t.kefu.log);
    await t.kefu.db.transaction().execute((trx) => runCustomerErasers(trx, ctx, ids.vipA!));
    const row = await t.kefu.db.selectFrom('survey_invitations').selectAll().where('id', '=', inv.vipA!).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ contact: null, token_hash: null, status: 'answered' });
    const answers = await t.kefu.db.selectFrom('survey_answers').selectAll().where('invitation_id', '=', inv.vipA!).orderBy('question_no').execute();
    expect(answers.map((a) => [Number(a.number_value ?? -1), a.text_value])).toEqual([[5, null], [0, null], [-1, '']]);
    expect(JSON.stringify(answers)).not.toContain('前台服务很热情');
    expect((await managerA.get(`/api/surveys/${surveyId}/results`)).json().groups[0].questions[0].average).toBe(4);
  });

  it('slows down one address guessing links: 429 after the minute\'s allowance, for any token', async () => {
    const guest = t.anonymous();
    const codes: number[] = [];
    for (let k = 0; k < 31; k++) codes.push((await guest.get(`/api/public/surveys/guess-${k}`)).statusCode);
    expect(codes).toContain(429);
    expect(codes.filter((c) => c !== 404 && c !== 429)).toEqual([]);
    const refused = await guest.get(`/api/public/surveys/${vipToken}`);
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['retry-after']).toBe('60');
    t.clock.advance(60_000);
    expect((await guest.get(`/api/public/surveys/${vipToken}`)).statusCode).toBe(404); // erased above: the link is gone
  });
});
