import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import pino from 'pino';
import { LOCKOUT } from '../../src/server/modules/auth/auth.service.ts';
import { redactPaths } from '../../src/server/platform/logger.ts';
import { ADMIN_PASSWORD, PASSWORD, bearer, createTestApp, seedWorld, type TestApp, type World } from '../utils/app.ts';

describe('sign-in, sessions and tokens', () => {
  let t: TestApp;
  let w: World;
  beforeAll(async () => {
    t = await createTestApp();
    w = await seedWorld(t);
  });
  afterAll(() => t.close());

  it('signs in with the right password and answers in the request language otherwise', async () => {
    const ok = await t.anonymous().post('/api/auth/login', { username: 'agent.a', password: PASSWORD });
    expect(ok.statusCode).toBe(200);
    const cookie = ok.cookies.find((c) => c.name === 'kefu_session')!;
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe('Lax');
    expect(ok.json().user.username).toBe('agent.a');
    expect(ok.json().csrfToken).toEqual(expect.any(String));

    const zh = await t.anonymous('zh').post('/api/auth/login', { username: 'agent.a', password: 'wrong-password-1' });
    expect(zh.statusCode).toBe(401);
    expect(zh.headers['content-type']).toContain('application/problem+json');
    expect(zh.json()).toMatchObject({ code: 'LOGIN_FAILED', title: '用户名或密码错误' });
    const en = await t.anonymous('en').post('/api/auth/login', { username: 'nobody', password: 'wrong-password-1' });
    expect(en.json()).toMatchObject({ code: 'LOGIN_FAILED', title: 'Wrong username or password' });
  });

  it('locks an account after repeated failures, and the right password does not open it early', async () => {
    const c = t.anonymous();
    for (let i = 0; i < LOCKOUT.failures - 1; i++) {
      expect((await c.post('/api/auth/login', { username: 'lead.a', password: `wrong-${i}-password` })).statusCode).toBe(401);
    }
    const locking = await c.post('/api/auth/login', { username: 'lead.a', password: 'wrong-last-password' });
    expect(locking.statusCode).toBe(423);
    expect(locking.json().code).toBe('ACCOUNT_LOCKED');
    const stillLocked = await c.post('/api/auth/login', { username: 'lead.a', password: PASSWORD });
    expect(stillLocked.statusCode).toBe(423);
    expect(Number(stillLocked.headers['retry-after'])).toBeGreaterThan(0);
    t.clock.advance(LOCKOUT.minutes * 60_000 + 1000);
    expect((await c.post('/api/auth/login', { username: 'lead.a', password: PASSWORD })).statusCode).toBe(200);
  });

  it('throttles one address that sprays many accounts', async () => {
    const c = t.anonymous();
    const spray = (i: number) => c.request('POST', '/api/auth/login', { username: `ghost${i}`, password: 'wrong-password-1' }, { 'x-forwarded-for': '1.2.3.4' });
    // inject() comes from 127.0.0.1; earlier failures in this file came from there too, so count from the clock's fresh window.
    t.clock.advance(LOCKOUT.ipWindowMinutes * 60_000 + 1000);
    let last = 0;
    for (let i = 0; i <= LOCKOUT.ipFailures; i++) last = (await spray(i)).statusCode;
    expect(last).toBe(429);
    const blocked = await c.post('/api/auth/login', { username: 'agent.a', password: PASSWORD });
    expect(blocked.statusCode).toBe(429);
    expect(blocked.json().code).toBe('TOO_MANY_REQUESTS');
    t.clock.advance(LOCKOUT.ipWindowMinutes * 60_000 + 1000);
    expect((await c.post('/api/auth/login', { username: 'agent.a', password: PASSWORD })).statusCode).toBe(200);
  });

  it('refuses cookie writes without the CSRF token, accepts them with it', async () => {
    const admin = await t.login('admin', ADMIN_PASSWORD);
    const body = { name: 'no-csrf', expiresInDays: 1 };
    const without = await admin.request('POST', '/api/auth/tokens', body, { 'x-csrf-token': '' });
    expect(without.statusCode).toBe(403);
    expect(without.json().code).toBe('CSRF_FAILED');
    const forged = await admin.request('POST', '/api/auth/tokens', body, { 'x-csrf-token': 'forged' });
    expect(forged.statusCode).toBe(403);
    expect((await admin.post('/api/auth/tokens', body)).statusCode).toBe(201);
  });

  it('refuses form posts (no JSON content type) that a foreign page could send', async () => {
    const admin = await t.login('admin', ADMIN_PASSWORD);
    const res = await admin.request('POST', '/api/org-units', 'kind=group&name=x', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(res.statusCode).toBe(415);
  });

  it('expires idle sessions, and logout ends the session', async () => {
    const c = await t.login('agent.a');
    expect((await c.get('/api/auth/me')).statusCode).toBe(200);
    t.clock.advance(t.kefu.sessionPolicy.idleMinutes * 60_000 + 1000);
    expect((await c.get('/api/auth/me')).statusCode).toBe(401);
    const d = await t.login('agent.a');
    expect((await d.post('/api/auth/logout')).statusCode).toBe(204);
    expect((await d.get('/api/auth/me')).statusCode).toBe(401);
  });

  it('keeps a busy session alive, but never past the absolute limit', async () => {
    const c = await t.login('agent.a');
    const step = (t.kefu.sessionPolicy.idleMinutes / 2) * 60_000;
    let elapsed = 0;
    while (elapsed + step < t.kefu.sessionPolicy.maxHours * 3600_000) {
      t.clock.advance(step);
      elapsed += step;
      expect((await c.get('/api/auth/me')).statusCode).toBe(200);
    }
    t.clock.advance(step);
    expect((await c.get('/api/auth/me')).statusCode).toBe(401);
  });

  it('forces the initial password change before anything else, and enforces the policy', async () => {
    const admin = await t.login('admin', ADMIN_PASSWORD);
    const created = await admin.post('/api/users', { username: 'new.hire', displayName: '新员工', orgUnitId: w.units.deptA.id, grants: [] });
    expect(created.statusCode).toBe(201);
    const initial = created.json().initialPassword as string;
    expect(initial).toHaveLength(16);
    const c = await t.login('new.hire', initial);
    expect((await c.get('/api/auth/me')).json().user.mustChangePassword).toBe(true);
    const blocked = await c.get('/api/org-units');
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json().code).toBe('PASSWORD_CHANGE_REQUIRED');
    const short = await c.post('/api/auth/password', { currentPassword: initial, newPassword: 'short' });
    expect(short.statusCode).toBe(400);
    expect(short.json().errors[0]).toMatchObject({ field: 'newPassword', message: '至少 12 个字符' });
    const withName = await c.post('/api/auth/password', { currentPassword: initial, newPassword: 'new.hire-is-me-2026' });
    expect(withName.json().code).toBe('PASSWORD_POLICY');
    const wrong = await c.post('/api/auth/password', { currentPassword: 'not-the-current-one', newPassword: 'Brand-new-secret-77' });
    expect(wrong.json().code).toBe('PASSWORD_WRONG');
    expect((await c.post('/api/auth/password', { currentPassword: initial, newPassword: 'Brand-new-secret-77' })).statusCode).toBe(204);
    expect((await c.get('/api/org-units')).statusCode).toBe(403); // no grants: signed in, but holds nothing
    expect((await c.get('/api/auth/me')).json().user.mustChangePassword).toBe(false);
    await expect(t.login('new.hire', initial)).rejects.toThrow(/401/);
    await t.login('new.hire', 'Brand-new-secret-77');
  });

  it('signs a person out everywhere when an administrator resets the password or disables the account', async () => {
    const agent = await t.login('agent.b');
    const manager = await t.login('manager.b');
    const reset = await manager.post(`/api/users/${w.users.agentB.id}/reset-password`, {});
    expect(reset.statusCode).toBe(200);
    expect((await agent.get('/api/auth/me')).statusCode).toBe(401);
    const fresh = await t.login('agent.b', reset.json().initialPassword);
    expect((await fresh.post('/api/auth/password', { currentPassword: reset.json().initialPassword, newPassword: PASSWORD + 'x' })).statusCode).toBe(204);
    const user = (await manager.get(`/api/users/${w.users.agentB.id}`)).json();
    expect((await manager.patch(`/api/users/${user.id}`, { version: user.version, status: 'disabled' })).statusCode).toBe(200);
    expect((await fresh.get('/api/auth/me')).statusCode).toBe(401);
    const login = await t.anonymous().post('/api/auth/login', { username: 'agent.b', password: PASSWORD + 'x' });
    expect(login.statusCode).toBe(403);
    expect(login.json().code).toBe('ACCOUNT_DISABLED');
    const again = (await manager.get(`/api/users/${user.id}`)).json();
    await manager.patch(`/api/users/${user.id}`, { version: again.version, status: 'active' });
  });

  it('issues personal API tokens that are shown once, act with the owner grants, and can be revoked', async () => {
    const manager = await t.login('manager.a');
    const created = await manager.post('/api/auth/tokens', { name: '报表脚本', expiresInDays: 30 });
    expect(created.statusCode).toBe(201);
    const { token, id, prefix } = created.json();
    expect(token.startsWith(prefix)).toBe(true);
    const list = (await manager.get('/api/auth/tokens')).json();
    expect(list.find((x: { id: string }) => x.id === id)).not.toHaveProperty('token');
    const stored = await t.kefu.db.selectFrom('api_tokens').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(JSON.stringify(stored)).not.toContain(token);

    const api = bearer(t.app, token);
    const users = await api.get('/api/users');
    expect(users.statusCode).toBe(200);
    const names = users.json().items.map((u: { username: string }) => u.username);
    expect(names).toContain('agent.a');
    expect(names).not.toContain('agent.b'); // the owner's branch only
    // Bearer requests carry no cookie, so they need no CSRF token.
    expect((await api.post('/api/users', { username: 'via.token', displayName: '令牌', orgUnitId: w.units.deptA.id, grants: [] })).statusCode).toBe(201);
    expect((await api.post('/api/users', { username: 'via.token2', displayName: '令牌', orgUnitId: w.units.deptB.id, grants: [] })).statusCode).toBe(404);
    expect((await api.get('/api/roles')).statusCode).toBe(200);
    expect((await api.post('/api/roles', { key: 'x_role', nameZh: '甲', nameEn: 'X', permissions: [] })).statusCode).toBe(403);

    expect((await manager.delete(`/api/auth/tokens/${id}`)).statusCode).toBe(204);
    expect((await api.get('/api/users')).statusCode).toBe(401);
    expect((await bearer(t.app, 'kefu_forged-token').get('/api/users')).statusCode).toBe(401);
    // Someone else's token id is not found.
    const other = await t.login('manager.b');
    const otherToken = (await other.post('/api/auth/tokens', { name: 'b', expiresInDays: 1 })).json();
    expect((await manager.delete(`/api/auth/tokens/${otherToken.id}`)).statusCode).toBe(404);
    t.clock.advance(2 * 24 * 3600_000);
    expect((await bearer(t.app, otherToken.token).get('/api/users')).statusCode).toBe(401);
  });

  it('never writes passwords or tokens into the log or the audit trail', async () => {
    const lines: string[] = [];
    const sink = new Writable({ write(chunk, _enc, cb) { lines.push(String(chunk)); cb(); } });
    const log = pino({ level: 'trace', redact: { paths: redactPaths, censor: '[redacted]' } }, sink);
    const secret = 'Very-secret-password-9';
    log.info({ req: { headers: { authorization: 'Bearer kefu_abc', cookie: 'kefu_session=xyz' } }, body: { password: secret } }, 'x');
    log.info({ password: secret, newPassword: secret, token: 'kefu_abc' }, 'y');
    expect(lines.join('')).not.toContain(secret);
    expect(lines.join('')).not.toContain('kefu_abc');
    expect(lines.join('')).not.toContain('xyz');

    const admin = await t.login('admin', ADMIN_PASSWORD);
    await admin.post('/api/users', { username: 'audit.probe', displayName: '审计', orgUnitId: w.units.deptA.id, password: secret, grants: [] });
    const tok = (await admin.post('/api/auth/tokens', { name: 'probe', expiresInDays: 1 })).json().token;
    const rows = await t.kefu.db.selectFrom('audit_entries').select('changes').execute();
    const all = rows.map((r) => r.changes).join('\n');
    expect(all).not.toContain(secret);
    expect(all).not.toContain(tok);
    expect(all).not.toContain('argon2');
  });
});
