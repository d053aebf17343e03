import type { z } from 'zod';
import type { Callback, callbackAttempt, callbackComplete, callbackQuery } from '../../../contracts/tickets.ts';
import type { Tx } from '../../../db/database.ts';
import { scopePaths } from '../../platform/actor.ts';
import { iso } from '../../platform/clock.ts';
import type { Ctx } from '../../platform/context.ts';
import { AppError, notFound, versionConflict } from '../../platform/errors.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { userRepository } from '../users/user.repository.ts';
import { callbackRepository as repo, type CallbackView } from './callback.repository.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';
import { notificationText, notify } from './notification.service.ts';
import { escalationTargets } from './escalation.service.ts';
import { endOfLocalDay } from './ticket.numbering.ts';
import { ticketRepository, type TicketView } from './ticket.repository.ts';
import { eventActor } from './ticket.service.ts';
import { moveStatus } from './ticket-workflow.service.ts';

/** Reasons written on the work order; they are the domain's words (回访不满意 reopens, per the seeds). */
export const REOPEN_DISSATISFIED = '回访不满意';
export const CLOSE_SATISFIED = '回访满意';
export const CLOSE_UNREACHABLE = '回访未联系上客户';

interface Outcome {
  attempts: { at: string; by: string; note: string }[];
  reached?: boolean;
  solved?: boolean;
  satisfaction?: number;
  comment?: string;
}

export function toCallback(r: CallbackView): Callback {
  return {
    id: r.id,
    ticketId: r.ticket_id,
    ticketNumber: r.ticket_number,
    ticketSubject: r.ticket_subject,
    ticketType: r.ticket_type,
    customerName: r.customer_name,
    customerPhone: r.customer_phone,
    orgUnitId: r.org_unit_id,
    assigneeName: r.assignee_name,
    dueAt: r.due_at,
    attempts: Number(r.attempts),
    maxAttempts: Number(r.max_attempts),
    status: r.status,
    outcome: JSON.parse(r.outcome) as Record<string, unknown>,
    performedBy: r.performed_by,
    performedAt: r.performed_at,
    createdAt: r.created_at,
    version: Number(r.version),
  };
}

/** "Today" ends at midnight where the caller works (their unit's time zone); it includes what is already overdue. */
async function endOfMyDay(ctx: Ctx): Promise<string> {
  const me = ctx.actor.userId ? await userRepository.byId(ctx.db, ctx.actor.userId) : undefined;
  const tz = me ? (await ticketRepository.unitsByIds(ctx.db, [me.org_unit_id]))[0]?.time_zone : undefined;
  return iso(endOfLocalDay(ctx.clock.now(), tz ?? 'Asia/Shanghai'));
}

export async function listCallbacks(ctx: Ctx, q: z.infer<typeof callbackQuery>): Promise<{ items: Callback[]; nextCursor: string | null }> {
  const dueBefore = q.due === 'overdue' ? iso(ctx.clock.now()) : q.due === 'today' ? await endOfMyDay(ctx) : undefined;
  const rows = await repo.list(ctx.db, {
    paths: scopePaths(ctx.actor, 'callback:perform'),
    status: q.status,
    dueBefore,
    after: q.cursor ? decodeCursor(q.cursor, ['string', 'string'] as const, ctx.lang) : undefined,
    limit: q.limit + 1,
  });
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  return { items: page.map(toCallback), nextCursor: rows.length > q.limit && last ? encodeCursor([last.due_at, last.id]) : null };
}

async function loadPending(trx: Tx, ctx: Ctx, id: string): Promise<{ cb: CallbackView; ticket: TicketView; outcome: Outcome }> {
  const cb = await repo.byIdInScope(trx, id, scopePaths(ctx.actor, 'callback:perform'));
  if (!cb) throw notFound();
  if (cb.status !== 'pending') throw new AppError('CALLBACK_FINISHED', 409);
  const ticket = (await ticketRepository.byId(trx, cb.ticket_id))!;
  return { cb, ticket, outcome: JSON.parse(cb.outcome) as Outcome };
}

