import { createServer } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { iso } from '../../src/server/platform/clock.ts';
import { JobRunner } from '../../src/server/modules/jobs/job.runner.ts';
import { enqueue } from '../../src/server/modules/jobs/jobs.ts';
import { EMAIL_JOB, resumeWaitingEmail } from '../../src/server/modules/notifications/delivery.service.ts';
import { closeMailTransports, configureMail, SMTP_NOT_CONFIGURED } from '../../src/server/modules/notifications/mail.ts';
import { ADMIN_PASSWORD, createTestApp, intakeBody, seedWorld, workOrders, type Client, type TestApp, type World } from '../utils/app.ts';

/**
 * Notification delivery through a REAL SMTP conversation: a local `smtp-server` on a free port
 * receives what Kefu sends. Preferences decide the bell and the e-mail; the outbox row and its job
 * are written with the change; the job retries with back-off and is safe to run twice.
 */
interface Received {
  to: string;
  subject: string;
  text: string;
  messageId: string;
  raw: string;
  user: string | undefined;
}

const PUBLIC_URL = 'https://kefu.example.test';
const SMTP_USER = 'kefu-mailer';
const SMTP_PASS = 'Sm7p-hunter2-secret';

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

describe('notification delivery: preferences, e-mail outbox, SMTP', () => {
  let t: TestApp;
  let w: World;
  let admin: Client;
  let agentA: Client;
  let leadA: Client;
  let smtp: SMTPServer;
  let smtpUrl: string;
  const received: Received[] = [];
  const runner = () => new JobRunner({ db: t.kefu.db, dialect: t.kefu.dialect, clock: t.clock, log: t.kefu.log, workerId: 'mail-worker', random: () => 0 });
  const outbox = () => t.kefu.db.selectFrom('email_outbox').selectAll().orderBy('id').execute();
  const prefs = async (c: Client) => (await c.get('/api/me/notification-preferences')).json();
  const setPrefs = async (c: Client, body: Record<string, unknown>) => {
    const res = await c.put('/api/me/notification-preferences', { version: (await prefs(c)).version, ...body });
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };
  const newTicket = async () => {
    const res = await agentA.post('/api/tickets', await intakeBody(agentA, workOrders.lamp));
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: string; number: string; version: number };
  };
  const assignTo = async (userId: string) => {
    const tk = await newTicket();
    const res = await leadA.post(`/api/tickets/${tk.id}/assign`, { assigneeId: userId, version: tk.version });
    expect(res.statusCode, res.body).toBe(200);
    return tk;
  };

  beforeAll(async () => {
    t = await createTestApp();
    w = await seedWorld(t);
    smtp = new SMTPServer({
      logger: false,
      disabledCommands: ['STARTTLS'],
      allowInsecureAuth: true,
      onAuth(auth, _session, cb) {
        if (auth.username === SMTP_USER && auth.password === SMTP_PASS) cb(null, { user: auth.username });
        else cb(new Error('Invalid username or password'));
      },
      onData(stream, session, cb) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          void simpleParser(raw).then((m) => {
            received.push({
              to: session.envelope.rcptTo.map((r) => r.address).join(','),
              subject: m.subject ?? '',
              text: m.text ?? '',
              messageId: m.messageId ?? '',
              raw,
              user: session.user as string | undefined,
            });
            cb();
          }, cb);
        });
      },
    });
    const port = await freePort();
    await new Promise<void>((r) => smtp.listen(port, '127.0.0.1', r));
    smtpUrl = `smtp://${SMTP_USER}:${SMTP_PASS}@127.0.0.1:${port}`;
  });
  afterAll(async () => {
    closeMailTransports();
    await new Promise<void>((r) => smtp.close(() => r()));
    await t.close();
  });
  beforeEach(async () => {
    configureMail({ publicUrl: PUBLIC_URL, smtpUrl, from: 'Kefu <kefu@example.test>' });
    await t.kefu.db.deleteFrom('jobs').execute();
    await t.kefu.db.deleteFrom('email_outbox').execute();
    received.length = 0;
    // Some tests move the clock by hours: sign in afresh.
    admin = await t.login('admin', ADMIN_PASSWORD, 'en');
    agentA = await t.login(w.users.agentA.username);
    leadA = await t.login(w.users.leadA.username);
  });

  it('starts from sensible defaults: every kind in-app, e-mail only for escalations and time limits', async () => {
    const p = await prefs(await t.login(w.users.managerB.username));
    expect(p).toMatchObject({ email: null, emailLanguage: 'zh_en', version: 0 });
    const byKind = Object.fromEntries(p.items.map((i: { kind: string }) => [i.kind, i]));
    expect(Object.keys(byKind).sort()).toEqual(['assigned', 'compensation', 'escalation', 'mention', 'sla', 'transfer_answered', 'watched']);
    expect(byKind.assigned).toEqual({ kind: 'assigned', inApp: true, email: false, inAppRequired: false });
    expect(byKind.escalation).toEqual({ kind: 'escalation', inApp: true, email: true, inAppRequired: true });
    expect(byKind.sla).toMatchObject({ email: true, inAppRequired: true });
  });

  it('refuses bad preferences and changes nothing: in-app off for escalations, stale version, bad address, foreign kinds', async () => {
    const c = await t.login(w.users.agentB.username, undefined, 'en');
    const before = await prefs(c);
    const required = await c.put('/api/me/notification-preferences', { version: 0, items: [{ kind: 'escalation', inApp: false, email: true }] });
    expect(required.statusCode).toBe(422);
    expect(required.json().code).toBe('NOTIFICATION_IN_APP_REQUIRED');
    expect((await c.put('/api/me/notification-preferences', { version: 0, email: 'not an address', items: [] })).statusCode).toBe(400);
    expect((await c.put('/api/me/notification-preferences', { version: 0, items: [{ kind: 'everything', inApp: true, email: true }] })).statusCode).toBe(400);
    expect((await c.put('/api/me/notification-preferences', { version: 0, items: [{ kind: 'assigned', inApp: true, email: true }, { kind: 'assigned', inApp: false, email: true }] })).statusCode).toBe(400);
    expect(await prefs(c)).toEqual(before);
    const saved = await setPrefs(c, { email: 'wei@example.test', items: [{ kind: 'mention', inApp: true, email: true }] });
    expect(saved).toMatchObject({ email: 'wei@example.test', version: 1 });
    const stale = await c.put('/api/me/notification-preferences', { version: 0, items: [] });
    expect(stale.statusCode).toBe(409);
    // The address is the person's own record: administrators see it, and the change is audited (sealed).
    const user = (await admin.get(`/api/users/${w.users.agentB.id}`)).json();
    expect(user.email).toBe('wei@example.test');
  });

  it('e-mail off for a kind → no outbox row; in-app off → no bell row; no address → no e-mail', async () => {
    await setPrefs(agentA, { email: 'liu@example.test', items: [{ kind: 'assigned', inApp: true, email: false }] });
    const a = await assignTo(w.users.agentA.id);
    expect(await outbox()).toHaveLength(0);
    expect((await agentA.get('/api/notifications')).json().items[0]).toMatchObject({ kind: 'assigned', ticketId: a.id });

    await setPrefs(agentA, { items: [{ kind: 'assigned', inApp: false, email: false }] });
    const b = await assignTo(w.users.agentA.id);
    expect((await agentA.get('/api/notifications')).json().items.some((n: { ticketId: string }) => n.ticketId === b.id)).toBe(false);

    // The lead wants e-mail but has no address: nothing is queued.
    const lead = await t.login(w.users.leadA.username);
    await setPrefs(lead, { email: null, items: [{ kind: 'assigned', inApp: true, email: true }] });
    const tk = await newTicket();
    const res = await (await t.login(w.users.managerA.username)).post(`/api/tickets/${tk.id}/assign`, { assigneeId: w.users.leadA.id, version: tk.version });
    expect(res.statusCode, res.body).toBe(200);
    expect(await outbox()).toHaveLength(0);
    expect((await lead.get('/api/notifications')).json().items[0]).toMatchObject({ kind: 'assigned', ticketId: tk.id });
    await setPrefs(agentA, { items: [{ kind: 'assigned', inApp: true, email: false }] });
  });

  it('queues the e-mail with the change and sends it over SMTP: recipient, subject, link, Message-ID; a second run sends nothing', async () => {
    await setPrefs(agentA, { email: 'liu@example.test', emailLanguage: 'zh_en', items: [{ kind: 'assigned', inApp: true, email: true }] });
    const tk = await assignTo(w.users.agentA.id);
    const [row] = await outbox();
    expect(row).toMatchObject({ user_id: w.users.agentA.id, kind: 'assigned', ticket_id: tk.id, to_address: 'liu@example.test', status: 'queued', attempts: 0 });
    expect(row.message_id).toBe(`<${row.id}@kefu.example.test>`);
    const listed = (await admin.get('/api/email-outbox?status=queued')).json();
    expect(listed).toMatchObject({ smtpConfigured: true, counts: { queued: 1, sent: 0, failed: 0 } });
    expect(listed.items[0]).toMatchObject({ id: row.id, to: 'liu@example.test', status: 'queued' });

    expect(await runner().runOnce()).toMatchObject({ claimed: 1, done: 1 });
    expect(received).toHaveLength(1);
    const m = received[0];
    expect(m.to).toBe('liu@example.test');
    expect(m.user).toBe(SMTP_USER);
    expect(m.subject).toContain(tk.number);
    expect(m.subject).toContain('张领班');
    expect(m.text).toContain(`${PUBLIC_URL}/tickets/${tk.id}`);
    expect(m.text).toContain(`assigned ${tk.number}`); // the English text below the Chinese
    expect(m.messageId).toBe(row.message_id);
    const sent = (await outbox())[0];
    expect(sent).toMatchObject({ status: 'sent', attempts: 1, last_error: null });
    expect(sent.sent_at).toBe(iso(t.clock.now()));

    // The same message's job again (a re-run after a crash, a duplicate enqueue): recorded once, not re-sent.
    await t.kefu.db.transaction().execute((trx) => enqueue(trx, t, { kind: EMAIL_JOB, payload: { outboxId: row.id }, dedupeKey: `${row.id}:again` }));
    t.clock.advance(1000);
    expect(await runner().runOnce()).toMatchObject({ claimed: 1, done: 1 });
    expect(received).toHaveLength(1);
    expect((await outbox())[0]).toMatchObject({ status: 'sent', attempts: 1, sent_at: sent.sent_at });
    expect((await admin.get('/api/email-outbox')).json().counts).toEqual({ queued: 0, sent: 1, failed: 0 });
    // Only administrators see the outbox.
    expect((await agentA.get('/api/email-outbox')).statusCode).toBe(403);
  });

  it('escalations e-mail by default, in English for someone who chose English', async () => {
    const manager = await t.login(w.users.managerA.username);
    await setPrefs(manager, { email: 'wang@example.test', emailLanguage: 'en', items: [] });
    const tk = await newTicket();
    const res = await agentA.post(`/api/tickets/${tk.id}/escalations`, { level: 'department_manager', reason: '客人要求经理回电' });
    expect(res.statusCode, res.body).toBe(201);
    const rows = (await outbox()).filter((r) => r.user_id === w.users.managerA.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ kind: 'escalation', to_address: 'wang@example.test' });
    expect(rows[0].subject.startsWith('[Kefu]')).toBe(true);
    expect(rows[0].body).toContain(`Open the work order: ${PUBLIC_URL}/tickets/${tk.id}`);
    expect(rows[0].body).not.toContain('查看工单');
  });

  it('SMTP down: the job is retried with back-off, then failed — visible to administrators, without the password', async () => {
    configureMail({ publicUrl: PUBLIC_URL, smtpUrl: `smtp://${SMTP_USER}:${SMTP_PASS}@127.0.0.1:${await freePort()}`, from: 'Kefu <kefu@example.test>' });
    await setPrefs(agentA, { email: 'liu@example.test', items: [{ kind: 'assigned', inApp: true, email: true }] });
    await assignTo(w.users.agentA.id);
    const r = runner();
    for (let attempt = 1; attempt <= 5; attempt++) {
      const round = await r.runOnce();
      expect(round).toMatchObject({ claimed: 1, ...(attempt < 5 ? { retried: 1 } : { failed: 1 }) });
      const job = await t.kefu.db.selectFrom('jobs').selectAll().where('kind', '=', EMAIL_JOB).executeTakeFirstOrThrow();
      const [row] = await outbox();
      expect(row).toMatchObject({ attempts: attempt, status: attempt < 5 ? 'queued' : 'failed' });
      if (attempt < 5) {
        // Back-off 30 s × 2^(n−1): not due a moment before, due then.
        const wait = 30_000 * 2 ** (attempt - 1);
        expect(job.run_at).toBe(iso(new Date(t.clock.now().getTime() + wait)));
        t.clock.advance(wait - 1);
        expect((await r.runOnce()).claimed).toBe(0);
        t.clock.advance(1);
      } else expect(job.status).toBe('failed');
    }
    expect(received).toHaveLength(0);
    const failed = (await admin.get('/api/email-outbox?status=failed')).json();
    expect(failed.counts).toMatchObject({ failed: 1 });
    expect(failed.items[0].lastError).toBeTruthy();
    expect(JSON.stringify(failed)).not.toContain(SMTP_PASS);
    const jobs = (await admin.get(`/api/jobs?status=failed&kind=${EMAIL_JOB}`)).json();
    expect(jobs.items).toHaveLength(1);
    expect(JSON.stringify(jobs)).not.toContain(SMTP_PASS);

    // SMTP back: the administrator retries the failed job and the message goes out.
    configureMail({ publicUrl: PUBLIC_URL, smtpUrl, from: 'Kefu <kefu@example.test>' });
    expect((await admin.post(`/api/jobs/${jobs.items[0].id}/retry`)).statusCode).toBe(200);
    expect(await r.runOnce()).toMatchObject({ done: 1 });
    expect(received).toHaveLength(1);
    expect((await outbox())[0]).toMatchObject({ status: 'sent' });
  });

  it('without SMTP configuration messages stay queued with the reason, nothing fails, and they go out once configured', async () => {
    configureMail({ publicUrl: PUBLIC_URL, from: 'Kefu <kefu@example.test>' });
    await setPrefs(agentA, { email: 'liu@example.test', items: [{ kind: 'assigned', inApp: true, email: true }] });
    await assignTo(w.users.agentA.id);
    expect(await runner().runOnce()).toMatchObject({ claimed: 1, done: 1, failed: 0, retried: 0 });
    const page = (await admin.get('/api/email-outbox')).json();
    expect(page.smtpConfigured).toBe(false);
    expect(page.items[0]).toMatchObject({ status: 'queued', lastError: SMTP_NOT_CONFIGURED });

    configureMail({ publicUrl: PUBLIC_URL, smtpUrl, from: 'Kefu <kefu@example.test>' });
    expect(await resumeWaitingEmail(t.kefu.db, t.clock)).toBe(1);
    expect(await runner().runOnce()).toMatchObject({ done: 1 });
    expect(received).toHaveLength(1);
    expect((await outbox())[0]).toMatchObject({ status: 'sent' });
  });
});
