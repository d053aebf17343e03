import type { z } from 'zod';
import type { MergedMessage, TicketLink, ticketLinkCreate, ticketMerge } from '../../../contracts/merge.ts';
import type { Ticket } from '../../../contracts/tickets.ts';
import type { Tx } from '../../../db/database.ts';
import { scopePaths } from '../../platform/actor.ts';
import { iso } from '../../platform/clock.ts';
import type { Ctx } from '../../platform/context.ts';
import { AppError, notFound, versionConflict } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { callbackRepository } from './callback.repository.ts';
import { mergeRepository as repo } from './merge.repository.ts';
import { companyOf, unitChain } from './org-chain.ts';
import { eventActor, getTicket, loadForChange } from './ticket.service.ts';
import { ticketRepository, type TicketRow, type TicketView } from './ticket.repository.ts';
import { transferRepository } from './transfer.repository.ts';

async function companyIdOf(trx: Tx, t: TicketView): Promise<string> {
  return companyOf(await unitChain(trx, t.unit_path)).id;
}

/**
 * `POST /tickets/:id/merge`: the duplicate (:id) is merged into the survivor (targetId), in one
 * transaction. The duplicate keeps its conversation and history, points at the survivor
 * (`merged_into_id`) and closes however far it had got — its open transfers are withdrawn and a
 * pending callback is cancelled, as on any close (the same repositories do it). Both orders get a
 * `merged` entry naming the other's number, and both are audited. Refusals change nothing.
 */
export async function mergeTicket(ctx: Ctx, id: string, input: z.infer<typeof ticketMerge>): Promise<Ticket> {
  return ctx.db.transaction().execute(async (trx) => {
    const at = iso(ctx.clock.now());
    await repo.lockPair(trx, id, input.targetId, at);
    const src = await loadForChange(trx, ctx, id, 'ticket:update');
    if (input.targetId === id) throw new AppError('MERGE_SELF', 422);
    const dst = await loadForChange(trx, ctx, input.targetId, 'ticket:update');
    if (src.merged_into_id) throw new AppError('MERGE_SOURCE_MERGED', 409);
    if (dst.merged_into_id) throw new AppError('MERGE_TARGET_MERGED', 409);
    if (dst.status === 'closed') throw new AppError('MERGE_TARGET_CLOSED', 409);
    if ((await companyIdOf(trx, src)) !== (await companyIdOf(trx, dst))) throw new AppError('MERGE_OTHER_COMPANY', 422);
    if (Number(src.version) !== input.version) throw versionConflict();

    const reason = ctx.lang === 'zh' ? `已合并到 ${dst.number}` : `merged into ${dst.number}`;
    const patch: Partial<TicketRow> = { merged_into_id: dst.id, updated_at: at };
    const events: { kind: string; data: Record<string, unknown> }[] = [];
    if (src.status !== 'closed') {
      Object.assign(patch, { status: 'closed', closed_at: at, close_reason: reason, due_at: null });
      events.push({ kind: 'status', data: { from: src.status, to: 'closed', reason } });
      for (const x of await transferRepository.cancelOpen(trx, src.id, at, ctx.actor.userId)) events.push({ kind: 'transfer.cancelled', data: { transferId: x, reason: 'merged' } });
      for (const x of await callbackRepository.cancelPending(trx, src.id, at)) events.push({ kind: 'callback.cancelled', data: { callbackId: x } });
    }
    events.unshift({ kind: 'merged', data: { role: 'duplicate', ticketId: dst.id, number: dst.number, reason: input.reason } });
    if (!(await ticketRepository.update(trx, src.id, { version: input.version, status: src.status }, patch))) throw versionConflict();
    await ticketRepository.appendEvents(trx, src.id, at, eventActor(ctx), events);
    // The survivor gains history, not an edit: its version stays (nobody's open form goes stale).
    await ticketRepository.appendEvents(trx, dst.id, at, eventActor(ctx), [
      { kind: 'merged', data: { role: 'survivor', ticketId: src.id, number: src.number, reason: input.reason } },
    ]);
    await recordAudit(trx, ctx, {
      action: 'ticket.merge',
      entityType: 'ticket',
      entityId: src.id,
      orgUnitId: src.org_unit_id,
      before: { status: src.status, mergedIntoId: null },
      after: { status: 'closed', mergedIntoId: dst.id, mergedIntoNumber: dst.number, reason: input.reason },
    });
    await recordAudit(trx, ctx, {
      action: 'ticket.merge_into',
      entityType: 'ticket',
      entityId: dst.id,
      orgUnitId: dst.org_unit_id,
      after: { mergedFromId: src.id, mergedFromNumber: src.number, reason: input.reason },
    });
    return getTicket(ctx, src.id, trx);
  });
}

/**
 * The conversation of a work order together with that of every order merged into it (marked with
 * its number), oldest first. Merged orders are of the same company; their messages are read as
 * part of the survivor's case.
 */
