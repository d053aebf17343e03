import type { z } from 'zod';
import type { Ticket, Transfer, TicketRouting, transferAnswer, transferCancel, transferCreate, transferQuery } from '../../../contracts/tickets.ts';
import type { Tx } from '../../../db/database.ts';
import { holdsIn, scopePaths } from '../../platform/actor.ts';
import { iso } from '../../platform/clock.ts';
import type { Ctx } from '../../platform/context.ts';
import { AppError, forbidden, invalid, notFound, versionConflict } from '../../platform/errors.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { policyTarget } from '../sla/sla.service.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';
import { notificationText, notify } from './notification.service.ts';
import { companyOf, unitChain } from './org-chain.ts';
import { routingRepository } from './routing.repository.ts';
import { edgeOf, workingStatuses } from './ticket.state.ts';
import { ticketRepository } from './ticket.repository.ts';
import { eventActor, getTicket, loadForChange } from './ticket.service.ts';
import { invalidTransition, moveStatus } from './ticket-workflow.service.ts';
import { openTransfers } from './transfer.handoff.ts';
import { transferRepository as repo, type TransferScope, type TransferView } from './transfer.repository.ts';

/**
 * Transfers (转派) ask other departments of the same company for their part, each with its own
 * time limit, and come back with their answer (部门回复). While a department is asked, its people
 * (ticket:read there) see the work order; they answer with ticket:update there. When no transfer
 * is left open, a work order waiting for departments returns to in_progress by itself.
 */
export function toTransfer(x: TransferView, now: Date): Transfer {
  return {
    id: x.id,
    ticketId: x.ticket_id,
    ticketNumber: x.ticket_number,
    ticketSubject: x.ticket_subject,
    ticketStatus: x.ticket_status,
    fromUnitId: x.from_unit_id,
    fromUnitName: x.from_unit_name,
    toDepartmentId: x.to_department_id,
    toDepartmentName: x.to_department_name,
    reason: x.reason,
    timeLimitMinutes: Number(x.time_limit_minutes),
    dueAt: x.due_at,
    overdue: x.status === 'open' && x.due_at < iso(now),
    status: x.status,
    answer: x.answer,
    answeredBy: x.answered_by,
    answeredByName: x.answered_by_name,
    answeredAt: x.answered_at,
    routingRuleId: x.routing_rule_id,
    createdBy: x.created_by,
    createdByName: x.created_by_name,
    createdAt: x.created_at,
  };
}

/** The departments' side (ticket:update there) and, unless only the inbox is wanted, the side that keeps the case (ticket:read). */
const scopeOf = (ctx: Ctx, inboxOnly: boolean): TransferScope => ({
  handle: scopePaths(ctx.actor, 'ticket:update'),
  ...(inboxOnly ? {} : { read: scopePaths(ctx.actor, 'ticket:read') }),
});

/** `POST /tickets/:id/transfers`: one transfer per department, in parallel; the order waits for them when it may. */
export async function createTransfers(ctx: Ctx, id: string, input: z.infer<typeof transferCreate>): Promise<{ ticket: Ticket; transfers: Transfer[] }> {
  return ctx.db.transaction().execute((trx) => createTransfersIn(trx, ctx, id, input));
}

