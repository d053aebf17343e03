import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, customerRoles, intakeBody, seedWorld, signInEveryRole, workOrders, type Client, type CustomerRole, type TestApp, type World } from '../utils/app.ts';

/**
 * Customer files under confidentiality 密级: the access-control matrix (every built-in role × every level ×
 * detail, list, phone search, open), the reading log 借阅记录, ID numbers encrypted at rest, A files permanent.
 * One leak is a failed test: a masked answer must not contain any protected value anywhere in its body.
 */
const levels = ['ordinary', 'secret', 'confidential', 'top_secret'] as const;
type Level = (typeof levels)[number];
const roles = customerRoles;
type Role = CustomerRole;

/** Who may open (借阅) a file of each level — the built-in roles' permissions (contracts/permissions.ts). */
const opens: Record<Level, Role[]> = {
  ordinary: ['agent', 'shift_lead', 'supervisor', 'manager', 'director', 'records_officer'],
  secret: ['supervisor', 'manager', 'director', 'records_officer'],
  confidential: ['manager', 'director'],
  top_secret: ['director'],
};

const secrets = (k: number) => ({
  phone: `1391234000${k}`,
  phone2: `1375555000${k}`,
  email: `vip${k}.zhang@example.com`,
  idNumber: `41030219800101123${k}`,
  card: `MD-88000${k}`,
  address: `洛阳市涧西区牡丹路${k}号`,
  notes: `偏好无烟高层客房${k}`,
  needs: `每月商务宴请${k}`,
  creditBasis: `征信报告2026-0${k}`,
});

