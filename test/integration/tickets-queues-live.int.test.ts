import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/database.ts';
import { buildApp, type KefuApp } from '../../src/server/http/app.ts';
import { AuditSealer } from '../../src/server/modules/audit/audit.sealer.ts';
import { createTestApp, intakeBody, seedWorld, workOrders, type Client, type TestApp, type World } from '../utils/app.ts';
import { dialect } from '../utils/db.ts';

type Event = { type: string; id?: string; orgUnitPath?: string; departmentPath?: string | null };

/** A client of GET /api/events over a real socket: every `data:` event in order, and waits for one. */
async function subscribe(base: string, cookie: string) {
  const ac = new AbortController();
  const res = await fetch(`${base}/api/events`, { headers: { cookie: `kefu_session=${cookie}` }, signal: ac.signal });
  const events: Event[] = [];
  const waiters: { pred: (e: Event) => boolean; resolve: (e: Event) => void }[] = [];
  let resolveEnd!: () => void;
  const ended = new Promise<void>((r) => (resolveEnd = r));
  if (res.status === 200) {
    void (async () => {
      const reader = res.body!.getReader();
      const dec = new TextDecoder();
      let buf = '';
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buf += dec.decode(value, { stream: true });
          for (let i = buf.indexOf('\n\n'); i >= 0; i = buf.indexOf('\n\n')) {
            const chunk = buf.slice(0, i);
            buf = buf.slice(i + 2);
            for (const line of chunk.split('\n')) {
              if (!line.startsWith('data: ')) continue;
              const e = JSON.parse(line.slice(6)) as Event;
              events.push(e);
              for (const w of waiters.filter((x) => x.pred(e))) (waiters.splice(waiters.indexOf(w), 1), w.resolve(e));
            }
          }
        }
      } catch {
        // aborted
      }
      resolveEnd();
    })();
  } else resolveEnd();
  const until = (pred: (e: Event) => boolean) =>
    new Promise<Event>((resolve) => {
      const found = events.find(pred);
      if (found) resolve(found);
      else waiters.push({ pred, resolve });
    });
  if (res.status === 200) await until((e) => e.type === 'ready');
  return { res, events, until, ended, close: () => ac.abort() };
}
type Stream = Awaited<ReturnType<typeof subscribe>>;
const isTicket = (id: string) => (e: Event) => e.type === 'ticket' && e.id === id;

