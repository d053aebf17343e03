import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, intakeBody, seedWorld, workOrders, type Client, type TestApp, type World } from '../utils/app.ts';

type Ticket = { id: string; version: number; status: string; watchers: { userId: string; name: string }[] };
type Note = { ticketId: string | null; kind: string; text: string };

/** Watchers 关注人: watch and unwatch, adding others, told of public replies and status changes. */
describe('work orders: watchers', () => {
  let t: TestApp;
  let w: World;
  let agentA: Client;
  let leadA: Client;
  let managerA: Client;
  let agentB: Client;
  const watched = async (c: Client, ticketId: string) => ((await c.get('/api/notifications?limit=100')).json().items as Note[]).filter((n) => n.kind === 'watched' && n.ticketId === ticketId);

  beforeAll(async () => {
    t = await createTestApp();
    w = await seedWorld(t);
    agentA = await t.login('agent.a');
    leadA = await t.login('lead.a');
    managerA = await t.login('manager.a');
    agentB = await t.login('agent.b');
  });
  afterAll(() => t.close());

  const intake = async () => (await agentA.post('/api/tickets', await intakeBody(agentA, workOrders.aircon))).json() as Ticket;

  it('anyone who can read the order watches and unwatches it; the list is on the order', async () => {
    const tk = await intake();
    expect(tk.watchers).toEqual([]);
    const res = await leadA.post(`/api/tickets/${tk.id}/watchers`, {});
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual([{ userId: w.users.leadA.id, name: '张领班' }]);
    // Twice is once.
    expect((await leadA.post(`/api/tickets/${tk.id}/watchers`, {})).json()).toHaveLength(1);
    expect(((await agentA.get(`/api/tickets/${tk.id}`)).json() as Ticket).watchers).toEqual([{ userId: w.users.leadA.id, name: '张领班' }]);
    // Watching bumps no version.
    expect(((await agentA.get(`/api/tickets/${tk.id}`)).json() as Ticket).version).toBe(tk.version);
    expect((await leadA.delete(`/api/tickets/${tk.id}/watchers/${w.users.leadA.id}`)).statusCode).toBe(204);
    expect(((await agentA.get(`/api/tickets/${tk.id}`)).json() as Ticket).watchers).toEqual([]);
    expect((await leadA.delete(`/api/tickets/${tk.id}/watchers/${w.users.leadA.id}`)).statusCode).toBe(404);
    const audit = (await managerA.get(`/api/audit?entityType=ticket&entityId=${tk.id}`)).json().items.map((e: { action: string }) => e.action);
    expect(audit).toEqual(expect.arrayContaining(['ticket.watch', 'ticket.unwatch']));
  });

  it('another branch cannot watch, list or unwatch (404)', async () => {
    const tk = await intake();
    expect((await agentB.post(`/api/tickets/${tk.id}/watchers`, {})).statusCode).toBe(404);
    expect((await agentB.delete(`/api/tickets/${tk.id}/watchers/${w.users.agentB.id}`)).statusCode).toBe(404);
  });

  it('adding someone else needs ticket:assign over the order, and that person must be able to read it', async () => {
    const tk = await intake();
    // An agent holds no ticket:assign: 403, nothing added.
    expect((await agentA.post(`/api/tickets/${tk.id}/watchers`, { userId: w.users.leadA.id })).statusCode).toBe(403);
    // The shift lead may add the agent…
    const ok = await leadA.post(`/api/tickets/${tk.id}/watchers`, { userId: w.users.agentA.id });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toEqual([{ userId: w.users.agentA.id, name: '刘客服' }]);
    // …but not someone of branch B, nor an unknown person (the same answer).
    const far = await leadA.post(`/api/tickets/${tk.id}/watchers`, { userId: w.users.agentB.id });
    expect(far.statusCode).toBe(400);
    expect(far.json().errors[0].field).toBe('userId');
    expect((await leadA.post(`/api/tickets/${tk.id}/watchers`, { userId: '01900000-0000-7000-8000-000000000000' })).json().errors[0].field).toBe('userId');
    // Removing someone else: the agent may not remove the lead's pick of someone else, the lead may.
    await managerA.post(`/api/tickets/${tk.id}/watchers`, {});
    expect((await agentA.delete(`/api/tickets/${tk.id}/watchers/${w.users.managerA.id}`)).statusCode).toBe(403);
    expect((await leadA.delete(`/api/tickets/${tk.id}/watchers/${w.users.managerA.id}`)).statusCode).toBe(204);
    expect(((await agentA.get(`/api/tickets/${tk.id}`)).json() as Ticket).watchers.map((x) => x.userId)).toEqual([w.users.agentA.id]);
  });

  it('watchers are told of public replies and status changes by others, not of their own actions nor of notes', async () => {
    let tk = await intake();
    await leadA.post(`/api/tickets/${tk.id}/watchers`, {});
    await agentA.post(`/api/tickets/${tk.id}/watchers`, {});

    tk = (await agentA.post(`/api/tickets/${tk.id}/take`, { version: tk.version })).json();
    let lead = await watched(leadA, tk.id);
    expect(lead).toHaveLength(1);
    expect(lead[0].text).toContain('已分派');
    expect(await watched(agentA, tk.id)).toHaveLength(0); // their own action

    tk = (await agentA.post(`/api/tickets/${tk.id}/transitions`, { to: 'in_progress', version: tk.version })).json();
    expect((await agentA.post(`/api/tickets/${tk.id}/messages`, { kind: 'reply', body: '您好，工程部已在检修空调，稍后为您换房。' })).statusCode).toBe(201);
    expect((await agentA.post(`/api/tickets/${tk.id}/messages`, { kind: 'note', body: '内部备注：空调压缩机故障' })).statusCode).toBe(201);
    lead = await watched(leadA, tk.id);
    expect(lead.map((n) => n.text)).toEqual([
      expect.stringContaining('回复了你关注的工单'),
      expect.stringContaining('处理中'),
      expect.stringContaining('已分派'),
    ]);
    expect(lead[0].text).toContain('工程部已在检修空调');
    expect(await watched(agentA, tk.id)).toHaveLength(0);

    // The lead replies: the agent (watcher) hears of it, the lead does not; in English for an English reader.
    await leadA.post(`/api/tickets/${tk.id}/messages`, { kind: 'reply', body: '已安排换房' });
    const en = await t.login('agent.a', undefined, 'en');
    const mine = ((await en.get('/api/notifications?limit=100')).json().items as Note[]).filter((n) => n.kind === 'watched' && n.ticketId === tk.id);
    expect(mine).toHaveLength(1);
    expect(mine[0].text).toMatch(/replied on .* which you watch/);
    expect(await watched(leadA, tk.id)).toHaveLength(3);

    // Unwatched: no more notifications.
    await leadA.delete(`/api/tickets/${tk.id}/watchers/${w.users.leadA.id}`);
    await agentA.post(`/api/tickets/${tk.id}/transitions`, { to: 'waiting_customer', version: tk.version });
    expect(await watched(leadA, tk.id)).toHaveLength(3);
  });
});
