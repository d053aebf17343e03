import { z } from 'zod';
import { id, version } from './api.ts';
import { ticketFilterQuery, ticketStatus, transferCreate } from './tickets.ts';

/**
 * Queues (工单队列): saved filters (保存的筛选), bulk actions (批量操作) and the live events the
 * console listens to (Server-Sent Events on GET /api/events). Shared by the server and the console.
 */

/** At most this many saved filters per person. */
export const SAVED_FILTER_LIMIT = 50;
/** At most this many work orders in one bulk action. */
export const BULK_LIMIT = 100;

const filterName = z.string().trim().min(1).max(64).refine((s) => !/[<>]/.test(s), { message: 'must not contain < or >' });

/** What a saved filter stores: the queues' allow-listed filter and sort (never a cursor or a page size). */
export const savedFilterQuery = ticketFilterQuery;
export const savedFilter = z.object({
  id,
  name: z.string(),
  query: z.record(z.string(), z.unknown()).describe('the filter, as GET /api/tickets takes it'),
  ownerId: id,
  ownerName: z.string(),
  mine: z.boolean().describe('yours (you may change it) 我的'),
  departmentId: id.nullable().describe('shared with this department (the owner’s) 共享给本部门'),
  departmentName: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number(),
});
export const savedFilterCreate = z.strictObject({
  name: filterName.describe('名称'),
  query: savedFilterQuery,
  shared: z.boolean().default(false).describe('visible to your department 共享给本部门'),
});
export const savedFilterUpdate = z.strictObject({
  version,
  name: filterName.optional(),
  query: savedFilterQuery.optional(),
  shared: z.boolean().optional(),
});

export const bulkActions = ['assign', 'transfer', 'tag', 'status'] as const;
export const ticketBulk = z.discriminatedUnion('action', [
  z.strictObject({ action: z.literal('assign'), ids: z.array(id).min(1).max(BULK_LIMIT), assigneeId: id }),
  z.strictObject({
    action: z.literal('transfer'),
    ids: z.array(id).min(1).max(BULK_LIMIT),
    departmentIds: transferCreate.shape.departmentIds,
    reason: transferCreate.shape.reason,
    timeLimitMinutes: transferCreate.shape.timeLimitMinutes,
  }),
  z.strictObject({ action: z.literal('tag'), ids: z.array(id).min(1).max(BULK_LIMIT), tags: z.array(z.string().trim().min(1).max(32)).min(1).max(20) }),
  z.strictObject({ action: z.literal('status'), ids: z.array(id).min(1).max(BULK_LIMIT), to: ticketStatus, reason: z.string().trim().min(1).max(500).optional() }),
]);
export const bulkRefusal = z.object({ id, code: z.string(), status: z.number(), message: z.string() });
export const bulkResult = z.object({ action: z.enum(bulkActions), ids: z.array(id).describe('every work order changed, in the order given') });

/** The events of GET /api/events (each an SSE `data:` line of JSON). */
export type LiveEvent =
  | { type: 'ticket'; id: string; orgUnitPath: string; departmentPath?: string | null }
  | { type: 'notification' }
  | { type: 'ready' };

export type SavedFilter = z.infer<typeof savedFilter>;
export type BulkRefusal = z.infer<typeof bulkRefusal>;
export type TicketBulk = z.infer<typeof ticketBulk>;
