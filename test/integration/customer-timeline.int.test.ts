import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addStaff, addUnit, createTestApp, intakeBody, seedWorld, workOrders, type Client, type TestApp, type World } from '../utils/app.ts';

/**
 * The customer timeline 时间线 (customer-file issue §1): everything that touched the customer — work
 * orders, callbacks 回访, care tasks, notes 跟进记录, changes to the file, readings — newest first and
 * keyset-paged; what the caller may not see (work orders outside their scope, protected notes, the
 * reading log) is left out.
 */
type Item = { key: string; at: string; kind: string; ticket: { id: string; number: string } | null; text: string | null; from: string | null; to: string | null; satisfaction: number | null; action: string | null; fields: string[]; changes: { field: string; from: unknown; to: unknown }[]; actorName: string | null };

describe('customer timeline', () => {
  let t: TestApp;
  let w: World;
  let managerA: Client;
  let agentA: Client;
  let managerB: Client;
  let customer: { id: string; version: number };
  let ticketId: string;
  let engineeringTicketId: string;
  const minute = 60 * 1000;
  const timeline = async (c: Client, id = customer.id, query = '') => {
    const res = await c.get(`/api/customers/${id}/timeline${query}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as { items: Item[]; nextCursor: string | null };
  };

  beforeAll(async () => {
    t = await createTestApp();
    w = await seedWorld(t);
    managerA = await t.login('manager.a');
    agentA = await t.login('agent.a');
    managerB = await t.login('manager.b');
    // A second department of branch A: the agent (granted in 客服部) does not read its work orders.
    const engineering = await addUnit(t, w.units.branchA.id, 'department', '工程部', 'A-GC');
    await addStaff(t, { username: 'eng.a', displayName: '吴工', orgUnitId: engineering.id, roleKey: 'agent' });

    customer = (await managerA.post('/api/customers', { orgUnitId: w.units.branchA.id, kind: 'person', name: '王秀兰', phone: '13812345678', tier: 'ordinary', birthday: '1980-12-01' })).json();
    t.clock.advance(minute);
    // 1. A work order registered for her, resolved and closed by a satisfied callback.
    const created = (await agentA.post('/api/tickets', await intakeBody(agentA, workOrders.shower, { customerId: customer.id }))).json();
    ticketId = created.id;
    t.clock.advance(minute);
    let x = (await agentA.post(`/api/tickets/${ticketId}/take`, { version: created.version })).json();
    x = (await agentA.post(`/api/tickets/${ticketId}/transitions`, { to: 'in_progress', version: x.version })).json();
    t.clock.advance(minute);
    x = (await agentA.post(`/api/tickets/${ticketId}/transitions`, { to: 'resolved', version: x.version })).json();
    t.clock.advance(minute);
    const cb = (await agentA.get('/api/callbacks')).json().items.find((c: { ticketId: string }) => c.ticketId === ticketId);
    expect((await agentA.post(`/api/callbacks/${cb.id}/complete`, { reached: true, solved: true, satisfaction: 5, comment: '很满意' })).statusCode).toBe(200);
    t.clock.advance(minute);
    // 2. A care task for her birthday, generated and sent.
    const rule = (await managerA.post('/api/care-rules', { orgUnitId: w.units.branchA.id, name: '生日祝福', occasion: 'birthday', daysMin: 1, daysMax: 3, channel: 'sms', template: '{{name}}，生日快乐！' })).json();
    expect((await managerA.post(`/api/care-rules/${rule.id}/generate?year=2026`)).json()).toEqual({ created: 1, existing: 0 });
    t.clock.advance(minute);
    const task = (await managerA.get('/api/care-tasks')).json()[0];
    expect((await managerA.post(`/api/care-tasks/${task.id}/done`, { version: task.version, status: 'sent' })).statusCode).toBe(200);
    t.clock.advance(minute);
    // 3. A follow-up note.
    expect((await managerA.post(`/api/customers/${customer.id}/notes`, { body: '回访后致电确认热水已恢复，客人表示感谢' })).statusCode).toBe(201);
    t.clock.advance(minute);
    // 4. A work order of the engineering department for her (outside the agent's work-order scope).
    const eng = await managerA.post('/api/tickets', await intakeBody(managerA, workOrders.smoke, { customerId: customer.id, orgUnitId: engineering.id }));
    expect(eng.statusCode, eng.body).toBe(201);
    engineeringTicketId = eng.json().id;
    t.clock.advance(minute);
    // 5. A change to the file: a classification and a personal value.
    customer = (await managerA.patch(`/api/customers/${customer.id}`, { version: customer.version, tier: 'key', phone: '13812349999' })).json();
  });
  afterAll(() => t?.close());

  it('lists the work order, its callback, the care task and the note, newest first', async () => {
    const { items, nextCursor } = await timeline(managerA);
    expect(nextCursor).toBeNull();
    const kinds = items.map((i) => i.kind);
    expect(kinds).toEqual([
      'file', // tier changed
      'ticket.created', // engineering
      'note',
      'care.done',
      'care.generated',
      'ticket.closed', // closed by the callback
      'callback',
      'ticket.status', // resolved → awaiting_callback
      'ticket.status', // resolved
      'ticket.status', // in_progress
      'ticket.status', // assigned (taken)
      'ticket.created',
      'file', // created
    ]);
    for (let k = 1; k < items.length; k++) expect(items[k - 1].at >= items[k].at).toBe(true);
    const callback = items.find((i) => i.kind === 'callback')!;
    expect(callback).toMatchObject({ ticket: { id: ticketId }, to: 'done', satisfaction: 5, solved: true, text: '很满意', actorName: '刘客服' });
    expect(items.find((i) => i.kind === 'note')).toMatchObject({ text: '回访后致电确认热水已恢复，客人表示感谢', actorName: '王经理' });
    expect(items.find((i) => i.kind === 'care.done')).toMatchObject({ to: 'sent', from: 'sms', action: 'birthday', text: '王秀兰，生日快乐！' });
    expect(items.find((i) => i.kind === 'ticket.closed')).toMatchObject({ from: 'awaiting_callback', to: 'closed' });
    // File changes: readable action and fields, classification values only — never a personal value.
    expect(items[0]).toMatchObject({ action: 'customer.update', changes: [{ field: 'tier', from: 'ordinary', to: 'key' }] });
    expect(items[0].fields).toEqual(expect.arrayContaining(['tier', 'phone']));
    expect(items.at(-1)).toMatchObject({ action: 'customer.create', fields: [] });
    expect(JSON.stringify(items)).not.toMatch(/13812345678|13812349999|1980-12-01/);
  });

  it('leaves out the work orders outside the caller’s scope', async () => {
    const { items } = await timeline(agentA);
    const tickets = new Set(items.filter((i) => i.ticket).map((i) => i.ticket!.id));
    expect(tickets).toEqual(new Set([ticketId]));
    expect(items.map((i) => i.kind)).toContain('callback');
    expect((await timeline(managerA)).items.some((i) => i.ticket?.id === engineeringTicketId)).toBe(true);
  });

  it('pages by keyset without losing or repeating an item', async () => {
    const all = (await timeline(managerA)).items.map((i) => i.key);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await timeline(managerA, customer.id, `?limit=4${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.items.length).toBeLessThanOrEqual(4);
      seen.push(...page.items.map((i) => i.key));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all);
    expect((await managerA.get(`/api/customers/${customer.id}/timeline?cursor=bad`)).statusCode).toBe(400);
    expect((await managerA.get(`/api/customers/${customer.id}/timeline?limit=101`)).statusCode).toBe(400);
  });

  it('hides the notes of a protected file and shows readings only to reading-log readers', async () => {
    t.clock.advance(minute);
    customer = (await managerA.patch(`/api/customers/${customer.id}`, { version: customer.version, confidentiality: 'secret' })).json();
    t.clock.advance(minute);
    for (const c of [agentA, managerA]) {
      const { items } = await timeline(c);
      expect(items.some((i) => i.kind === 'note')).toBe(false);
      expect(JSON.stringify(items)).not.toContain('热水已恢复');
    }
    const reading = (await managerA.post(`/api/customers/${customer.id}/open`, { reason: '核实跟进记录' })).json().readingId;
    const opened = (await timeline(managerA, customer.id, `?reading=${reading}`)).items;
    expect(opened.find((i) => i.kind === 'note')?.text).toBe('回访后致电确认热水已恢复，客人表示感谢');
    expect(opened[0]).toMatchObject({ kind: 'reading', actorName: '王经理', text: '核实跟进记录' });
    expect(opened[1]).toMatchObject({ kind: 'file', changes: [{ field: 'confidentiality', from: 'ordinary', to: 'secret' }] });
    // The agent may not read the reading log: no readings in theirs; someone else's reading opens nothing.
    const agents = (await timeline(agentA, customer.id, `?reading=${reading}`)).items;
    expect(agents.some((i) => i.kind === 'reading' || i.kind === 'note')).toBe(false);
  });

  it('answers 404 for a file outside the caller’s scope', async () => {
    expect((await managerB.get(`/api/customers/${customer.id}/timeline`)).statusCode).toBe(404);
    expect((await (await t.login('agent.b')).get(`/api/customers/${customer.id}/timeline`)).statusCode).toBe(404);
    expect((await managerA.get('/api/customers/0190aaaa-0000-7000-8000-000000000000/timeline')).statusCode).toBe(404);
  });
});
