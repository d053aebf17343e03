import { setTimeout as sleep } from 'node:timers/promises';
import { recordAudit } from '../audit/audit.service.ts';
import { registerJob } from './jobs.ts';

/**
 * `system.diagnostic` (only with KEFU_JOBS_DIAGNOSTICS=true): an operator's or a test's probe of the
 * runner. Payload `{ sleepMs?, slowAttempts? }`: runs `sleepMs` (≤ 10 min) on attempts up to
 * `slowAttempts` (default all), then records one `job.diagnostic` audit entry in the transaction
 * that completes the job — so the entry exists exactly once per completed job.
 */
export const DIAGNOSTIC_JOB = 'system.diagnostic';

export function registerDiagnosticJob(): void {
  registerJob<{ sleepMs?: number; slowAttempts?: number }>(DIAGNOSTIC_JOB, async ({ job, db, log, ctx, complete }) => {
    log.warn({ jobId: job.id, attempt: job.attempt }, 'diagnostic job started');
    const ms = Math.min(Math.max(Number(job.payload?.sleepMs) || 0, 0), 600_000);
    if (ms && job.attempt <= (job.payload?.slowAttempts ?? Number.POSITIVE_INFINITY)) await sleep(ms);
    await db.transaction().execute(async (trx) => {
      await recordAudit(trx, ctx, { action: 'job.diagnostic', entityType: 'job', entityId: job.id, orgUnitId: null, after: { attempt: job.attempt } });
      await complete(trx);
    });
  });
}
