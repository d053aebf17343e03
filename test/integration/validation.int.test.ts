import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, createTestApp, intakeBody, seedWorld, workOrders, type Client, type TestApp, type World } from '../utils/app.ts';

describe('bad input gets a clear 4xx and changes nothing', () => {
  let t: TestApp;
  let w: World;
  let admin: Client;
  const counts = async () => {
    const one = async (table: 'users' | 'org_units' | 'roles') =>
      Number((await t.kefu.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    return { users: await one('users'), units: await one('org_units'), roles: await one('roles') };
  };
  beforeAll(async () => {
    t = await createTestApp();
    w = await seedWorld(t);
    admin = await t.login('admin', ADMIN_PASSWORD);
  });
  afterAll(() => t.close());

  it('names each bad field, in the request language', async () => {
    const before = await counts();
    const res = await admin.post('/api/users', { username: 'x y', displayName: 42, orgUnitId: 'not-an-id', grants: [] });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    const body = res.json();
    expect(body.code).toBe('VALIDATION_FAILED');
    expect(body.title).toBe('提交的数据有误');
    expect(body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['displayName', 'orgUnitId', 'username']);
    expect(body.errors.find((e: { field: string }) => e.field === 'displayName').message).toMatch(/[\u4e00-\u9fff]/);
    const en = await t.login('admin', ADMIN_PASSWORD, 'en');
    const enBody = (await en.post('/api/users', { username: 'ok.name', displayName: 42, orgUnitId: w.units.deptA.id, grants: [] })).json();
    expect(enBody.title).toBe('The submitted data is invalid');
    expect(enBody.errors[0]).toMatchObject({ field: 'displayName' });
    expect(enBody.errors[0].message).toMatch(/expected string/i);
    expect(await counts()).toEqual(before);
  });

  it('refuses unknown fields, over-long strings, HTML in names and malformed JSON', async () => {
    const before = await counts();
    const base = { username: 'valid.name', displayName: '正常', orgUnitId: w.units.deptA.id, grants: [] };
    const unknown = await admin.post('/api/users', { ...base, isAdmin: true });
    expect(unknown.statusCode).toBe(400);
    expect(JSON.stringify(unknown.json().errors)).toContain('isAdmin');
    const long = await admin.post('/api/users', { ...base, displayName: '长'.repeat(65) });
    expect(long.statusCode).toBe(400);
    expect(long.json().errors[0].field).toBe('displayName');
    const html = await admin.post('/api/org-units', { parentId: w.units.branchA.id, kind: 'department', name: '<img src=x onerror=alert(1)>', code: 'H1' });
    expect(html.statusCode).toBe(400);
    expect(html.json().errors[0]).toEqual({ field: 'name', message: '不能包含 < 或 >' });
    const badCode = await admin.post('/api/users', { ...base, username: 'Bad Name!' });
    expect(badCode.json().errors[0]).toEqual({ field: 'username', message: '只能包含字母、数字和 . _ @ -' });
    const bad = await admin.request('POST', '/api/users', '{"username": "a",', { 'content-type': 'application/json' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe('INVALID_JSON');
    const wrongType = await admin.request('GET', '/api/users?limit=abc');
    expect(wrongType.statusCode).toBe(400);
    expect(wrongType.json().errors[0].field).toBe('querystring.limit');
    expect(await counts()).toEqual(before);
  });

  it('refuses a huge body before reading it', async () => {
    const res = await admin.request('POST', '/api/roles', JSON.stringify({ key: 'big', nameZh: '大', nameEn: 'Big', description: 'x'.repeat(2 * 1024 * 1024), permissions: [] }), {
      'content-type': 'application/json',
    });
    expect(res.statusCode).toBe(413);
    expect(res.json().code).toBe('BODY_TOO_LARGE');
  });

  it('treats SQL metacharacters in list filters as plain text (Chatwoot CVE-2025-21628)', async () => {
    const before = await counts();
    for (const q of ["' or 1=1 --", "%' ; drop table users; --", '_', '%', "\\' union select password_hash from users --"]) {
      const res = await admin.get(`/api/users?q=${encodeURIComponent(q)}`);
      expect(res.statusCode).toBe(200);
      expect(res.json().items).toEqual([]);
    }
    expect(await counts()).toEqual(before);
    // Chinese names are found by any part of them.
    const found = (await admin.get(`/api/users?q=${encodeURIComponent('客服')}`)).json().items.map((u: { username: string }) => u.username);
    expect(found.sort()).toEqual(['agent.a', 'agent.b']);
  });

  it('answers a stale version with 409 and keeps the newer change', async () => {
    const u = (await admin.get(`/api/users/${w.users.leadA.id}`)).json();
    expect((await admin.patch(`/api/users/${u.id}`, { version: u.version, displayName: '第一次' })).statusCode).toBe(200);
    const stale = await admin.patch(`/api/users/${u.id}`, { version: u.version, displayName: '第二次' });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().code).toBe('VERSION_CONFLICT');
    expect((await admin.get(`/api/users/${u.id}`)).json().displayName).toBe('第一次');
    const unit = (await admin.get(`/api/org-units/${w.units.teamA.id}`)).json();
    await admin.patch(`/api/org-units/${unit.id}`, { version: unit.version, name: '早班一组' });
    expect((await admin.patch(`/api/org-units/${unit.id}`, { version: unit.version, name: '早班二组' })).statusCode).toBe(409);
    const role = (await admin.post('/api/roles', { key: 'night_desk', nameZh: '夜班前台', nameEn: 'Night desk', permissions: ['ticket:read'] })).json();
    await admin.patch(`/api/roles/${role.id}`, { version: role.version, permissions: ['ticket:read', 'ticket:create'] });
    expect((await admin.patch(`/api/roles/${role.id}`, { version: role.version, permissions: [] })).statusCode).toBe(409);
  });

  it('does not serve files outside the console through path tricks', async () => {
    for (const url of ['/../../etc/passwd', '/%2e%2e/%2e%2e/etc/passwd', '/assets/..%2f..%2f..%2fpackage.json', '/api/../package.json']) {
      const res = await t.anonymous().get(url);
      expect(res.body, url).not.toContain('root:x:0');
      expect(res.body, url).not.toContain('"devDependencies"');
    }
  });

  it('ignores forged single-sign-on headers (Zammad CVE-2020-26030)', async () => {
    for (const h of ['x-forwarded-user', 'remote-user', 'x-remote-user', 'x-auth-user']) {
      const res = await t.anonymous().request('GET', '/api/users', undefined, { [h]: 'admin' });
      expect(res.statusCode, h).toBe(401);
    }
  });

  it('keeps the org tree a tree', async () => {
    const root = (await admin.get('/api/org-units')).json().find((u: { parentId: string | null }) => u.parentId === null);
    const second = await admin.post('/api/org-units', { parentId: null, kind: 'group', name: '另一个集团', code: 'G2' });
    expect(second.statusCode).toBe(400);
    const branch = (await admin.get(`/api/org-units/${w.units.branchA.id}`)).json();
    const loop = await admin.patch(`/api/org-units/${branch.id}`, { version: branch.version, parentId: w.units.teamA.id });
    expect(loop.statusCode).toBe(400);
    const teamUnderGroup = await admin.post('/api/org-units', { parentId: w.units.teamA.id, kind: 'department', name: '错层', code: 'BAD' });
    expect(teamUnderGroup.statusCode).toBe(400);
    const dup = await admin.post('/api/org-units', { parentId: root.id, kind: 'company', name: '重复', code: 'A' });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().code).toBe('CODE_TAKEN');
    const notEmpty = await admin.delete(`/api/org-units/${w.units.deptA.id}`);
    expect(notEmpty.statusCode).toBe(409);
    expect(notEmpty.json().code).toBe('UNIT_NOT_EMPTY');
  });

  it('refuses to delete a unit that work orders still point at', async () => {
    const dept = (await admin.post('/api/org-units', { parentId: w.units.branchA.id, kind: 'department', name: '工程部', code: 'A-GC-DEL' })).json();
    const managerA = await t.login('manager.a');
    const created = await managerA.post('/api/tickets', await intakeBody(managerA, workOrders.safe, { departmentId: dept.id }));
    expect(created.statusCode).toBe(201);
    const res = await admin.delete(`/api/org-units/${dept.id}`);
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('UNIT_NOT_EMPTY');
    expect((await admin.get(`/api/org-units/${dept.id}`)).statusCode).toBe(200);
  });

  it('moves a subtree with everything under it', async () => {
    const kf = (await admin.post('/api/org-units', { parentId: w.units.branchA.id, kind: 'department', name: '前厅部', code: 'A-QT' })).json();
    const team = (await admin.post('/api/org-units', { parentId: kf.id, kind: 'team', name: '礼宾组', code: 'A-QT-1' })).json();
    const moved = await admin.patch(`/api/org-units/${kf.id}`, { version: kf.version, parentId: w.units.branchB.id });
    expect(moved.statusCode).toBe(200);
    const teamAfter = (await admin.get(`/api/org-units/${team.id}`)).json();
    expect(teamAfter.path.startsWith(w.units.branchB.path)).toBe(true);
    const managerB = await t.login('manager.b');
    expect((await managerB.get(`/api/org-units/${team.id}`)).statusCode).toBe(200);
    const managerA = await t.login('manager.a');
    expect((await managerA.get(`/api/org-units/${team.id}`)).statusCode).toBe(404);
    const empty = (await admin.get(`/api/org-units/${team.id}`)).json();
    expect((await admin.delete(`/api/org-units/${empty.id}`)).statusCode).toBe(204);
  });
});
