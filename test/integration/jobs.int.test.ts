import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Tx } from '../../src/db/database.ts';
import { iso } from '../../src/server/platform/clock.ts';
import { backoffMs, JobRunner, type JobRunnerOptions } from '../../src/server/modules/jobs/job.runner.ts';
import { enqueue, registerJob, type EnqueueInput } from '../../src/server/modules/jobs/jobs.ts';
import { ADMIN_PASSWORD, createTestApp, seedWorld, type Client, type TestApp } from '../utils/app.ts';
import { dialect } from '../utils/db.ts';

/**
 * Durable jobs: scheduling in the caller's transaction, exactly-once effects under leases,
 * back-off on the test clock, failure visible to administrators, their retry.
 */
describe('durable jobs', () => {
  let t: TestApp;
  let admin: Client;
  /** Handler behaviour per job id: how many times to fail, a gate to wait on per worker. */
  const failuresLeft = new Map<string, number>();
  const gates = new Map<string, { started: () => void; release: Promise<void> }>();

  const runner = (workerId: string, opts: Partial<JobRunnerOptions> = {}) =>
    new JobRunner({ db: t.kefu.db, dialect: t.kefu.dialect, clock: t.clock, log: t.kefu.log, workerId, random: () => 0, ...opts });
  const schedule = (input: EnqueueInput, db: Tx = t.kefu.db) => db.transaction().execute((trx) => enqueue(trx, t, input));
  const job = (id: string) => t.kefu.db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const runs = async (jobId?: string) =>
    (await sql<{ job_id: string; worker: string; attempt: number }>`select job_id, worker, attempt from job_runs ${jobId ? sql`where job_id = ${jobId}` : sql``}`.execute(t.kefu.db)).rows;

  /** The effect of a run and its completion in one transaction: a run whose lease was taken over rolls back. */
  const record = async (trx: Tx, jobId: string, worker: string, attempt: number) => {
    await sql`insert into job_runs (job_id, worker, attempt) values (${jobId}, ${worker}, ${attempt})`.execute(trx);
  };

  beforeAll(async () => {
    t = await createTestApp();
    await seedWorld(t);
    await sql`create table job_runs (job_id text not null, worker text not null, attempt integer not null)`.execute(t.kefu.db);
    registerJob('test.record', async ({ job, db, complete }) => {
      await db.transaction().execute(async (trx) => {
        await record(trx, job.id, job.lockedBy, job.attempt);
        await complete(trx);
      });
    });
    registerJob('test.flaky', async ({ job, db, complete }) => {
      const left = failuresLeft.get(job.id) ?? 0;
      if (left > 0) {
        failuresLeft.set(job.id, left - 1);
        throw new Error('upstream timeout connecting to postgres://kefu:hunter2@db.internal/kefu password=hunter2');
      }
      await db.transaction().execute(async (trx) => {
        await record(trx, job.id, job.lockedBy, job.attempt);
        await complete(trx);
      });
    });
    registerJob('test.gated', async ({ job, db, complete }) => {
      const gate = gates.get(`${job.id}:${job.lockedBy}`);
      if (gate) {
        gate.started();
        await gate.release;
      }
      await db.transaction().execute(async (trx) => {
        await record(trx, job.id, job.lockedBy, job.attempt);
        await complete(trx);
      });
    });
    // Counts every execution (not only completions) outside any transaction.
    registerJob('test.count', async ({ job, db }) => {
      await record(db, job.id, job.lockedBy, job.attempt);
    });
  });
  afterAll(() => t.close());
  beforeEach(async () => {
    await t.kefu.db.deleteFrom('jobs').execute();
    await sql`delete from job_runs`.execute(t.kefu.db);
    // The tests move the clock by days: sessions would expire.
    admin = await t.login('admin', ADMIN_PASSWORD, 'en');
  });

  it('runs an enqueued job once, when it is due, and records it done', async () => {
    const { id, created } = await schedule({ kind: 'test.record', payload: { ticketId: 'x' } });
    expect(created).toBe(true);
    const later = await schedule({ kind: 'test.record', runAt: new Date(t.clock.now().getTime() + 10 * 60_000) });
    const r = runner('w1');
    expect(await r.runOnce()).toEqual({ claimed: 1, done: 1, retried: 0, failed: 0, lost: 0 });
    expect(await job(id)).toMatchObject({ status: 'done', attempts: 1, locked_by: null, finished_at: iso(t.clock.now()), last_error: null });
    expect(await runs(id)).toEqual([{ job_id: id, worker: 'w1', attempt: 1 }]);
    expect((await r.runOnce()).claimed).toBe(0);
    t.clock.advance(10 * 60_000);
    expect(await r.runOnce()).toMatchObject({ claimed: 1, done: 1 });
    expect((await job(later.id)).status).toBe('done');
    expect(await runs()).toHaveLength(2);
  });

  it('a dedupe key makes the second enqueue of the same kind a no-op, even after the first ran', async () => {
    const first = await schedule({ kind: 'test.record', dedupeKey: 'ticket-1:level-2', payload: { level: 2 } });
    const second = await schedule({ kind: 'test.record', dedupeKey: 'ticket-1:level-2', payload: { level: 2 } });
    expect(second).toEqual({ id: first.id, created: false });
    await runner('w1').runOnce();
    expect(await schedule({ kind: 'test.record', dedupeKey: 'ticket-1:level-2' })).toEqual({ id: first.id, created: false });
    // The key is per kind.
    expect((await schedule({ kind: 'test.flaky', dedupeKey: 'ticket-1:level-2' })).created).toBe(true);
    expect((await t.kefu.db.selectFrom('jobs').select('id').where('kind', '=', 'test.record').execute()).length).toBe(1);
    expect(await runs(first.id)).toHaveLength(1);
  });

  it('refuses payloads too large, bad kinds and bad keys before writing anything', async () => {
    await expect(schedule({ kind: 'test.record', payload: { blob: 'x'.repeat(17 * 1024) } })).rejects.toThrow(/too large/);
    await expect(schedule({ kind: 'Bad Kind' })).rejects.toThrow(/invalid job kind/);
    await expect(schedule({ kind: 'test.record', dedupeKey: 'k'.repeat(201) })).rejects.toThrow(/dedupe key/);
    await expect(schedule({ kind: 'test.record', maxAttempts: 0 })).rejects.toThrow(/maxAttempts/);
    expect(await t.kefu.db.selectFrom('jobs').select('id').execute()).toEqual([]);
  });

  it('a job enqueued in a transaction that rolls back never exists and never runs', async () => {
    await expect(
      t.kefu.db.transaction().execute(async (trx) => {
        await enqueue(trx, t, { kind: 'test.record', payload: { n: 1 } });
        throw new Error('the change that caused it failed');
      }),
    ).rejects.toThrow('the change that caused it failed');
    t.clock.advance(3600_000);
    expect((await runner('w1').runOnce()).claimed).toBe(0);
    expect(await t.kefu.db.selectFrom('jobs').select('id').execute()).toEqual([]);
    expect(await runs()).toEqual([]);
  });

  it('retries with exponential back-off on the clock, then fails with the error visible to administrators', async () => {
    expect([backoffMs(1, 0), backoffMs(2, 0), backoffMs(3, 0), backoffMs(8, 0), backoffMs(30, 0)]).toEqual([30_000, 60_000, 120_000, 3_600_000, 3_600_000]);
    expect(backoffMs(1, 0.999)).toBeGreaterThan(30_000);
    expect(backoffMs(1, 0.999)).toBeLessThanOrEqual(33_000);

    const { id } = await schedule({ kind: 'test.flaky', maxAttempts: 3 });
    failuresLeft.set(id, 99);
    const r = runner('w1');
    const start = t.clock.now().getTime();
    expect(await r.runOnce()).toMatchObject({ claimed: 1, retried: 1 });
    let row = await job(id);
    expect(row).toMatchObject({ status: 'queued', attempts: 1, locked_by: null, run_at: iso(new Date(start + 30_000)) });
    expect(row.last_error).toContain('upstream timeout');
    expect(row.last_error).not.toContain('hunter2');

    t.clock.advance(29_999);
    expect((await r.runOnce()).claimed).toBe(0);
    t.clock.advance(1);
    expect(await r.runOnce()).toMatchObject({ claimed: 1, retried: 1 });
    row = await job(id);
    expect(row).toMatchObject({ status: 'queued', attempts: 2, run_at: iso(new Date(start + 30_000 + 60_000)) });

    t.clock.advance(60_000);
    expect(await r.runOnce()).toMatchObject({ claimed: 1, failed: 1 });
    row = await job(id);
    expect(row).toMatchObject({ status: 'failed', attempts: 3, finished_at: iso(t.clock.now()) });
    t.clock.advance(24 * 3600_000);
    expect((await r.runOnce()).claimed).toBe(0);

    admin = await t.login('admin', ADMIN_PASSWORD, 'en');
    const seen = await admin.get(`/api/jobs/${id}`);
    expect(seen.statusCode).toBe(200);
    expect(seen.json()).toMatchObject({ id, kind: 'test.flaky', status: 'failed', attempts: 3, maxAttempts: 3, payload: null });
    expect(seen.json().lastError).toContain('upstream timeout');
    expect(seen.json().lastError).not.toContain('hunter2');
    const failed = (await admin.get('/api/jobs?status=failed')).json();
    expect(failed.items.map((j: { id: string }) => j.id)).toEqual([id]);
    expect(failed.counts).toEqual({ queued: 0, running: 0, done: 0, failed: 1 });
  });

  it('an administrator retries a failed job: it runs now with a fresh round of attempts; audited; only failed jobs', async () => {
    const { id } = await schedule({ kind: 'test.flaky', maxAttempts: 1 });
    failuresLeft.set(id, 1);
    const r = runner('w1');
    expect(await r.runOnce()).toMatchObject({ failed: 1 });

    const retried = await admin.post(`/api/jobs/${id}/retry`);
    expect(retried.statusCode, retried.body).toBe(200);
    expect(retried.json()).toMatchObject({ status: 'queued', attempts: 0, runAt: iso(t.clock.now()), finishedAt: null });
    expect(await r.runOnce()).toMatchObject({ claimed: 1, done: 1 });
    expect(await runs(id)).toHaveLength(1);

    const again = await admin.post(`/api/jobs/${id}/retry`);
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('JOB_NOT_FAILED');
    expect((await admin.post('/api/jobs/01900000-0000-7000-8000-000000000000/retry')).statusCode).toBe(404);
    expect((await admin.get('/api/jobs/01900000-0000-7000-8000-000000000000')).statusCode).toBe(404);

    await t.kefu.sealer.flush();
    const audit = (await admin.get(`/api/audit?entityId=${id}`)).json().items;
    expect(audit).toMatchObject([{ action: 'job.retry', entityType: 'job' }]);
  });

  it('only holders of system:jobs (administrators) see or retry jobs: others get 403', async () => {
    const { id } = await schedule({ kind: 'test.flaky', maxAttempts: 1 });
    failuresLeft.set(id, 1);
    await runner('w1').runOnce();
    for (const who of ['director', 'manager.a', 'agent.a']) {
      const c = await t.login(who);
      expect((await c.get('/api/jobs')).statusCode, who).toBe(403);
      expect((await c.get(`/api/jobs/${id}`)).statusCode, who).toBe(403);
      expect((await c.post(`/api/jobs/${id}/retry`)).statusCode, who).toBe(403);
    }
    expect((await job(id)).status).toBe('failed');
    expect((await t.anonymous().get('/api/jobs')).statusCode).toBe(401);
  });

  it('lists newest first with keyset pages, filters by status and kind, counts per status', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      ids.push((await schedule({ kind: 'test.record', runAt: new Date(t.clock.now().getTime() + 3600_000) })).id);
      t.clock.advance(1);
    }
    const done = await schedule({ kind: 'test.count' });
    await runner('w1').runOnce();
    const first = (await admin.get('/api/jobs?kind=test.record&limit=2')).json();
    expect(first.items.map((j: { id: string }) => j.id)).toEqual([ids[2], ids[1]]);
    expect(first.counts).toEqual({ queued: 3, running: 0, done: 0, failed: 0 });
    const second = (await admin.get(`/api/jobs?kind=test.record&limit=2&cursor=${first.nextCursor}`)).json();
    expect(second.items.map((j: { id: string }) => j.id)).toEqual([ids[0]]);
    expect(second.nextCursor).toBeNull();
    const all = (await admin.get('/api/jobs?status=done')).json();
    expect(all.items.map((j: { id: string }) => j.id)).toEqual([done.id]);
    expect(all.counts).toEqual({ queued: 3, running: 0, done: 1, failed: 0 });
    expect((await admin.get('/api/jobs?status=nope')).statusCode).toBe(400);
    expect((await admin.get('/api/jobs?cursor=garbage')).statusCode).toBe(400);
  });

  it('an expired lease is taken over, and the first worker’s late completion is refused', async () => {
    const { id } = await schedule({ kind: 'test.gated' });
    let release!: () => void;
    const started = new Promise<void>((resolve) => gates.set(`${id}:A`, { started: resolve, release: new Promise<void>((r) => (release = r)) }));
    const a = runner('A', { leaseMs: 60_000 });
    const b = runner('B', { leaseMs: 60_000 });
    const firstRound = a.runOnce();
    await started; // A holds the job and is stuck (a hung or dead worker)
    expect(await job(id)).toMatchObject({ status: 'running', locked_by: 'A', attempts: 1 });

    // Within the lease nobody else takes it.
    t.clock.advance(59_999);
    expect((await b.runOnce()).claimed).toBe(0);
    t.clock.advance(2);
    expect(await b.runOnce()).toMatchObject({ claimed: 1, done: 1 });
    expect(await job(id)).toMatchObject({ status: 'done', attempts: 2 });

    release();
    expect(await firstRound).toMatchObject({ claimed: 1, done: 0, lost: 1 });
    expect(await runs(id)).toEqual([{ job_id: id, worker: 'B', attempt: 2 }]);
    expect(await job(id)).toMatchObject({ status: 'done', attempts: 2, last_error: null });
  });

  it('a job due while the system was down runs at the next round', async () => {
    const { id } = await schedule({ kind: 'test.record', runAt: new Date(t.clock.now().getTime() + 5 * 60_000) });
    const r = runner('w1');
    r.start();
    await r.stop();
    // Down for two hours: no runner ran.
    t.clock.advance(2 * 3600_000);
    expect(await runner('w2').runOnce()).toMatchObject({ claimed: 1, done: 1 });
    expect(await runs(id)).toEqual([{ job_id: id, worker: 'w2', attempt: 1 }]);
  });

  it('start() runs jobs enqueued after it without a manual round; stop() waits for the running ones', async () => {
    const r = runner('w1', { pollMs: 50 });
    r.start();
    const { id } = await schedule({ kind: 'test.record' });
    for (let i = 0; i < 200 && (await job(id)).status !== 'done'; i++) await new Promise((res) => setTimeout(res, 25));
    await r.stop();
    expect((await job(id)).status).toBe('done');
    expect(await runs(id)).toHaveLength(1);
  });

  it('housekeeping deletes done jobs past the retention in bounded batches, keeping recent and failed ones', async () => {
    const old = await schedule({ kind: 'test.record' });
    const oldFailed = await schedule({ kind: 'test.flaky', maxAttempts: 1 });
    failuresLeft.set(oldFailed.id, 1);
    const r = runner('w1', { retentionDays: 30 });
    await r.runOnce();
    t.clock.advance(31 * 86_400_000);
    const recent = await schedule({ kind: 'test.record' });
    await r.runOnce();
    expect(await r.housekeep()).toBe(1);
    const left = (await t.kefu.db.selectFrom('jobs').select('id').execute()).map((j) => j.id).sort();
    expect(left).toEqual([oldFailed.id, recent.id].sort());
    expect(left).not.toContain(old.id);
  });

  it.runIf(dialect() === 'postgres')('two runners on two pools share 200 jobs: every job runs exactly once', async () => {
    const other = openDatabase({ databaseUrl: t.db.databaseUrl, dataDir: t.db.dataDir, poolSize: 4 });
    try {
      await t.kefu.db.transaction().execute(async (trx) => {
        for (let i = 0; i < 200; i++) await enqueue(trx, t, { kind: 'test.count', payload: { i } });
      });
      const a = runner('A', { batch: 7 });
      const b = new JobRunner({ db: other.db, dialect: 'postgres', clock: t.clock, log: t.kefu.log, workerId: 'B', batch: 7 });
      const drain = async (r: JobRunner) => {
        let claimed = 0;
        for (;;) {
          const x = await r.runOnce();
          claimed += x.claimed;
          if (x.claimed === 0) return claimed;
        }
      };
      const [byA, byB] = await Promise.all([drain(a), drain(b), drain(a), drain(b)]).then(([a1, b1, a2, b2]) => [a1 + a2, b1 + b2]);
      expect(byA + byB).toBe(200);
      expect(byA).toBeGreaterThan(0);
      expect(byB).toBeGreaterThan(0);
      const executions = await runs();
      expect(executions).toHaveLength(200);
      expect(new Set(executions.map((e) => e.job_id)).size).toBe(200);
      const statuses = await t.kefu.db.selectFrom('jobs').select(['status', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('status').execute();
      expect(statuses.map((s) => [s.status, Number(s.n)])).toEqual([['done', 200]]);
    } finally {
      await other.close();
    }
  });
});
