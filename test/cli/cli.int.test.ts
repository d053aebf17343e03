import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/cli/demo.ts';
import { builtInRoles } from '../../src/contracts/permissions.ts';
import { openDatabase, type Db } from '../../src/db/database.ts';
import { migrations } from '../../src/db/migrations/index.ts';
import { createTestDb, dialect, type TestDb } from '../utils/db.ts';
import { kefuEnv, killAll, login, loginRaw, runKefu, startServe, type RunResult, type Served } from './run.ts';

/**
 * The `kefu` command and the served process, as an operator runs them: real child processes
 * (node bin/kefu.js …) against a fresh database of the engine under test.
 */

const dbs: TestDb[] = [];
const tmpDirs: string[] = [];
async function freshDb(): Promise<TestDb> {
  const db = await createTestDb();
  dbs.push(db);
  return db;
}
function tmpDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'kefu-cli-'));
  tmpDirs.push(d);
  return d;
}

afterAll(async () => {
  await killAll();
  for (const db of dbs) await db.drop();
  for (const d of tmpDirs) rmSync(d, { recursive: true, force: true });
});

const count = async (db: Db, table: 'users' | 'org_units' | 'audit_entries', where?: ReturnType<typeof sql>) => {
  const r = await sql<{ n: number | string }>`select count(*) as n from ${sql.table(table)} ${where ? sql`where ${where}` : sql``}`.execute(db);
  return Number(r.rows[0].n);
};
const unsealed = (db: Db) => count(db, 'audit_entries', sql`seq is null`);
const occurrences = (haystack: string, needle: string) => haystack.split(needle).length - 1;
const show = (r: RunResult) => `exit ${r.code} ${r.signal ?? ''}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`;

async function expectAuditIntact(env: NodeJS.ProcessEnv, db: Db): Promise<number> {
  const r = await runKefu(['audit', 'verify'], env);
  expect(r.code, show(r)).toBe(0);
  const m = /audit chain intact: (\d+) entries verified/.exec(r.stdout);
  expect(m, show(r)).not.toBeNull();
  const entries = Number(m![1]);
  expect(entries).toBe(await count(db, 'audit_entries'));
  return entries;
}