/** createTransfers inside the caller's transaction (bulk actions run many in one). */
export async function createTransfersIn(trx: Tx, ctx: Ctx, id: string, input: z.infer<typeof transferCreate>): Promise<{ ticket: Ticket; transfers: Transfer[] }> {
  const t = await loadForChange(trx, ctx, id, 'ticket:assign');
  if (Number(t.version) !== input.version) throw versionConflict();
  if (!workingStatuses.includes(t.status)) throw invalidTransition(ctx, t.status, 'waiting_department');
  const company = companyOf(await unitChain(trx, t.unit_path));
  const found = new Map((await ticketRepository.unitsByIds(trx, input.departmentIds)).map((u) => [u.id, u]));
  const open = new Set(await repo.openDepartments(trx, id));
  const departments = input.departmentIds.map((d, i) => {
    const u = found.get(d);
    // Units of other companies do not exist for this work order.
    if (!u || !u.path.startsWith(company.path)) throw notFound();
    if (u.kind !== 'department') throw invalid(`departmentIds.${i}`, ctx.lang === 'zh' ? '须为本单位的部门' : 'must be a department of the same company');
    if (open.has(u.id)) throw new AppError('TRANSFER_ALREADY_OPEN', 409, { fields: [{ field: `departmentIds.${i}`, message: u.name }] });
    return u;
  });
  // No limit given: the order's time-limit policy supplies its hand-off target (in its own scale), else the form must say.
  const limit = input.timeLimitMinutes !== undefined ? { minutes: input.timeLimitMinutes, mode: 'working' as const } : await policyTarget(trx, t, 'handoff');
  if (!limit) throw invalid('timeLimitMinutes', ctx.lang === 'zh' ? '请填写处理时限（本工单的时限策略未规定部门转派时限）' : 'required: the order’s time-limit policy sets no hand-off limit');
  const at = iso(ctx.clock.now());
  // The ticket row is written first (version checked): it serialises the timeline and makes a stale form lose.
  if (edgeOf(t.status, 'waiting_department')) await moveStatus(trx, ctx, t, 'waiting_department', { version: input.version, reason: input.reason });
  else if (!(await ticketRepository.update(trx, id, { version: input.version, status: t.status }, { updated_at: at }))) throw versionConflict();
  const rows = await openTransfers(trx, ctx, t, departments, { reason: input.reason, minutes: limit.minutes, mode: limit.mode, ruleId: null });
  await recordAudit(trx, ctx, {
    action: 'ticket.transfer',
    entityType: 'ticket',
    entityId: id,
    orgUnitId: t.org_unit_id,
    after: { reason: input.reason, timeLimitMinutes: limit.minutes, ...(input.timeLimitMinutes === undefined ? { fromPolicy: t.sla_policy_id, mode: limit.mode } : {}), transfers: rows.map((r) => ({ id: r.id, departmentId: r.to_department_id, dueAt: r.due_at })) },
  });
  const now = ctx.clock.now();
  return { ticket: await getTicket(ctx, id, trx), transfers: (await repo.byIds(trx, rows.map((r) => r.id))).map((x) => toTransfer(x, now)) };
}

/** When no transfer of the order is open any more and it was waiting for departments, it is worked on again. */
async function resumeWhenAllBack(trx: Tx, ctx: Ctx, ticketId: string): Promise<void> {
  if ((await repo.openIds(trx, ticketId)).length > 0) return;
  const t = await ticketRepository.byId(trx, ticketId);
  if (t?.status === 'waiting_department') await moveStatus(trx, ctx, t, 'in_progress', { version: null });
}

async function loadOpen(trx: Tx, ctx: Ctx, id: string): Promise<TransferView> {
  const x = await repo.byIdInScope(trx, id, scopeOf(ctx, false));
  if (!x) throw notFound();
  return x;
}

/** `POST /transfers/:id/answer`: the asked department's answer; the order's assignee (else who asked) is told. */
export async function answerTransfer(ctx: Ctx, id: string, input: z.infer<typeof transferAnswer>): Promise<Transfer> {
  return ctx.db.transaction().execute(async (trx) => {
    const x = await loadOpen(trx, ctx, id);
    if (!holdsIn(ctx.actor, 'ticket:update', x.to_department_path)) throw forbidden();
    if (x.status !== 'open') throw new AppError('TRANSFER_FINISHED', 409);
    const now = ctx.clock.now();
    const at = iso(now);
    await ticketRepository.touch(trx, x.ticket_id, at, false);
    if (!(await repo.finish(trx, id, { status: 'answered', answer: input.answer, answered_by: ctx.actor.userId, answered_at: at }))) throw new AppError('TRANSFER_FINISHED', 409);
    await ticketRepository.appendEvents(trx, x.ticket_id, at, eventActor(ctx), [
      { kind: 'department_answered', data: { transferId: id, departmentId: x.to_department_id, departmentName: x.to_department_name, answer: input.answer, late: x.due_at < at } },
    ]);
    const t = (await ticketRepository.byId(trx, x.ticket_id))!;
    const to = t.assignee_id ?? x.created_by;
    if (to && to !== ctx.actor.userId) {
      await notify(trx, ctx, {
        userIds: [to],
        ticketId: t.id,
        kind: 'transfer_answered',
        text: (lang) => notificationText.transferAnswered({ actor: ctx.actor.displayName, number: t.number, subject: t.subject, department: x.to_department_name, answer: input.answer }, lang),
      });
    }
    await recordAudit(trx, ctx, {
      action: 'transfer.answer',
      entityType: 'ticket_transfer',
      entityId: id,
      orgUnitId: t.org_unit_id,
      before: { status: 'open' },
      after: { status: 'answered', ticketId: t.id, departmentId: x.to_department_id, length: input.answer.length, late: x.due_at < at },
    });
    await resumeWhenAllBack(trx, ctx, t.id);
    return toTransfer((await repo.byIds(trx, [id]))[0], now);
  });
}

