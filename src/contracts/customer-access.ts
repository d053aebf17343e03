import { z } from 'zod';
import { bilingual, id, version } from './api.ts';
import { protectedSection } from './customers.ts';

/**
 * Access requests 申请查阅 (customer-file issue §3): staff who may not open a protected file (their role is
 * below its level, or their scope does not reach it) ask for some of its sections, for a reason and a number
 * of days. Their manager (user:manage over the requester's unit) AND the service department
 * (customer:manage over the file's company) approve — two different people, neither the requester; either
 * rejects. From the second approval until `expiresAt` the requester may open (借阅) the file for the granted
 * sections only, with a reason, and the reading record names the request.
 *
 * The file is named by its id: the requester sees it on the file's page (masked) or gets it from the service
 * department (ids are UUIDv7, not guessable). A requester outside the file's scope sees only the request
 * (the customer's name once approved).
 */
export const ACCESS_MAX_DAYS = 30;
export const accessRequestStatuses = ['pending', 'approved', 'rejected', 'withdrawn'] as const;

export const accessRequestCreate = z.strictObject({
  customerId: id.describe('the file (its id as shown on the file page or given by the service department)'),
  sections: z.array(protectedSection).min(1).max(4).transform((s) => [...new Set(s)]),
  reason: z.string().trim().min(2).max(500).describe('查阅事由'),
  days: z.number().int().min(1).max(ACCESS_MAX_DAYS).describe(`for how long once approved, 1–${ACCESS_MAX_DAYS} days`),
});

export const accessDecision = z.strictObject({
  version,
  note: z.string().trim().max(500).optional().describe('审批意见; required to reject'),
});
export const accessReject = accessDecision.extend({
  note: z.string().trim().min(2, bilingual('请填写驳回理由', 'give a reason to reject')).max(500),
});

export const accessRequest = z.object({
  id,
  customerId: id,
  /** Null while the caller may not see the file's name (requester outside its scope, not yet approved). */
  customerName: z.string().nullable(),
  customerUnitName: z.string(),
  requesterId: id,
  requesterName: z.string(),
  requesterUnitName: z.string(),
  sections: z.array(protectedSection),
  reason: z.string(),
  days: z.number(),
  status: z.enum(accessRequestStatuses),
  /** approved and not yet expired */
  inForce: z.boolean(),
  managerName: z.string().nullable(),
  managerAt: z.string().nullable(),
  serviceName: z.string().nullable(),
  serviceAt: z.string().nullable(),
  rejectedByName: z.string().nullable(),
  rejectedAt: z.string().nullable(),
  decisionNote: z.string().nullable(),
  expiresAt: z.string().nullable(),
  createdAt: z.string(),
  version: z.number(),
  /** Which approval the caller may give now (null: none). */
  canApprove: z.enum(['manager', 'service']).nullable(),
});

export const accessRequestQuery = z.strictObject({
  box: z.enum(['mine', 'to_approve']).default('mine').describe('我的申请 / 待我审批'),
  cursor: z.string().max(300).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

export type AccessRequest = z.infer<typeof accessRequest>;