describe('customer files: confidentiality matrix, reading log, encryption', () => {
  let t: TestApp;
  let w: World;
  const clients = {} as Record<Role, Client>;
  const files = {} as Record<Level, { id: string; version: number }>;
  let opened = 0;

  beforeAll(async () => {
    t = await createTestApp();
    w = await seedWorld(t);
    Object.assign(clients, await signInEveryRole(t, w));
    for (const [k, level] of levels.entries()) {
      const s = secrets(k);
      const res = await clients.director.post('/api/customers', {
        orgUnitId: w.units.branchA.id,
        name: `档案${k}-${level}`,
        phone: s.phone,
        email: s.email,
        tier: 'strategic',
        vip: true,
        kind: 'person',
        gender: 'female',
        birthday: '1980-01-01',
        birthdayLunar: true,
        position: '总经理',
        address: s.address,
        needs: s.needs,
        notes: s.notes,
        ownerId: w.users.managerA.id,
        category: 'A',
        memberLevel: '金卡',
        creditClass: 'AA',
        creditDate: '2026-01-15',
        creditBasis: s.creditBasis,
        tags: ['重要'],
        confidentiality: level,
        identifiers: [
          { kind: 'id_number', value: s.idNumber },
          { kind: 'member_card', value: s.card },
          { kind: 'phone', value: s.phone2 },
        ],
      });
      expect(res.statusCode, res.body).toBe(201);
      files[level] = res.json();
    }
  });
  afterAll(() => t.close());

  /** Every protected value of file k: none may appear in a masked answer. */
  const leaks = (body: string, k: number) => Object.values(secrets(k)).filter((v) => body.includes(v));

  for (const role of roles) {
    for (const [k, level] of levels.entries()) {
      const protectedLevel = level !== 'ordinary';
      const mayOpen = opens[level].includes(role);
      it(`${role} × ${level}: detail ${role === 'qa_inspector' ? '403' : protectedLevel ? 'masked' : 'shown'}, list and phone search the same, open ${mayOpen ? '200' : '403'}`, async () => {
        const c = clients[role];
        const s = secrets(k);
        const id = files[level].id;
        const detail = await c.get(`/api/customers/${id}`);
        const list = await c.get(`/api/customers?q=${encodeURIComponent(`档案${k}`)}`);
        const search = await c.get(`/api/customers/lookup?phone=${s.phone}`);
        const bySecondPhone = await c.get(`/api/customers?phone=${s.phone2.slice(0, 9)}`);
        const open = await c.post(`/api/customers/${id}/open`, { reason: '核对客户投诉背景' });
        if (role === 'qa_inspector') {
          for (const res of [detail, list, search, bySecondPhone, open]) expect(res.statusCode, res.body).toBe(403);
          for (const res of [detail, list, search, bySecondPhone, open]) expect(leaks(res.body, k)).toEqual([]);
          return;
        }
        expect(detail.statusCode, detail.body).toBe(200);
        const d = detail.json();
        expect(d.access).toMatchObject({ level, effectiveLevel: level, declassified: false, canOpen: mayOpen });
        // The ID number is masked on every file until opened; never in any answer but the opening.
        expect(d.identifiers[0]).toEqual({ kind: 'id_number', value: '4103**********123' + k, masked: true });
        expect(detail.body).not.toContain(s.idNumber);
        if (protectedLevel) {
          expect(d).toMatchObject({ restricted: true, phone: `139****000${k}`, email: 'v***@example.com', address: null, needs: null, notes: null, creditClass: null, creditBasis: null, creditDate: null });
          expect(d.identifiers.map((i: { value: string }) => i.value)).toEqual(['4103**********123' + k, '*****000' + k, `137****000${k}`]);
          expect(d.access.restrictedSections).toEqual(['identifiers', 'contact', 'finance', 'notes']);
          expect(leaks(detail.body, k)).toEqual([]);
        } else {
          expect(d).toMatchObject({ restricted: false, phone: s.phone, email: s.email, address: s.address, notes: s.notes, needs: s.needs, creditClass: 'AA', creditBasis: s.creditBasis });
          expect(d.identifiers.slice(1).map((i: { value: string }) => i.value)).toEqual([s.card, s.phone2]);
        }
        // Unprotected parts are shown to every reader.
        expect(d).toMatchObject({ name: `档案${k}-${level}`, tier: 'strategic', vip: true, category: 'A', gender: 'female', birthdayLunar: true, position: '总经理', ownerName: '王经理', tags: ['重要'] });

        expect(list.statusCode).toBe(200);
        expect(list.json().items).toHaveLength(1);
        expect(list.json().items[0]).toMatchObject({ id, restricted: protectedLevel, phone: protectedLevel ? `139****000${k}` : s.phone });
        expect(search.statusCode).toBe(200);
        expect(search.json().customers.map((x: { id: string; phone: string }) => [x.id, x.phone])).toEqual([[id, protectedLevel ? `139****000${k}` : s.phone]]);
        expect(bySecondPhone.json().items.map((x: { id: string }) => x.id)).toContain(id);
        if (protectedLevel) for (const res of [list, search, bySecondPhone]) expect(leaks(res.body, k)).toEqual([]);

        if (!mayOpen) {
          expect(open.statusCode, open.body).toBe(403);
          expect(leaks(open.body, k)).toEqual([]);
          return;
        }
        expect(open.statusCode, open.body).toBe(200);
        opened++;
        const o = open.json();
        expect(o.sections).toEqual(['identifiers', 'contact', 'finance', 'notes']);
        expect(o.file).toMatchObject({ phone: s.phone, email: s.email, address: s.address, notes: s.notes, needs: s.needs, creditClass: 'AA', creditBasis: s.creditBasis, restricted: false });
        expect(o.file.identifiers.map((i: { value: string }) => i.value)).toEqual([s.idNumber, s.card, s.phone2]);
      });
    }
  }

  it('opening needs a reason (400, nothing recorded), answers 404 outside the scope, and may name sections', async () => {
    const before = (await clients.director.get('/api/customer-reading-log?limit=200')).json().items.length;
    expect(before).toBe(opened);
    for (const body of [{}, { reason: '' }, { reason: ' ' }, { reason: 'x'.repeat(501) }, { reason: '查阅', sections: ['salary'] }, { reason: '查阅', extra: 1 }]) {
      expect((await clients.manager.post(`/api/customers/${files.confidential.id}/open`, body)).statusCode, JSON.stringify(body)).toBe(400);
    }
    const managerB = await t.login('manager.b');
    expect((await managerB.post(`/api/customers/${files.ordinary.id}/open`, { reason: '越权查阅' })).statusCode).toBe(404);
    expect((await managerB.get(`/api/customers/${files.confidential.id}`)).statusCode).toBe(404);
    const partial = await clients.manager.post(`/api/customers/${files.confidential.id}/open`, { reason: '只看联系方式', sections: ['contact'] });
    expect(partial.json().file).toMatchObject({ phone: secrets(2).phone, notes: null, creditClass: null, access: { restrictedSections: ['identifiers', 'finance', 'notes'] } });
    expect(partial.json().file.identifiers[0].masked).toBe(true);
    expect((await clients.director.get('/api/customer-reading-log?limit=200')).json().items.length).toBe(before + 1);
  });

  it('the reading log: who, when, which file, which sections, why — for managers and auditors in scope, filtered', async () => {
    const log = (await clients.manager.get(`/api/customer-reading-log?customerId=${files.confidential.id}`)).json();
    expect(log.items[0]).toMatchObject({ customerId: files.confidential.id, customerName: '档案2-confidential', userName: '王经理', level: 'confidential', sections: ['contact'], reason: '只看联系方式', at: t.clock.now().toISOString() });
    expect(log.items.map((e: { userName: string }) => e.userName).sort()).toEqual(['周总', '王经理', '王经理']);
    const director = (await clients.manager.get(`/api/customer-reading-log?userId=${w.users.director.id}`)).json().items;
    expect(director).toHaveLength(4);
    expect((await clients.supervisor.get('/api/customer-reading-log')).statusCode).toBe(200); // audit:read
    for (const r of ['agent', 'shift_lead', 'qa_inspector'] as const) expect((await clients[r].get('/api/customer-reading-log')).statusCode).toBe(403);
    expect((await (await t.login('manager.b')).get('/api/customer-reading-log')).json().items).toEqual([]);
    const later = new Date(t.clock.now().getTime() + 1000).toISOString();
    expect((await clients.manager.get(`/api/customer-reading-log?from=${later}`)).json().items).toEqual([]);
    expect((await clients.manager.get(`/api/customer-reading-log?to=${later}&limit=2`)).json().nextCursor).not.toBeNull();
    expect((await clients.manager.get('/api/customer-reading-log?from=yesterday')).statusCode).toBe(400);
  });

  it('stores the ID number only encrypted, finds it through the keyed hash, and keeps it out of the audit trail', async () => {
    const s = secrets(1);
    const rows = await t.kefu.db.selectFrom('customer_identifiers').selectAll().where('kind', '=', 'id_number').execute();
    expect(rows).toHaveLength(4);
    for (const r of rows) {
      expect(r.lookup).toMatch(/^[0-9a-f]{64}$/);
      expect(r.sealed).toMatch(/^v1\./);
      expect(JSON.stringify(r)).not.toMatch(/41030219800101123\d/);
    }
    const customers = await t.kefu.db.selectFrom('customers').selectAll().execute();
    expect(JSON.stringify(customers)).not.toMatch(/41030219800101123\d/);
    await t.kefu.sealer.flush();
    const audit = await t.kefu.db.selectFrom('audit_entries').select('changes').execute();
    expect(JSON.stringify(audit)).not.toContain(s.idNumber);
    expect(JSON.stringify(audit)).not.toContain(s.notes);
    // Exact lookup by ID number (any case of the final X), member card, e-mail — results masked as ever.
    const found = (await clients.agent.get(`/api/customers?q=${s.idNumber}`)).json().items;
    expect(found.map((x: { id: string; phone: string }) => [x.id, x.phone])).toEqual([[files.secret.id, '139****0001']]);
    expect((await clients.agent.get(`/api/customers?q=${s.card.toLowerCase()}`)).json().items.map((x: { id: string }) => x.id)).toEqual([files.secret.id]);
    expect((await clients.agent.get(`/api/customers?q=41030219800101`)).json().items).toEqual([]); // exact only
  });

  it('refuses bad input with nothing changed, and protects the level from those who do not hold it', async () => {
    const count = async () => (await t.kefu.db.selectFrom('customers').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n;
    const n = Number(await count());
    const base = { name: '坏数据', orgUnitId: w.units.branchA.id };
    for (const bad of [
      { identifiers: [{ kind: 'id_number', value: '!!' }] },
      { identifiers: [{ kind: 'passport', value: 'E123' }] },
      { identifiers: Array.from({ length: 21 }, (_, i) => ({ kind: 'member_card', value: `C-${i}000` })) },
      { confidentiality: 'internal' },
      { category: 'E' },
      { birthday: '1980-02-30' },
      { creditClass: 'Z' },
      { tags: ['x'.repeat(33)] },
      { notes: 'x'.repeat(4001) },
      { notes: '<script>' },
      { protectedSections: ['salary'] },
      { declassifyOn: 'soon' },
    ]) {
      const res = await clients.manager.post('/api/customers', { ...base, ...bad });
      expect(res.statusCode, JSON.stringify(bad).slice(0, 80)).toBe(400);
    }
    expect((await clients.manager.post('/api/customers', { ...base, ownerId: w.users.managerB.id })).statusCode).toBe(400);
    // An agent opens minimal files at intake, nothing more; a manager cannot make a file he could not read.
    expect((await clients.agent.post('/api/customers', { name: '李先生', confidentiality: 'secret' })).statusCode).toBe(403);
    expect((await clients.agent.post('/api/customers', { name: '李先生', notes: '备注' })).statusCode).toBe(403);
    expect((await clients.manager.post('/api/customers', { ...base, confidentiality: 'top_secret' })).statusCode).toBe(403);
    expect(Number(await count())).toBe(n);

    const top = files.top_secret;
    expect((await clients.manager.patch(`/api/customers/${top.id}`, { version: top.version, notes: '改' })).statusCode).toBe(403);
    expect((await clients.manager.patch(`/api/customers/${files.confidential.id}`, { version: files.confidential.version, confidentiality: 'ordinary', protectedSections: [] })).statusCode).toBe(200);
    expect((await clients.manager.patch(`/api/customers/${files.confidential.id}`, { version: files.confidential.version, notes: '旧版本' })).statusCode).toBe(409);
    expect((await clients.records_officer.patch(`/api/customers/${files.secret.id}`, { version: files.secret.version, birthday: '1980-13-01' })).statusCode).toBe(400);
    expect((await clients.agent.patch(`/api/customers/${files.secret.id}`, { version: files.secret.version, name: '改名' })).statusCode).toBe(403);
    const still = (await clients.director.post(`/api/customers/${files.secret.id}/open`, { reason: '核对' })).json().file;
    expect(still).toMatchObject({ version: files.secret.version, birthday: '1980-01-01', name: '档案1-secret' });
  });

  it('never deletes a category A file (archive instead); other categories can be deleted while unused', async () => {
    const a = files.ordinary;
    const del = await clients.manager.delete(`/api/customers/${a.id}?version=${a.version}`);
    expect(del.statusCode).toBe(409);
    expect(del.json().code).toBe('CUSTOMER_PERMANENT');
    const archived = await clients.manager.post(`/api/customers/${a.id}/archive`, { version: a.version });
    expect(archived.json()).toMatchObject({ archived: true, version: a.version + 1 });
    expect((await clients.agent.get(`/api/customers?q=${encodeURIComponent('档案0')}`)).json().items).toEqual([]);
    expect((await clients.agent.get(`/api/customers?archived=true&q=${encodeURIComponent('档案0')}`)).json().items).toHaveLength(1);
    expect((await clients.agent.get(`/api/customers/${a.id}`)).statusCode).toBe(200);

    const b = (await clients.manager.post('/api/customers', { name: '合作旅行社', kind: 'organisation', industry: '旅游', orgSize: '50-100人', relationSince: '2020-05-01', category: 'B' })).json();
    expect(b).toMatchObject({ kind: 'organisation', industry: '旅游', orgUnitId: w.units.branchA.id });
    const linked = (await clients.agent.post('/api/tickets', await intakeBody(clients.agent, workOrders.shower, { customerId: b.id }))).json();
    expect(linked.customerId).toBe(b.id);
    expect((await clients.manager.delete(`/api/customers/${b.id}?version=${b.version}`)).json().code).toBe('CUSTOMER_IN_USE');
    const d = (await clients.manager.post('/api/customers', { name: '员工家属', category: 'D' })).json();
    // Deleting (not destroying) a file without work orders needs customer:approve_destruction: the manager, not the records officer.
    expect((await clients.records_officer.delete(`/api/customers/${d.id}?version=${d.version}`)).statusCode).toBe(403);
    expect((await clients.manager.delete(`/api/customers/${d.id}?version=${d.version}`)).statusCode).toBe(204);
    expect((await clients.manager.get(`/api/customers/${d.id}`)).statusCode).toBe(404);
  });

  it('declassifies itself when the period has run out (保密期限届满), computed from the clock', async () => {
    const s = secrets(1);
    const f = (await clients.director.post(`/api/customers/${files.secret.id}/open`, { reason: '设保密期限' })).json().file;
    const set = await clients.records_officer.patch(`/api/customers/${files.secret.id}`, { version: f.version, declassifyOn: '2026-11-27' });
    expect(set.statusCode, set.body).toBe(200);
    expect((await clients.agent.get(`/api/customers/${files.secret.id}`)).json()).toMatchObject({ phone: '139****0001', notes: null });
    t.clock.advance(2 * 24 * 3600 * 1000);
    clients.agent = await t.login('agent.a'); // the session idled out meanwhile
    const after = (await clients.agent.get(`/api/customers/${files.secret.id}`)).json();
    expect(after).toMatchObject({ phone: s.phone, notes: s.notes, access: { level: 'secret', effectiveLevel: 'ordinary', declassified: true, canOpen: true } });
    // A work order linked to a protected file shows its contact masked too.
    const top = files.top_secret;
    const linked = (await clients.agent.post('/api/tickets', await intakeBody(clients.agent, workOrders.aircon, { customerId: top.id, customerName: '来电人', customerPhone: '13700001111' }))).json();
    const ticket = (await clients.agent.get(`/api/tickets/${linked.id}`)).json();
    expect(ticket.customer).toMatchObject({ id: top.id, phone: '139****0003', email: 'v***@example.com' });
    expect(ticket.customerPhone).toBe('13700001111'); // what the caller said stays
    // Linked without a number given: the protected phone is not copied into the work order.
    const bare = (await clients.agent.post('/api/tickets', await intakeBody(clients.agent, workOrders.lamp, { customerId: top.id }))).json();
    expect(bare).toMatchObject({ customerId: top.id, customerPhone: null, customer: { phone: '139****0003' } });
    expect(JSON.stringify(await t.kefu.db.selectFrom('tickets').select(['customer_phone', 'description']).execute())).not.toContain(secrets(3).phone);
  });
});
