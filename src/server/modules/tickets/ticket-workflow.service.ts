import type { z } from 'zod';
import type { Ticket, TicketStatus, ticketAssign, ticketTake, ticketTransition } from '../../../contracts/tickets.ts';
import type { Tx } from '../../../db/database.ts';
import { holdsIn } from '../../platform/actor.ts';
import { iso } from '../../platform/clock.ts';
import type { Ctx } from '../../platform/context.ts';
import { AppError, forbidden, invalid, versionConflict } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { userRepository } from '../users/user.repository.ts';
import { slaAfterStatus } from '../sla/sla.service.ts';
import { callbackDueAt } from './callback.due.ts';
import { callbackRepository } from './callback.repository.ts';
import { notificationText, notify } from './notification.service.ts';
import { assertNoPendingCompensation } from './resolution.service.ts';
import { createRatingLinkFor } from './rating.service.ts';
import { edgeOf, transitionMessage, workingStatuses } from './ticket.state.ts';
import { eventActor, getTicket, grantsHold, loadForChange } from './ticket.service.ts';
import { ticketRepository as repo, type TicketRow, type TicketView } from './ticket.repository.ts';
import { transferRepository } from './transfer.repository.ts';
import { notifyWatchers } from './watcher.service.ts';

export const invalidTransition = (ctx: Ctx, from: TicketStatus, to: TicketStatus) =>
  new AppError('INVALID_TRANSITION', 409, { fields: [{ field: 'to', message: transitionMessage(from, to, ctx.lang) }] });

/**
 * Moves a work order along its life cycle, with every consequence, in the caller's transaction:
 * resolving schedules the callback and waits for it (awaiting_callback, due_at = the callback's
 * due time); reopening counts, clears the closing and cancels a pending callback; closing stamps
 * the time and the reason. The update also requires the status read, so two movers cannot both win
 * even where no version is given (callback outcomes). Timeline and audit are written here.
 */
export async function moveStatus(trx: Tx, ctx: Ctx, t: TicketView, to: TicketStatus, opts: { reason?: string; version: number | null }): Promise<void> {
  const from = t.status;
  const via = edgeOf(from, to);
  if (!via) throw invalidTransition(ctx, from, to);
  const now = ctx.clock.now();
  const at = iso(now);
  const patch: Partial<TicketRow> = { status: to, updated_at: at };
  const events: { kind: string; data: Record<string, unknown> }[] = [{ kind: 'status', data: { from, to, ...(opts.reason ? { reason: opts.reason } : {}) } }];
  let action = 'ticket.transition';
  let cancelled: string[] = [];
  let callback: { id: string; dueAt: string } | undefined;

  if (via === 'reopen') {
    action = 'ticket.reopen';
    Object.assign(patch, { reopen_count: Number(t.reopen_count) + 1, resolved_at: null, closed_at: null, close_reason: null, due_at: null });
    events[0].data.reopenCount = patch.reopen_count;
    cancelled = await callbackRepository.cancelPending(trx, t.id, at);
  } else if (to === 'closed') {
    action = 'ticket.close';
    Object.assign(patch, { closed_at: at, close_reason: opts.reason ?? null, due_at: null });
    cancelled = await callbackRepository.cancelPending(trx, t.id, at);
    // Departments are no longer waited for once the order is closed: their open transfers are withdrawn.
    for (const x of await transferRepository.cancelOpen(trx, t.id, at, ctx.actor.userId)) events.push({ kind: 'transfer.cancelled', data: { transferId: x, reason: 'closed' } });
  } else if (to === 'resolved') {
    action = 'ticket.resolve';
    await assertNoPendingCompensation(trx, t.id); // a compensation above the limit must be approved first
    callback = { id: newId(now.getTime()), dueAt: iso((await callbackDueAt(trx, ctx.lang, t, now)).due) };
    Object.assign(patch, { status: 'awaiting_callback', resolved_at: at, due_at: callback.dueAt });
    events.push({ kind: 'callback.scheduled', data: { callbackId: callback.id, dueAt: callback.dueAt } }, { kind: 'status', data: { from: 'resolved', to: 'awaiting_callback' } });
  }
  for (const id of cancelled) events.push({ kind: 'callback.cancelled', data: { callbackId: id } });

  if (!(await repo.update(trx, t.id, { version: opts.version, status: from }, patch))) throw versionConflict();
  if (callback) {
    await callbackRepository.insert(trx, {
      id: callback.id,
      ticket_id: t.id,
      due_at: callback.dueAt,
      attempts: 0,
      max_attempts: 3,
      status: 'pending',
      outcome: JSON.stringify({ attempts: [] }),
      performed_by: null,
      performed_at: null,
      created_at: at,
      updated_at: at,
      version: 1,
    });
    await createRatingLinkFor(trx, ctx, t, callback.id, now); // e-mail and web customers rate through a link
  }
  await repo.appendEvents(trx, t.id, at, eventActor(ctx), events);
  await slaAfterStatus(trx, ctx, { ...t, ...patch } as TicketRow, from, patch.status ?? to);
  await notifyWatchers(trx, ctx, t, { kind: 'status', to: patch.status ?? to });
  await recordAudit(trx, ctx, {
    action,
    entityType: 'ticket',
    entityId: t.id,
    orgUnitId: t.org_unit_id,
    before: { status: from, reopenCount: Number(t.reopen_count), dueAt: t.due_at },
    after: { status: patch.status, reopenCount: patch.reopen_count ?? Number(t.reopen_count), dueAt: patch.due_at ?? t.due_at, reason: opts.reason ?? null },
  });
}

