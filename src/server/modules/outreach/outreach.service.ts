import type { z } from 'zod';
import type { customerMessage, customerMessagePage, customerMessageQuery } from '../../../contracts/outreach.ts';
import type { Db, Tx } from '../../../db/database.ts';
import { iso, type Clock } from '../../platform/clock.ts';
import type { Ctx } from '../../platform/context.ts';
import { AppError, forbidden, notFound } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { customerRepository } from '../customers/customer.repository.ts';
import { dayIn, effectiveLevel, maskEmail, maskPhone, sectionsOf } from '../customers/customer.mask.ts';
import { holdsNear, nearScope } from '../customers/customer.scope.ts';
import { enqueue, pokeJobRunners } from '../jobs/jobs.ts';
import { SMTP_NOT_CONFIGURED, smtpConfigured } from '../notifications/mail.ts';
import { decodeCursor, encodeCursor } from '../tickets/cursor.ts';
import { eventRepository } from './event.repository.ts';
import { outreachRepository as repo, type CustomerMessageView } from './outreach.repository.ts';
import { smsProvider } from './outreach.sms.ts';

/** The durable job that sends (or records) one customer message. */
export const OUTREACH_SEND_JOB = 'outreach.send';
export const OUTREACH_MAX_ATTEMPTS = 5;

export type MessageChannel = 'sms' | 'email' | 'letter';

export interface QueueCustomerMessage {
  customerId: string;
  channel: MessageChannel;
  /** E-mail subject / letter heading; default: the body's first line. */
  subject?: string;
  body: string;
  /** What the message belongs to, e.g. { kind: 'care_task', id } or { kind: 'event_invitation', id }. */
  source: { kind: string; id: string };
}

/**
 * Queues one message to a customer inside the caller's transaction and returns its id. The recipient
 * is the customer's real phone (sms), e-mail (email) or postal address (letter) at this moment, taken
 * server-side even when the file's contact section is protected (lists show it masked). The message is
 * sent — SMTP for e-mail, the SMS provider, letters recorded for printing — by the `outreach.send` job
 * after commit, so a rolled-back change queues nothing.
 *
 * The caller has checked its own scope and permission over the customer: this function does not.
 * Throws 404 when the customer does not exist and 422 OUTREACH_NO_CONTACT when it lacks the channel's contact.
 */
export async function queueCustomerMessage(trx: Tx, ctx: Ctx, input: QueueCustomerMessage): Promise<string> {
  const c = await customerRepository.byId(trx, input.customerId);
  if (!c) throw notFound();
  const recipient = input.channel === 'sms' ? c.phone : input.channel === 'email' ? c.email : c.address;
  if (!recipient || !recipient.trim()) throw new AppError('OUTREACH_NO_CONTACT', 422, { extensions: { customerId: c.id, channel: input.channel } });
  const now = ctx.clock.now();
  const at = iso(now);
  const id = newId(now.getTime());
  const body = input.body.slice(0, 10_000);
  const subject = input.subject?.trim() ? input.subject.trim().slice(0, 200) : input.channel === 'sms' ? null : (body.split('\n')[0] ?? '').slice(0, 60);
  await repo.insertMessage(trx, {
    id,
    customer_id: c.id,
    org_unit_id: c.org_unit_id,
    channel: input.channel,
    recipient: recipient.trim(),
    subject,
    body,
    status: 'queued',
    attempts: 0,
    last_error: input.channel === 'email' && !smtpConfigured() ? SMTP_NOT_CONFIGURED : null,
    provider: null,
    provider_ref: null,
    source_kind: input.source.kind.slice(0, 40),
    source_id: input.source.id.slice(0, 64),
    created_by: ctx.actor.userId,
    created_at: at,
    updated_at: at,
    sent_at: null,
    erased_at: null,
  });
  await enqueue(trx, ctx, { kind: OUTREACH_SEND_JOB, payload: { messageId: id }, dedupeKey: id, maxAttempts: OUTREACH_MAX_ATTEMPTS });
  await recordAudit(trx, ctx, {
    action: 'customer_message.queue',
    entityType: 'customer_message',
    entityId: id,
    orgUnitId: c.org_unit_id,
    before: null,
    after: { customerId: c.id, channel: input.channel, source: `${input.source.kind}:${input.source.id}` },
  });
  return id;
}

type Message = z.infer<typeof customerMessage>;
const scopeOf = (ctx: Ctx) => nearScope(ctx.actor, 'customer:manage');

/**
 * The recipient as the customer file shows it: masked (phone, e-mail) or hidden (an address) while the
 * file's level in force protects its contact section — for every reader, as in the file's list.
 */
function shownRecipient(m: CustomerMessageView, now: Date): { recipient: string | null; recipientMasked: boolean } {
  if (m.recipient === null) return { recipient: null, recipientMasked: false };
  // A destroyed file (no row) keeps nothing readable.
  const level = m.confidentiality === null ? 'top_secret' : effectiveLevel(m.confidentiality, m.declassify_on, dayIn(now, m.unit_time_zone || 'Asia/Shanghai'));
  const guarded = level !== 'ordinary' && (m.protected_sections === null || sectionsOf(m.protected_sections).includes('contact'));
  if (!guarded) return { recipient: m.recipient, recipientMasked: false };
  if (m.channel === 'sms') return { recipient: maskPhone(m.recipient), recipientMasked: true };
  if (m.channel === 'email') return { recipient: maskEmail(m.recipient), recipientMasked: true };
  return { recipient: null, recipientMasked: true };
}

