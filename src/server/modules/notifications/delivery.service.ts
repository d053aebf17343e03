import type { z } from 'zod';
import type { Lang } from '../../../contracts/errors.ts';
import {
  emailDefaultKinds,
  emailLanguages,
  inAppRequiredKinds,
  notificationKinds,
  type EmailLanguage,
  type EmailOutboxPage,
  type emailOutboxQuery,
  type NotificationKindName,
  type NotificationPreferences,
  type NotificationPreferencesUpdate,
} from '../../../contracts/notifications.ts';
import type { Db, Tx } from '../../../db/database.ts';
import { iso, type Clock } from '../../platform/clock.ts';
import type { Ctx } from '../../platform/context.ts';
import { AppError, notFound, versionConflict } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { enqueue } from '../jobs/jobs.ts';
import { decodeCursor, encodeCursor } from '../tickets/cursor.ts';
import { userRepository } from '../users/user.repository.ts';
import { deliveryRepository as repo, type EmailOutboxRow, type PreferenceRow } from './delivery.repository.ts';
import { composeEmail, messageIdFor, SMTP_NOT_CONFIGURED, smtpConfigured } from './mail.ts';

/**
 * Notification delivery (通知投递). `planDelivery` runs inside `notify()`'s transaction: it decides per
 * recipient, from their preferences, whether the bell gets a row and whether an e-mail goes to the
 * outbox (with one `notification.email` job per message, deduplicated by the outbox id). A change
 * that rolls back therefore neither notifies nor mails.
 */
export const EMAIL_JOB = 'notification.email';
export const EMAIL_MAX_ATTEMPTS = 5;
const DEFAULT_EMAIL_LANG: EmailLanguage = 'zh_en';

const isKind = (k: string): k is NotificationKindName => (notificationKinds as readonly string[]).includes(k);
export const inAppRequired = (kind: string) => (inAppRequiredKinds as readonly string[]).includes(kind);
export const defaultPreference = (kind: string) => ({ inApp: true, email: (emailDefaultKinds as readonly string[]).includes(kind) });
const asEmailLang = (s: string | null | undefined): EmailLanguage => ((emailLanguages as readonly string[]).includes(s ?? '') ? (s as EmailLanguage) : DEFAULT_EMAIL_LANG);

/**
 * Applies the recipients' preferences for one notification: returns who gets the in-app row (in the
 * given order) and writes the outbox rows and their jobs. E-mail goes to active people with an address
 * whose preference says so; escalations and time-limit notices always reach the bell.
 */
export async function planDelivery(
  trx: Tx,
  ctx: Ctx,
  n: { userIds: string[]; ticketId: string | null; kind: string; text: (lang: Lang) => string; at: string },
): Promise<{ inApp: string[] }> {
  const ids = [...new Set(n.userIds)];
  if (ids.length === 0) return { inApp: [] };
  const prefs = new Map((await repo.preferencesFor(trx, ids, n.kind)).map((p) => [p.user_id, p]));
  const people = new Map((await repo.recipients(trx, ids)).map((r) => [r.id, r]));
  const def = defaultPreference(n.kind);
  const inApp: string[] = [];
  const outbox: EmailOutboxRow[] = [];
  for (const id of ids) {
    const p = prefs.get(id);
    if (inAppRequired(n.kind) || (p ? p.in_app === 1 : def.inApp)) inApp.push(id);
    const person = people.get(id);
    if (!(p ? p.email === 1 : def.email) || !person?.email || person.status !== 'active') continue;
    const outboxId = newId();
    const { subject, body } = composeEmail(n.text, n.ticketId, asEmailLang(person.email_lang));
    outbox.push({
      id: outboxId,
      user_id: id,
      kind: n.kind,
      ticket_id: n.ticketId,
      to_address: person.email,
      subject,
      body,
      message_id: messageIdFor(outboxId),
      status: 'queued',
      attempts: 0,
      last_error: smtpConfigured() ? null : SMTP_NOT_CONFIGURED,
      created_at: n.at,
      updated_at: n.at,
      sent_at: null,
    });
  }
  await repo.insertOutbox(trx, outbox);
  for (const m of outbox) await enqueue(trx, ctx, { kind: EMAIL_JOB, payload: { outboxId: m.id }, dedupeKey: m.id, maxAttempts: EMAIL_MAX_ATTEMPTS });
  return { inApp };
}

async function readPreferences(db: Tx, userId: string): Promise<NotificationPreferences> {
  const user = await userRepository.byId(db, userId);
  if (!user) throw notFound();
  const settings = await repo.settingsOf(db, userId);
  const saved = new Map((await repo.preferencesOf(db, userId)).map((p) => [p.kind, p]));
  return {
    email: user.email,
    emailLanguage: asEmailLang(settings?.email_lang),
    version: settings ? Number(settings.version) : 0,
    items: notificationKinds.map((kind) => {
      const p = saved.get(kind);
      const d = defaultPreference(kind);
      return { kind, inApp: inAppRequired(kind) || (p ? p.in_app === 1 : d.inApp), email: p ? p.email === 1 : d.email, inAppRequired: inAppRequired(kind) };
    }),
  };
}

