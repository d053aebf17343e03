import type { BulkRefusal, TicketBulk } from '../../../contracts/queues.ts';
import { ticketUpdate } from '../../../contracts/tickets.ts';
import type { Permission } from '../../../contracts/permissions.ts';
import { holdsAnywhere, scopePaths } from '../../platform/actor.ts';
import type { Ctx } from '../../platform/context.ts';
import { AppError, forbidden, notFound } from '../../platform/errors.ts';
import { message } from '../../platform/i18n.ts';
import { ticketRepository as repo } from './ticket.repository.ts';
import { updateTicketIn } from './ticket.service.ts';
import { assignTicketIn, transitionTicketIn } from './ticket-workflow.service.ts';
import { createTransfersIn } from './transfer.service.ts';

const permissionOf: Record<TicketBulk['action'], Permission> = { assign: 'ticket:assign', transfer: 'ticket:assign', tag: 'ticket:update', status: 'ticket:update' };

/** Thrown inside the transaction to roll it back, carrying every item's refusal. */
class Refused extends Error {
  constructor(readonly refused: BulkRefusal[]) {
    super('bulk refused');
  }
}

/**
 * `POST /tickets/bulk`: one action on up to 100 work orders, all or nothing, in ONE transaction.
 * Each item goes through the very use case of the single action (assign eligibility, the transition
 * table, transfers' rules, the tag limit), at the version it has now, with its timeline and audit
 * entries. Any refusal (an order outside the caller's scope is "not found") rolls everything back and
 * the answer lists each refused id with its code and message: 404 when every refused order is out of
 * reach, 409 when every refusal is a conflict of state, 422 otherwise.
 */
export async function bulkTickets(ctx: Ctx, input: TicketBulk): Promise<{ action: TicketBulk['action']; ids: string[] }> {
  if (!holdsAnywhere(ctx.actor, permissionOf[input.action])) throw forbidden();
  const ids = [...new Set(input.ids)];
  const paths = scopePaths(ctx.actor, 'ticket:read');
  try {
    await ctx.db.transaction().execute(async (trx) => {
      const refused: BulkRefusal[] = [];
      for (const id of ids) {
        try {
          const t = await repo.byIdInScope(trx, id, paths);
          if (!t) throw notFound();
          const version = Number(t.version);
          switch (input.action) {
            case 'assign':
              await assignTicketIn(trx, ctx, id, { assigneeId: input.assigneeId, version });
              break;
            case 'status':
              await transitionTicketIn(trx, ctx, id, { to: input.to, version, reason: input.reason });
              break;
            case 'transfer':
              await createTransfersIn(trx, ctx, id, { departmentIds: [...new Set(input.departmentIds)], reason: input.reason, timeLimitMinutes: input.timeLimitMinutes, version });
              break;
            case 'tag': {
              // Added to the order's tags; the single edit's limits apply to the result (at most 20).
              const merged = ticketUpdate.shape.tags.safeParse([...(JSON.parse(t.tags) as string[]), ...input.tags]);
              if (!merged.success || !merged.data) {
                throw new AppError('VALIDATION_FAILED', 422, { fields: [{ field: 'tags', message: ctx.lang === 'zh' ? '每个工单最多 20 个标签' : 'at most 20 tags per work order' }] });
              }
              await updateTicketIn(trx, ctx, id, { version, tags: merged.data });
              break;
            }
          }
        } catch (err) {
          if (!(err instanceof AppError)) throw err;
          const detail = (err.fields ?? []).map((f) => f.message).join('; ');
          refused.push({ id, code: err.code, status: err.status, message: message(err.code, ctx.lang) + (detail ? ` (${detail})` : '') });
        }
      }
      if (refused.length > 0) throw new Refused(refused);
    });
  } catch (err) {
    if (!(err instanceof Refused)) throw err;
    // All out of reach: the orders do not exist for the caller; all conflicts of state: 409; else 422.
    const status = err.refused.every((r) => r.status === 404) ? 404 : err.refused.every((r) => r.status === 409) ? 409 : 422;
    throw new AppError('BULK_REFUSED', status, { extensions: { refused: err.refused } });
  }
  return { action: input.action, ids };
}
