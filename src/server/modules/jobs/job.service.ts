import type { Job, JobDetail, JobPage, jobQuery } from '../../../contracts/jobs.ts';
import type { z } from 'zod';
import { iso } from '../../platform/clock.ts';
import type { Ctx } from '../../platform/context.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { decodeCursor, encodeCursor } from '../tickets/cursor.ts';
import { jobRepository as repo, type JobRow } from './job.repository.ts';
import { pokeJobRunners } from './jobs.ts';

/**
 * Administrators' view of the jobs (system:jobs, held at the root: jobs are not owned by an org
 * unit). Reads need no transaction; a retry is one transaction with its audit entry.
 */

function toJob(r: JobRow): Job {
  return {
    id: r.id,
    kind: r.kind,
    status: r.status,
    dedupeKey: r.dedupe_key,
    runAt: r.run_at,
    attempts: Number(r.attempts),
    maxAttempts: Number(r.max_attempts),
    lockedBy: r.locked_by,
    lockedUntil: r.locked_until,
    lastError: r.last_error,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    finishedAt: r.finished_at,
  };
}

function toDetail(r: JobRow): JobDetail {
  let payload: unknown = null;
  try {
    payload = JSON.parse(r.payload);
  } catch {
    payload = r.payload;
  }
  return { ...toJob(r), payload };
}

export async function listJobs(ctx: Ctx, q: z.infer<typeof jobQuery>): Promise<JobPage> {
  const before = q.cursor ? decodeCursor(q.cursor, ['string'] as const, ctx.lang)[0] : undefined;
  const rows = await repo.list(ctx.db, { status: q.status, kind: q.kind }, before, q.limit + 1);
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  return {
    items: page.map(toJob),
    nextCursor: rows.length > q.limit && last ? encodeCursor([last.id]) : null,
    counts: await repo.countByStatus(ctx.db, q.kind),
  };
}

export async function getJob(ctx: Ctx, id: string): Promise<JobDetail> {
  const r = await repo.byId(ctx.db, id);
  if (!r) throw notFound();
  return toDetail(r);
}

/** failed → queued now, with a fresh round of attempts; anything else is 409 JOB_NOT_FAILED. */
export async function retryJob(ctx: Ctx, id: string): Promise<JobDetail> {
  const out = await ctx.db.transaction().execute(async (trx) => {
    const r = await repo.byId(trx, id);
    if (!r) throw notFound();
    const now = iso(ctx.clock.now());
    if (r.status !== 'failed' || !(await repo.requeueFailed(trx, id, now))) throw new AppError('JOB_NOT_FAILED', 409);
    await recordAudit(trx, ctx, {
      action: 'job.retry',
      entityType: 'job',
      entityId: id,
      orgUnitId: null,
      before: { status: r.status, attempts: Number(r.attempts), runAt: r.run_at },
      after: { status: 'queued', attempts: 0, runAt: now, kind: r.kind },
    });
    return toDetail((await repo.byId(trx, id))!);
  });
  pokeJobRunners();
  return out;
}