/** `POST /tickets/:id/transitions`: the moves people make by hand (not assigning, not the automatic ones). */
export async function transitionTicket(ctx: Ctx, id: string, input: z.infer<typeof ticketTransition>): Promise<Ticket> {
  return ctx.db.transaction().execute((trx) => transitionTicketIn(trx, ctx, id, input));
}

/** transitionTicket inside the caller's transaction (bulk actions run many in one). */
export async function transitionTicketIn(trx: Tx, ctx: Ctx, id: string, input: z.infer<typeof ticketTransition>): Promise<Ticket> {
  const t = await loadForChange(trx, ctx, id, 'ticket:update');
  if (Number(t.version) !== input.version) throw versionConflict();
  const via = edgeOf(t.status, input.to);
  if (via !== 'user' && via !== 'reopen') throw invalidTransition(ctx, t.status, input.to);
  if (via === 'reopen' && !input.reason) throw invalid('reason', ctx.lang === 'zh' ? '重新打开须说明原因' : 'required to reopen');
  if (input.to === 'closed' && !holdsIn(ctx.actor, 'ticket:close', t.unit_path)) throw forbidden();
  await moveStatus(trx, ctx, t, input.to, { reason: input.reason, version: input.version });
  return getTicket(ctx, id, trx);
}

/** Assigns (or reassigns) to someone who may handle the order where it belongs. */
export async function assignTicket(ctx: Ctx, id: string, input: z.infer<typeof ticketAssign>): Promise<Ticket> {
  return ctx.db.transaction().execute((trx) => assignTicketIn(trx, ctx, id, input));
}

/** assignTicket inside the caller's transaction (bulk actions run many in one). */
export async function assignTicketIn(trx: Tx, ctx: Ctx, id: string, input: z.infer<typeof ticketAssign>): Promise<Ticket> {
  const t = await loadForChange(trx, ctx, id, 'ticket:assign');
  if (Number(t.version) !== input.version) throw versionConflict();
  if (!workingStatuses.includes(t.status)) throw invalidTransition(ctx, t.status, 'assigned');
  const person = await userRepository.byId(trx, input.assigneeId);
  if (!person || person.status !== 'active' || !grantsHold(await userRepository.grantsOf(trx, [person.id]), 'ticket:update', t.unit_path)) {
    throw invalid('assigneeId', ctx.lang === 'zh' ? '须为能处理本工单的在职员工' : 'must be an active person who may handle this work order');
  }
  if (person.id === t.assignee_id) return getTicket(ctx, id, trx);
  const at = iso(ctx.clock.now());
  const status: TicketStatus = t.status === 'new' ? 'assigned' : t.status;
  if (!(await repo.update(trx, id, { version: input.version, status: t.status }, { assignee_id: person.id, status, updated_at: at }))) throw versionConflict();
  await repo.appendEvents(trx, id, at, eventActor(ctx), [
    { kind: 'assigned', data: { from: t.assignee_id ? { id: t.assignee_id, name: t.assignee_name } : null, to: { id: person.id, name: person.display_name } } },
    ...(status !== t.status ? [{ kind: 'status', data: { from: t.status, to: status } }] : []),
  ]);
  if (status !== t.status) await notifyWatchers(trx, ctx, t, { kind: 'status', to: status });
  if (person.id !== ctx.actor.userId) {
    await notify(trx, ctx, { userIds: [person.id], ticketId: id, kind: 'assigned', text: (lang) => notificationText.assigned({ actor: ctx.actor.displayName, number: t.number, subject: t.subject }, lang) });
  }
  await recordAudit(trx, ctx, {
    action: 'ticket.assign',
    entityType: 'ticket',
    entityId: id,
    orgUnitId: t.org_unit_id,
    before: { assigneeId: t.assignee_id, status: t.status },
    after: { assigneeId: person.id, status },
  });
  return getTicket(ctx, id, trx);
}

/**
 * An agent takes an unassigned order for themselves. The update requires "still unassigned" as
 * well as the version, so of two agents taking at once exactly one wins (PostgreSQL: the second
 * update waits for the first's row lock, then matches nothing; SQLite: transactions are serial).
 */
export async function takeTicket(ctx: Ctx, id: string, input: z.infer<typeof ticketTake>): Promise<Ticket> {
  return ctx.db.transaction().execute(async (trx) => {
    const t = await loadForChange(trx, ctx, id, 'ticket:update');
    const me = ctx.actor.userId;
    if (!me) throw forbidden();
    if (t.assignee_id) throw new AppError('TICKET_TAKEN', 409);
    if (Number(t.version) !== input.version) throw versionConflict();
    if (t.status !== 'new') throw invalidTransition(ctx, t.status, 'assigned');
    const at = iso(ctx.clock.now());
    if (!(await repo.update(trx, id, { version: input.version, status: 'new', unassigned: true }, { assignee_id: me, status: 'assigned', updated_at: at }))) {
      const now = await repo.byId(trx, id);
      throw now?.assignee_id ? new AppError('TICKET_TAKEN', 409) : versionConflict();
    }
    await repo.appendEvents(trx, id, at, eventActor(ctx), [
      { kind: 'assigned', data: { from: null, to: { id: me, name: ctx.actor.displayName }, taken: true } },
      { kind: 'status', data: { from: 'new', to: 'assigned' } },
    ]);
    await notifyWatchers(trx, ctx, t, { kind: 'status', to: 'assigned' });
    await recordAudit(trx, ctx, { action: 'ticket.take', entityType: 'ticket', entityId: id, orgUnitId: t.org_unit_id, before: { assigneeId: null, status: 'new' }, after: { assigneeId: me, status: 'assigned' } });
    return getTicket(ctx, id, trx);
  });
}
