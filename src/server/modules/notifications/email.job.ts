import { iso } from '../../platform/clock.ts';
import { jobErrorText, registerJob, type JobHandler } from '../jobs/jobs.ts';
import { deliveryRepository as repo } from './delivery.repository.ts';
import { EMAIL_JOB } from './delivery.service.ts';
import { sendMail, SMTP_NOT_CONFIGURED, smtpConfigured } from './mail.ts';

/**
 * `notification.email` {outboxId}: sends one outbox message through SMTP.
 *
 * At least once: an SMTP hand-over cannot be rolled back, so a crash (or a lost lease) between the
 * server's "250 OK" and the commit that marks the row sent makes the job run again and the message
 * go out twice — with the same Message-ID, so mail clients and the recipient can recognise the copy.
 * Marking sent is conditional (`status != 'sent'`) and a run that finds the row sent only completes
 * the job: running the job twice, or a second job for the same row, sends and records it once.
 * A refusal or network error records the attempt on the row and throws, so the jobs infrastructure
 * retries with its back-off; after the last attempt the row is `failed` (an administrator can retry the job).
 * Without SMTP configuration the row stays queued with the reason, and the job completes: nothing fails.
 */
export const emailJobHandler: JobHandler<{ outboxId?: string }> = async ({ job, db, clock, log, complete }) => {
  const id = typeof job.payload?.outboxId === 'string' ? job.payload.outboxId : '';
  const row = id ? await repo.outboxById(db, id) : undefined;
  if (!row || row.status === 'sent') {
    await db.transaction().execute((trx) => complete(trx));
    return;
  }
  if (!smtpConfigured()) {
    await db.transaction().execute(async (trx) => {
      await repo.markWaiting(trx, row.id, iso(clock.now()), SMTP_NOT_CONFIGURED);
      await complete(trx);
    });
    return;
  }
  try {
    await sendMail({ to: row.to_address, subject: row.subject, body: row.body, messageId: row.message_id });
  } catch (err) {
    const final = job.attempt >= job.maxAttempts;
    await repo.markAttemptFailed(db, row.id, iso(clock.now()), jobErrorText(err), final);
    throw err;
  }
  await db.transaction().execute(async (trx) => {
    await repo.markSent(trx, row.id, iso(clock.now()));
    await complete(trx);
  });
  log.info({ outboxId: row.id }, 'notification e-mail sent');
};

export function registerEmailJob(): void {
  registerJob(EMAIL_JOB, emailJobHandler);
}
