import { z } from 'zod';

/**
 * Notification delivery (通知投递): per-person preferences per kind × channel, the e-mail outbox.
 * `GET|PUT /api/me/notification-preferences` (everyone, their own), `GET /api/email-outbox` (system:jobs).
 */
export const notificationKinds = ['mention', 'assigned', 'escalation', 'transfer_answered', 'compensation', 'watched', 'sla'] as const;
export const notificationKind = z.enum(notificationKinds);
export type NotificationKindName = z.infer<typeof notificationKind>;

/** Kinds that always reach the bell: an escalation or a time-limit breach must not be silenced in-app. */
export const inAppRequiredKinds: readonly NotificationKindName[] = ['escalation', 'sla'];
/** E-mail is on by default only for these. */
export const emailDefaultKinds: readonly NotificationKindName[] = ['escalation', 'sla'];

/** The language of a person's e-mails: Chinese, English, or Chinese with the English below (default). */
export const emailLanguages = ['zh_en', 'zh', 'en'] as const;
export const emailLanguage = z.enum(emailLanguages);
export type EmailLanguage = z.infer<typeof emailLanguage>;

export const notificationPreference = z.object({ kind: notificationKind, inApp: z.boolean(), email: z.boolean(), inAppRequired: z.boolean() });
export const notificationPreferences = z.object({
  /** The person's own address (null: no e-mail is sent). */
  email: z.string().nullable(),
  emailLanguage,
  items: z.array(notificationPreference),
  /** 0 while the person never saved preferences. */
  version: z.number().int(),
});
export const notificationPreferencesUpdate = z.strictObject({
  version: z.number().int().min(0),
  email: z.string().trim().max(254).email().nullable().optional(),
  emailLanguage: emailLanguage.optional(),
  items: z
    .array(z.strictObject({ kind: notificationKind, inApp: z.boolean(), email: z.boolean() }))
    .max(notificationKinds.length)
    .refine((xs) => new Set(xs.map((x) => x.kind)).size === xs.length, { message: 'each kind once 每种通知只能出现一次' }),
});

export const emailOutboxStatuses = ['queued', 'sent', 'failed'] as const;
export const emailOutboxStatus = z.enum(emailOutboxStatuses);
export type EmailOutboxStatus = z.infer<typeof emailOutboxStatus>;

export const emailOutboxQuery = z.strictObject({
  status: emailOutboxStatus.optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export const emailOutboxItem = z.object({
  id: z.string(),
  userId: z.string(),
  kind: z.string(),
  ticketId: z.string().nullable(),
  to: z.string(),
  subject: z.string(),
  messageId: z.string(),
  status: emailOutboxStatus,
  attempts: z.number().int(),
  lastError: z.string().nullable(),
  createdAt: z.string(),
  sentAt: z.string().nullable(),
});
export const emailOutboxPage = z.object({
  items: z.array(emailOutboxItem),
  nextCursor: z.string().nullable(),
  counts: z.object({ queued: z.number().int(), sent: z.number().int(), failed: z.number().int() }),
  /** false: KEFU_SMTP_URL is not set — e-mails stay queued and nothing is sent. */
  smtpConfigured: z.boolean(),
});

export type NotificationPreferences = z.infer<typeof notificationPreferences>;
export type NotificationPreferencesUpdate = z.infer<typeof notificationPreferencesUpdate>;
export type EmailOutboxItem = z.infer<typeof emailOutboxItem>;
export type EmailOutboxPage = z.infer<typeof emailOutboxPage>;
