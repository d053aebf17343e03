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
  private readonly db: Db;
  private readonly dialect: Dialect;
  private readonly log: Logger;

  constructor(db: Db, dialect: Dialect, log: Logger) {
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
    setImmediate(() => {
      this.scheduled = false;
      void this.flush();
    });
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
    await this.flush();
  }
}
