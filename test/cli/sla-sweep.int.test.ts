import { afterAll, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb } from '../utils/db.ts';
import { kefuEnv, killAll, login, startServe, type ApiSession, type Served } from './run.ts';

/**
 * The escalation sweep across a crash of the served process (kill -9): stages that fell due while
 * the server was down fire at the next start, and a sweep killed half-way leaves every stage either
 * fired (committed with the clock's move to its next stage) or still due — so after the restart each
 * stage has fired exactly once: one timeline entry, one notification per person told.
 *
 * The server runs with KEFU_TEST_CLOCK=true (POST /api/test/clock moves its time; `sweep: false`
 * leaves stages due) and a sweep interval of an hour, so only the start sweep and the test's own run.
 * A restarted server starts at the time the test had moved the clock to (KEFU_TEST_CLOCK_OFFSET_MINUTES).
 */
const ADMIN_PASSWORD = 'Sla-sweep-admin-42';
const dbs: TestDb[] = [];
afterAll(async () => {
  await killAll();
  for (const db of dbs) await db.drop();
});

/**
 * The stages of the plan below as timeline kinds (sorted), for an order 95 minutes old: breach (at 60),
 * level 1 (60), level 2 (90), and the warning (30) when it was swept before the deadline — a warning
 * first swept after the deadline is skipped (it would say nothing).
 */
const WITH_WARNING = ['sla.breached', 'sla.escalated', 'sla.escalated', 'sla.warning'];
const PAST_DEADLINE = ['sla.breached', 'sla.escalated', 'sla.escalated'];

async function ok<T>(res: Promise<Response>, status = 200): Promise<T> {
  const r = await res;
  const body = await r.text();
  if (r.status !== status) throw new Error(`${r.status} ${body}`);
  return (body ? JSON.parse(body) : undefined) as T;
}

/** A company with a department, a one-hour calendar-time resolution policy (warning at 50 %, levels at 0 and 30 minutes past), and `n` orders taken by the admin. */
async function world(s: ApiSession, n: number): Promise<string[]> {
  const units = await ok<{ id: string; kind: string }[]>(s.request('GET', '/api/org-units'));
  const root = units.find((u) => u.kind === 'group')!;
  const company = await ok<{ id: string }>(s.request('POST', '/api/org-units', { parentId: root.id, kind: 'company', name: '郑州分店', code: 'ZZ' }), 201);
  const dept = await ok<{ id: string }>(s.request('POST', '/api/org-units', { parentId: company.id, kind: 'department', name: '客服部', code: 'ZZ-KF' }), 201);
  await ok(
    s.request('POST', '/api/sla-policies', {
      orgUnitId: company.id,
      name: '一小时解决',
      targets: { resolution: { minutes: 60, mode: 'calendar' } },
      escalation: { warnPercent: 50, levels: [{ afterMinutes: 0, notify: 'assignee' }, { afterMinutes: 30, notify: 'assignee' }] },
    }),
    201,
  );
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const tk = await ok<{ id: string; version: number }>(
      s.request('POST', '/api/tickets', { orgUnitId: dept.id, type: 'complaint', channel: 'phone', subject: `客房热水不热 ${i + 1}`, description: '客人来电反映淋浴热水不热，要求尽快处理。' }),
      201,
    );
    await ok(s.request('POST', `/api/tickets/${tk.id}/take`, { version: tk.version }));
    ids.push(tk.id);
  }
  return ids;
}

function counters(db: TestDb) {
  const k = db.handle.db;
  return {
    async notifications(): Promise<number> {
      const r = await k.selectFrom('notifications').select((eb) => eb.fn.countAll<number>().as('n')).where('kind', '=', 'sla').executeTakeFirstOrThrow();
      return Number(r.n);
    },
    /** Per order: its escalation timeline kinds (sorted) and how many sla notifications it caused. */
    async perTicket(ids: string[]): Promise<Record<string, { events: string[]; notifications: number }>> {
      const events = await k.selectFrom('ticket_events').select(['ticket_id', 'kind']).where('ticket_id', 'in', ids).where('kind', 'in', ['sla.warning', 'sla.breached', 'sla.escalated']).execute();
      const notes = await k.selectFrom('notifications').select('ticket_id').where('ticket_id', 'in', ids).where('kind', '=', 'sla').execute();
      const out: Record<string, { events: string[]; notifications: number }> = {};
      for (const id of ids) out[id] = { events: events.filter((e) => e.ticket_id === id).map((e) => e.kind).sort(), notifications: notes.filter((x) => x.ticket_id === id).length };
      return out;
    },
    async clocks(ids: string[]) {
      return k.selectFrom('sla_clocks').select(['ticket_id', 'last_stage', 'next_stage', 'state']).where('ticket_id', 'in', ids).execute();
    },
  };
}