/** Live push (SSE): who hears which change, notifications to their recipient only, several instances, shutdown. */
describe('work-order queues: live events', () => {
  let t: TestApp;
  let w: World;
  let base: string;
  let agentA: Client;
  let managerA: Client;
  let agentB: Client;
  let leadA: Client;
  const streams: Stream[] = [];
  const open = async (c: Client, url = base) => {
    const s = await subscribe(url, c.cookie!);
    streams.push(s);
    return s;
  };
  const register = async (c: Client, extra: Record<string, unknown> = {}) => {
    const res = await c.post('/api/tickets', await intakeBody(c, workOrders.lamp, extra));
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: string; version: number };
  };

  beforeAll(async () => {
    t = await createTestApp();
    w = await seedWorld(t);
    base = (await t.app.listen({ port: 0, host: '127.0.0.1' })).replace('0.0.0.0', '127.0.0.1');
    [agentA, managerA, agentB, leadA] = await Promise.all(['agent.a', 'manager.a', 'agent.b', 'lead.a'].map((u) => t.login(u)));
  });
  afterAll(async () => {
    for (const s of streams) s.close();
    await t.close();
  });

  it('answers 401 without a session and streams text/event-stream with one', async () => {
    const res = await fetch(`${base}/api/events`);
    expect(res.status).toBe(401);
    const s = await open(agentA);
    expect(s.res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(s.res.headers.get('cache-control')).toMatch(/no-cache/);
    s.close();
  });

  it('tells agent.a when manager.a assigns an order, not agent.b of the other branch; the notification only to its recipient', async () => {
    const [a, b, lead] = [await open(agentA), await open(agentB), await open(leadA)];
    const x = await register(managerA, { orgUnitId: w.units.deptA.id });
    await a.until(isTicket(x.id));
    const assigned = await managerA.post(`/api/tickets/${x.id}/assign`, { assigneeId: w.users.agentA.id, version: x.version });
    expect(assigned.statusCode, assigned.body).toBe(200);
    await a.until((e) => e.type === 'notification');
    const heard = await lead.until(isTicket(x.id));
    expect(heard).toEqual({ type: 'ticket', id: x.id, orgUnitPath: w.units.deptA.path, departmentPath: w.units.deptA.path });

    // Markers: later changes each stream can see; events arrive in commit order, so anything earlier has arrived.
    const ofB = await register(agentB);
    await b.until(isTicket(ofB.id));
    const later = await register(managerA, { orgUnitId: w.units.deptA.id });
    await lead.until(isTicket(later.id));
    expect(b.events.filter((e) => e.type === 'ticket').map((e) => e.id)).toEqual([ofB.id]);
    expect(b.events.some((e) => e.type === 'notification')).toBe(false);
    expect(lead.events.some((e) => e.type === 'notification')).toBe(false);
    expect(a.events.some(isTicket(ofB.id))).toBe(false);
    for (const s of [a, b, lead]) s.close();
  });

  it('limits the streams of one person', async () => {
    const mine = await Promise.all(Array.from({ length: 5 }, () => open(agentB)));
    expect(mine.every((s) => s.res.status === 200)).toBe(true);
    const sixth = await fetch(`${base}/api/events`, { headers: { cookie: `kefu_session=${agentB.cookie}` } });
    expect(sixth.status).toBe(429);
    for (const s of mine) s.close();
  });

  it.skipIf(dialect() !== 'postgres')('reaches a client of another instance on the same database (LISTEN/NOTIFY)', async () => {
    const handle = openDatabase({ databaseUrl: t.db.databaseUrl, dataDir: t.db.dataDir, poolSize: 2 });
    const sealer = new AuditSealer(handle.db, handle.dialect, t.kefu.log);
    let second: KefuApp | undefined;
    try {
      second = (await buildApp({ ...t.kefu, db: handle.db, sealer })).app;
      const base2 = await second.listen({ port: 0, host: '127.0.0.1' });
      const a2 = await open(agentA, base2); // the session lives in the shared database
      const x = await register(managerA, { orgUnitId: w.units.deptA.id });
      await a2.until(isTicket(x.id));
      const assigned = await managerA.post(`/api/tickets/${x.id}/assign`, { assigneeId: w.users.agentA.id, version: x.version });
      expect(assigned.statusCode).toBe(200);
      await a2.until((e) => e.type === 'notification');
      // …and the first instance's own clients still hear it.
      const a1 = await open(agentA);
      const y = await register(managerA, { orgUnitId: w.units.deptA.id });
      await Promise.all([a1.until(isTicket(y.id)), a2.until(isTicket(y.id))]);
      a1.close();
      a2.close();
    } finally {
      await second?.close();
      await sealer.stop();
      await handle.close();
    }
  });

  it.skipIf(dialect() !== 'postgres')('listens again after losing its PostgreSQL connection, and tells consoles to reload', async () => {
    const a = await open(agentA);
    const admin = new pg.Client({ connectionString: t.db.databaseUrl });
    await admin.connect();
    try {
      const killed = await admin.query(
        `select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and query ilike 'listen kefu_live%' and pid <> pg_backend_pid()`,
      );
      expect(killed.rowCount).toBeGreaterThan(0);
    } finally {
      await admin.end();
    }
    const readies = () => a.events.filter((e) => e.type === 'ready').length;
    await a.until(() => readies() >= 2); // the resync signal: events of the gap may be lost
    const x = await register(managerA, { orgUnitId: w.units.deptA.id });
    await a.until(isTicket(x.id));
    a.close();
  });

  it('ends open streams when the server shuts down gracefully', async () => {
    const other = await createTestApp();
    try {
      await seedWorld(other);
      const url = (await other.app.listen({ port: 0, host: '127.0.0.1' })).replace('0.0.0.0', '127.0.0.1');
      const s1 = await subscribe(url, (await other.login('agent.a')).cookie!);
      const s2 = await subscribe(url, (await other.login('agent.b')).cookie!);
      await other.app.close();
      await Promise.all([s1.ended, s2.ended]);
    } finally {
      await other.close();
    }
  });
});
