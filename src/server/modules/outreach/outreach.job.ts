import { iso } from '../../platform/clock.ts';
import { jobErrorText, registerJob, type JobHandler } from '../jobs/jobs.ts';
import { messageIdFor, sendMail, SMTP_NOT_CONFIGURED, smtpConfigured } from '../notifications/mail.ts';
import { outreachRepository as repo } from './outreach.repository.ts';
import { OUTREACH_SEND_JOB } from './outreach.service.ts';
import { smsDelivers, smsProvider } from './outreach.sms.ts';

/**
 * `outreach.send` {messageId}: sends or records one customer message.
 * - e-mail: over SMTP when configured (at least once, with a stable Message-ID, as notification e-mail);
 *   without SMTP the row stays queued with the reason and the job completes.
 * - SMS: through the SMS provider; the default provider only records (status `recorded`).
 * - letter: recorded for printing (`recorded`).
 * A refusal or network error records the attempt and throws (the jobs' back-off retries); after the last
 * attempt the row is `failed` and can be retried from the outbox. A row already final only completes the job.
 */
export const outreachSendHandler: JobHandler<{ messageId?: string }> = async ({ job, db, clock, log, complete }) => {
  const id = typeof job.payload?.messageId === 'string' ? job.payload.messageId : '';
  const row = id ? await repo.messageById(db, id) : undefined;
  if (!row || (row.status !== 'queued' && row.status !== 'failed') || row.recipient === null) {
    await db.transaction().execute((trx) => complete(trx));
    return;
  }
  if (row.channel === 'letter') {
    await db.transaction().execute(async (trx) => {
      await repo.markDone(trx, row.id, { status: 'recorded', provider: 'print', ref: null, at: iso(clock.now()) });
      await complete(trx);
    });
    return;
  }
  if (row.channel === 'email' && !smtpConfigured()) {
    await db.transaction().execute(async (trx) => {
      await repo.markWaiting(trx, row.id, iso(clock.now()), SMTP_NOT_CONFIGURED);
      await complete(trx);
    });
    return;
  }
  const sms = smsProvider();
  let ref: string | null = null;
  try {
    if (row.channel === 'email') await sendMail({ to: row.recipient, subject: row.subject ?? '', body: row.body, messageId: messageIdFor(row.id) });
    else ref = (await sms.send(row.recipient, row.body)).ref || null;
  } catch (err) {
    await repo.markAttemptFailed(db, row.id, iso(clock.now()), jobErrorText(err), job.attempt >= job.maxAttempts);
    throw err;
  }
  const status = row.channel === 'sms' && !smsDelivers(sms) ? 'recorded' : 'sent';
  await db.transaction().execute(async (trx) => {
    await repo.markDone(trx, row.id, { status, provider: row.channel === 'email' ? 'smtp' : sms.name, ref: row.channel === 'email' ? messageIdFor(row.id) : ref, at: iso(clock.now()) });
    await complete(trx);
  });
  log.info({ messageId: row.id, channel: row.channel, status }, 'customer message done');
};

export function registerOutreachJob(): void {
  registerJob(OUTREACH_SEND_JOB, outreachSendHandler);
}
