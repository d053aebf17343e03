import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { Db, Dialect, Tx } from '../../../db/database.ts';
import { systemActor } from '../../platform/actor.ts';
import { iso, type Clock } from '../../platform/clock.ts';
import type { Ctx } from '../../platform/context.ts';
import type { Logger } from '../../platform/logger.ts';
import { jobRepository, type JobRow } from './job.repository.ts';
import { jobErrorText, jobHandler, JobLeaseLost, onJobEnqueued, type Job, type JobContext, type JobHandler } from './jobs.ts';

export interface JobRunnerOptions {
  db: Db;
  dialect: Dialect;
  clock: Clock;
  log: Logger;
  /** This worker's name in `locked_by`; default host:pid:random. */
  workerId?: string;
  /** How long a claim holds before another worker may take the job over; renewed while the handler runs. Default 60 s. */
  leaseMs?: number;
  /** Jobs claimed per round. Default 10. */
  batch?: number;
  /** Poll interval of start(). Default 1 s. */
  pollMs?: number;
  /** Done jobs older than this are deleted by the housekeeping. Default 30 days. */
  retentionDays?: number;
  /** Called after a handler's work committed (the audit sealer's poke). */
  afterCommit?: () => void;
  /** The jitter source, [0, 1). */
  random?: () => number;
  /** Handlers by kind; default the process registry (registerJob). */
  handlers?: (kind: string) => JobHandler | undefined;
}

export interface RunOnceResult {
  claimed: number;
  done: number;
  retried: number;
  failed: number;
  /** Runs whose lease was taken over before they finished: their outcome was not recorded. */
  lost: number;
}

/** Back-off before attempt n+1 after n failed: 30 s × 2^(n-1), capped at 1 h, plus up to 10 % jitter. */
export function backoffMs(attempts: number, random: number): number {
  const base = Math.min(30_000 * 2 ** Math.max(0, attempts - 1), 3_600_000);
  return Math.round(base * (1 + 0.1 * random));
}

const HOUSEKEEPING_EVERY_MS = 10 * 60_000;
const HOUSEKEEPING_BATCH = 500;
const HOUSEKEEPING_MAX_BATCHES = 20;

/**
 * Claims due jobs and runs them. `runOnce()` is one round (tests drive it with a TestClock);
 * `start()` polls every `pollMs` plus a poke after each enqueue; `stop()` waits for the running
 * jobs. Several runners (processes, instances) share the table safely: claims are leases.
 */
export class JobRunner {
  readonly workerId: string;
  private readonly o: Required<Omit<JobRunnerOptions, 'workerId' | 'afterCommit' | 'handlers'>> & Pick<JobRunnerOptions, 'afterCommit'>;
  private readonly handlers: (kind: string) => JobHandler | undefined;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private scheduled = false;
  private stopped = false;
  private unsubscribe: (() => void) | null = null;
  private lastHousekeeping = 0;

