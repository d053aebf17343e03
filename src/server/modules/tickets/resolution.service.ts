import type { z } from 'zod';
import { COMPENSATION_APPROVAL_LIMIT_YUAN, type compensation, type compensationDecision, type compensationQuery, type resolution, type resolutionCreate, type resolutionResult } from '../../../contracts/tickets.ts';
import { holdsIn, scopePaths } from '../../platform/actor.ts';
import { iso } from '../../platform/clock.ts';
import type { Ctx } from '../../platform/context.ts';
import { AppError, forbidden, notFound, versionConflict } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import type { Tx } from '../../../db/database.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { notify } from './notification.service.ts';
import { resolutionRepository as repo, type CompensationRow, type CompensationView, type ResolutionRow } from './resolution.repository.ts';
import { edgeOf } from './ticket.state.ts';
import { eventActor, getTicket, loadForChange } from './ticket.service.ts';
import { ticketRepository } from './ticket.repository.ts';
import { invalidTransition, moveStatus } from './ticket-workflow.service.ts';

type Compensation = z.infer<typeof compensation>;
type Resolution = z.infer<typeof resolution>;
const LIMIT_FEN = COMPENSATION_APPROVAL_LIMIT_YUAN * 100;

export const compensationNeedsApproval = () => new AppError('COMPENSATION_NEEDS_APPROVAL', 409);

/** Called by moveStatus before resolving: a compensation waiting for approval holds the ticket unresolved. */
export async function assertNoPendingCompensation(trx: Tx, ticketId: string): Promise<void> {
  if (await repo.hasPending(trx, ticketId)) throw compensationNeedsApproval();
}

function toCompensation(k: CompensationView): Compensation {
  return {
    id: k.id,
    ticketId: k.ticket_id,
    ticketNumber: k.ticket_number,
    ticketSubject: k.ticket_subject,
    customerName: k.customer_name,
    requestedBy: k.requested_by_name,
    resolutionId: k.resolution_id,
    kind: k.kind as Compensation['kind'],
    amount: Number(k.amount_fen) / 100,
    note: k.note,
    status: k.status as Compensation['status'],
    decidedBy: k.decided_by_name,
    decidedAt: k.decided_at,
    decisionNote: k.decision_note,
    createdAt: k.created_at,
  };
}

async function toResolution(trx: Tx, r: ResolutionRow): Promise<Resolution> {
  return {
    id: r.id,
    ticketId: r.ticket_id,
    summary: r.summary,
    rootCause: r.root_cause,
    status: r.status as Resolution['status'],
    compensations: (await repo.ofResolution(trx, r.id)).map(toCompensation),
    createdAt: r.created_at,
  };
}

/**
 * `POST /tickets/:id/resolution`: records how the order was resolved, with any compensations, and
 * resolves it through the usual path (callback scheduled). When the compensations total more than
 * COMPENSATION_APPROVAL_LIMIT_YUAN they wait for a manager: the resolution is saved as
 * pending_approval, the ticket stays where it is (version bumped) and cannot be resolved until
 * approved; approving the last pending compensation resolves it.
 */
export async function recordResolution(ctx: Ctx, id: string, input: z.infer<typeof resolutionCreate>): Promise<z.infer<typeof resolutionResult>> {
  return ctx.db.transaction().execute(async (trx) => {
    const t = await loadForChange(trx, ctx, id, 'ticket:update');
    if (Number(t.version) !== input.version) throw versionConflict();
    if (edgeOf(t.status, 'resolved') !== 'user') throw invalidTransition(ctx, t.status, 'resolved');
    await assertNoPendingCompensation(trx, id);
    const now = ctx.clock.now();
    const at = iso(now);
    const fens = input.compensations.map((c) => Math.round(c.amount * 100));
    const totalFen = fens.reduce((a, b) => a + b, 0);
    const needsApproval = totalFen > LIMIT_FEN;
    const status = needsApproval ? 'pending_approval' : 'approved';
    const row: ResolutionRow = { id: newId(now.getTime()), ticket_id: id, summary: input.summary, root_cause: input.rootCause, status, created_by: ctx.actor.userId, created_at: at, updated_at: at };
    const comps: CompensationRow[] = input.compensations.map((c, i) => ({
      id: newId(now.getTime()),
      resolution_id: row.id,
      ticket_id: id,
      position: i,
      kind: c.kind,
      amount_fen: fens[i],
      note: c.note,
      status,
      decided_by: null,
      decided_at: null,
      decision_note: null,
      created_at: at,
    }));
    await repo.insert(trx, row, comps);
    await ticketRepository.appendEvents(trx, id, at, eventActor(ctx), [
      {
        kind: 'resolution',
        data: { resolutionId: row.id, summary: row.summary, rootCause: row.root_cause, status, compensations: comps.map((c) => ({ id: c.id, kind: c.kind, amount: c.amount_fen / 100, note: c.note })) },
      },
    ]);
    await recordAudit(trx, ctx, {
      action: 'ticket.resolution',
      entityType: 'ticket',
      entityId: id,
      orgUnitId: t.org_unit_id,
      before: null,
      after: { resolutionId: row.id, rootCause: row.root_cause, status, compensations: comps.map((c) => ({ id: c.id, kind: c.kind, amountFen: c.amount_fen })) },
    });
    if (needsApproval) {
      if (!(await ticketRepository.update(trx, id, { version: input.version, status: t.status }, { updated_at: at }))) throw versionConflict();
    } else {
      await moveStatus(trx, ctx, t, 'resolved', { version: input.version });
    }
    return { resolution: await toResolution(trx, row), ticket: await getTicket(ctx, id, trx) };
  });
}

