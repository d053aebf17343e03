import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERASED, eraseAuditSubject, verifyAuditChain } from '../../src/server/modules/audit/audit.service.ts';
import { systemCtx } from '../../src/server/setup.ts';
import { ADMIN_PASSWORD, createTestApp, seedWorld, type TestApp, type World } from '../utils/app.ts';

describe('audit trail', () => {
  let t: TestApp;
  let w: World;
  beforeAll(async () => {
    t = await createTestApp();
    w = await seedWorld(t);
  });
  afterAll(() => t.close());

  it('records who changed what, with before and after of the changed fields, request id and address', async () => {
    const manager = await t.login('manager.a');
    const u = (await manager.get(`/api/users/${w.users.agentA.id}`)).json();
    const res = await manager.patch(`/api/users/${u.id}`, { version: u.version, displayName: '刘客服（组长）', employeeNo: 'E0042' });
    expect(res.statusCode).toBe(200);
    await t.kefu.sealer.flush();
    const entries = (await manager.get(`/api/audit?entityType=user&entityId=${u.id}&action=user.update`)).json().items;
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      actorName: 'manager.a',
      actorType: 'user',
      action: 'user.update',
      requestId: res.json().id ? expect.any(String) : expect.any(String),
      ip: '127.0.0.1',
      sealed: true,
      changes: { displayName: { from: '刘客服', to: '刘客服（组长）' }, employeeNo: { from: null, to: 'E0042' } },
    });
    expect(Object.keys(entries[0].changes).sort()).toEqual(['displayName', 'employeeNo']);
  });

  it('writes the entry in the same transaction as the change: a refused change leaves neither', async () => {
    const before = await t.kefu.db.selectFrom('audit_entries').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const manager = await t.login('manager.a');
    const res = await manager.post('/api/users', { username: 'manager.a', displayName: '重名', orgUnitId: w.units.deptA.id, grants: [] });
    expect(res.statusCode).toBe(409);
    const after = await t.kefu.db.selectFrom('audit_entries').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    // The login itself is the only new entry.
    expect(Number(after.n) - Number(before.n)).toBe(1);
  });

  it('verifies an untouched chain and names the first entry altered or removed in SQL', async () => {
    const admin = await t.login('admin', ADMIN_PASSWORD);
    const ok = await admin.post('/api/audit/verify');
    expect(ok.json()).toMatchObject({ ok: true });
    expect(ok.json().entries).toBeGreaterThan(10);

    const victim = await t.kefu.db.selectFrom('audit_entries').select(['id', 'seq']).where('seq', '=', 5).executeTakeFirstOrThrow();
    await sql`update audit_entries set actor_name = 'mallory' where id = ${victim.id}`.execute(t.kefu.db);
    const broken = await verifyAuditChain(t.kefu.db);
    expect(broken).toMatchObject({ ok: false, brokenAt: { seq: 5, id: victim.id } });
    const viaApi = (await admin.post('/api/audit/verify')).json();
    expect(viaApi).toMatchObject({ ok: false, brokenAt: { seq: 5, id: victim.id } });
  });

  it('is refused to readers who do not see the whole tree', async () => {
    const manager = await t.login('manager.a');
    expect((await manager.post('/api/audit/verify')).statusCode).toBe(403);
    const agent = await t.login('agent.a');
    expect((await agent.get('/api/audit')).statusCode).toBe(403);
  });

  it('pages with a cursor, newest first, without repeats', async () => {
    const admin = await t.login('admin', ADMIN_PASSWORD);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: { id: string; at: string }[]; nextCursor: string | null } = (await admin.get(`/api/audit?limit=7${cursor ? `&cursor=${cursor}` : ''}`)).json();
      seen.push(...page.items.map((e: { id: string }) => e.id));
      for (let i = 1; i < page.items.length; i++) expect(page.items[i - 1].at >= page.items[i].at).toBe(true);
      cursor = page.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    const total = await t.kefu.db.selectFrom('audit_entries').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(seen.length).toBe(Number(total.n));
  });
});

describe('erasure of personal values inside audit entries', () => {
  let t: TestApp;
  let w: World;
  beforeAll(async () => {
    t = await createTestApp();
    w = await seedWorld(t);
  });
  afterAll(() => t.close());

  it('makes the values unreadable forever while the chain still verifies', async () => {
    const admin = await t.login('admin', ADMIN_PASSWORD);
    const u = (await admin.get(`/api/users/${w.users.agentB.id}`)).json();
    await admin.patch(`/api/users/${u.id}`, { version: u.version, phone: '13812345678', email: 'wei@example.com' });
    await t.kefu.sealer.flush();
    const raw = await t.kefu.db.selectFrom('audit_entries').select('changes').where('entity_id', '=', u.id).execute();
    expect(raw.map((r) => r.changes).join()).not.toContain('13812345678'); // sealed at rest
    const readable = (await admin.get(`/api/audit?entityId=${u.id}&action=user.update`)).json().items[0];
    expect(readable.changes.phone).toEqual({ from: null, to: '13812345678' });

    await t.kefu.db.transaction().execute((trx) => eraseAuditSubject(trx, systemCtx(t.db.handle, t.clock, t.kefu.log), 'user', u.id, u.orgUnitId));
    await t.kefu.sealer.flush();
    const erased = (await admin.get(`/api/audit?entityId=${u.id}&action=user.update`)).json().items[0];
    expect(erased.changes.phone).toEqual({ from: ERASED, to: ERASED });
    expect(erased.changes.email.to).toBe(ERASED);
    expect((await admin.post('/api/audit/verify')).json()).toMatchObject({ ok: true });
    const tombstone = (await admin.get(`/api/audit?entityId=${u.id}&action=subject.erase`)).json().items;
    expect(tombstone).toHaveLength(1);
  });
});
