import type { Db, Dialect } from '../../../db/database.ts';
import type { Logger } from '../../platform/logger.ts';
import { sealAuditChain } from './audit.service.ts';

/**
 * Seals the audit chain shortly after commits (poke) and on a timer (entries written by another
 * instance or before a crash). One run at a time in this process; the chain row lock covers
 * other processes.
 */
export class AuditSealer {
  private running: Promise<void> | null = null;
  private again = false;
  private timer: NodeJS.Timeout | null = null;
  private scheduled = false;
  /** When the last run began (ms since epoch): pokes within `minGapMs` of it wait, so a burst of commits seals together. */
  private lastRunAt = 0;
  private readonly minGapMs: number;
  private pending: NodeJS.Timeout | null = null;
  private readonly db: Db;
  private readonly dialect: Dialect;
  private readonly log: Logger;

  /**
   * Under load a seal per commit doubled the transactions of every audited write (a work-order
   * create: 11 statements, then 5 more and a second commit to seal its one entry; bench/README.md).
   * A poke now seals at once when the last run began at least `minGapMs` ago, otherwise when that
   * gap is over: at most one seal per gap, each linking everything committed meanwhile. `flush()`
   * (verify, stop) never waits.
   */
  constructor(
    db: Db,
    dialect: Dialect,
    log: Logger,
    minGapMs = 25,
  ) {
    this.minGapMs = minGapMs;
    this.db = db;
    this.dialect = dialect;
    this.log = log;
  }

  start(intervalMs = 2000): void {
    this.timer ??= setInterval(() => this.poke(), intervalMs);
    this.timer.unref();
  }

  /** Ask for a seal soon; many pokes in one tick make one run. */
  readonly poke = (): void => {
    if (this.scheduled) return;
    this.scheduled = true;
    const run = () => {
      this.scheduled = false;
      this.pending = null;
      void this.flush();
    };
    const wait = this.lastRunAt + this.minGapMs - Date.now();
    if (wait > 0) (this.pending = setTimeout(run, wait)).unref();
    else setImmediate(run);
  };

  /** Seal everything committed so far; resolves when done. */
  async flush(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      do {
        this.again = false;
        this.lastRunAt = Date.now();
        try {
          await sealAuditChain(this.db, this.dialect);
        } catch (err) {
          this.log.error({ err }, 'audit sealing failed; will retry');
        }
      } while (this.again);
    })().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    if (this.pending) clearTimeout(this.pending);
    this.pending = null;
    this.scheduled = false;
    await this.flush();
  }
}