/** A call that did not reach the customer. The last allowed one closes the order as unreachable. */
export async function attemptCallback(ctx: Ctx, id: string, input: z.infer<typeof callbackAttempt>): Promise<Callback> {
  return ctx.db.transaction().execute(async (trx) => {
    const { cb, ticket, outcome } = await loadPending(trx, ctx, id);
    const at = iso(ctx.clock.now());
    const attempts = Number(cb.attempts) + 1;
    const unreachable = attempts >= Number(cb.max_attempts);
    outcome.attempts.push({ at, by: ctx.actor.displayName, note: input.note });
    // The ticket row is written first: it orders this transaction's timeline entries after any other writer's.
    await ticketRepository.touch(trx, ticket.id, at, false);
    const ok = await repo.updatePending(trx, id, Number(cb.attempts), {
      attempts,
      outcome: JSON.stringify({ ...outcome, reached: false }),
      updated_at: at,
      ...(unreachable ? { status: 'unreachable' as const, performed_by: ctx.actor.userId, performed_at: at } : {}),
    });
    if (!ok) throw versionConflict();
    await ticketRepository.appendEvents(trx, ticket.id, at, eventActor(ctx), [
      { kind: 'callback.attempt', data: { callbackId: id, attempt: attempts, maxAttempts: Number(cb.max_attempts), note: input.note } },
      ...(unreachable ? [{ kind: 'callback.unreachable', data: { callbackId: id, attempts } }] : []),
    ]);
    await recordAudit(trx, ctx, {
      action: unreachable ? 'callback.unreachable' : 'callback.attempt',
      entityType: 'callback',
      entityId: id,
      orgUnitId: ticket.org_unit_id,
      before: { attempts: Number(cb.attempts), status: cb.status },
      after: { attempts, status: unreachable ? 'unreachable' : 'pending' },
    });
    if (unreachable) await moveStatus(trx, ctx, ticket, 'closed', { reason: CLOSE_UNREACHABLE, version: null });
    return toCallback((await repo.byIdInScope(trx, id, ['/']))!);
  });
}

/**
 * The customer was reached. Satisfied (≥ 3) and solved → the order closes. Otherwise it reopens
 * with the reason 回访不满意 and is escalated: every active person holding the `supervisor` role
 * in the responsible department or above it up to the company is notified (when there is none,
 * the `manager` role holders of the same units, so an escalation never goes nowhere).
 */
export async function completeCallback(ctx: Ctx, id: string, input: z.infer<typeof callbackComplete>): Promise<Callback> {
  return ctx.db.transaction().execute((trx) => recordCallbackOutcome(trx, ctx, id, input));
}

/**
 * completeCallback's rules in the caller's transaction; `via` (e.g. the customer's rating link) is
 * written with the outcome on the timeline and in the audit entry.
 */
export async function recordCallbackOutcome(
  trx: Tx,
  ctx: Ctx,
  id: string,
  input: Omit<z.infer<typeof callbackComplete>, 'reached'>,
  via?: Record<string, unknown>,
): Promise<Callback> {
  const { cb, ticket, outcome } = await loadPending(trx, ctx, id);
  const at = iso(ctx.clock.now());
  await ticketRepository.touch(trx, ticket.id, at, false);
  const result = { reached: true, solved: input.solved, satisfaction: input.satisfaction, comment: input.comment, ...via };
  const ok = await repo.updatePending(trx, id, Number(cb.attempts), {
    attempts: Number(cb.attempts) + 1,
    status: 'done',
    outcome: JSON.stringify({ ...outcome, ...result }),
    performed_by: ctx.actor.userId,
    performed_at: at,
    updated_at: at,
  });
  if (!ok) throw versionConflict();
  await ticketRepository.appendEvents(trx, ticket.id, at, eventActor(ctx), [{ kind: 'callback.completed', data: { callbackId: id, ...result } }]);
  await recordAudit(trx, ctx, { action: 'callback.complete', entityType: 'callback', entityId: id, orgUnitId: ticket.org_unit_id, before: { status: 'pending' }, after: { status: 'done', ...result } });
  const dissatisfied = !input.solved || input.satisfaction <= 2;
  if (dissatisfied) {
    await moveStatus(trx, ctx, ticket, 'in_progress', { reason: REOPEN_DISSATISFIED, version: null });
    await escalate(trx, ctx, ticket, result);
  } else {
    await moveStatus(trx, ctx, ticket, 'closed', { reason: CLOSE_SATISFIED, version: null });
  }
  return toCallback((await repo.byIdInScope(trx, id, ['/']))!);
}

async function escalate(trx: Tx, ctx: Ctx, t: TicketView, result: { solved: boolean; satisfaction: number }): Promise<void> {
  const { role, people: targets } = await escalationTargets(trx, t, ['supervisor', 'manager']);
  await notify(trx, ctx, {
    userIds: targets.map((p) => p.id),
    ticketId: t.id,
    kind: 'escalation',
    text: (lang) => notificationText.escalation({ actor: ctx.actor.displayName, number: t.number, subject: t.subject, ...result }, lang),
  });
  const at = iso(ctx.clock.now());
  await ticketRepository.appendEvents(trx, t.id, at, eventActor(ctx), [
    { kind: 'escalated', data: { reason: REOPEN_DISSATISFIED, role, to: targets.map((p) => ({ id: p.id, name: p.display_name })) } },
  ]);
  await recordAudit(trx, ctx, { action: 'ticket.escalate', entityType: 'ticket', entityId: t.id, orgUnitId: t.org_unit_id, after: { role, to: targets.map((p) => p.username) } });
}
