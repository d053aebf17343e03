import { z } from 'zod';
import { bilingual, id, version } from './api.ts';
import { segmentFields } from './care.ts';

/**
 * Outreach 客户触达 (customer-file issue §8): the customer message outbox (SMS / e-mail / letter), care
 * tasks sent with their gift, events 活动 (沙龙、座谈会…) with invitations and replies.
 */
export const messageChannels = ['sms', 'email', 'letter'] as const;
export const messageStatuses = ['queued', 'sent', 'failed', 'recorded'] as const;
export const eventKinds = ['salon', 'forum', 'thanks', 'other'] as const;
export const inviteReplies = ['pending', 'accepted', 'declined', 'no_answer', 'attended'] as const;
/** Replies that take a seat (capacity). */
export const seatReplies = ['accepted', 'attended'] as const;
export const EVENT_INVITEES_MAX = 1000;

const text = (max: number) => z.string().trim().min(1).max(max);
const instant = z.iso.datetime({ offset: true }).transform((s) => new Date(s).toISOString()).describe('ISO-8601 instant');
const cursor = z.string().max(200);

// ---- the outbox ----
export const customerMessage = z.object({
  id,
  customerId: id,
  customerName: z.string().nullable(),
  channel: z.enum(messageChannels),
  recipient: z.string().nullable().describe('masked while the file protects its contact section; null once erased or hidden'),
  recipientMasked: z.boolean(),
  subject: z.string().nullable(),
  body: z.string(),
  status: z.enum(messageStatuses),
  attempts: z.number(),
  lastError: z.string().nullable(),
  provider: z.string().nullable(),
  providerRef: z.string().nullable(),
  sourceKind: z.string(),
  sourceId: z.string(),
  createdAt: z.string(),
  sentAt: z.string().nullable(),
});
export const customerMessageQuery = z.strictObject({
  status: z.enum(messageStatuses).optional(),
  channel: z.enum(messageChannels).optional(),
  sourceKind: z.string().max(40).optional(),
  sourceId: z.string().max(64).optional(),
  customerId: id.optional(),
  cursor: cursor.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export const customerMessagePage = z.object({
  items: z.array(customerMessage),
  nextCursor: z.string().nullable(),
  counts: z.record(z.string(), z.number()),
  smtpConfigured: z.boolean(),
  smsProvider: z.string(),
});

// ---- care tasks sent ----
export const careSend = z.strictObject({
  version,
  giftValue: z.number().int().min(0).max(1_000_000).optional().describe("whole yuan; default the task's; above the rule's limit is refused"),
  giftNote: z.string().trim().max(200).optional().describe('what the gift is, e.g. 月饼礼盒'),
});
export const careSent = z.object({
  taskId: id,
  status: z.string(),
  version: z.number(),
  messageId: id.nullable(),
  giftValue: z.number(),
});
export const careBulkSend = z.strictObject({
  items: z.array(z.strictObject({ id, version })).min(1).max(200),
  giftNote: z.string().trim().max(200).optional(),
});
export const careBulkSent = z.object({ items: z.array(careSent) });

// ---- events and invitations ----
const eventFields = {
  title: text(100),
  kind: z.enum(eventKinds).describe('沙龙 / 座谈会 / 答谢会 / 其他'),
  startsAt: instant,
  endsAt: instant,
  place: text(200),
  capacity: z.number().int().min(1).max(100_000),
  description: z.string().trim().max(2000).default(''),
};
const rangeOk = (e: { startsAt?: string; endsAt?: string }) => !e.startsAt || !e.endsAt || e.startsAt <= e.endsAt;
const rangeMsg = { message: bilingual('结束时间不能早于开始时间', 'the end must not be before the start'), path: ['endsAt'] };
export const customerEventCreate = z.strictObject({ orgUnitId: id.describe("the unit (branch) holding the event; invitees are its customers"), ...eventFields }).refine(rangeOk, rangeMsg);
export const customerEventUpdate = z.strictObject({ version, ...eventFields }).refine(rangeOk, rangeMsg);

export const replyCounts = z.object({ pending: z.number(), accepted: z.number(), declined: z.number(), no_answer: z.number(), attended: z.number(), total: z.number() });
export const customerEvent = z.object({
  id,
  orgUnitId: id,
  orgUnitName: z.string(),
  title: z.string(),
  kind: z.enum(eventKinds),
  startsAt: z.string(),
  endsAt: z.string(),
  place: z.string(),
  capacity: z.number(),
  description: z.string(),
  counts: replyCounts,
  version: z.number(),
  createdAt: z.string(),
});
export const customerEventQuery = z.strictObject({
  from: instant.optional().describe('ends on or after'),
  to: instant.optional().describe('starts before'),
  limit: z.coerce.number().int().min(1).max(500).default(200),
});
export const eventInvitee = z.object({
  id,
  customerId: id,
  customerName: z.string().nullable(),
  tier: z.string().nullable(),
  reply: z.enum(inviteReplies),
  note: z.string().nullable(),
  messageId: id.nullable(),
  messageStatus: z.string().nullable(),
  invitedAt: z.string(),
  repliedAt: z.string().nullable(),
  version: z.number(),
});
export const customerEventDetail = customerEvent.extend({ invitees: z.array(eventInvitee) });

export const eventInvite = z
  .strictObject({
    customerIds: z.array(id).max(500).default([]).describe('chosen customers (search)'),
    segment: z
      .strictObject(segmentFields)
      .optional()
      .describe("the unit's customers of a segment, as care rules choose them"),
    channel: z.enum([...messageChannels, 'none']).default('sms').describe('none: record the invitation only'),
    template: z.string().trim().max(2000).optional().describe('placeholders {{name}} {{title}} {{event}} {{start}} {{place}}; a default text otherwise'),
  })
  .refine((x) => x.customerIds.length > 0 || x.segment, { message: bilingual('请选择客户或客户分群', 'choose customers or a segment'), path: ['customerIds'] });
export const eventInvited = z.object({
  added: z.number(),
  existing: z.number(),
  queued: z.number(),
  noContact: z.array(id).describe('invited without a message: no contact for the channel'),
});
export const inviteReply = z.strictObject({
  version,
  reply: z.enum(inviteReplies),
  note: z.string().trim().max(500).nullable().optional(),
});
export const inviteeParams = z.strictObject({ id, inviteeId: id });