/**
 * A manager approves or rejects one compensation waiting for approval. Rejecting rejects the whole
 * resolution (its other pending compensations too): the ticket stays unresolved, the handler records
 * a new resolution. Approving the last pending one lets the resolution stand and resolves the ticket.
 */
export async function decideCompensation(ctx: Ctx, id: string, approve: boolean, input: z.infer<typeof compensationDecision>): Promise<Compensation> {
  return ctx.db.transaction().execute(async (trx) => {
    const k = await repo.compensationById(trx, id);
    const t = k ? await ticketRepository.byIdInScope(trx, k.ticket_id, scopePaths(ctx.actor, 'ticket:read')) : undefined;
    if (!k || !t) throw notFound();
    if (!holdsIn(ctx.actor, 'ticket:approve_compensation', t.unit_path)) throw forbidden();
    const at = iso(ctx.clock.now());
    const decision = { decided_by: ctx.actor.userId, decided_at: at, decision_note: input.note };
    if (k.status !== 'pending_approval' || !(await repo.decide(trx, id, { ...decision, status: approve ? 'approved' : 'rejected' }))) {
      throw new AppError('COMPENSATION_DECIDED', 409);
    }
    await ticketRepository.appendEvents(trx, t.id, at, eventActor(ctx), [
      { kind: approve ? 'compensation.approved' : 'compensation.rejected', data: { compensationId: k.id, resolutionId: k.resolution_id, kind: k.kind, amount: Number(k.amount_fen) / 100, note: input.note } },
    ]);
    let resolved = false;
    if (!approve) {
      await repo.rejectPendingOf(trx, k.resolution_id, decision);
      await repo.setStatus(trx, k.resolution_id, 'rejected', at);
    } else if (!(await repo.hasPending(trx, t.id))) {
      await repo.setStatus(trx, k.resolution_id, 'approved', at);
      // The order may have moved meanwhile (closed, cancelled): the approval stands, resolving only where it still can.
      if (edgeOf(t.status, 'resolved') === 'user') {
        await moveStatus(trx, ctx, t, 'resolved', { version: null });
        resolved = true;
      }
    }
    await recordAudit(trx, ctx, {
      action: approve ? 'compensation.approve' : 'compensation.reject',
      entityType: 'compensation',
      entityId: k.id,
      orgUnitId: t.org_unit_id,
      before: { status: 'pending_approval' },
      after: { status: approve ? 'approved' : 'rejected', note: input.note, ticketId: t.id, amountFen: Number(k.amount_fen), ticketResolved: resolved },
    });
    if (t.assignee_id && t.assignee_id !== ctx.actor.userId) {
      const amount = (Number(k.amount_fen) / 100).toFixed(2);
      await notify(trx, ctx, {
        userIds: [t.assignee_id],
        ticketId: t.id,
        kind: 'compensation',
        text: (lang) =>
          lang === 'zh'
            ? `${ctx.actor.displayName}${approve ? '批准' : '驳回'}了工单 ${t.number}「${t.subject}」的补偿 ¥${amount}${input.note ? `：${input.note}` : ''}`
            : `${ctx.actor.displayName} ${approve ? 'approved' : 'rejected'} the ¥${amount} compensation on ${t.number} "${t.subject}"${input.note ? `: ${input.note}` : ''}`,
      });
    }
    return toCompensation((await repo.compensationById(trx, id))!);
  });
}

/** The approval list: compensations over work orders in the units where the caller may approve them. */
export async function listCompensations(ctx: Ctx, q: z.infer<typeof compensationQuery>): Promise<Compensation[]> {
  return (await repo.list(ctx.db, scopePaths(ctx.actor, 'ticket:approve_compensation'), q.status)).map(toCompensation);
}