/** The caller's own preferences (defaults where never saved). */
export async function getMyPreferences(ctx: Ctx): Promise<NotificationPreferences> {
  if (!ctx.actor.userId) throw notFound();
  return readPreferences(ctx.db, ctx.actor.userId);
}

const summary = (p: NotificationPreferences) => ({
  emailLanguage: p.emailLanguage,
  choices: p.items.map((i) => `${i.kind}:${i.inApp ? 'in_app' : '-'}/${i.email ? 'email' : '-'}`),
});

/**
 * Saves the caller's preferences at `version` (0 the first time): kinds not listed keep their current
 * choice; only choices that differ from a kind's default are stored, so a kind follows the defaults
 * until its person changes it. `email` (optional) is the person's own address, audited as user data.
 */
export async function updateMyPreferences(ctx: Ctx, input: NotificationPreferencesUpdate): Promise<NotificationPreferences> {
  const userId = ctx.actor.userId;
  if (!userId) throw notFound();
  if (input.items.some((i) => !i.inApp && inAppRequired(i.kind))) throw new AppError('NOTIFICATION_IN_APP_REQUIRED', 422);
  return ctx.db.transaction().execute(async (trx) => {
    const before = await readPreferences(trx, userId);
    if (before.version !== input.version) throw versionConflict();
    const at = iso(ctx.clock.now());
    const lang = input.emailLanguage ?? before.emailLanguage;
    if (!(await repo.saveSettings(trx, userId, input.version, lang, at))) throw versionConflict();
    const wanted = new Map(before.items.map((i) => [i.kind, { inApp: i.inApp, email: i.email }]));
    for (const i of input.items) if (isKind(i.kind)) wanted.set(i.kind, { inApp: i.inApp, email: i.email });
    const rows: PreferenceRow[] = [];
    for (const [kind, w] of wanted) {
      const d = defaultPreference(kind);
      if (w.inApp !== d.inApp || w.email !== d.email) rows.push({ user_id: userId, kind, in_app: w.inApp ? 1 : 0, email: w.email ? 1 : 0 });
    }
    await repo.replacePreferences(trx, userId, rows);
    const user = (await userRepository.byId(trx, userId))!;
    if (input.email !== undefined && input.email !== user.email) {
      await userRepository.update(trx, userId, null, { email: input.email, updated_at: at });
      await recordAudit(trx, ctx, {
        action: 'user.update',
        entityType: 'user',
        entityId: userId,
        orgUnitId: user.org_unit_id,
        before: { email: user.email },
        after: { email: input.email },
        personal: { subjectType: 'user', subjectId: userId, fields: ['email'] },
      });
    }
    const after = await readPreferences(trx, userId);
    await recordAudit(trx, ctx, {
      action: 'notification_preferences.update',
      entityType: 'user',
      entityId: userId,
      orgUnitId: user.org_unit_id,
      before: summary(before),
      after: summary(after),
    });
    return after;
  });
}

const toItem = (r: EmailOutboxRow) => ({
  id: r.id,
  userId: r.user_id,
  kind: r.kind,
  ticketId: r.ticket_id,
  to: r.to_address,
  subject: r.subject,
  messageId: r.message_id,
  status: r.status,
  attempts: Number(r.attempts),
  lastError: r.last_error,
  createdAt: r.created_at,
  sentAt: r.sent_at,
});

/** Administrators (system:jobs): the outbox newest first, counts per status, whether SMTP is configured. */
export async function listEmailOutbox(ctx: Ctx, q: z.infer<typeof emailOutboxQuery>): Promise<EmailOutboxPage> {
  const before = q.cursor ? decodeCursor(q.cursor, ['string'] as const, ctx.lang)[0] : undefined;
  const rows = await repo.list(ctx.db, { status: q.status }, before, q.limit + 1);
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  return {
    items: page.map(toItem),
    nextCursor: rows.length > q.limit && last ? encodeCursor([last.id]) : null,
    counts: await repo.countByStatus(ctx.db),
    smtpConfigured: smtpConfigured(),
  };
}

/**
 * At start with SMTP configured: messages that waited because SMTP was not configured get a new job
 * (their first job completed without sending). Bounded; the rest follow at the next start.
 */
export async function resumeWaitingEmail(db: Db, clock: Clock): Promise<number> {
  if (!smtpConfigured()) return 0;
  return db.transaction().execute(async (trx) => {
    const ids = await repo.waitingIds(trx, SMTP_NOT_CONFIGURED, 1000);
    const stamp = iso(clock.now());
    for (const id of ids) await enqueue(trx, { clock }, { kind: EMAIL_JOB, payload: { outboxId: id }, dedupeKey: `${id}:${stamp}`, maxAttempts: EMAIL_MAX_ATTEMPTS });
    return ids.length;
  });
}