/** Polls (bounded) until `test` holds on the database; the restarted server's start sweep is asynchronous. */
async function until(what: string, test: () => Promise<boolean>, tries = 300, intervalMs = 100): Promise<void> {
  for (let i = 0; i < tries; i++) {
    if (await test()) return;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** After the restart: every stage fired once, and another sweep finds nothing left to fire. */
async function expectEachStageOnce(server: Served, db: TestDb, ids: string[], stages: string[]): Promise<void> {
  const c = counters(db);
  await until('the start sweep to fire every due stage', async () => (await c.notifications()) >= ids.length * stages.length);
  const s = await login(server.url, 'admin', ADMIN_PASSWORD);
  expect(await ok<{ fired: number }>(s.request('POST', '/api/test/clock', { advanceMinutes: 0 }))).toMatchObject({ fired: 0 });
  const per = await c.perTicket(ids);
  for (const id of ids) expect(per[id], id).toEqual({ events: stages, notifications: stages.length });
  for (const clock of await c.clocks(ids)) expect(clock).toMatchObject({ state: 'running', last_stage: 'level2', next_stage: null });
  // Through the API too: the order's clock says the last stage fired was level 2.
  const sla = await ok<{ clocks: { target: string; lastStage: string | null; breachedAt: string | null }[] }>(s.request('GET', `/api/tickets/${ids[0]}/sla`));
  expect(sla.clocks.find((x) => x.target === 'resolution')).toMatchObject({ lastStage: 'level2', breachedAt: expect.any(String) });
}

describe('kefu serve: the escalation sweep survives kill -9', () => {
  const base = (db: TestDb, offsetMinutes?: number) =>
    kefuEnv(db, { KEFU_ADMIN_PASSWORD: ADMIN_PASSWORD, KEFU_TEST_CLOCK: 'true', KEFU_SLA_SWEEP_SECONDS: '3600', ...(offsetMinutes ? { KEFU_TEST_CLOCK_OFFSET_MINUTES: String(offsetMinutes) } : {}) });

  it('stages that fell due before a kill -9 fire exactly once at the next start; a stage fired earlier does not fire again', async () => {
    const db = await createTestDb();
    dbs.push(db);
    const c = counters(db);
    const server = await startServe(base(db));
    let s = await login(server.url, 'admin', ADMIN_PASSWORD);
    const ids = await world(s, 5);
    // 35 minutes: past 50 % of the hour — the warnings fire now, through the normal sweep.
    expect(await ok<{ fired: number }>(s.request('POST', '/api/test/clock', { advanceMinutes: 35 }))).toMatchObject({ fired: ids.length });
    s = await login(server.url, 'admin', ADMIN_PASSWORD); // an idle session expires as time passes
    // 60 more: breach, level 1 and level 2 are due — and nobody sweeps.
    expect(await ok<{ fired: number }>(s.request('POST', '/api/test/clock', { advanceMinutes: 60, sweep: false }))).toMatchObject({ fired: 0 });
    expect(await c.notifications()).toBe(ids.length);
    expect(Object.values(await c.perTicket(ids)).map((x) => x.events)).toEqual(ids.map(() => ['sla.warning']));

    server.child.kill('SIGKILL');
    expect(await server.exited).toEqual({ code: null, signal: 'SIGKILL' });

    const restarted = await startServe(base(db, 95));
    await expectEachStageOnce(restarted, db, ids, WITH_WARNING);
    expect(await restarted.stop()).toEqual({ code: 0, signal: null });
  }, 120_000);

  it('a sweep killed half-way leaves each stage fired or due, never both: after the restart every stage fired exactly once', async () => {
    const db = await createTestDb();
    dbs.push(db);
    const c = counters(db);
    const server = await startServe(base(db));
    const s = await login(server.url, 'admin', ADMIN_PASSWORD);
    const ids = await world(s, 40);
    const total = ids.length * PAST_DEADLINE.length;
    // 95 minutes at once, with the sweep: it fires 120 stages one transaction each. Kill the server as
    // soon as the first one is committed (watched in the database, not timed).
    const sweeping = s.request('POST', '/api/test/clock', { advanceMinutes: 95 }).then(
      (r) => r.status,
      () => 'killed' as const,
    );
    await until('the first fired stage', async () => (await c.notifications()) > 0, 6000, 5);
    server.child.kill('SIGKILL');
    expect(await server.exited).toEqual({ code: null, signal: 'SIGKILL' });
    expect(await sweeping).toBe('killed');
    const atKill = await c.notifications();
    expect(atKill).toBeGreaterThan(0);
    expect(atKill).toBeLessThan(total); // really half-way

    const restarted = await startServe(base(db, 95));
    await expectEachStageOnce(restarted, db, ids, PAST_DEADLINE);
    expect(await restarted.stop()).toEqual({ code: 0, signal: null });
  }, 180_000);
});