export function toMessage(m: CustomerMessageView, now: Date): Message {
  return {
    id: m.id,
    customerId: m.customer_id,
    customerName: m.customer_name,
    channel: m.channel as Message['channel'],
    ...shownRecipient(m, now),
    subject: m.subject,
    body: m.body,
    status: m.status as Message['status'],
    attempts: Number(m.attempts),
    lastError: m.last_error,
    provider: m.provider,
    providerRef: m.provider_ref,
    sourceKind: m.source_kind,
    sourceId: m.source_id,
    createdAt: m.created_at,
    sentAt: m.sent_at,
  };
}

/** The outbox 发送记录 in the caller's customer:manage scope, newest first, with counts per status. */
export async function listCustomerMessages(ctx: Ctx, q: z.infer<typeof customerMessageQuery>): Promise<z.infer<typeof customerMessagePage>> {
  const before = q.cursor ? decodeCursor(q.cursor, ['string'] as const, ctx.lang)[0] : undefined;
  const scope = scopeOf(ctx);
  const rows = await repo.messages(ctx.db, { scope, status: q.status, channel: q.channel, sourceKind: q.sourceKind, sourceId: q.sourceId, customerId: q.customerId, before, limit: q.limit + 1 });
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  const now = ctx.clock.now();
  const counts = { queued: 0, sent: 0, failed: 0, recorded: 0, ...(await repo.countByStatus(ctx.db, scope)) };
  return {
    items: page.map((m) => toMessage(m, now)),
    nextCursor: rows.length > q.limit && last ? encodeCursor([last.id]) : null,
    counts,
    smtpConfigured: smtpConfigured(),
    smsProvider: smsProvider().name,
  };
}

/** failed → queued with a new job (a fresh round of attempts); anything else is 409 OUTREACH_MESSAGE_NOT_FAILED. */
export async function retryCustomerMessage(ctx: Ctx, id: string): Promise<Message> {
  const out = await ctx.db.transaction().execute(async (trx) => {
    const m = await repo.messageInScope(trx, id, scopeOf(ctx));
    if (!m) throw notFound();
    if (!holdsNear(ctx.actor, 'customer:manage', m.unit_path)) throw forbidden();
    const at = iso(ctx.clock.now());
    if (m.status !== 'failed' || m.erased_at !== null || !(await repo.requeue(trx, id, at))) throw new AppError('OUTREACH_MESSAGE_NOT_FAILED', 409);
    await enqueue(trx, ctx, { kind: OUTREACH_SEND_JOB, payload: { messageId: id }, dedupeKey: `${id}:${at}`, maxAttempts: OUTREACH_MAX_ATTEMPTS });
    await recordAudit(trx, ctx, { action: 'customer_message.retry', entityType: 'customer_message', entityId: id, orgUnitId: m.org_unit_id, before: { status: m.status, attempts: Number(m.attempts) }, after: { status: 'queued' } });
    return toMessage((await repo.messageInScope(trx, id, { under: ['/'], above: [] }))!, ctx.clock.now());
  });
  pokeJobRunners();
  return out;
}

/**
 * At start with SMTP configured: customer e-mail that waited because SMTP was not configured gets a new
 * job (its first job completed without sending). Bounded; the rest follow at the next start.
 */
export async function resumeWaitingCustomerEmail(db: Db, clock: Clock): Promise<number> {
  if (!smtpConfigured()) return 0;
  return db.transaction().execute(async (trx) => {
    const ids = await repo.waitingIds(trx, SMTP_NOT_CONFIGURED, 1000);
    const stamp = iso(clock.now());
    for (const id of ids) await enqueue(trx, { clock }, { kind: OUTREACH_SEND_JOB, payload: { messageId: id }, dedupeKey: `${id}:${stamp}`, maxAttempts: OUTREACH_MAX_ATTEMPTS });
    return ids.length;
  });
}

/** Erasure of a customer: messages lose recipient, subject and body (unsent ones fail); gift notes and reply notes go. */
export async function eraseOutreachOf(trx: Tx, ctx: Ctx, customerId: string): Promise<void> {
  const at = iso(ctx.clock.now());
  await repo.eraseMessagesOf(trx, customerId, at);
  await repo.eraseGiftsOf(trx, customerId);
  await eventRepository.eraseInviteesOf(trx, customerId);
}

/** Merge of customer files (`fromId` into `toId`): messages, gifts and invitations follow the survivor. */
export async function relinkOutreach(trx: Tx, _ctx: Ctx, fromId: string, toId: string): Promise<void> {
  await repo.relink(trx, fromId, toId);
  await eventRepository.relink(trx, fromId, toId);
}