describe('kefu: usage and configuration', () => {
  it('prints usage without arguments, exits 2 on an unknown command; invalid settings exit 2 naming the variable', async () => {
    const dir = tmpDir();
    const env = kefuEnv({ dataDir: dir });
    const [noArgs, unknown, userNoSub, badPort, badUrl] = await Promise.all([
      runKefu([], env),
      runKefu(['frobnicate'], env),
      runKefu(['user'], env),
      runKefu(['serve'], { ...env, PORT: 'abc' }),
      runKefu(['serve'], { ...env, DATABASE_URL: 'mysql://x' }),
    ]);

    expect(noArgs.code, show(noArgs)).toBe(0);
    expect(noArgs.stdout).toMatch(/^kefu — 客服/);
    for (const cmd of ['kefu serve', 'kefu migrate', 'kefu user create', 'kefu audit verify', 'kefu backup', 'kefu restore', 'kefu demo']) {
      expect(noArgs.stdout).toContain(cmd);
    }

    expect(unknown.code, show(unknown)).toBe(2);
    expect(unknown.stdout).toContain('kefu serve');
    expect(userNoSub.code, show(userNoSub)).toBe(2);
    expect(userNoSub.stderr).toContain('kefu user create');

    expect(badPort.code, show(badPort)).toBe(2);
    expect(badPort.stderr).toMatch(/Invalid configuration/);
    expect(badPort.stderr).toMatch(/^\s*PORT: /m);
    expect(badPort.stdout).not.toContain('serving on');

    expect(badUrl.code, show(badUrl)).toBe(2);
    expect(badUrl.stderr).toMatch(/^\s*DATABASE_URL: .*postgres:\/\//m);
    expect(badUrl.stdout).not.toContain('serving on');
    // Nothing was created on the way out.
    expect(existsSync(join(dir, 'kefu.sqlite'))).toBe(false);
  });
});

describe('kefu: migrate, user, demo, graceful shutdown against one served instance', () => {
  let db: TestDb;
  let env: NodeJS.ProcessEnv;
  let first: RunResult;
  let second: RunResult;
  let server: Served;
  let adminPassword = '';

  beforeAll(async () => {
    db = await freshDb();
    env = kefuEnv(db);
    first = await runKefu(['migrate'], env);
    second = await runKefu(['migrate'], env);
    adminPassword = /administrator created: admin \/ (\S+) \(one-time\)/.exec(first.stdout)?.[1] ?? '';
    // info: the graceful-shutdown test watches the request log to know its requests are in flight.
    server = await startServe(kefuEnv(db, { LOG_LEVEL: 'info' }));
  }, 60_000);

  it('migrate on an empty database succeeds twice and prints the one-time admin password once', async () => {
    expect(first.code, show(first)).toBe(0);
    expect(first.stdout).toContain('migrations up to date');
    expect(adminPassword, show(first)).toMatch(/^\S{12,}$/);
    expect(occurrences(first.stdout + first.stderr, adminPassword)).toBe(1);

    expect(second.code, show(second)).toBe(0);
    expect(second.stdout).toContain('migrations up to date');
    expect(second.stdout + second.stderr).not.toContain('administrator created');
    expect(second.stdout + second.stderr).not.toContain(adminPassword);
    // Neither a second run nor the server on a prepared database shows a password again.
    expect(server.stdout()).not.toContain(adminPassword);
    expect(server.stdout()).not.toContain('one-time password');

    expect(await count(db.handle.db, 'users')).toBe(1);
    const applied = await sql<{ name: string }>`select name from kefu_migrations order by name`.execute(db.handle.db);
    expect(applied.rows.map((r) => r.name)).toEqual(Object.keys(migrations).sort());

    // The printed password is the admin's, and must be changed at first sign-in.
    const res = await loginRaw(server.url, 'admin', adminPassword);
    expect(res.status).toBe(200);
    expect((await res.json()).user).toMatchObject({ username: 'admin', mustChangePassword: true });
  });

  it('user create / reset-password / disable act on the served database', async () => {
    const created = await runKefu(['user', 'create', 'liu.yang', '--name', '刘洋', '--unit', 'HQ', '--role', 'agent'], env);
    expect(created.code, show(created)).toBe(0);
    const oneTime = /created liu\.yang; one-time password: (\S+)/.exec(created.stdout)?.[1];
    expect(oneTime, show(created)).toBeDefined();

    const first = await loginRaw(server.url, 'liu.yang', oneTime!);
    expect(first.status).toBe(200);
    const me = await first.json();
    expect(me.user).toMatchObject({ username: 'liu.yang', displayName: '刘洋', orgUnitName: '总部', status: 'active', mustChangePassword: true });
    expect(me.user.grants.map((g: { roleKey: string; orgUnitName: string }) => [g.roleKey, g.orgUnitName])).toEqual([['agent', '总部']]);

    const reset = await runKefu(['user', 'reset-password', 'liu.yang', '--password', 'Some-new-pass-99'], env);
    expect(reset.code, show(reset)).toBe(0);
    expect(reset.stdout).toContain('password reset for liu.yang');
    expect(reset.stdout).not.toContain('one-time password');
    expect((await loginRaw(server.url, 'liu.yang', oneTime!)).status).toBe(401);
    const again = await loginRaw(server.url, 'liu.yang', 'Some-new-pass-99');
    expect(again.status).toBe(200);
    expect((await again.json()).user.mustChangePassword).toBe(true);

    const disabled = await runKefu(['user', 'disable', 'liu.yang'], env);
    expect(disabled.code, show(disabled)).toBe(0);
    expect(disabled.stdout).toContain('disabled liu.yang');
    const refused = await loginRaw(server.url, 'liu.yang', 'Some-new-pass-99');
    expect(refused.status).toBe(403);
    expect((await refused.json()).code).toBe('ACCOUNT_DISABLED');

    // Each change is in the audit trail, made by the system actor.
    const user = await db.handle.db.selectFrom('users').select('id').where('username', '=', 'liu.yang').executeTakeFirstOrThrow();
    const actions = await db.handle.db.selectFrom('audit_entries').select(['action', 'actor_type']).where('entity_id', '=', user.id).execute();
    expect(actions.map((a) => a.action)).toEqual(expect.arrayContaining(['user.create', 'user.reset_password', 'session.login']));
    expect(actions.filter((a) => a.action !== 'session.login').every((a) => a.actor_type === 'system')).toBe(true);

    const [noUser, noUser2, noUnit, noRole] = await Promise.all([
      runKefu(['user', 'reset-password', 'nobody'], env),
      runKefu(['user', 'disable', 'nobody'], env),
      runKefu(['user', 'create', 'zhao.si', '--name', '赵四', '--unit', 'NOPE'], env),
      runKefu(['user', 'create', 'zhao.si', '--name', '赵四', '--unit', 'HQ', '--role', 'emperor'], env),
    ]);
    for (const r of [noUser, noUser2]) {
      expect(r.code, show(r)).not.toBe(0);
      expect(r.stderr).toContain('no user nobody');
    }
    expect(noUnit.code, show(noUnit)).not.toBe(0);
    expect(noUnit.stderr).toContain('no org unit with code NOPE');
    expect(noRole.code, show(noRole)).not.toBe(0);
    expect(noRole.stderr).toContain('no role emperor');
    expect(await db.handle.db.selectFrom('users').select('id').where('username', '=', 'zhao.si').executeTakeFirst()).toBeUndefined();
  }, 60_000);

  it('demo loads 牡丹酒店集团 with its two branches and 20 staff in all 8 roles, once, with progress lines', async () => {
    const k = db.handle.db;
    const usersBefore = (await k.selectFrom('users').select('id').execute()).map((u) => u.id);
    const r = await runKefu(['demo'], env);
    expect(r.code, show(r)).toBe(0);
    expect(r.stdout).toContain('Demo loaded: 牡丹酒店集团');

    const md = await k.selectFrom('org_units').selectAll().where('code', '=', 'MD').executeTakeFirstOrThrow();
    expect(md).toMatchObject({ name: '牡丹酒店集团', kind: 'group', parent_id: null });
    const branches = await k.selectFrom('org_units').select(['name', 'kind']).where('parent_id', '=', md.id).orderBy('name').execute();
    expect(branches.map((b) => b.name).sort()).toEqual(['洛阳分店', '郑州分店'].sort());
    expect(branches.every((b) => b.kind === 'company')).toBe(true);
    const demoUnits = await k.selectFrom('org_units').select('id').where('path', 'like', `${md.path}%`).execute();

    // The demo's staff: the users it added (the organisation's root became the group, so older users sit in it too).
    const staff = await k.selectFrom('users').select(['id', 'username']).where('id', 'not in', usersBefore).execute();
    expect(staff).toHaveLength(20);
    const roles = await k
      .selectFrom('role_grants')
      .innerJoin('roles', 'roles.id', 'role_grants.role_id')
      .select('roles.key')
      .where('role_grants.user_id', 'in', staff.map((s) => s.id))
      .distinct()
      .execute();
    expect(roles.map((x) => x.key).sort()).toEqual(builtInRoles.map((b) => b.key).sort());
    expect(builtInRoles).toHaveLength(8);

    // Not a TTY here: plain progress lines on stderr, rising to 100% of units + staff, each once.
    expect(r.stderr).not.toContain('\r');
    const lines = r.stderr.split('\n').filter((l) => l.startsWith('demo:'));
    const total = demoUnits.length + 20;
    expect(lines.length).toBeGreaterThanOrEqual(2);
    for (const l of lines) expect(l).toMatch(new RegExp(`^demo: \\d+/${total} \\(\\d+%\\)$`));
    const done = lines.map((l) => Number(/^demo: (\d+)\//.exec(l)![1]));
    for (let i = 1; i < done.length; i++) expect(done[i], lines.join('\n')).toBeGreaterThan(done[i - 1]);
    expect(lines[lines.length - 1]).toBe(`demo: ${total}/${total} (100%)`);

    // The demo accounts work on the running server.
    const res = await loginRaw(server.url, 'liu.agent', DEMO_PASSWORD);
    expect(res.status).toBe(200);
    expect((await res.json()).user).toMatchObject({ displayName: '刘洋', mustChangePassword: true });

    const again = await runKefu(['demo'], env);
    expect(again.code, show(again)).toBe(0);
    expect(again.stdout).toContain('already loaded');
    expect(again.stderr).not.toContain('demo:');
    expect(await count(k, 'users')).toBe(usersBefore.length + 20);
    expect(await count(k, 'org_units', sql`path like ${`${md.path}%`}`)).toBe(demoUnits.length);
  }, 60_000);

  it('SIGTERM lets in-flight requests finish, then exits 0 with the audit chain sealed and intact', async () => {
    const n = 12;
    const mark = server.stdout().length;
    const loginsBefore = await count(db.handle.db, 'audit_entries', sql`action = 'session.login'`);
    let killedAt = Number.POSITIVE_INFINITY;
    const requests = Array.from({ length: n }, () =>
      loginRaw(server.url, 'admin', adminPassword).then(
        async (res) => ({ status: res.status, body: await res.text(), at: performance.now() }),
        (err: Error) => ({ status: 0, body: `${err.message} ${String((err as { cause?: unknown }).cause)}`, at: performance.now() }),
      ),
    );
    // Every request has reached its handler (Fastify logs "incoming request" only for requests it will serve).
    const inFlight = (out: string) =>
      out
        .slice(mark)
        .split('\n')
        .filter((l) => l.includes('"msg":"incoming request"') && l.includes('"/api/auth/login"')).length;
    await server.waitForStdout((out) => inFlight(out) >= n);
    killedAt = performance.now();
    server.child.kill('SIGTERM');

    const results = await Promise.all(requests);
    // A stop must fit a supervisor's grace period (docker stop: 10 s), keep-alive clients or not.
    const grace = 10_000;
    let timer: NodeJS.Timeout | undefined;
    const exit = await Promise.race([server.exited, new Promise<'still running'>((r) => (timer = setTimeout(() => r('still running'), grace)))]);
    clearTimeout(timer);
    if (exit === 'still running') server.child.kill('SIGKILL');
    expect(exit, `kefu serve was still running ${grace} ms after SIGTERM (connections kept alive by the client are not closed)`).not.toBe('still running');
    expect(results.map((r) => r.status), JSON.stringify(results)).toEqual(Array(n).fill(200));
    // Some of them were still being worked on when the signal came (argon2 per login).
    expect(results.filter((r) => r.at > killedAt).length).toBeGreaterThan(0);
    expect(exit).toEqual({ code: 0, signal: null });
    const shutdownLog = server.stdout().slice(mark);
    expect(shutdownLog).toContain('"msg":"shutting down"');
    expect(shutdownLog).not.toMatch(/"level":(50|60)/);
    // Nothing listens any more.
    await expect(fetch(`${server.url}/api/health`)).rejects.toThrow();

    // The shutdown sealed every entry, and the chain holds.
    expect(await count(db.handle.db, 'audit_entries', sql`action = 'session.login'`)).toBe(loginsBefore + n);
    expect(await unsealed(db.handle.db)).toBe(0);
    await expectAuditIntact(env, db.handle.db);
  }, 60_000);
});

describe('kefu audit verify', () => {
  it('passes on an untouched chain, names an altered entry, and reports removed entries', async () => {
    const db = await freshDb();
    const env = kefuEnv(db);
    const k = db.handle.db;
    const demo = await runKefu(['demo'], env);
    expect(demo.code, show(demo)).toBe(0);
    const total = await count(k, 'audit_entries');
    expect(total).toBeGreaterThan(3);

    expect(await expectAuditIntact(env, k)).toBe(total);

    const second = await k.selectFrom('audit_entries').select(['id', 'actor_name']).where('seq', '=', 2).executeTakeFirstOrThrow();
    await sql`update audit_entries set actor_name = 'mallory' where seq = 2`.execute(k);
    const altered = await runKefu(['audit', 'verify'], env);
    expect(altered.code, show(altered)).toBe(3);
    expect(altered.stderr).toContain(`audit chain BROKEN at entry #2 (id ${second.id}): entry content does not match its hash`);
    expect(altered.stdout).not.toContain('intact');

    // Put it back: the chain holds again, so it was that change that broke it.
    await sql`update audit_entries set actor_name = ${second.actor_name} where seq = 2`.execute(k);
    await expectAuditIntact(env, k);

    await sql`delete from audit_entries where seq = ${total}`.execute(k);
    const removed = await runKefu(['audit', 'verify'], env);
    expect(removed.code, show(removed)).toBe(3);
    expect(removed.stderr).toMatch(new RegExp(`audit chain BROKEN at entry #${total}: chain head says #${total}, entries end at #${total - 1}: entries were removed`));
  }, 60_000);
});

describe('kefu serve: crash safety', () => {
  it('after kill -9 mid-burst, every acknowledged write is there, each with its audit entry, and the chain is sealed and intact', async () => {
    const db = await freshDb();
    const adminPassword = 'Crash-admin-pass-42';
    const env = kefuEnv(db, { KEFU_ADMIN_PASSWORD: adminPassword });
    const server = await startServe(env);
    // A password set by the operator is not shown.
    expect(server.stdout()).not.toContain(adminPassword);
    const s = await login(server.url, 'admin', adminPassword);
    expect(s.me.user.mustChangePassword).toBe(false);
    const hq = ((await (await s.request('GET', '/api/org-units')).json()) as { id: string; code: string }[]).find((u) => u.code === 'HQ')!;
    expect(hq).toBeDefined();

    const acknowledged: { code: string; id: string }[] = [];
    const lost: string[] = [];
    const refused: string[] = [];
    const sent: string[] = [];
    let killed = false;
    let next = 0;
    const killAfter = 25;
    const worker = async () => {
      while (!killed && next < 500) {
        const code = `CR-${next++}`;
        sent.push(code);
        try {
          const res = await s.request('POST', '/api/org-units', { parentId: hq.id, kind: 'department', name: `部门${code}`, code });
          const body = await res.json();
          if (res.status !== 201) {
            refused.push(`${code}: ${res.status} ${JSON.stringify(body)}`);
            continue;
          }
          acknowledged.push({ code, id: body.id });
          if (acknowledged.length >= killAfter && !killed) {
            killed = true;
            server.child.kill('SIGKILL');
          }
        } catch {
          // No answer: the server died with this request in flight; it may or may not have committed.
          if (!killed) refused.push(`${code}: failed before the kill`);
          lost.push(code);
        }
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    expect(await server.exited).toEqual({ code: null, signal: 'SIGKILL' });
    expect(refused).toEqual([]);
    expect(acknowledged.length).toBeGreaterThanOrEqual(killAfter);
    // It really was mid-burst: requests were cut off without an answer.
    expect(lost.length).toBeGreaterThan(0);

    const restarted = await startServe(env);
    const k = db.handle.db;
    // Sealed by the restart, before it answered anything.
    expect(await unsealed(k)).toBe(0);

    const s2 = await login(restarted.url, 'admin', adminPassword);
    const listed = ((await (await s2.request('GET', '/api/org-units')).json()) as { id: string; code: string }[]).filter((u) => u.code.startsWith('CR-'));
    const listedIds = new Set(listed.map((u) => u.id));
    for (const a of acknowledged) expect(listedIds.has(a.id), `acknowledged ${a.code} is missing`).toBe(true);
    // Only what was sent, nothing else: the unanswered ones may or may not have committed.
    expect(listed.every((u) => sent.includes(u.code))).toBe(true);
    expect(listed.length).toBeLessThanOrEqual(acknowledged.length + lost.length);

    // No half-written change: every unit has its audit entry, every entry its unit.
    const units = await k.selectFrom('org_units').select(['id', 'code']).where('code', 'like', 'CR-%').execute();
    const entries = await k.selectFrom('audit_entries').select(['entity_id', 'seq', 'hash']).where('action', '=', 'org_unit.create').execute();
    expect(units.length).toBe(listed.length);
    expect(entries.length).toBe(units.length);
    expect(new Set(entries.map((e) => e.entity_id))).toEqual(new Set(units.map((u) => u.id)));
    expect(entries.every((e) => e.seq !== null && e.hash !== null)).toBe(true);

    await expectAuditIntact(env, k);
    expect(await restarted.stop()).toEqual({ code: 0, signal: null });
  }, 90_000);
});

describe('kefu CLI next to a busy server', () => {
  it('user commands and the API both succeed while the other writes (one database, two processes)', async () => {
    const db = await freshDb();
    const adminPassword = 'Busy-admin-pass-42';
    const env = kefuEnv(db, { KEFU_ADMIN_PASSWORD: adminPassword });
    const server = await startServe(env);
    const mark = server.stdout().length;
    const s = await login(server.url, 'admin', adminPassword);
    const hq = ((await (await s.request('GET', '/api/org-units')).json()) as { id: string; code: string }[]).find((u) => u.code === 'HQ')!;

    const statuses: Record<number, number> = {};
    let stop = false;
    let next = 0;
    const worker = async () => {
      while (!stop) {
        const code = `BZ-${next++}`;
        const res = await s.request('POST', '/api/org-units', { parentId: hq.id, kind: 'department', name: code, code });
        await res.arrayBuffer();
        statuses[res.status] = (statuses[res.status] ?? 0) + 1;
      }
    };
    const workers = Array.from({ length: 4 }, worker);
    const cli: RunResult[] = [];
    try {
      for (const name of ['zhang.san', 'li.si', 'wang.wu']) cli.push(await runKefu(['user', 'create', name, '--name', name, '--unit', 'HQ', '--role', 'agent'], env));
    } finally {
      stop = true;
      await Promise.all(workers);
    }

    for (const r of cli) expect(r.code, show(r)).toBe(0);
    expect(Object.keys(statuses), JSON.stringify(statuses)).toEqual(['201']);
    expect(statuses[201]).toBeGreaterThan(0);
    expect(server.stdout().slice(mark)).not.toMatch(/"level":(50|60)/);
    expect(await server.stop()).toEqual({ code: 0, signal: null });

    const k = db.handle.db;
    expect(await count(k, 'users')).toBe(4);
    expect(await count(k, 'org_units', sql`code like 'BZ-%'`)).toBe(statuses[201]);
    expect(await count(k, 'audit_entries', sql`action = 'org_unit.create'`)).toBe(statuses[201]);
    await expectAuditIntact(env, k);
  }, 90_000);
});

describe('kefu backup / restore', () => {
  it.skipIf(dialect() === 'postgres')('SQLite: an online backup restores to its moment; a file that is no database is refused', async () => {
    const db = await freshDb();
    // restore replaces the file under any open connection: this test keeps none open.
    await db.handle.close();
    const adminPassword = 'Backup-admin-pass-42';
    const env = kefuEnv(db, { KEFU_ADMIN_PASSWORD: adminPassword });
    const live = join(db.dataDir, 'kefu.sqlite');
    const server = await startServe(env);
    const s = await login(server.url, 'admin', adminPassword);
    const hq = ((await (await s.request('GET', '/api/org-units')).json()) as { id: string; code: string }[]).find((u) => u.code === 'HQ')!;
    const create = async (code: string) => {
      const res = await s.request('POST', '/api/org-units', { parentId: hq.id, kind: 'department', name: code, code });
      expect(res.status, await res.clone().text()).toBe(201);
    };
    await create('BEFORE-BACKUP');

    const file = join(tmpDir(), 'x.sqlite');
    const backup = await runKefu(['backup', file], env);
    expect(backup.code, show(backup)).toBe(0);
    expect(backup.stdout).toContain(`backup written to ${file}`);
    expect(backup.stderr).toContain('backup: 100/100 (100%)');
    expect(statSync(file).size).toBeGreaterThan(0);

    await create('AFTER-BACKUP');
    expect(await server.stop()).toEqual({ code: 0, signal: null });

    const codes = async () => {
      const h = openDatabase({ dataDir: db.dataDir });
      try {
        return (await h.db.selectFrom('org_units').select('code').execute()).map((u) => u.code).sort();
      } finally {
        await h.close();
      }
    };
    expect(await codes()).toEqual(['AFTER-BACKUP', 'BEFORE-BACKUP', 'HQ']);

    const restore = await runKefu(['restore', file], env);
    expect(restore.code, show(restore)).toBe(0);
    expect(restore.stdout).toContain(`restored ${live} from ${file}`);
    expect(await codes()).toEqual(['BEFORE-BACKUP', 'HQ']);
    // The backup's chain is whole: it ends where that moment's head said.
    const h = openDatabase({ dataDir: db.dataDir });
    try {
      await expectAuditIntact(env, h.db);
    } finally {
      await h.close();
    }

    // Neither a text file nor an empty one (a backup that failed to write) replaces the database.
    const junk = join(tmpDir(), 'notes.sqlite');
    writeFileSync(junk, 'not a database, just some notes\n'.repeat(200));
    const empty = join(tmpDir(), 'empty.sqlite');
    writeFileSync(empty, '');
    const digest = () => createHash('sha256').update(readFileSync(live)).digest('hex');
    const before = digest();
    const [refused, refusedEmpty] = await Promise.all([runKefu(['restore', junk], env), runKefu(['restore', empty], env)]);
    for (const [r, f] of [[refused, junk], [refusedEmpty, empty]] as const) {
      expect(r.code, show(r)).toBe(2);
      expect(r.stderr).toMatch(/not a sound Kefu SQLite database/);
      expect(r.stderr).toContain(f);
      expect(r.stderr).not.toMatch(/^\s+at /m);
      expect(r.stdout).not.toContain('restored');
    }
    expect(digest()).toBe(before);
    expect(await codes()).toEqual(['BEFORE-BACKUP', 'HQ']);

    const missing = await runKefu(['restore', join(tmpDir(), 'nope.sqlite')], env);
    expect(missing.code, show(missing)).toBe(2);
    expect(missing.stderr).toContain('no such file');
  }, 90_000);

  it.skipIf(dialect() === 'sqlite')('PostgreSQL: backup and restore point at pg_dump / pg_restore', async () => {
    const db = await freshDb();
    const env = kefuEnv(db);
    const file = join(tmpDir(), 'x.dump');
    const [backup, restore] = await Promise.all([runKefu(['backup', file], env), runKefu(['restore', file], env)]);
    expect(backup.code, show(backup)).not.toBe(0);
    expect(backup.stderr).toContain('pg_dump');
    expect(existsSync(file)).toBe(false);
    expect(restore.code, show(restore)).not.toBe(0);
    expect(restore.stderr).toContain('pg_restore');
  });
});
