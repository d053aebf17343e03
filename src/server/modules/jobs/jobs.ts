import { jobKindPattern } from '../../../contracts/jobs.ts';
import type { Db, Tx } from '../../../db/database.ts';
import { iso, type Clock } from '../../platform/clock.ts';
import type { Ctx } from '../../platform/context.ts';
import { newId } from '../../platform/ids.ts';
import type { Logger } from '../../platform/logger.ts';
import { jobRepository, type JobRow } from './job.repository.ts';

/**
 * Durable jobs (后台任务): the code-facing API. `enqueue` inside the caller's transaction,
 * `registerJob` for the handler of a kind; `JobRunner` (job.runner.ts) claims and runs them.
 *
 * Handlers MUST be idempotent: a job runs at least once. A worker that dies mid-job (kill -9,
 * power loss) leaves its lease to expire and another run takes the job over; the first run's
 * effects that were not in its completing transaction may then happen twice. Do the work in ONE
 * transaction that also calls `job.complete(trx)`: that marks the job done only while this run
 * still holds the lease, so a run whose lease was taken over rolls back instead of completing twice.
 */

export const JOB_PAYLOAD_MAX_BYTES = 16 * 1024;
export const JOB_DEDUPE_KEY_MAX = 200;
export const JOB_DEFAULT_MAX_ATTEMPTS = 5;

export interface EnqueueInput {
  /** e.g. `sla.escalate`; lower-case letters, digits, `_ . : -`, up to 64. */
  kind: string;
  /** JSON-serialisable; ids and parameters, never personal data or secrets; ≤ 16 KiB as JSON. */
  payload?: unknown;
  /** When to run; default now. */
  runAt?: Date;
  /** Unique per kind: a second enqueue with the same key is a no-op (while the first job's row exists). */
  dedupeKey?: string;
  /** 1–25, default 5. */
  maxAttempts?: number;
}

/** A claimed job as its handler sees it. */
export interface Job<P = unknown> {
  id: string;
  kind: string;
  payload: P;
  dedupeKey: string | null;
  runAt: string;
  /** This run's number, from 1. */
  attempt: number;
  maxAttempts: number;
  /** The worker holding the lease (this run). */
  lockedBy: string;
}

export interface JobContext<P = unknown> {
  job: Job<P>;
  db: Db;
  clock: Clock;
  log: Logger;
  /** A system context (actor `jobs`) for calling services that audit. */
  ctx: Ctx;
  /**
   * Marks the job done in the handler's transaction, conditioned on this run still holding the
   * lease; throws `JobLeaseLost` otherwise (so the transaction rolls back).
   */
  complete(trx: Tx): Promise<void>;
}

export type JobHandler<P = unknown> = (job: JobContext<P>) => Promise<void>;

/** The lease of this run was taken over by another worker: its completion is refused. */
export class JobLeaseLost extends Error {
  constructor(readonly jobId: string) {
    super(`job ${jobId}: lease lost`);
  }
}

const handlers = new Map<string, JobHandler>();

/** Registers the handler of a kind (once per process; a second registration replaces the first). */
export function registerJob<P = unknown>(kind: string, handler: JobHandler<P>): void {
  if (!jobKindPattern.test(kind)) throw new Error(`invalid job kind: ${kind}`);
  handlers.set(kind, handler as JobHandler);
}

export function jobHandler(kind: string): JobHandler | undefined {
  return handlers.get(kind);
}

/** Runners started in this process; `enqueue` pokes them so a new job does not wait for the next poll. */
const pokes = new Set<() => void>();
export function onJobEnqueued(poke: () => void): () => void {
  pokes.add(poke);
  return () => pokes.delete(poke);
}
/** Asks the runners of this process to look for due jobs soon. */
export function pokeJobRunners(): void {
  for (const p of pokes) p();
}

/**
 * Schedules a job in the caller's transaction (so it exists only if the change causing it commits):
 * `await enqueue(trx, ctx, { kind: 'sla.escalate', payload: { ticketId, level: 2 }, runAt, dedupeKey: `${ticketId}:2` })`.
 * `on` is anything with the clock (a Ctx, a JobContext, Kefu): times follow the injectable clock.
 * With a dedupe key already used for the kind, nothing is inserted and the existing job's id is
 * returned with `created: false`.
 */
export async function enqueue(trx: Tx, on: { clock: Clock }, input: EnqueueInput): Promise<{ id: string; created: boolean }> {
  if (!jobKindPattern.test(input.kind)) throw new Error(`invalid job kind: ${input.kind}`);
  const payload = JSON.stringify(input.payload ?? null);
  if (payload === undefined || Buffer.byteLength(payload) > JOB_PAYLOAD_MAX_BYTES) throw new Error(`job payload of ${input.kind} is too large or not JSON`);
  if (input.dedupeKey !== undefined && (input.dedupeKey.length === 0 || input.dedupeKey.length > JOB_DEDUPE_KEY_MAX)) {
    throw new Error(`job dedupe key of ${input.kind} must be 1–${JOB_DEDUPE_KEY_MAX} characters`);
  }
  const maxAttempts = input.maxAttempts ?? JOB_DEFAULT_MAX_ATTEMPTS;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1 || maxAttempts > 25) throw new Error('maxAttempts must be 1–25');
  const now = on.clock.now();
  const at = iso(now);
  const row: JobRow = {
    id: newId(now.getTime()),
    kind: input.kind,
    payload,
    dedupe_key: input.dedupeKey ?? null,
    run_at: iso(input.runAt ?? now),
    status: 'queued',
    attempts: 0,
    max_attempts: maxAttempts,
    locked_by: null,
    locked_until: null,
    last_error: null,
    created_at: at,
    updated_at: at,
    finished_at: null,
  };
  if (await jobRepository.insert(trx, row)) {
    // The caller commits after this returns; the poke is a hint, the runner's poll is the guarantee.
    if (pokes.size) setTimeout(pokeJobRunners, 20).unref();
    return { id: row.id, created: true };
  }
  const existing = await jobRepository.byDedupeKey(trx, input.kind, input.dedupeKey!);
  return { id: existing!.id, created: false };
}

const secretish = [
  /(\w+:\/\/)[^\s/@:]+:[^\s/@]+@/g, // credentials in URLs
  /\b(bearer\s+)[\w.~+/-]+=*/gi,
  /\bkefu_[A-Za-z0-9_-]{16,}/g, // API tokens
  /\b(password|passwd|pwd|secret|token|api[_-]?key)(\s*[=:]\s*)("[^"]*"|'[^']*'|\S+)/gi,
];

/** The message of an error, without stack, obvious credentials, or more than 1000 characters. */
export function jobErrorText(err: unknown): string {
  let text = err instanceof Error ? `${err.name === 'Error' ? '' : `${err.name}: `}${err.message}` : String(err);
  text = text
    .replace(secretish[0], '$1[redacted]@')
    .replace(secretish[1], '$1[redacted]')
    .replace(secretish[2], '[redacted]')
    .replace(secretish[3], '$1$2[redacted]');
  return text.length > 1000 ? `${text.slice(0, 999)}…` : text || 'error';
}
