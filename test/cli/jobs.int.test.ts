import { afterAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/server/platform/clock.ts';
import { DIAGNOSTIC_JOB } from '../../src/server/modules/jobs/diagnostic.job.ts';
import { enqueue } from '../../src/server/modules/jobs/jobs.ts';
import { createTestDb, type TestDb } from '../utils/db.ts';
import { kefuEnv, killAll, startServe } from './run.ts';

/** Durable jobs across a crash of the served process: the lease expires and the job completes exactly once. */
const dbs: TestDb[] = [];
afterAll(async () => {
  await killAll();
  for (const db of dbs) await db.drop();
});

describe('kefu serve: jobs survive kill -9', () => {
  it('a job running when the server is killed completes exactly once after the restart, once its lease expired', async () => {
    const db = await createTestDb();
    dbs.push(db);
    const env = kefuEnv(db, { KEFU_ADMIN_PASSWORD: 'Jobs-admin-pass-42', KEFU_JOBS_DIAGNOSTICS: 'true', KEFU_JOBS_LEASE_SECONDS: '2' });
    const server = await startServe(env);
    const k = db.handle.db;
    // Scheduled by another process (this test) into the served database: the runner's poll finds it.
    const { id } = await k.transaction().execute((trx) => enqueue(trx, { clock: systemClock }, { kind: DIAGNOSTIC_JOB, payload: { sleepMs: 600_000, slowAttempts: 1 } }));
    await server.waitForStdout((out) => out.includes('diagnostic job started') && out.includes(id), 15_000);
    expect(await k.selectFrom('jobs').select(['status', 'attempts']).where('id', '=', id).executeTakeFirstOrThrow()).toEqual({ status: 'running', attempts: 1 });

    server.child.kill('SIGKILL');
    expect(await server.exited).toEqual({ code: null, signal: 'SIGKILL' });
    // Nothing completed it: still running, leased to the dead process.
    expect((await k.selectFrom('jobs').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status).toBe('running');

    const restarted = await startServe(env);
    let row = await k.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    for (let i = 0; i < 200 && row.status !== 'done'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      row = await k.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    }
    expect(row).toMatchObject({ status: 'done', attempts: 2, locked_by: null, last_error: null });
    // The job's effect, written in its completing transaction, exists exactly once.
    const effects = await k.selectFrom('audit_entries').select('id').where('action', '=', 'job.diagnostic').where('entity_id', '=', id).execute();
    expect(effects).toHaveLength(1);
    expect(await restarted.stop()).toEqual({ code: 0, signal: null });
  }, 90_000);
});
