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

/**
 * Real work orders from the shared corpus (/work/shared/data/workorders-zh.jsonl, hotel records),
 * copied here so that the tests run anywhere; placeholders are expanded with fake values.
 */
export const workOrders = {
  shower: {
    type: 'complaint', channel: 'phone', category: '设施设备', severity: 3, subject: '客房淋浴水小且发黄无法洗澡',
    body: '客人王秀兰来电投诉：1208房间淋浴出水很小，刚放出来的水还有点发黄，客人洗到一半只能停下，要求马上处理，并质疑酒店的水是否干净。已向客人致歉，解释水管长时间未使用时放出的水可能略带黄色，放水几分钟后会恢复，但客人表示已经放了十分钟仍未变清。已登记并转工程部处理，时限两小时；同时通知前台准备同房型空房，如工程部两小时内未能修复即为客人换房。客人要求处理结果回电至13812345678。',
  },
  aircon: {
    type: 'complaint', channel: 'phone', category: '客房', severity: 3, subject: '房间空调不制冷一晚没睡好',
    body: '客人来电反映1512房间的空调从入住起就不制冷，调到十八度吹出来的还是热风。夜里客人先后两次打电话到前台，前台都说工程人员已经下班，只送去了一台电风扇。客人一晚上没睡好，今天早上情绪很大，说白天还要开会，要求上午之内换房，并对夜间无人维修给个说法，否则要在网上写差评，并投诉到底。已致歉，通知工程部上午检修，前台正在安排同房型换房。',
  },
  breakfast: {
    type: 'complaint', channel: 'walk_in', category: '餐饮', severity: 3, subject: '早餐热菜供应不足且菜是凉的',
    body: '早上八点半去吃早餐，热菜区一半是空盘子，剩下的炒面和煎蛋都是凉的，让服务员补菜也没人理，咖啡机还显示故障。房价里是含早的，总不能就给我们吃这个吧。',
  },
  safe: {
    type: 'complaint', channel: 'phone', category: '安全', severity: 2, subject: '保险箱打不开证件被锁在里面',
    body: '保险箱里放着护照和现金，密码输了好几次都打不开，工程部说要等主管来才能开箱。我已经等了一个多小时，打了三次电话催，每次都说主管在路上，我马上要去赶高铁。你们到底有没有应急预案？误了车谁负责？',
  },
  invoice: {
    type: 'inquiry', channel: 'email', category: '账单', severity: null, subject: '公司统一结算能否开专用发票',
    body: '您好，我公司员工下周入住贵酒店，费用由公司统一支付，请问能否开具增值税专用发票？需要提供哪些资料？发票能否直接邮寄到公司？',
  },
  lamp: { type: 'repair', channel: 'app', category: '客房', severity: null, subject: '床头阅读灯一直闪烁', body: '床头的阅读灯一直闪，关掉再开还是闪，晚上想看会儿书都不行，麻烦派人来修一下。' },
  smoke: {
    type: 'repair', channel: 'phone', category: '设施设备', severity: null, subject: '走廊烟感半夜误报两次',
    body: '九楼走廊的烟感报警器半夜响了两次，现场检查没有烟雾，应该是误报。客人被吵醒非常不满，请工程部今天务必检修或更换。',
  },
  quietRoom: {
    type: 'request', channel: 'phone', category: '客房', severity: null, subject: '申请换到高楼层远离电梯的房间',
    body: '我睡眠比较浅，现在的房间挨着电梯，进出的声音很吵，能不能帮我换一间高楼层、远离电梯的房间？',
  },
  gingerTea: {
    type: 'praise', channel: 'web', category: '客房', severity: null, subject: '客房服务员主动送姜茶',
    body: '服务员发现我感冒了，主动送来姜茶和一床厚被子，还留了一张手写的小卡片，非常暖心，这样的员工应该表扬。',
  },
  handrail: {
    type: 'suggestion', channel: 'letter', category: '客房', severity: null, subject: '建议为老年客人配防滑垫和扶手',
    body: '我和老伴都七十多岁了，住在贵酒店总体很满意，只是卫生间地面太滑，洗澡的时候心里发慌。建议给老年客人准备防滑垫，浴室里最好能装个扶手。',
  },
} as const;
export type WorkOrderSample = (typeof workOrders)[keyof typeof workOrders];

