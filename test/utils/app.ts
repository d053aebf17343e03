import type { LightMyRequestResponse } from 'fastify';
import pino from 'pino';
import { buildApp, type KefuApp, type RouteInfo } from '../../src/server/http/app.ts';
import type { Kefu } from '../../src/server/http/kefu.ts';
import { AuditSealer } from '../../src/server/modules/audit/audit.sealer.ts';
import { TestClock } from '../../src/server/platform/clock.ts';
import { loadConfig } from '../../src/server/platform/config.ts';
import { prepareDatabase, systemCtx } from '../../src/server/setup.ts';
import { createOrgUnit } from '../../src/server/modules/org/org-unit.service.ts';
import { orgUnitRepository } from '../../src/server/modules/org/org-unit.repository.ts';
import { createUser } from '../../src/server/modules/users/user.service.ts';
import { roleRepository } from '../../src/server/modules/users/role.repository.ts';
import { userRepository } from '../../src/server/modules/users/user.repository.ts';
import { createTestDb, type TestDb } from './db.ts';

export const PASSWORD = 'Correct-horse-42';
export const ADMIN_PASSWORD = 'Admin-password-42';

export interface TestApp {
  app: KefuApp;
  routes: RouteInfo[];
  kefu: Kefu;
  clock: TestClock;
  db: TestDb;
  close(): Promise<void>;
  /** Signs in through the real endpoint and returns a client that carries the cookie and the CSRF token. */
  login(username: string, password?: string, lang?: 'zh' | 'en'): Promise<Client>;
  anonymous(lang?: 'zh' | 'en'): Client;
}

type Body = Record<string, unknown> | unknown[] | string | undefined;
export interface Client {
  get(url: string): Promise<LightMyRequestResponse>;
  post(url: string, body?: Body): Promise<LightMyRequestResponse>;
  patch(url: string, body?: Body): Promise<LightMyRequestResponse>;
  put(url: string, body?: Body): Promise<LightMyRequestResponse>;
  delete(url: string): Promise<LightMyRequestResponse>;
  request(method: string, url: string, body?: Body, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  csrf: string | null;
  cookie: string | null;
}

function client(app: KefuApp, cookie: string | null, csrf: string | null, lang: 'zh' | 'en', extra: Record<string, string> = {}): Client {
  const request = (method: string, url: string, body?: Body, headers: Record<string, string> = {}) =>
    app.inject({
      method: method as 'GET',
      url,
      headers: {
        'accept-language': lang === 'en' ? 'en' : 'zh-CN',
        ...(cookie ? { cookie: `kefu_session=${cookie}` } : {}),
        ...(csrf ? { 'x-csrf-token': csrf } : {}),
        ...(body !== undefined && typeof body !== 'string' ? { 'content-type': 'application/json' } : {}),
        ...extra,
        ...headers,
      },
      payload: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
  return {
    request,
    get: (u) => request('GET', u),
    post: (u, b) => request('POST', u, b ?? {}),
    patch: (u, b) => request('PATCH', u, b),
    put: (u, b) => request('PUT', u, b),
    delete: (u) => request('DELETE', u),
    csrf,
    cookie,
  };
}

export function bearer(app: KefuApp, token: string): Client {
  return client(app, null, null, 'zh', { authorization: `Bearer ${token}` });
}

/** The real app on a fresh database of the engine under test, with a clock the test moves. */
export async function createTestApp(): Promise<TestApp> {
  const db = await createTestDb();
  const clock = new TestClock();
  const log = pino({ level: process.env.TEST_LOG ?? 'silent' });
  const config = loadConfig({ KEFU_DATA_DIR: db.dataDir, DATABASE_URL: db.databaseUrl, KEFU_ADMIN_PASSWORD: ADMIN_PASSWORD });
  await prepareDatabase(db.handle, clock, log, ADMIN_PASSWORD);
  const sealer = new AuditSealer(db.handle.db, db.handle.dialect, log);
  const kefu: Kefu = {
    db: db.handle.db,
    dialect: db.handle.dialect,
    clock,
    log,
    config,
    sessionPolicy: { idleMinutes: config.sessionIdleMinutes, maxHours: config.sessionMaxHours },
    sealer,
  };
  const { app, routes } = await buildApp(kefu);
  const t: TestApp = {
    app,
    routes,
    kefu,
    clock,
    db,
    async close() {
      await app.close();
      await sealer.stop();
      await db.drop();
    },
    async login(username, password = PASSWORD, lang = 'zh') {
      const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password }, headers: { 'accept-language': lang } });
      if (res.statusCode !== 200) throw new Error(`login ${username}: ${res.statusCode} ${res.body}`);
      const cookie = res.cookies.find((c) => c.name === 'kefu_session')!.value;
      return client(app, cookie, res.json().csrfToken, lang);
    },
    anonymous: (lang = 'zh') => client(app, null, null, lang),
  };
  return t;
}

export interface World {
  units: Record<'group' | 'branchA' | 'deptA' | 'teamA' | 'branchB' | 'deptB', { id: string; path: string }>;
  users: Record<'director' | 'managerA' | 'agentA' | 'leadA' | 'managerB' | 'agentB', { id: string; username: string }>;
}

/**
 * Two branches under one group, each with a service department; staff in several roles.
 * Everyone's password is PASSWORD and already changed.
 */
export async function seedWorld(t: TestApp): Promise<World> {
  const ctx = systemCtx(t.db.handle, t.clock, t.kefu.log);
  const mk = (parentId: string | null, kind: 'group' | 'company' | 'department' | 'team', name: string, code: string) =>
    createOrgUnit(ctx, { parentId, kind, name, code, timeZone: 'Asia/Shanghai' });
  const root = (await orgUnitRepository.byCode(t.kefu.db, 'HQ'))!;
  const group = { id: root.id, path: root.path };
  const branchA = await mk(group.id, 'company', '洛阳分店', 'A');
  const deptA = await mk(branchA.id, 'department', '客服部', 'A-KF');
  const teamA = await mk(deptA.id, 'team', '早班组', 'A-KF-1');
  const branchB = await mk(group.id, 'company', '郑州分店', 'B');
  const deptB = await mk(branchB.id, 'department', '客服部', 'B-KF');
  const role = async (key: string) => (await roleRepository.byKey(t.kefu.db, key))!.id;
  const mkUser = async (username: string, displayName: string, unitId: string, roleKey: string, grantUnit = unitId) => {
    const { user } = await createUser(ctx, { username, displayName, orgUnitId: unitId, password: PASSWORD, grants: [{ roleId: await role(roleKey), orgUnitId: grantUnit }] });
    await userRepository.update(t.kefu.db, user.id, null, { must_change_password: 0 });
    return { id: user.id, username };
  };
  const users = {
    director: await mkUser('director', '周总', group.id, 'director'),
    managerA: await mkUser('manager.a', '王经理', deptA.id, 'manager', branchA.id),
    leadA: await mkUser('lead.a', '张领班', teamA.id, 'shift_lead', deptA.id),
    agentA: await mkUser('agent.a', '刘客服', teamA.id, 'agent', deptA.id),
    managerB: await mkUser('manager.b', '郑经理', deptB.id, 'manager', branchB.id),
    agentB: await mkUser('agent.b', '卫客服', deptB.id, 'agent', deptB.id),
  };
  const u = (x: { id: string; path: string }) => ({ id: x.id, path: x.path });
  return { units: { group: u(group), branchA: u(branchA), deptA: u(deptA), teamA: u(teamA), branchB: u(branchB), deptB: u(deptB) }, users };
}