  constructor(opts: JobRunnerOptions) {
    this.workerId = opts.workerId ?? `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
    this.o = {
      db: opts.db,
      dialect: opts.dialect,
      clock: opts.clock,
      log: opts.log,
      leaseMs: opts.leaseMs ?? 60_000,
      batch: opts.batch ?? 10,
      pollMs: opts.pollMs ?? 1000,
      retentionDays: opts.retentionDays ?? 30,
      random: opts.random ?? Math.random,
      afterCommit: opts.afterCommit,
    };
    this.handlers = opts.handlers ?? jobHandler;
  }

  start(): void {
    this.stopped = false;
    this.timer ??= setInterval(this.poke, this.o.pollMs);
    this.timer.unref();
    this.unsubscribe ??= onJobEnqueued(this.poke);
    this.poke();
  }

  /** Look for due jobs soon; many pokes in one tick make one round. */
  readonly poke = (): void => {
    if (this.scheduled || this.stopped) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      if (!this.stopped) void this.drain();
    });
  };

  /** Rounds until nothing more is due right now (or stopped); one drain at a time. */
  private drain(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      do {
        this.again = false;
        if (this.stopped) break;
        try {
          const r = await this.runOnce();
          if (r.claimed === this.o.batch) this.again = true;
          const now = this.o.clock.now().getTime();
          if (now - this.lastHousekeeping >= HOUSEKEEPING_EVERY_MS) {
            this.lastHousekeeping = now;
            await this.housekeep();
          }
        } catch (err) {
          this.log().error({ err }, 'job round failed; will retry');
        }
      } while (this.again && !this.stopped);
    })().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  /** Stops polling and waits for the jobs running now (their outcome is recorded). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.unsubscribe?.();
    this.unsubscribe = null;
    while (this.running) await this.running;
  }

  /** One round: claim up to `batch` due jobs, run them concurrently, record each outcome. */
  async runOnce(): Promise<RunOnceResult> {
    const { db, dialect, clock, leaseMs, batch } = this.o;
    const now = clock.now();
    const claimed = await db.transaction().execute((trx) => jobRepository.claim(trx, dialect, this.workerId, iso(now), iso(new Date(now.getTime() + leaseMs)), batch));
    const result: RunOnceResult = { claimed: claimed.length, done: 0, retried: 0, failed: 0, lost: 0 };
    await Promise.all(
      claimed.map(async (row) => {
        const outcome = await this.run(row);
        result[outcome]++;
      }),
    );
    return result;
  }

  /** Deletes done jobs older than the retention, in bounded batches; returns how many. */
  async housekeep(): Promise<number> {
    const cutoff = iso(new Date(this.o.clock.now().getTime() - this.o.retentionDays * 86_400_000));
    let total = 0;
    for (let i = 0; i < HOUSEKEEPING_MAX_BATCHES; i++) {
      const n = await jobRepository.deleteDoneBefore(this.o.db, cutoff, HOUSEKEEPING_BATCH);
      total += n;
      if (n < HOUSEKEEPING_BATCH) break;
    }
    if (total) this.log().info({ deleted: total }, 'old done jobs deleted');
    return total;
  }

  private log(): Logger {
    return this.o.log;
  }

  private async run(row: JobRow): Promise<'done' | 'retried' | 'failed' | 'lost'> {
    const { db, clock, leaseMs } = this.o;
    const me = this.workerId;
    const log = this.o.log.child({ jobId: row.id, kind: row.kind, attempt: row.attempts });
    const handler = this.handlers(row.kind);
    // A run that died holding the job used an attempt; past the limit it is not run again (a job that kills its worker).
    if (row.attempts > row.max_attempts) return this.fail(row, log, new Error('the worker running it stopped (lease expired) on its last attempt'));
    if (!handler) return this.fail(row, log, new Error(`no handler registered for kind ${row.kind}`));
    let payload: unknown;
    try {
      payload = JSON.parse(row.payload);
    } catch {
      return this.fail(row, log, new Error('payload is not valid JSON'));
    }
    const job: Job = { id: row.id, kind: row.kind, payload, dedupeKey: row.dedupe_key, runAt: row.run_at, attempt: row.attempts, maxAttempts: row.max_attempts, lockedBy: me };
    const ctx: Ctx = { actor: systemActor('jobs'), db, clock, log, lang: 'zh', requestId: null, ip: null, afterCommit: this.o.afterCommit ?? (() => {}) };
    const context: JobContext = {
      job,
      db,
      clock,
      log,
      ctx,
      complete: async (trx: Tx) => {
        if (!(await jobRepository.markDone(trx, row.id, me, iso(clock.now())))) throw new JobLeaseLost(row.id);
      },
    };
    // Renew the lease while the handler runs, so a long job is not taken over from a live worker.
    const heartbeat = setInterval(() => {
      const t = clock.now().getTime();
      void jobRepository.extendLease(db, row.id, me, iso(new Date(t + leaseMs)), iso(new Date(t))).catch((err) => log.warn({ err }, 'job lease renewal failed'));
    }, Math.max(250, Math.floor(leaseMs / 3)));
    heartbeat.unref();
    try {
      await handler(context);
    } catch (err) {
      clearInterval(heartbeat);
      if (err instanceof JobLeaseLost) {
        log.warn('job lease was taken over; this run’s completion was refused');
        return 'lost';
      }
      return this.fail(row, log, err);
    }
    clearInterval(heartbeat);
    // Done (when the handler did not complete it in its own transaction); refused if the lease was taken over.
    if (await jobRepository.markDone(db, row.id, me, iso(clock.now()))) return 'done';
    const now = await jobRepository.byId(db, row.id);
    if (now?.status === 'done' && now.locked_by === null && now.attempts === row.attempts) return 'done';
    log.warn('job lease was taken over; this run’s completion was refused');
    return 'lost';
  }

  private async fail(row: JobRow, log: Logger, err: unknown): Promise<'retried' | 'failed' | 'lost'> {
    const now = this.o.clock.now();
    const error = jobErrorText(err);
    const retryAt = row.attempts < row.max_attempts ? iso(new Date(now.getTime() + backoffMs(row.attempts, this.o.random()))) : null;
    if (!(await jobRepository.markFailedAttempt(this.o.db, row.id, this.workerId, iso(now), { retryAt, error }))) return 'lost';
    if (retryAt) log.warn({ error, retryAt }, 'job failed; will retry');
    else log.error({ error }, 'job failed for good');
    return retryAt ? 'retried' : 'failed';
  }
}