export async function ticketMessages(ctx: Ctx, id: string): Promise<MergedMessage[]> {
  const t = await ticketRepository.byIdInScope(ctx.db, id, scopePaths(ctx.actor, 'ticket:read'));
  if (!t) throw notFound();
  const sources = await repo.mergedSources(ctx.db, id);
  const numbers = new Map([[t.id, t.number], ...sources.map((s) => [s.id, s.number] as const)]);
  return (await repo.messagesOf(ctx.db, [...numbers.keys()])).map((m) => ({
    id: m.id,
    ticketId: m.ticket_id,
    ticketNumber: numbers.get(m.ticket_id) ?? '',
    merged: m.ticket_id !== id,
    kind: m.kind,
    body: m.body,
    authorName: m.author_name,
    createdAt: m.created_at,
  }));
}

const MAX_LINKS = 50;

/** The links of a work order, both directions, showing only the orders the caller may read. */
export async function listLinks(ctx: Ctx, id: string, db: Tx = ctx.db): Promise<TicketLink[]> {
  const paths = scopePaths(ctx.actor, 'ticket:read');
  if (!(await ticketRepository.byIdInScope(db, id, paths))) throw notFound();
  const out: TicketLink[] = [];
  for (const l of await repo.linksOf(db, id)) {
    const other = await ticketRepository.byIdInScope(db, l.other_ticket_id, paths);
    if (!other) continue; // another branch's order: neither its number nor its subject is shown
    out.push({ id: l.id, kind: l.kind as TicketLink['kind'], direction: l.direction, ticketId: other.id, number: other.number, subject: other.subject, status: other.status, createdAt: l.created_at });
  }
  return out;
}

/** `POST /tickets/:id/links`: ticket:update over :id, read access to the other; one link per pair. */
export async function addLink(ctx: Ctx, id: string, input: z.infer<typeof ticketLinkCreate>): Promise<TicketLink[]> {
  return ctx.db.transaction().execute(async (trx) => {
    const at = iso(ctx.clock.now());
    await repo.lockPair(trx, id, input.ticketId, at);
    const t = await loadForChange(trx, ctx, id, 'ticket:update');
    if (input.ticketId === id) throw new AppError('LINK_SELF', 422);
    const other = await ticketRepository.byIdInScope(trx, input.ticketId, scopePaths(ctx.actor, 'ticket:read'));
    if (!other) throw notFound();
    if (await repo.linkBetween(trx, id, other.id)) throw new AppError('LINK_EXISTS', 409);
    if ((await repo.countLinks(trx, id)) >= MAX_LINKS) throw new AppError('VALIDATION_FAILED', 400, { fields: [{ field: 'ticketId', message: ctx.lang === 'zh' ? `最多关联 ${MAX_LINKS} 个工单` : `at most ${MAX_LINKS} links` }] });
    const link = { id: newId(), ticket_id: id, other_id: other.id, kind: input.kind, created_by: ctx.actor.userId, created_at: at };
    await repo.insertLink(trx, link);
    // The entries carry ids, not numbers: a reader of one order may not be allowed to see the other.
    await ticketRepository.appendEvents(trx, id, at, eventActor(ctx), [{ kind: 'linked', data: { linkId: link.id, kind: input.kind, direction: 'outgoing', ticketId: other.id } }]);
    await ticketRepository.appendEvents(trx, other.id, at, eventActor(ctx), [{ kind: 'linked', data: { linkId: link.id, kind: input.kind, direction: 'incoming', ticketId: id } }]);
    await recordAudit(trx, ctx, { action: 'ticket.link', entityType: 'ticket', entityId: id, orgUnitId: t.org_unit_id, after: { linkId: link.id, kind: input.kind, otherId: other.id } });
    return listLinks(ctx, id, trx);
  });
}

/** `DELETE /tickets/:id/links/:linkId`: the link must touch :id, and the caller needs ticket:update over :id. */
export async function removeLink(ctx: Ctx, id: string, linkId: string): Promise<TicketLink[]> {
  return ctx.db.transaction().execute(async (trx) => {
    const at = iso(ctx.clock.now());
    const t = await loadForChange(trx, ctx, id, 'ticket:update');
    const link = await repo.linkById(trx, linkId);
    if (!link || (link.ticket_id !== id && link.other_id !== id)) throw notFound();
    const otherId = link.ticket_id === id ? link.other_id : link.ticket_id;
    await repo.lockPair(trx, id, otherId, at);
    await repo.deleteLink(trx, linkId);
    await ticketRepository.appendEvents(trx, id, at, eventActor(ctx), [{ kind: 'unlinked', data: { linkId, kind: link.kind, ticketId: otherId } }]);
    await ticketRepository.appendEvents(trx, otherId, at, eventActor(ctx), [{ kind: 'unlinked', data: { linkId, kind: link.kind, ticketId: id } }]);
    await recordAudit(trx, ctx, { action: 'ticket.unlink', entityType: 'ticket', entityId: id, orgUnitId: t.org_unit_id, before: { linkId, kind: link.kind, otherId } });
    return listLinks(ctx, id, trx);
  });
}
