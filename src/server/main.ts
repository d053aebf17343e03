import { openDatabase, type DatabaseHandle } from '../db/database.ts';
import { buildApp, type KefuApp } from './http/app.ts';
import type { Kefu } from './http/kefu.ts';
import { AuditSealer } from './modules/audit/audit.sealer.ts';
import { registerDiagnosticJob } from './modules/jobs/diagnostic.job.ts';
import { JobRunner } from './modules/jobs/job.runner.ts';
import { resumeWaitingEmail } from './modules/notifications/delivery.service.ts';
import { resumeWaitingCustomerEmail } from './modules/outreach/outreach.service.ts';
import { closeMailTransports } from './modules/notifications/mail.ts';
import { loginAttemptRepository, sessionRepository } from './modules/auth/session.repository.ts';
import { ShiftedClock, systemClock, iso, type Clock } from './platform/clock.ts';
import { SlaSweeper } from './modules/sla/sla.sweep.ts';
import type { Config } from './platform/config.ts';
import { createLogger, type Logger } from './platform/logger.ts';
import { prepareDatabase } from './setup.ts';

export interface Server {
  app: KefuApp;
  kefu: Kefu;
  handle: DatabaseHandle;
  /** Durable jobs of this process (started after listen, stopped before the database closes). */
  jobs: JobRunner;
  url: string;
  stop(): Promise<void>;
}

/** config → database → migrations → first admin → HTTP app → listen; plus housekeeping timers. */
export async function startServer(config: Config, opts: { clock?: Clock; log?: Logger; print?: (s: string) => void } = {}): Promise<Server> {
  const log = opts.log ?? createLogger(config.logLevel);
  const clock = opts.clock ?? (config.testClock ? new ShiftedClock(config.testClockOffsetMinutes * 60_000) : systemClock);
  if (config.testClock) log.warn('KEFU_TEST_CLOCK is on: POST /api/test/clock moves time forward — never use this in production');
  const handle = openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, sqliteSynchronous: config.sqliteSynchronous });
  const prepared = await prepareDatabase(handle, clock, log, config.adminPassword);
  if (prepared.applied.length) log.info({ migrations: prepared.applied }, 'migrations applied');
  if (prepared.admin?.generated) {
    (opts.print ?? ((s) => process.stdout.write(s)))(
      `\n  管理员账号已创建 Administrator account created\n  username: ${prepared.admin.username}\n  one-time password 一次性密码: ${prepared.admin.password}\n  (shown once; change it at first sign-in 仅显示一次，首次登录须修改)\n\n`,
    );
  }
  const sealer = new AuditSealer(handle.db, handle.dialect, log);
  const kefu: Kefu = {
    db: handle.db,
    dialect: handle.dialect,
    clock,
    log,
    config,
    sessionPolicy: { idleMinutes: config.sessionIdleMinutes, maxHours: config.sessionMaxHours },
    sealer,
  };
  const { app } = await buildApp(kefu);
  sealer.start();
  await sealer.flush();
  const housekeeping = setInterval(() => {
    const now = clock.now();
    void sessionRepository.deleteExpired(handle.db, iso(now)).catch((err) => log.error({ err }, 'session clean-up failed'));
    void loginAttemptRepository
      .deleteBefore(handle.db, iso(new Date(now.getTime() - 24 * 3600_000)))
      .catch((err) => log.error({ err }, 'login-attempt clean-up failed'));
  }, 10 * 60_000);
  housekeeping.unref();
  const address = await app.listen({ port: config.port, host: config.host });
  if (config.jobs.diagnostics) registerDiagnosticJob();
  const jobs = new JobRunner({ db: handle.db, dialect: handle.dialect, clock, log, leaseMs: config.jobs.leaseSeconds * 1000, retentionDays: config.jobs.retentionDays, afterCommit: sealer.poke });
  jobs.start();
  // Notification e-mails that waited for SMTP configuration get their job now.
  void resumeWaitingEmail(handle.db, clock)
    .then((n) => n && log.info({ emails: n }, 'queued notification e-mails resumed'))
    .catch((err) => log.error({ err }, 'resuming queued e-mails failed'));
  void resumeWaitingCustomerEmail(handle.db, clock)
    .then((n) => n && log.info({ emails: n }, 'queued customer e-mails resumed'))
    .catch((err) => log.error({ err }, 'resuming queued customer e-mails failed'));
  // Escalation stages that fell due while the server was down fire now; then every few seconds.
  const sla = new SlaSweeper({ db: handle.db, dialect: handle.dialect, clock, log, afterSweep: sealer.poke });
  sla.start(config.slaSweepSeconds * 1000);
  const url = address.replace('0.0.0.0', 'localhost').replace('[::]', 'localhost');
  let stopping: Promise<void> | null = null;
  return {
    app,
    kefu,
    handle,
    jobs,
    url,
    /** Graceful: stop accepting, let in-flight requests finish, let running jobs finish, seal the audit chain, close the database. */
    stop: () =>
      (stopping ??= (async () => {
        clearInterval(housekeeping);
        // Node closes only the connections idle at the start of close(); keep-alive connections that
        // were busy would otherwise hold the exit for the 72 s keep-alive timeout.
        const reap = setInterval(() => app.server.closeIdleConnections(), 100);
        await app.close().finally(() => clearInterval(reap));
        await jobs.stop();
        closeMailTransports();
        await sla.stop();
        await sealer.stop();
        await handle.close();
      })()),
  };
}
