import { z } from 'zod';
import { bilingual, id } from './api.ts';
import { customerCategory, customerKind } from './customers.ts';
import type { Permission } from './permissions.ts';

/**
 * Destruction 销毁 of a customer file (customer-file issue §5): a records officer marks a file with a
 * reason; three approvals follow in order, each by a different person; the last one erases the file's
 * personal data irreversibly in the same transaction, and the audit trail keeps a tombstone.
 */
export const destructionStatuses = ['pending', 'rejected', 'destroyed'] as const;
export type DestructionStatus = (typeof destructionStatuses)[number];
export const destructionSteps = [1, 2, 3] as const;
export type DestructionStep = (typeof destructionSteps)[number];

/** Who decides each step: 1 客户信息主管 (records officer), 2 客服部经理 (service manager), 3 总经理 (general manager). */
export const stepPermission: Record<DestructionStep, Permission> = {
  1: 'customer:destruction_review',
  2: 'customer:approve_destruction',
  3: 'customer:destruction_final',
};

/** The pseudonym a destroyed file keeps (and its work orders show): no personal value, the id's first 8 characters. */
export const destroyedName = (customerId: string) => `已销毁客户 #${customerId.slice(0, 8)}`;

const comment = z.string().trim().max(500);

export const destructionCreate = z.strictObject({
  customerId: id.describe('the file to destroy (the whole file)'),
  reason: z.string().trim().min(2).max(500).describe('销毁事由'),
});

export const destructionDecision = z
  .strictObject({
    step: z.union([z.literal(1), z.literal(2), z.literal(3)]).describe('the step decided: the request’s current one (else 409 DESTRUCTION_STEP)'),
    decision: z.enum(['approve', 'reject']).describe('批准 / 驳回 (a rejection ends the request; the file stays)'),
    comment: comment.default('').describe('审批意见 (required to reject)'),
  })
  .refine((d) => d.decision === 'approve' || d.comment.length > 0, { path: ['comment'], message: bilingual('驳回须说明理由', 'a rejection needs a comment') });

export const destructionQuery = z.strictObject({
  status: z.enum(destructionStatuses).optional(),
  awaiting: z.enum(['me']).optional().describe('only the requests whose current step the caller may decide 待我审批'),
  customerId: id.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(100),
});

export const destructionStepView = z.object({
  step: z.number().int(),
  decision: z.enum(['approve', 'reject']),
  comment: z.string(),
  userId: z.string().nullable(),
  userName: z.string(),
  at: z.string(),
});

export const destruction = z.object({
  id,
  customerId: id,
  /** The file's name now: its pseudonym once destroyed. */
  customerName: z.string(),
  customerKind: customerKind,
  customerCategory: customerCategory,
  orgUnitId: id,
  orgUnitName: z.string(),
  reason: z.string(),
  status: z.enum(destructionStatuses),
  currentStep: z.number().int().nullable(),
  requestedBy: z.string().nullable(),
  requestedByName: z.string(),
  requestedAt: z.string(),
  endedAt: z.string().nullable(),
  steps: z.array(destructionStepView),
  /** The caller may decide the current step now (holds its permission over the file, decided no earlier step). */
  canDecide: z.boolean(),
  version: z.number(),
});
export type Destruction = z.infer<typeof destruction>;