/** `POST /transfers/:id/cancel`: withdrawn by someone who may assign the work order. */
export async function cancelTransfer(ctx: Ctx, id: string, input: z.infer<typeof transferCancel>): Promise<Transfer> {
  return ctx.db.transaction().execute(async (trx) => {
    const x = await loadOpen(trx, ctx, id);
    if (!holdsIn(ctx.actor, 'ticket:assign', x.ticket_unit_path)) throw forbidden();
    if (x.status !== 'open') throw new AppError('TRANSFER_FINISHED', 409);
    const now = ctx.clock.now();
    const at = iso(now);
    await ticketRepository.touch(trx, x.ticket_id, at, false);
    if (!(await repo.finish(trx, id, { status: 'cancelled', cancelled_by: ctx.actor.userId, cancelled_at: at }))) throw new AppError('TRANSFER_FINISHED', 409);
    await ticketRepository.appendEvents(trx, x.ticket_id, at, eventActor(ctx), [
      { kind: 'transfer.cancelled', data: { transferId: id, departmentId: x.to_department_id, departmentName: x.to_department_name, ...(input.reason ? { reason: input.reason } : {}) } },
    ]);
    await recordAudit(trx, ctx, {
      action: 'transfer.cancel',
      entityType: 'ticket_transfer',
      entityId: id,
      orgUnitId: x.ticket_org_unit_id,
      before: { status: 'open' },
      after: { status: 'cancelled', ticketId: x.ticket_id, departmentId: x.to_department_id, reason: input.reason ?? null },
    });
    await resumeWhenAllBack(trx, ctx, x.ticket_id);
    return toTransfer((await repo.byIds(trx, [id]))[0], now);
  });
}

/** `GET /transfers`: the department's inbox (mine=true) or everything the caller sees, due first. */
export async function listTransfers(ctx: Ctx, q: z.infer<typeof transferQuery>): Promise<{ items: Transfer[]; nextCursor: string | null }> {
  const now = ctx.clock.now();
  const rows = await repo.list(ctx.db, {
    scope: scopeOf(ctx, q.mine === 'true'),
    status: q.status,
    overdue: q.overdue === undefined ? undefined : { at: iso(now), is: q.overdue === 'true' },
    ticketId: q.ticketId,
    after: q.cursor ? decodeCursor(q.cursor, ['string', 'string'] as const, ctx.lang) : undefined,
    limit: q.limit + 1,
  });
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  return { items: page.map((x) => toTransfer(x, now)), nextCursor: rows.length > q.limit && last ? encodeCursor([last.due_at, last.id]) : null };
}

/** `GET /tickets/:id/routing`: the rule that routed it, its escalation level and every transfer. */
export async function ticketRouting(ctx: Ctx, id: string): Promise<TicketRouting> {
  const t = await ticketRepository.byIdInScope(ctx.db, id, scopePaths(ctx.actor, 'ticket:read'));
  if (!t) throw notFound();
  const rule = t.routing_rule_id ? await routingRepository.byId(ctx.db, t.routing_rule_id) : undefined;
  const now = ctx.clock.now();
  return {
    routingRule: rule ? { id: rule.id, name: rule.name } : null,
    escalationLevel: t.escalation_level,
    transfers: (await repo.ofTicket(ctx.db, id)).map((x) => toTransfer(x, now)),
  };
}
