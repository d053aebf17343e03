import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, HIRED_PASSWORD, addUnit, createTestApp, hireThroughApi, intakeBody, seedWorld, workOrders, type Client, type TestApp, type World, type WorkOrderSample } from '../utils/app.ts';

type Ticket = { id: string; number: string; status: string; version: number; closeReason: string | null; reopenCount: number; mergedInto?: { id: string; number: string | null } | null };
type Event = { kind: string; actorName: string; data: Record<string, unknown> };
type Link = { id: string; kind: string; direction: string; ticketId: string; number: string; subject: string };
const DAY = 86_400_000;

/** Merging duplicates (合并), links between work orders (关联) and the customer's rating link (满意度评价链接). */
describe('work orders: merge, links and the rating link', () => {
  let t: TestApp;
  let w: World;
  let agentA: Client;
  let agentB: Client;
  let director: Client;
  let admin: Client;
  let supervisor: { id: string; client: Client };
  let engineering: { id: string };

  const create = async (c: Client, s: WorkOrderSample, extra: Record<string, unknown> = {}): Promise<Ticket> => {
    const res = await c.post('/api/tickets', await intakeBody(c, s, extra));
    expect(res.statusCode, res.body).toBe(201);
    return res.json();
  };
  const get = async (c: Client, id: string): Promise<Ticket> => (await c.get(`/api/tickets/${id}`)).json();
  const timeline = async (c: Client, id: string): Promise<Event[]> => (await c.get(`/api/tickets/${id}/timeline`)).json();
  const inProgress = async (c: Client, s: WorkOrderSample): Promise<Ticket> => {
    let tk = await create(c, s);
    tk = (await c.post(`/api/tickets/${tk.id}/take`, { version: tk.version })).json();
    return (await c.post(`/api/tickets/${tk.id}/transitions`, { to: 'in_progress', version: tk.version })).json();
  };
  /** Registered, taken, worked on and resolved: awaiting its callback. */
  const resolved = async (c: Client, s: WorkOrderSample): Promise<Ticket> => {
    const tk = await inProgress(c, s);
    const res = await c.post(`/api/tickets/${tk.id}/transitions`, { to: 'resolved', version: tk.version });
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };
  const callbackOf = async (c: Client, ticketId: string, status = 'pending'): Promise<{ id: string; status: string } | undefined> =>
    ((await c.get(`/api/callbacks?status=${status}&limit=100`)).json().items as { id: string; ticketId: string; status: string }[]).find((x) => x.ticketId === ticketId);
  /** What a refusal must leave exactly as it was. */
  const snapshot = async (id: string) => {
    const tk = await get(director, id);
    return { version: tk.version, status: tk.status, mergedInto: tk.mergedInto ?? null, events: (await timeline(director, id)).length, links: (await director.get(`/api/tickets/${id}/links`)).json().length };
  };

  beforeAll(async () => {
    t = await createTestApp();
    w = await seedWorld(t);
    admin = await t.login('admin', ADMIN_PASSWORD);
    supervisor = await hireThroughApi(t, admin, { username: 'sup.a', displayName: '陈主管', orgUnitId: w.units.deptA.id, roleKey: 'supervisor' });
    engineering = await addUnit(t, w.units.branchA.id, 'department', '工程部', 'A-GC');
    agentA = await t.login('agent.a');
    agentB = await t.login('agent.b');
    director = await t.login('director');
  });
  afterAll(() => t.close());

  it('merges a duplicate: it closes, points at the survivor, and its conversation shows on the survivor', async () => {
    const survivor = await create(agentA, workOrders.aircon);
    const dup = await inProgress(agentA, workOrders.aircon);
    await agentA.post(`/api/tickets/${survivor.id}/messages`, { kind: 'note', body: '工程部上午检修' });
    await agentA.post(`/api/tickets/${dup.id}/messages`, { kind: 'reply', body: '您好，已安排换房。' });
    const transfer = await (await t.login('lead.a')).post(`/api/tickets/${dup.id}/transfers`, { departmentIds: [engineering.id], reason: '请工程部检修空调', timeLimitMinutes: 120, version: dup.version });
    expect(transfer.statusCode, transfer.body).toBeLessThan(300);
    const before = await get(agentA, dup.id);
    const survivorBefore = await get(agentA, survivor.id);

    const res = await agentA.post(`/api/tickets/${dup.id}/merge`, { targetId: survivor.id, version: before.version, reason: '同一客人重复来电' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ id: dup.id, status: 'closed', mergedInto: { id: survivor.id, number: survivor.number } });
    expect(res.json().closeReason).toContain(survivor.number);
    expect(await get(agentA, dup.id)).toMatchObject({ status: 'closed', mergedInto: { id: survivor.id, number: survivor.number } });
    // The survivor gained history, not an edit: its version stays.
    expect(await get(agentA, survivor.id)).toMatchObject({ status: survivorBefore.status, version: survivorBefore.version, mergedInto: null });

    const dupEvents = await timeline(agentA, dup.id);
    expect(dupEvents.find((e) => e.kind === 'merged')?.data).toMatchObject({ role: 'duplicate', number: survivor.number, reason: '同一客人重复来电' });
    expect(dupEvents.find((e) => e.kind === 'status' && e.data.to === 'closed')).toBeTruthy();
    expect(dupEvents.some((e) => e.kind === 'transfer.cancelled')).toBe(true); // its open transfer is withdrawn
    expect((await timeline(agentA, survivor.id)).find((e) => e.kind === 'merged')?.data).toMatchObject({ role: 'survivor', number: dup.number });

    const messages = (await agentA.get(`/api/tickets/${survivor.id}/messages`)).json() as { ticketNumber: string; merged: boolean; body: string }[];
    expect(messages).toEqual([
      expect.objectContaining({ ticketNumber: survivor.number, merged: false, body: '工程部上午检修' }),
      expect.objectContaining({ ticketNumber: dup.number, merged: true, body: '您好，已安排换房。' }),
    ]);
    // The duplicate's own view still has its own conversation.
    expect((await agentA.get(`/api/tickets/${dup.id}/messages`)).json()).toMatchObject([{ merged: false, body: '您好，已安排换房。' }]);

    const audit = (await admin.get(`/api/audit?entityId=${dup.id}&action=ticket.merge`)).json().items;
    expect(audit).toHaveLength(1);
    expect((await admin.get(`/api/audit?entityId=${survivor.id}&action=ticket.merge_into`)).json().items).toHaveLength(1);
  });

  it('cancels the pending callback of a duplicate awaiting it, and its rating link dies with it', async () => {
    const survivor = await create(agentA, workOrders.invoice);
    const dup = await resolved(agentA, workOrders.invoice);
    const cb = (await callbackOf(agentA, dup.id))!;
    const { token } = (await agentA.post(`/api/callbacks/${cb.id}/rating-link`)).json();
    const res = await agentA.post(`/api/tickets/${dup.id}/merge`, { targetId: survivor.id, version: dup.version, reason: '重复邮件' });
    expect(res.statusCode, res.body).toBe(200);
    expect(await callbackOf(agentA, dup.id)).toBeUndefined();
    expect((await callbackOf(agentA, dup.id, 'cancelled'))?.id).toBe(cb.id);
    expect((await timeline(agentA, dup.id)).some((e) => e.kind === 'callback.cancelled')).toBe(true);
    expect((await t.anonymous().get(`/api/public/ratings/${token}`)).json().state).toBe('expired');
  });

  it('refuses every bad merge with its own code and leaves both orders unchanged', async () => {
    const a = await create(agentA, workOrders.lamp);
    const b = await create(agentA, workOrders.smoke);
    const a2 = (await agentA.patch(`/api/tickets/${a.id}`, { version: a.version, priority: 'high' })).json() as Ticket;
    // A closed target: resolved and called back satisfied.
    const closed = await resolved(agentA, workOrders.quietRoom);
    await agentA.post(`/api/callbacks/${(await callbackOf(agentA, closed.id))!.id}/complete`, { reached: true, solved: true, satisfaction: 5, comment: '' });
    expect((await get(agentA, closed.id)).status).toBe('closed');
    // A merged source and target.
    const merged = await create(agentA, workOrders.lamp);
    expect((await agentA.post(`/api/tickets/${merged.id}/merge`, { targetId: b.id, version: merged.version, reason: '重复' })).statusCode).toBe(200);
    // Another company's order (郑州分店), registered by its own agent.
    const other = await create(agentB, workOrders.lamp);

    const watched = [a.id, b.id, closed.id, merged.id, other.id];
    const before = await Promise.all(watched.map(snapshot));
    const mergedNow = await get(agentA, merged.id);
    const cases: [Client, string, Record<string, unknown>, number, string][] = [
      [agentA, a.id, { targetId: a.id, version: a2.version, reason: '重复' }, 422, 'MERGE_SELF'],
      [agentA, a.id, { targetId: b.id, version: a.version, reason: '重复' }, 409, 'VERSION_CONFLICT'],
      [agentA, a.id, { targetId: closed.id, version: a2.version, reason: '重复' }, 409, 'MERGE_TARGET_CLOSED'],
      [agentA, merged.id, { targetId: a.id, version: mergedNow.version, reason: '重复' }, 409, 'MERGE_SOURCE_MERGED'],
      [agentA, a.id, { targetId: merged.id, version: a2.version, reason: '重复' }, 409, 'MERGE_TARGET_MERGED'],
      [director, a.id, { targetId: other.id, version: a2.version, reason: '跨店合并' }, 422, 'MERGE_OTHER_COMPANY'],
      [agentA, a.id, { targetId: other.id, version: a2.version, reason: '重复' }, 404, 'NOT_FOUND'], // B's order does not exist for A
      [agentB, a.id, { targetId: other.id, version: a2.version, reason: '重复' }, 404, 'NOT_FOUND'],
      [agentB, other.id, { targetId: a.id, version: other.version, reason: '重复' }, 404, 'NOT_FOUND'],
      [agentA, a.id, { targetId: b.id, version: a2.version, reason: '' }, 400, 'VALIDATION_FAILED'],
      [agentA, a.id, { targetId: b.id, version: a2.version, reason: '长'.repeat(501) }, 400, 'VALIDATION_FAILED'],
      [agentA, a.id, { targetId: 'not-an-id', version: a2.version, reason: '重复' }, 400, 'VALIDATION_FAILED'],
    ];
    for (const [c, id, body, status, code] of cases) {
      const res = await c.post(`/api/tickets/${id}/merge`, body);
      expect(res.statusCode, `${code}: ${res.body}`).toBe(status);
      expect(res.json().code).toBe(code);
    }
    expect(await Promise.all(watched.map(snapshot))).toEqual(before);
  });

  it('links work orders both ways, refuses self and duplicate links, and never shows another branch’s order', async () => {
    const a = await create(agentA, workOrders.shower);
    const b = await create(agentA, workOrders.smoke);
    const other = await create(agentB, workOrders.safe);

    const made = await agentA.post(`/api/tickets/${a.id}/links`, { ticketId: b.id, kind: 'caused_by' });
    expect(made.statusCode, made.body).toBe(201);
    expect(made.json()).toMatchObject([{ kind: 'caused_by', direction: 'outgoing', ticketId: b.id, number: b.number, subject: workOrders.smoke.subject }]);
    expect((await agentA.get(`/api/tickets/${b.id}/links`)).json()).toMatchObject([{ kind: 'caused_by', direction: 'incoming', ticketId: a.id, number: a.number }]);
    expect((await timeline(agentA, a.id)).find((e) => e.kind === 'linked')?.data).toMatchObject({ direction: 'outgoing', ticketId: b.id });
    expect((await timeline(agentA, b.id)).find((e) => e.kind === 'linked')?.data).toMatchObject({ direction: 'incoming', ticketId: a.id });

    const before = await Promise.all([a.id, b.id].map(snapshot));
    for (const [c, id, body, status, code] of [
      [agentA, b.id, { ticketId: a.id, kind: 'related' }, 409, 'LINK_EXISTS'],
      [agentA, a.id, { ticketId: b.id, kind: 'follow_up' }, 409, 'LINK_EXISTS'],
      [agentA, a.id, { ticketId: a.id, kind: 'related' }, 422, 'LINK_SELF'],
      [agentA, a.id, { ticketId: other.id, kind: 'related' }, 404, 'NOT_FOUND'],
      [agentB, a.id, { ticketId: other.id, kind: 'related' }, 404, 'NOT_FOUND'],
      [agentA, a.id, { ticketId: b.id, kind: 'duplicate_of_everything' }, 400, 'VALIDATION_FAILED'],
    ] as [Client, string, Record<string, unknown>, number, string][]) {
      const res = await c.post(`/api/tickets/${id}/links`, body);
      expect(res.statusCode, `${code}: ${res.body}`).toBe(status);
      expect(res.json().code).toBe(code);
    }
    expect(await Promise.all([a.id, b.id].map(snapshot))).toEqual(before);

    // The director, who reads both branches, links A's order to B's: each side sees only what it may read.
    expect((await director.post(`/api/tickets/${a.id}/links`, { ticketId: other.id, kind: 'related' })).statusCode).toBe(201);
    expect((await director.get(`/api/tickets/${a.id}/links`)).json()).toHaveLength(2);
    const seenByA = await agentA.get(`/api/tickets/${a.id}/links`);
    expect(seenByA.json()).toHaveLength(1);
    expect(seenByA.body).not.toContain(other.number);
    expect(seenByA.body).not.toContain(workOrders.safe.subject);
    const seenByB = await agentB.get(`/api/tickets/${other.id}/links`);
    expect(seenByB.statusCode).toBe(200);
    expect(seenByB.json()).toEqual([]);
    expect((await agentB.get(`/api/tickets/${other.id}/timeline`)).body).not.toContain(a.number);
    expect((await agentB.get(`/api/tickets/${a.id}/links`)).statusCode).toBe(404);

    // Removing: from either side, by someone who may change that side; timeline on both.
    const link = (await agentA.get(`/api/tickets/${b.id}/links`)).json()[0] as Link;
    expect((await agentB.delete(`/api/tickets/${b.id}/links/${link.id}`)).statusCode).toBe(404);
    expect((await agentA.delete(`/api/tickets/${other.id}/links/${link.id}`)).statusCode).toBe(404);
    const removed = await agentA.delete(`/api/tickets/${b.id}/links/${link.id}`);
    expect(removed.statusCode, removed.body).toBe(200);
    expect(removed.json()).toEqual([]);
    expect((await agentA.get(`/api/tickets/${a.id}/links`)).json()).toEqual([]);
    expect((await timeline(agentA, a.id)).some((e) => e.kind === 'unlinked')).toBe(true);
    expect((await agentA.delete(`/api/tickets/${b.id}/links/${link.id}`)).statusCode).toBe(404);
  });

  describe('rating through a signed link', () => {
    const customer = () => t.anonymous();
    const issue = async (ticketId: string): Promise<{ cbId: string; token: string; path: string }> => {
      const cb = (await callbackOf(agentA, ticketId))!;
      const res = await agentA.post(`/api/callbacks/${cb.id}/rating-link`);
      expect(res.statusCode, res.body).toBe(201);
      return { cbId: cb.id, token: res.json().token, path: res.json().path };
    };

    it('gives e-mail and web orders a link when the callback is created, and phone orders none', async () => {
      const mail = await resolved(agentA, workOrders.invoice);
      const cb = (await callbackOf(agentA, mail.id))!;
      expect((await agentA.get(`/api/callbacks/${cb.id}/rating-link`)).json()).toMatchObject({ callbackId: cb.id, exists: true, state: 'open' });
      const web = await resolved(agentA, workOrders.gingerTea);
      expect((await agentA.get(`/api/callbacks/${(await callbackOf(agentA, web.id))!.id}/rating-link`)).json()).toMatchObject({ exists: true, state: 'open' });
      const phone = await resolved(agentA, workOrders.smoke);
      expect((await agentA.get(`/api/callbacks/${(await callbackOf(agentA, phone.id))!.id}/rating-link`)).json()).toMatchObject({ exists: false, state: null });
      // The token is never readable afterwards, and nothing in the database holds it.
      const { token, path } = await issue(mail.id);
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(path).toBe(`/rate/${token}`);
      expect((await agentA.get(`/api/callbacks/${cb.id}/rating-link`)).body).not.toContain(token);
      const stored = await t.kefu.db.selectFrom('rating_links').select('token_hash').where('callback_id', '=', cb.id).execute();
      expect(stored.map((r) => r.token_hash).join()).not.toContain(token);
    });

    it('a satisfied customer closes the order through the same rules as a phone callback; the link serves once', async () => {
      const tk = await resolved(agentA, workOrders.invoice);
      const older = await issue(tk.id);
      const { cbId, token } = await issue(tk.id); // a new link revokes the older one
      expect((await customer().get(`/api/public/ratings/${older.token}`)).json().state).toBe('expired');
      expect((await customer().post(`/api/public/ratings/${older.token}`, { solved: true, satisfaction: 5 })).json().code).toBe('RATING_LINK_EXPIRED');

      const view = await customer().get(`/api/public/ratings/${token}`);
      expect(view.statusCode, view.body).toBe(200);
      expect(view.json()).toEqual({ number: tk.number, subject: workOrders.invoice.subject, companyName: '洛阳分店', state: 'open' });

      for (const bad of [{ solved: true, satisfaction: 6 }, { solved: true, satisfaction: 0 }, { solved: 'yes', satisfaction: 5 }, { solved: true, satisfaction: 5, comment: '长'.repeat(501) }, { solved: true, satisfaction: 5, extra: 1 }]) {
        expect((await customer().post(`/api/public/ratings/${token}`, bad)).statusCode).toBe(400);
      }
      expect((await get(agentA, tk.id)).status).toBe('awaiting_callback');

      const res = await customer().post(`/api/public/ratings/${token}`, { solved: true, satisfaction: 5, comment: '回复很及时，谢谢' });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ state: 'rated' });
      expect(await get(agentA, tk.id)).toMatchObject({ status: 'closed', closeReason: '回访满意' });
      expect((await callbackOf(agentA, tk.id, 'done'))?.id).toBe(cbId);
      const completed = (await timeline(agentA, tk.id)).find((e) => e.kind === 'callback.completed')!;
      expect(completed.actorName).toBe('客户（评价链接）');
      expect(completed.data).toMatchObject({ solved: true, satisfaction: 5, comment: '回复很及时，谢谢', via: 'rating_link' });
      expect((await admin.get(`/api/audit?entityId=${cbId}&action=rating_link.use`)).json().items).toHaveLength(1);

      // Second use: refused, nothing changes.
      const events = (await timeline(agentA, tk.id)).length;
      const again = await customer().post(`/api/public/ratings/${token}`, { solved: false, satisfaction: 1 });
      expect(again.statusCode).toBe(410);
      expect(again.json().code).toBe('RATING_LINK_USED');
      expect((await customer().get(`/api/public/ratings/${token}`)).json().state).toBe('rated');
      expect((await get(agentA, tk.id)).status).toBe('closed');
      expect((await timeline(agentA, tk.id)).length).toBe(events);
      // Unknown tokens: 404, also when malformed.
      for (const unknown of ['A'.repeat(43), 'x']) {
        expect((await customer().get(`/api/public/ratings/${unknown}`)).statusCode).toBe(404);
        expect((await customer().post(`/api/public/ratings/${unknown}`, { solved: true, satisfaction: 5 })).statusCode).toBe(404);
      }
    });

    it('a very dissatisfied customer reopens the order and the supervisor is notified', async () => {
      const tk = await resolved(agentA, workOrders.gingerTea);
      const { token } = await issue(tk.id);
      const res = await customer().post(`/api/public/ratings/${token}`, { solved: false, satisfaction: 1, comment: '根本没人处理' });
      expect(res.statusCode, res.body).toBe(200);
      expect(await get(agentA, tk.id)).toMatchObject({ status: 'in_progress', reopenCount: 1 });
      const events = await timeline(agentA, tk.id);
      expect(events.find((e) => e.kind === 'escalated')).toMatchObject({ actorName: '客户（评价链接）' });
      const notes = ((await supervisor.client.get('/api/notifications')).json().items as { kind: string; ticketId: string }[]).filter((n) => n.ticketId === tk.id);
      expect(notes).toMatchObject([{ kind: 'escalation' }]);
    });

    it('an expired link is refused and changes nothing', async () => {
      const tk = await resolved(agentA, workOrders.invoice);
      const { token, cbId } = await issue(tk.id);
      t.clock.advance(15 * DAY);
      agentA = await t.login('agent.a'); // the old session ended long ago
      expect((await customer().get(`/api/public/ratings/${token}`)).json().state).toBe('expired');
      const res = await customer().post(`/api/public/ratings/${token}`, { solved: true, satisfaction: 4 });
      expect(res.statusCode).toBe(410);
      expect(res.json().code).toBe('RATING_LINK_EXPIRED');
      expect((await get(agentA, tk.id)).status).toBe('awaiting_callback');
      expect((await callbackOf(agentA, tk.id))?.id).toBe(cbId);
      // Staff can still send a fresh one.
      const fresh = await issue(tk.id);
      expect((await customer().get(`/api/public/ratings/${fresh.token}`)).json().state).toBe('open');
    });
  });
});
