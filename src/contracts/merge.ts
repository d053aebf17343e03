import { z } from 'zod';
import { id, version } from './api.ts';
import { ticketStatus } from './tickets.ts';

/**
 * Merging duplicate work orders (合并工单), links between work orders (关联工单) and the customer's
 * rating link (满意度评价链接): request and response shapes shared by the server and the console.
 */
const text = (max: number) => z.string().trim().max(max);
const required = (max: number) => z.string().trim().min(1).max(max);

export const ticketMerge = z.strictObject({
  targetId: id.describe('the survivor 保留的工单'),
  version: version.describe('the version of the duplicate (:id) you read'),
  reason: required(500).describe('合并原因'),
});

export const ticketLinkKinds = ['related', 'caused_by', 'follow_up'] as const;
export const ticketLinkKind = z.enum(ticketLinkKinds).describe('related 相关 / caused_by 由…引起 / follow_up 后续');
export const ticketLinkCreate = z.strictObject({ ticketId: id.describe('the other work order'), kind: ticketLinkKind });
export const ticketLinkParams = z.strictObject({ id, linkId: id });
export const ticketLink = z.object({
  id,
  kind: ticketLinkKind,
  /** outgoing: made on this order ("this order <kind> the other"); incoming: made on the other order. */
  direction: z.enum(['outgoing', 'incoming']),
  ticketId: id.describe('the other work order'),
  number: z.string(),
  subject: z.string(),
  status: ticketStatus,
  createdAt: z.string(),
});

/** A message of a work order or of an order merged into it (marked by the source's number). */
export const mergedMessage = z.object({
  id,
  ticketId: id,
  ticketNumber: z.string(),
  merged: z.boolean().describe('true: from an order merged into this one'),
  kind: z.enum(['reply', 'note']),
  body: z.string(),
  authorName: z.string(),
  createdAt: z.string(),
});

/** What staff see of a callback's rating link; the token itself exists only in the answer that issued it. */
export const ratingLinkState = z.enum(['open', 'rated', 'expired']);
export const ratingLinkInfo = z.object({
  callbackId: id,
  exists: z.boolean(),
  state: ratingLinkState.nullable(),
  expiresAt: z.string().nullable(),
  usedAt: z.string().nullable(),
  createdAt: z.string().nullable(),
});
export const ratingLinkIssued = ratingLinkInfo.extend({
  token: z.string().describe('shown once 仅显示一次'),
  path: z.string().describe('/rate/<token>'),
});

export const ratingToken = z.strictObject({ token: z.string().min(1).max(100).describe('256-bit token, base64url') });
export const publicRating = z.object({
  number: z.string(),
  subject: z.string(),
  companyName: z.string(),
  state: ratingLinkState,
});
export const publicRatingSubmit = z.strictObject({
  solved: z.boolean().describe('问题是否已解决'),
  satisfaction: z.number().int().min(1).max(5).describe('5 非常满意 · 4 满意 · 3 一般 · 2 不满意 · 1 非常不满意'),
  comment: text(500).default(''),
});

export type TicketLink = z.infer<typeof ticketLink>;
export type TicketLinkKind = (typeof ticketLinkKinds)[number];
export type MergedMessage = z.infer<typeof mergedMessage>;
export type RatingLinkInfo = z.infer<typeof ratingLinkInfo>;
export type RatingLinkIssued = z.infer<typeof ratingLinkIssued>;
export type PublicRating = z.infer<typeof publicRating>;
