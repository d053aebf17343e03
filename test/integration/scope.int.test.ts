import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, createTestApp, seedWorld, type Client, type TestApp, type World } from '../utils/app.ts';

/**
 * Zammad CVE-2020-10100, FreeScout CVE-2026-40570/41183: one branch reading another's records by id.
 * Every API route is tried by people of branch A against branch B's records: nothing is ever 2xx,
 * records outside scope answer 404.
 */
describe('branch scope across every route', () => {
  let t: TestApp;
  let w: World;
  let bUser: { id: string; version: number };
  let bAuditCount: number;
  beforeAll(async () => {
    t = await createTestApp();
    w = await seedWorld(t);
    const managerB = await t.login('manager.b');
    bUser = (await managerB.get(`/api/users/${w.users.agentB.id}`)).json();
    await t.kefu.sealer.flush();
    bAuditCount = (await managerB.get('/api/audit?limit=200')).json().items.length;
  });
  afterAll(() => t.close());

  /** Requests that name branch B's records; a body is valid in shape so only scope can refuse it. */
  const attacks = (): [string, string, unknown?][] => [
    ['GET', `/api/users/${w.users.agentB.id}`],
    ['PATCH', `/api/users/${w.users.agentB.id}`, { version: bUser.version, displayName: '被改了' }],
    ['PUT', `/api/users/${w.users.agentB.id}/grants`, { version: bUser.version, grants: [] }],
    ['POST', `/api/users/${w.users.agentB.id}/reset-password`, {}],
    ['POST', '/api/users', { username: 'planted', displayName: '冒名', orgUnitId: w.units.deptB.id, grants: [] }],
    ['GET', `/api/users?orgUnitId=${w.units.deptB.id}`],
    ['GET', `/api/org-units/${w.units.deptB.id}`],
    ['PATCH', `/api/org-units/${w.units.deptB.id}`, { version: 1, name: '被改了' }],
    ['DELETE', `/api/org-units/${w.units.deptB.id}`],
    ['POST', '/api/org-units', { parentId: w.units.branchB.id, kind: 'department', name: '冒名部', code: 'X-1' }],
  ];

  it('covers every route that takes an id or a unit (a new route must be added here)', () => {
    const covered = new Set(attacks().map(([m, u]) => `${m} ${u.split('?')[0].replace(/[0-9a-f-]{36}/g, ':id')}`));
    const scoped = t.routes.filter((r) => /users|org-units/.test(r.url)).map((r) => `${r.method} ${r.url}`);
    for (const r of scoped.filter((r) => r !== 'GET /api/users' && r !== 'GET /api/org-units')) expect(covered, r).toContain(r);
  });

  for (const who of ['agent.a', 'lead.a', 'manager.a'] as const) {
    it(`${who} gets nothing of branch B, and changes nothing`, async () => {
      const c = await t.login(who);
      for (const [method, url, body] of attacks()) {
        const res = await c.request(method, url, body as never);
        expect(res.statusCode, `${who} ${method} ${url}: ${res.body}`).toBeGreaterThanOrEqual(400);
        // Holding the permission but not over B: the record does not exist for them.
        if (who === 'manager.a') expect([403, 404], `${method} ${url}`).toContain(res.statusCode);
        if (who === 'manager.a' && method === 'GET') expect(res.statusCode, `${method} ${url}`).toBe(404);
      }
      const after = (await (await t.login('manager.b')).get(`/api/users/${w.users.agentB.id}`)).json();
      expect(after.displayName).toBe('卫客服');
      expect(after.version).toBe(bUser.version);
    });
  }

  it('lists only the own branch: staff, units and audit entries', async () => {
    const managerA = await t.login('manager.a');
    const users = (await managerA.get('/api/users?limit=200')).json().items.map((u: { username: string }) => u.username);
    expect(users).toEqual(expect.arrayContaining(['manager.a', 'lead.a', 'agent.a']));
    expect(users).not.toContain('agent.b');
    expect(users).not.toContain('manager.b');
    expect(users).not.toContain('director');
    const units = (await managerA.get('/api/org-units')).json().map((u: { code: string }) => u.code);
    expect(units.sort()).toEqual(['A', 'A-KF', 'A-KF-1']);
    await t.kefu.sealer.flush();
    const audit = (await managerA.get('/api/audit?limit=200')).json().items;
    expect(audit.length).toBeGreaterThan(0);
    const bIds = new Set([w.units.branchB.id, w.units.deptB.id]);
    expect(audit.filter((e: { orgUnitId: string }) => bIds.has(e.orgUnitId))).toEqual([]);
    expect(audit.filter((e: { orgUnitId: string | null }) => e.orgUnitId === null)).toEqual([]); // global entries are for the whole-tree readers
    const byEntity = await managerA.get(`/api/audit?entityType=user&entityId=${w.users.agentB.id}`);
    expect(byEntity.json().items).toEqual([]);
    const managerB = await t.login('manager.b');
    expect((await managerB.get('/api/audit?limit=200')).json().items.length).toBeGreaterThanOrEqual(bAuditCount);
  });

  it('lets the whole-tree reader see both branches', async () => {
    const director = await t.login('director');
    const users = (await director.get('/api/users?limit=200')).json().items.map((u: { username: string }) => u.username);
    expect(users).toEqual(expect.arrayContaining(['agent.a', 'agent.b']));
  });

  it('lets nobody hand out more than they hold', async () => {
    const managerA = await t.login('manager.a');
    const roles = (await managerA.get('/api/roles')).json() as { id: string; key: string }[];
    const director = roles.find((r) => r.key === 'director')!;
    const agent = roles.find((r) => r.key === 'agent')!;
    const target = (await managerA.get(`/api/users/${w.users.agentA.id}`)).json();
    const escalate = await managerA.put(`/api/users/${target.id}/grants`, { version: target.version, grants: [{ roleId: director.id, orgUnitId: w.units.branchA.id }] });
    expect(escalate.statusCode).toBe(403);
    const elsewhere = await managerA.put(`/api/users/${target.id}/grants`, { version: target.version, grants: [{ roleId: agent.id, orgUnitId: w.units.deptB.id }] });
    expect(elsewhere.statusCode).toBe(404);
    const ok = await managerA.put(`/api/users/${target.id}/grants`, { version: target.version, grants: [{ roleId: agent.id, orgUnitId: w.units.teamA.id }] });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().grants.map((g: { orgUnitId: string }) => g.orgUnitId)).toEqual([w.units.teamA.id]);
  });

  it('keeps grants of other branches when a branch manager edits a person', async () => {
    const admin = await t.login('admin', ADMIN_PASSWORD);
    const roles = (await admin.get('/api/roles')).json() as { id: string; key: string }[];
    const agent = roles.find((r) => r.key === 'agent')!;
    const u = (await admin.get(`/api/users/${w.users.leadA.id}`)).json();
    const both = await admin.put(`/api/users/${u.id}/grants`, {
      version: u.version,
      grants: [...u.grants.map((g: { roleId: string; orgUnitId: string }) => ({ roleId: g.roleId, orgUnitId: g.orgUnitId })), { roleId: agent.id, orgUnitId: w.units.deptB.id }],
    });
    expect(both.statusCode).toBe(200);
    const managerA: Client = await t.login('manager.a');
    const seen = (await managerA.get(`/api/users/${u.id}`)).json();
    const cleared = await managerA.put(`/api/users/${u.id}/grants`, { version: seen.version, grants: [] });
    expect(cleared.statusCode).toBe(200);
    expect(cleared.json().grants.map((g: { orgUnitId: string }) => g.orgUnitId)).toEqual([w.units.deptB.id]);
  });
});
