import { sql, type Selectable } from 'kysely';
import type { Dialect, Tx } from '../../../db/database.ts';
import type { JobTable } from '../../../db/schema.ts';

export type JobRow = Selectable<JobTable>;
export type JobStatusName = JobTable['status'];

/** All SQL of the jobs table: the runner's claim and outcomes, and the administrators' views. */
export const jobRepository = {
  /** Inserts unless a job of the same kind already carries the dedupe key; true when inserted. */
  async insert(db: Tx, row: JobRow): Promise<boolean> {
    const r = await db
      .insertInto('jobs')
      .values(row)
      .onConflict((oc) => oc.columns(['kind', 'dedupe_key']).doNothing())
      .returning('id')
      .executeTakeFirst();
    return r !== undefined;
  },

  async byId(db: Tx, id: string): Promise<JobRow | undefined> {
    return db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst();
  },

  async byDedupeKey(db: Tx, kind: string, dedupeKey: string): Promise<JobRow | undefined> {
    return db.selectFrom('jobs').selectAll().where('kind', '=', kind).where('dedupe_key', '=', dedupeKey).executeTakeFirst();
  },

  /**
   * Leases up to `limit` jobs to `me`: queued and due, or running with an expired lease (a worker
   * that died). PostgreSQL skips rows another instance is claiming right now (FOR UPDATE SKIP
   * LOCKED); SQLite runs it in the caller's BEGIN IMMEDIATE transaction. Uses jobs_due.
   */
  async claim(db: Tx, dialect: Dialect, me: string, now: string, lockedUntil: string, limit: number): Promise<JobRow[]> {
    const due = db
      .selectFrom('jobs')
      .select('id')
      .where((eb) =>
        eb.or([
          eb.and([eb('status', '=', 'queued'), eb('run_at', '<=', now)]),
          eb.and([eb('status', '=', 'running'), eb('locked_until', '<', now)]),
        ]),
      )
      .orderBy('run_at')
      .limit(limit)
      .$if(dialect === 'postgres', (q) => q.forUpdate().skipLocked());
    return db
      .updateTable('jobs')
      .set({ status: 'running', locked_by: me, locked_until: lockedUntil, attempts: sql<number>`attempts + 1`, updated_at: now })
      .where('id', 'in', due)
      .returningAll()
      .execute();
  },

  /** Extends a lease still held by `me`. */
  async extendLease(db: Tx, id: string, me: string, lockedUntil: string, now: string): Promise<boolean> {
    const r = await db
      .updateTable('jobs')
      .set({ locked_until: lockedUntil, updated_at: now })
      .where('id', '=', id)
      .where('status', '=', 'running')
      .where('locked_by', '=', me)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  },

  /** done, only while `me` still holds the lease: a job whose lease was taken over cannot complete twice. */
  async markDone(db: Tx, id: string, me: string, now: string): Promise<boolean> {
    const r = await db
      .updateTable('jobs')
      .set({ status: 'done', locked_by: null, locked_until: null, finished_at: now, updated_at: now })
      .where('id', '=', id)
      .where('status', '=', 'running')
      .where('locked_by', '=', me)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  },

  /** Back to queued at `runAt` (a retry), or failed; only while `me` holds the lease. */
  async markFailedAttempt(db: Tx, id: string, me: string, now: string, outcome: { retryAt: string | null; error: string }): Promise<boolean> {
    const r = await db
      .updateTable('jobs')
      .set(
        outcome.retryAt
          ? { status: 'queued', run_at: outcome.retryAt, locked_by: null, locked_until: null, last_error: outcome.error, updated_at: now }
          : { status: 'failed', locked_by: null, locked_until: null, last_error: outcome.error, finished_at: now, updated_at: now },
      )
      .where('id', '=', id)
      .where('status', '=', 'running')
      .where('locked_by', '=', me)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  },

  /** An administrator's retry: failed → queued now, with a fresh round of attempts. */
  async requeueFailed(db: Tx, id: string, now: string): Promise<boolean> {
    const r = await db
      .updateTable('jobs')
      .set({ status: 'queued', run_at: now, attempts: 0, locked_by: null, locked_until: null, finished_at: null, updated_at: now })
      .where('id', '=', id)
      .where('status', '=', 'failed')
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  },

  /** Newest first, keyset on id (UUIDv7: creation order). */
  async list(db: Tx, f: { status?: string; kind?: string }, before: string | undefined, limit: number): Promise<JobRow[]> {
    let q = db.selectFrom('jobs').selectAll();
    if (f.status) q = q.where('status', '=', f.status as JobStatusName);
    if (f.kind) q = q.where('kind', '=', f.kind);
    if (before) q = q.where('id', '<', before);
    return q.orderBy('id', 'desc').limit(limit).execute();
  },

  async countByStatus(db: Tx, kind?: string): Promise<Record<JobStatusName, number>> {
    let q = db.selectFrom('jobs').select(['status', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('status');
    if (kind) q = q.where('kind', '=', kind);
    const counts: Record<JobStatusName, number> = { queued: 0, running: 0, done: 0, failed: 0 };
    for (const r of await q.execute()) if (r.status in counts) counts[r.status] = Number(r.n);
    return counts;
  },

  /** Deletes up to `limit` done jobs finished before `before`; returns how many. */
  async deleteDoneBefore(db: Tx, before: string, limit: number): Promise<number> {
    const ids = db.selectFrom('jobs').select('id').where('status', '=', 'done').where('finished_at', '<', before).orderBy('finished_at').limit(limit);
    const r = await db.deleteFrom('jobs').where('id', 'in', ids).executeTakeFirst();
    return Number(r.numDeletedRows);
  },
};
