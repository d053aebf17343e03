import { createServer } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCustomerErasers } from '../../src/server/modules/customers/customer.erasure.ts';
import { runCustomerRelinkers } from '../../src/server/modules/customers/customer.relink.ts';
import { JobRunner } from '../../src/server/modules/jobs/job.runner.ts';
import { closeMailTransports, configureMail, SMTP_NOT_CONFIGURED } from '../../src/server/modules/notifications/mail.ts';
import { setSmsProvider } from '../../src/server/modules/outreach/outreach.sms.ts';
import { systemCtx } from '../../src/server/setup.ts';
import { createTestApp, seedWorld, type Client, type TestApp, type World } from '../utils/app.ts';

/**
 * Outreach 客户触达 (customer-file issue §8): a care task is sent through the customer message outbox
 * (the rule's text rendered for the customer, the gift recorded within the rule's limit, the task done);
 * SMS goes through the provider interface — by default only recorded; e-mail over a REAL SMTP
 * conversation (a local smtp-server); events 活动 with invitations through the outbox, replies and capacity.
 */
interface Received {
  to: string;
  subject: string;
  text: string;
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

describe('outreach: care sends, the customer message outbox, events and invitations', () => {
  let t: TestApp;
  let w: World;
  let managerA: Client;
  let managerB: Client;
  let agentA: Client;
  let smtp: SMTPServer;
  let smtpUrl: string;
  const received: Received[] = [];
  const ids: Record<string, string> = {};
  const runJobs = () => new JobRunner({ db: t.kefu.db, dialect: t.kefu.dialect, clock: t.clock, log: t.kefu.log, workerId: 'outreach-worker', random: () => 0 }).runOnce();
  const message = (id: string) => t.kefu.db.selectFrom('customer_messages').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const tasks = async (c: Client) => (await c.get('/api/care-tasks?status=pending')).json() as { id: string; customerId: string; version: number; channel: string }[];
  const customer = async (c: Client, key: string, body: Record<string, unknown>) => {
    const res = await c.post('/api/customers', { kind: 'person', ...body });
    expect(res.statusCode, res.body).toBe(201);
    ids[key] = res.json().id;
  };
  const rule = async (c: Client, unitId: string, body: Record<string, unknown>) => {
    const res = await c.post('/api/care-rules', { orgUnitId: unitId, occasion: 'festival', festival: 'mid_autumn', daysMin: 1, daysMax: 3, ...body });
    expect(res.statusCode, res.body).toBe(201);
    const gen = await c.post(`/api/care-rules/${res.json().id}/generate?year=2026`);
    expect(gen.statusCode, gen.body).toBe(200);
    return res.json() as { id: string };
  };

  beforeAll(async () => {
    t = await createTestApp();
    w = await seedWorld(t);
    smtp = new SMTPServer({
      logger: false,
      disabledCommands: ['STARTTLS', 'AUTH'],
      onData(stream, session, cb) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          void simpleParser(Buffer.concat(chunks)).then((m) => {
            received.push({ to: session.envelope.rcptTo.map((r) => r.address).join(','), subject: m.subject ?? '', text: m.text ?? '' });
            cb();
          }, cb);
        });
      },
    });
    const port = await freePort();
    await new Promise<void>((r) => smtp.listen(port, '127.0.0.1', r));
    smtpUrl = `smtp://127.0.0.1:${port}`;
    configureMail({ publicUrl: 'https://kefu.example.test', from: 'Kefu <kefu@example.test>' });

    managerA = await t.login('manager.a');
    managerB = await t.login('manager.b');
    agentA = await t.login('agent.a');
    const A = w.units.branchA.id;
    await customer(managerA, 'vip', { orgUnitId: A, name: '张秀英', gender: 'female', phone: '13900000001', tier: 'strategic', tags: ['VIP'] });
    await customer(managerA, 'key', { orgUnitId: A, name: '李建国', gender: 'male', phone: '13900000002', tier: 'key', tags: ['VIP'] });
    // A secret file whose contact section is protected: sent to the real number, listed masked.
    await customer(managerA, 'secret', { orgUnitId: A, name: '钱慧', phone: '13900000003', tier: 'strategic', tags: ['VIP'], confidentiality: 'secret', protectedSections: ['contact'] });
    await customer(managerA, 'mail', { orgUnitId: A, name: '孙丽', email: 'sun.li@example.test', tier: 'key', tags: ['邮件'] });
    await customer(managerA, 'nophone', { orgUnitId: A, name: '周平', tier: 'ordinary', tags: ['VIP'] });
    await customer(managerB, 'vipB', { orgUnitId: w.units.branchB.id, name: '郑国强', phone: '13900000009', tier: 'strategic', tags: ['VIP'] });
    ids.smsRule = (await rule(managerA, A, { name: '中秋短信', tiers: ['strategic', 'key'], tags: ['VIP'], channel: 'sms', template: '尊敬的{{name}}{{title}}，{{unit}}祝您{{festival}}快乐！（{{date}}）', giftValue: 150 })).id;
    ids.mailRule = (await rule(managerA, A, { name: '中秋邮件', tiers: ['key'], tags: ['邮件'], channel: 'email', template: '{{name}}：中秋快乐', giftValue: 0 })).id;
    await rule(managerA, A, { name: '普通客户', tiers: ['ordinary'], tags: ['VIP'], channel: 'sms', template: '{{name}}中秋快乐', giftValue: 50 });
    await rule(managerB, w.units.branchB.id, { name: 'B中秋', tags: ['VIP'], channel: 'sms', template: '{{name}}中秋快乐' });
  });
  afterAll(async () => {
    setSmsProvider(null);
    closeMailTransports();
    await new Promise<void>((r) => smtp.close(() => r()));
    await t?.close();
  });

  const taskOf = async (key: string) => (await tasks(managerA)).find((x) => x.customerId === ids[key])!;

  it('sends a care task: the rule text rendered for the customer, queued then recorded by the default SMS provider, gift recorded, task done', async () => {
    const task = await taskOf('vip');
    const res = await managerA.post(`/api/care-tasks/${task.id}/send`, { version: task.version, giftNote: '月饼礼盒' });
    expect(res.statusCode, res.body).toBe(200);
    const sent = res.json();
    expect(sent).toMatchObject({ taskId: task.id, status: 'sent', version: task.version + 1, giftValue: 150 });
    expect(await message(sent.messageId)).toMatchObject({ status: 'queued', channel: 'sms', recipient: '13900000001', source_kind: 'care_task', source_id: task.id, body: '尊敬的张秀英女士，洛阳分店祝您中秋节快乐！（2026年9月25日）' });
    expect(await t.kefu.db.selectFrom('care_gifts').selectAll().where('task_id', '=', task.id).executeTakeFirst()).toMatchObject({ value: 150, description: '月饼礼盒', customer_id: ids.vip });
    expect((await managerA.get('/api/care-tasks?status=sent')).json().map((x: { id: string }) => x.id)).toContain(task.id);

    expect(await runJobs()).toMatchObject({ claimed: 1, done: 1 });
    expect(await message(sent.messageId)).toMatchObject({ status: 'recorded', provider: 'record', attempts: 1 });
    const listed = (await managerA.get('/api/customer-messages')).json();
    expect(listed).toMatchObject({ smsProvider: 'record', counts: { recorded: 1, queued: 0 } });
    expect(listed.items[0]).toMatchObject({ id: sent.messageId, customerName: '张秀英', recipient: '13900000001', recipientMasked: false, status: 'recorded', sourceKind: 'care_task' });
    // Sent once: a second send is refused.
    expect((await managerA.post(`/api/care-tasks/${task.id}/send`, { version: task.version + 1 })).json().code).toBe('CARE_TASK_DONE');
  });

  it("refuses a gift above the rule's limit and changes nothing", async () => {
    const task = await taskOf('key');
    const over = await managerA.post(`/api/care-tasks/${task.id}/send`, { version: task.version, giftValue: 151 });
    expect(over.statusCode).toBe(422);
    expect(over.json()).toMatchObject({ code: 'OUTREACH_GIFT_OVER_LIMIT', limit: 150 });
    expect(await taskOf('key')).toMatchObject({ version: task.version });
    expect(await t.kefu.db.selectFrom('customer_messages').select('id').where('source_id', '=', task.id).execute()).toHaveLength(0);
    // Within the limit: recorded at the value given.
    const ok = await managerA.post(`/api/care-tasks/${task.id}/send`, { version: task.version, giftValue: 80 });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().giftValue).toBe(80);
    expect((await message(ok.json().messageId)).body).toBe('尊敬的李建国先生，洛阳分店祝您中秋节快乐！（2026年9月25日）');
  });

  it('sends the selected tasks all or nothing: one refused → none sent and the refused ids listed; then both', async () => {
    const secret = await taskOf('secret');
    const nophone = await taskOf('nophone');
    const refused = await managerA.post('/api/care-tasks/bulk-send', { items: [{ id: secret.id, version: secret.version }, { id: nophone.id, version: nophone.version }] });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().code).toBe('OUTREACH_BULK_REFUSED');
    expect(refused.json().refused).toEqual([expect.objectContaining({ id: nophone.id, code: 'OUTREACH_NO_CONTACT' })]);
    expect(await taskOf('secret')).toBeTruthy();
    expect(await t.kefu.db.selectFrom('customer_messages').select('id').where('source_id', '=', secret.id).execute()).toHaveLength(0);

    // Branch B's task is "not found" among A's selection: nothing sent either.
    const taskB = (await tasks(managerB))[0]!;
    const foreign = await managerA.post('/api/care-tasks/bulk-send', { items: [{ id: secret.id, version: secret.version }, { id: taskB.id, version: taskB.version }] });
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json().refused.map((r: { id: string }) => r.id)).toEqual([taskB.id]);

    // The customer gets a phone; both go.
    const file = (await managerA.get(`/api/customers/${ids.nophone}`)).json();
    expect((await managerA.patch(`/api/customers/${ids.nophone}`, { version: file.version, phone: '13900000004' })).statusCode).toBe(200);
    const both = await managerA.post('/api/care-tasks/bulk-send', { items: [{ id: secret.id, version: secret.version }, { id: nophone.id, version: nophone.version }] });
    expect(both.statusCode, both.body).toBe(200);
    expect(both.json().items.map((x: { taskId: string }) => x.taskId)).toEqual([secret.id, nophone.id]);
    const secretMsg = both.json().items[0].messageId;
    // The real number is used server-side; the list shows it masked as the secret file does.
    expect((await message(secretMsg)).recipient).toBe('13900000003');
    const listed = (await managerA.get('/api/customer-messages?sourceKind=care_task')).json().items as { id: string; recipient: string; recipientMasked: boolean }[];
    expect(listed.find((m) => m.id === secretMsg)).toMatchObject({ recipient: '139****0003', recipientMasked: true });
    expect(JSON.stringify(listed)).not.toContain('13900000003');
  });

  it('sends e-mail over SMTP when configured; without SMTP the message waits queued', async () => {
    const task = await taskOf('mail');
    const res = await managerA.post(`/api/care-tasks/${task.id}/send`, { version: task.version });
    expect(res.statusCode, res.body).toBe(200);
    const id = res.json().messageId;
    await runJobs();
    expect(await message(id)).toMatchObject({ status: 'queued', last_error: SMTP_NOT_CONFIGURED });
    expect(received).toHaveLength(0);

    configureMail({ publicUrl: 'https://kefu.example.test', smtpUrl, from: 'Kefu <kefu@example.test>' });
    const retry = await managerA.post('/api/customer-messages/' + id + '/retry');
    expect(retry.json().code).toBe('OUTREACH_MESSAGE_NOT_FAILED'); // waiting is not failed
    const { resumeWaitingCustomerEmail } = await import('../../src/server/modules/outreach/outreach.service.ts');
    expect(await resumeWaitingCustomerEmail(t.kefu.db, t.clock)).toBe(1);
    await runJobs();
    expect(received).toEqual([{ to: 'sun.li@example.test', subject: '中秋节问候', text: expect.stringContaining('孙丽：中秋快乐') }]);
    expect(await message(id)).toMatchObject({ status: 'sent', provider: 'smtp', last_error: null });
  });

  it('SMS through a provider: delivered messages are sent with its reference; a refusal retries, then fails, and can be retried', async () => {
    const calls: { to: string; text: string }[] = [];
    let refuse = true;
    setSmsProvider({ name: 'test-gateway', send: async (to, text) => { calls.push({ to, text }); if (refuse) throw new Error('gateway says no'); return { ref: 'gw-1' }; } });
    const ev = (await managerA.post('/api/customer-events', { orgUnitId: w.units.branchA.id, title: '提醒', kind: 'other', startsAt: '2026-12-01T06:00:00Z', endsAt: '2026-12-01T08:00:00Z', place: '大堂', capacity: 5 })).json();
    const inv = (await managerA.post(`/api/customer-events/${ev.id}/invitees`, { customerIds: [ids.vip], channel: 'sms', template: '{{name}}您好' })).json();
    expect(inv).toMatchObject({ added: 1, queued: 1 });
    const msgId = (await managerA.get(`/api/customer-events/${ev.id}`)).json().invitees[0].messageId;
    for (let i = 0; i < 5; i++) {
      await runJobs();
      t.clock.advance(3600_000);
    }
    expect(calls).toHaveLength(5);
    expect(calls[0]).toEqual({ to: '13900000001', text: '张秀英您好' });
    expect(await message(msgId)).toMatchObject({ status: 'failed', attempts: 5, last_error: expect.stringContaining('gateway says no') });
    refuse = false;
    const retried = await managerA.post(`/api/customer-messages/${msgId}/retry`);
    expect(retried.statusCode, retried.body).toBe(200);
    expect(retried.json()).toMatchObject({ status: 'queued' });
    await runJobs();
    expect(await message(msgId)).toMatchObject({ status: 'sent', provider: 'test-gateway', provider_ref: 'gw-1' });
    setSmsProvider(null);
    expect((await managerA.delete(`/api/customer-events/${ev.id}`)).statusCode).toBe(204);
  });

  it('events: invites chosen customers and a segment through the outbox, records replies, enforces capacity, counts per reply', async () => {
    const bad = await managerA.post('/api/customer-events', { orgUnitId: w.units.branchA.id, title: '中秋沙龙', kind: 'salon', startsAt: '2026-10-10T06:00:00Z', endsAt: '2026-10-10T04:00:00Z', place: '三楼', capacity: 2 });
    expect(bad.statusCode).toBe(400);
    const created = await managerA.post('/api/customer-events', { orgUnitId: w.units.branchA.id, title: '中秋品茶沙龙', kind: 'salon', startsAt: '2026-10-10T06:30:00Z', endsAt: '2026-10-10T09:00:00Z', place: '洛阳分店三楼茶室', capacity: 2, description: '品茶、赏月' });
    expect(created.statusCode, created.body).toBe(201);
    const ev = created.json();
    expect(ev).toMatchObject({ kind: 'salon', capacity: 2, orgUnitName: '洛阳分店', counts: { total: 0 }, invitees: [] });

    const chosen = await managerA.post(`/api/customer-events/${ev.id}/invitees`, { customerIds: [ids.vip, ids.key], channel: 'sms' });
    expect(chosen.statusCode, chosen.body).toBe(200);
    expect(chosen.json()).toEqual({ added: 2, existing: 0, queued: 2, noContact: [] });
    // A segment: VIP strategic customers of the branch — two new ones, one already invited; one without e-mail.
    const seg = await managerA.post(`/api/customer-events/${ev.id}/invitees`, { segment: { tiers: ['strategic'], tags: ['VIP'] }, channel: 'email' });
    expect(seg.json()).toMatchObject({ added: 1, existing: 1, queued: 0, noContact: [ids.secret] });
    let detail = (await managerA.get(`/api/customer-events/${ev.id}`)).json();
    expect(detail.counts).toEqual({ pending: 3, accepted: 0, declined: 0, no_answer: 0, attended: 0, total: 3 });
    const inv = Object.fromEntries(detail.invitees.map((i: { customerId: string }) => [i.customerId, i])) as Record<string, { id: string; version: number; messageId: string }>;
    // The invitation text, rendered in the unit's time zone (Asia/Shanghai).
    expect((await message(inv[ids.vip]!.messageId)).body).toBe('尊敬的张秀英女士：诚邀您参加中秋品茶沙龙，时间：2026年10月10日 14:30，地点：洛阳分店三楼茶室。敬请回复，期待您的光临！');
    expect((await message(inv[ids.vip]!.messageId)).source_kind).toBe('event_invitation');

    const reply = (key: string, r: string, version = inv[ids[key]!]!.version, note?: string) =>
      managerA.post(`/api/customer-events/${ev.id}/invitees/${inv[ids[key]!]!.id}/reply`, { version, reply: r, ...(note ? { note } : {}) });
    expect((await reply('vip', 'accepted', 1, '携夫人')).json()).toMatchObject({ reply: 'accepted', note: '携夫人', version: 2 });
    expect((await reply('key', 'accepted')).json()).toMatchObject({ reply: 'accepted' });
    const full = await reply('secret', 'accepted');
    expect(full.statusCode).toBe(409);
    expect(full.json()).toMatchObject({ code: 'OUTREACH_EVENT_FULL', capacity: 2 });
    expect((await reply('secret', 'no_answer')).statusCode).toBe(200);
    // Accepted → attended keeps the seat; a stale version is 409.
    expect((await reply('vip', 'attended', 2)).json()).toMatchObject({ reply: 'attended' });
    expect((await reply('vip', 'declined', 2)).statusCode).toBe(409);
    // Capacity cannot go below the seats taken.
    const below = await managerA.put(`/api/customer-events/${ev.id}`, { version: ev.version, title: ev.title, kind: 'salon', startsAt: ev.startsAt, endsAt: ev.endsAt, place: ev.place, capacity: 1 });
    expect(below.json().code).toBe('OUTREACH_CAPACITY_BELOW_SEATS');
    detail = (await managerA.get(`/api/customer-events/${ev.id}`)).json();
    expect(detail.counts).toEqual({ pending: 0, accepted: 1, declined: 0, no_answer: 1, attended: 1, total: 3 });
    expect((await managerA.get('/api/customer-events')).json().find((e: { id: string }) => e.id === ev.id).counts).toEqual(detail.counts);
    ids.event = ev.id;
    ids.invitee = inv[ids.vip]!.id;
  });

  it("keeps branch B out: B's manager gets 404 for A's events and messages, cannot invite A's customers; an agent gets 403", async () => {
    const msg = (await managerA.get('/api/customer-messages')).json().items[0];
    expect((await managerB.get(`/api/customer-events/${ids.event}`)).statusCode).toBe(404);
    expect((await managerB.put(`/api/customer-events/${ids.event}`, { version: 1, title: 'x', kind: 'other', startsAt: '2026-10-10T06:30:00Z', endsAt: '2026-10-10T09:00:00Z', place: 'x', capacity: 9 })).statusCode).toBe(404);
    expect((await managerB.post(`/api/customer-events/${ids.event}/invitees`, { customerIds: [ids.vipB] })).statusCode).toBe(404);
    expect((await managerB.post(`/api/customer-events/${ids.event}/invitees/${ids.invitee}/reply`, { version: 3, reply: 'declined' })).statusCode).toBe(404);
    expect((await managerB.delete(`/api/customer-events/${ids.event}`)).statusCode).toBe(404);
    expect((await managerB.post(`/api/customer-messages/${msg.id}/retry`)).statusCode).toBe(404);
    expect((await managerB.get('/api/customer-messages')).json()).toMatchObject({ items: [], counts: { queued: 0, sent: 0, recorded: 0, failed: 0 } });
    expect((await managerB.get('/api/customer-events')).json()).toEqual([]);
    expect((await managerB.post('/api/customer-events', { orgUnitId: w.units.branchA.id, title: 'x', kind: 'other', startsAt: '2026-10-10T06:30:00Z', endsAt: '2026-10-10T09:00:00Z', place: 'x', capacity: 9 })).statusCode).toBe(404);
    // B's own event cannot take A's customers: not found, nothing invited.
    const evB = (await managerB.post('/api/customer-events', { orgUnitId: w.units.branchB.id, title: 'B座谈会', kind: 'forum', startsAt: '2026-10-10T06:30:00Z', endsAt: '2026-10-10T09:00:00Z', place: '郑州', capacity: 9 })).json();
    const steal = await managerB.post(`/api/customer-events/${evB.id}/invitees`, { customerIds: [ids.vipB, ids.vip], channel: 'sms' });
    expect(steal.statusCode).toBe(404);
    expect(steal.json().refused).toEqual([ids.vip]);
    expect((await managerB.get(`/api/customer-events/${evB.id}`)).json().counts.total).toBe(0);
    expect((await managerA.get(`/api/customer-events/${evB.id}`)).statusCode).toBe(404);
    expect((await agentA.get('/api/customer-events')).statusCode).toBe(403);
    expect((await agentA.get('/api/customer-messages')).statusCode).toBe(403);
  });

  it('a merge of customer files moves messages, gifts and invitations to the survivor, folding a double invitation', async () => {
    const ev = (await managerA.post('/api/customer-events', { orgUnitId: w.units.branchA.id, title: '答谢会', kind: 'thanks', startsAt: '2026-12-20T10:00:00Z', endsAt: '2026-12-20T12:00:00Z', place: '宴会厅', capacity: 10 })).json();
    await managerA.post(`/api/customer-events/${ev.id}/invitees`, { customerIds: [ids.mail, ids.nophone], channel: 'none' });
    const inv = (await managerA.get(`/api/customer-events/${ev.id}`)).json().invitees as { id: string; customerId: string; version: number }[];
    const merged = inv.find((i) => i.customerId === ids.nophone)!;
    expect((await managerA.post(`/api/customer-events/${ev.id}/invitees/${merged.id}/reply`, { version: merged.version, reply: 'accepted' })).statusCode).toBe(200);
    const before = await t.kefu.db.selectFrom('customer_messages').select('id').where('customer_id', '=', ids.nophone!).execute();
    expect(before.length).toBeGreaterThan(0);

    const ctx = systemCtx(t.db.handle, t.clock, t.kefu.log);
    expect(await t.kefu.db.transaction().execute((trx) => runCustomerRelinkers(trx, ctx, ids.nophone!, ids.mail!))).toContain('outreach');
    const moved = await t.kefu.db.selectFrom('customer_messages').select('id').where('customer_id', '=', ids.mail!).execute();
    expect(moved.map((m) => m.id)).toEqual(expect.arrayContaining(before.map((m) => m.id)));
    expect(await t.kefu.db.selectFrom('care_gifts').select('id').where('customer_id', '=', ids.nophone!).execute()).toHaveLength(0);
    const after = (await managerA.get(`/api/customer-events/${ev.id}`)).json();
    expect(after.invitees.map((i: { customerId: string; reply: string }) => [i.customerId, i.reply])).toEqual([[ids.mail, 'accepted']]);
    expect(after.counts).toMatchObject({ accepted: 1, total: 1 });
  });

  it("erasure blanks the customer's messages and reply notes, keeping the facts", async () => {
    const ctx = systemCtx(t.db.handle, t.clock, t.kefu.log);
    await t.kefu.db.transaction().execute((trx) => runCustomerErasers(trx, ctx, ids.vip!));
    const rows = await t.kefu.db.selectFrom('customer_messages').selectAll().where('customer_id', '=', ids.vip!).execute();
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) expect(r).toMatchObject({ recipient: null, subject: null, body: '' });
    expect(rows.every((r) => r.erased_at !== null)).toBe(true);
    const inv = await t.kefu.db.selectFrom('customer_event_invitees').selectAll().where('id', '=', ids.invitee!).executeTakeFirstOrThrow();
    expect(inv).toMatchObject({ note: null, reply: 'attended' });
    expect((await t.kefu.db.selectFrom('care_gifts').selectAll().where('customer_id', '=', ids.vip!).executeTakeFirstOrThrow())).toMatchObject({ description: null, value: 150 });
  });
});
