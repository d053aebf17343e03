import { z } from 'zod';
import { id } from './api.ts';

/** Durable jobs (后台任务) as administrators see them: `GET /api/jobs`, `GET /api/jobs/:id`, `POST /api/jobs/:id/retry`. */
export const jobStatuses = ['queued', 'running', 'done', 'failed'] as const;
export const jobStatus = z.enum(jobStatuses);
export type JobStatus = z.infer<typeof jobStatus>;

export const jobKindPattern = /^[a-z][a-z0-9_.:-]{0,63}$/;

export const jobQuery = z.strictObject({
  status: jobStatus.optional(),
  kind: z.string().trim().max(64).regex(jobKindPattern).optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const job = z.object({
  id,
  kind: z.string(),
  status: jobStatus,
  dedupeKey: z.string().nullable(),
  runAt: z.string(),
  attempts: z.number().int(),
  maxAttempts: z.number().int(),
  lockedBy: z.string().nullable(),
  lockedUntil: z.string().nullable(),
  lastError: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  finishedAt: z.string().nullable(),
});
/** One job with its payload (ids and parameters, never personal data). */
export const jobDetail = job.extend({ payload: z.unknown() });

export const jobCounts = z.object({ queued: z.number().int(), running: z.number().int(), done: z.number().int(), failed: z.number().int() });
export const jobPage = z.object({ items: z.array(job), nextCursor: z.string().nullable(), counts: jobCounts });

export type Job = z.infer<typeof job>;
export type JobDetail = z.infer<typeof jobDetail>;
export type JobCounts = z.infer<typeof jobCounts>;
export type JobPage = z.infer<typeof jobPage>;
export type JobQuery = z.input<typeof jobQuery>;