/** The body of `POST /api/tickets` for a corpus record; the category is looked up by its name. */
export async function intakeBody(c: Client, s: WorkOrderSample, extra: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
  const categories = (await c.get('/api/ticket-categories')).json() as { id: string; name: string }[];
  return {
    type: s.type,
    channel: s.channel,
    subject: s.subject,
    description: s.body,
    categoryId: categories.find((x) => x.name === s.category)?.id ?? null,
    ...(s.severity ? { severity: s.severity } : {}),
    ...extra,
  };
}

/** The password people hired through the API choose at their first sign-in. */
export const HIRED_PASSWORD = 'Fresh-lantern-2026';

/**
 * Hires someone through the API as `by` (with one role granted in one unit), lets them change the
 * one-time password through the API, and returns them signed in.
 */
export async function hireThroughApi(
  t: TestApp,
  by: Client,
  p: { username: string; displayName: string; orgUnitId: string; roleKey: string; grantUnitId?: string },
): Promise<{ id: string; client: Client }> {
  const roles = (await by.get('/api/roles')).json() as { id: string; key: string }[];
  const roleId = roles.find((r) => r.key === p.roleKey)!.id;
  const res = await by.post('/api/users', {
    username: p.username,
    displayName: p.displayName,
    orgUnitId: p.orgUnitId,
    password: PASSWORD,
    grants: [{ roleId, orgUnitId: p.grantUnitId ?? p.orgUnitId }],
  });
  if (res.statusCode !== 201) throw new Error(`hire ${p.username}: ${res.statusCode} ${res.body}`);
  const client = await t.login(p.username);
  const changed = await client.post('/api/auth/password', { currentPassword: PASSWORD, newPassword: HIRED_PASSWORD });
  if (changed.statusCode !== 204) throw new Error(`password ${p.username}: ${changed.statusCode} ${changed.body}`);
  return { id: res.json().user.id, client };
}

/** A unit made by the system (as an administrator would), for tests that need more departments or teams. */
export async function addUnit(t: TestApp, parentId: string, kind: 'company' | 'department' | 'team', name: string, code: string): Promise<{ id: string; path: string }> {
  const ctx = systemCtx(t.db.handle, t.clock, t.kefu.log);
  const u = await createOrgUnit(ctx, { parentId, kind, name, code, timeZone: 'Asia/Shanghai' });
  return { id: u.id, path: u.path };
}

/** Someone holding one role in one unit, password already changed (like seedWorld's staff); signs in with PASSWORD. */
export async function addStaff(t: TestApp, p: { username: string; displayName: string; orgUnitId: string; roleKey: string; grantUnitId?: string }): Promise<{ id: string; username: string }> {
  const ctx = systemCtx(t.db.handle, t.clock, t.kefu.log);
  const role = (await roleRepository.byKey(t.kefu.db, p.roleKey))!;
  const { user } = await createUser(ctx, { username: p.username, displayName: p.displayName, orgUnitId: p.orgUnitId, password: PASSWORD, grants: [{ roleId: role.id, orgUnitId: p.grantUnitId ?? p.orgUnitId }] });
  await userRepository.update(t.kefu.db, user.id, null, { must_change_password: 0 });
  return { id: user.id, username: p.username };
}

/** Every built-in role that reads customer files (the confidentiality matrix's rows). */
export const customerRoles = ['agent', 'shift_lead', 'supervisor', 'manager', 'director', 'records_officer', 'qa_inspector'] as const;
export type CustomerRole = (typeof customerRoles)[number];

/** Signs in one person of branch A per built-in role (adding the supervisor, records officer and QA inspector seedWorld lacks). */
export async function signInEveryRole(t: TestApp, w: World): Promise<Record<CustomerRole, Client>> {
  await addStaff(t, { username: 'sup.a', displayName: '孙主管', orgUnitId: w.units.deptA.id, roleKey: 'supervisor', grantUnitId: w.units.branchA.id });
  await addStaff(t, { username: 'rec.a', displayName: '钱档案员', orgUnitId: w.units.deptA.id, roleKey: 'records_officer', grantUnitId: w.units.branchA.id });
  await addStaff(t, { username: 'qa.a', displayName: '赵质检', orgUnitId: w.units.deptA.id, roleKey: 'qa_inspector' });
  const usernames: Record<CustomerRole, string> = { agent: 'agent.a', shift_lead: 'lead.a', supervisor: 'sup.a', manager: 'manager.a', director: 'director', records_officer: 'rec.a', qa_inspector: 'qa.a' };
  const clients = {} as Record<CustomerRole, Client>;
  for (const r of customerRoles) clients[r] = await t.login(usernames[r]);
  return clients;
}
