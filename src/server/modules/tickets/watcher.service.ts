import type { z } from 'zod';
import type { Lang } from '../../../contracts/errors.ts';
import type { watcher, watcherAdd } from '../../../contracts/ticket-settings.ts';
import type { TicketStatus } from '../../../contracts/tickets.ts';
import type { Tx } from '../../../db/database.ts';
import { holdsIn, scopePaths } from '../../platform/actor.ts';
import { iso } from '../../platform/clock.ts';
import type { Ctx } from '../../platform/context.ts';
import { AppError, forbidden, invalid, notFound } from '../../platform/errors.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { userRepository } from '../users/user.repository.ts';
import { notify } from './notification.service.ts';
import { statusLabels } from './ticket.state.ts';
import { grantsHold } from './ticket.service.ts';
import { ticketRepository } from './ticket.repository.ts';
import { watcherRepository as repo } from './watcher.repository.ts';

/**
 * Watchers 关注人: anyone who can read a work order may watch it; adding someone else needs
 * ticket:assign over the order, and that person must be able to read it. Watchers are told (in-app)
 * of public replies and status changes made by others. Watching is not an edit of the order: no
 * version bump, no timeline entry; it is audited.
 */
type Watcher = z.infer<typeof watcher>;
const MAX_WATCHERS = 50;

export async function watchersOf(db: Tx, ticketId: string): Promise<Watcher[]> {
  return (await repo.list(db, ticketId)).map((w) => ({ userId: w.user_id, name: w.display_name }));
}

async function readable(trx: Tx, ctx: Ctx, id: string) {
  const t = await ticketRepository.byIdInScope(trx, id, scopePaths(ctx.actor, 'ticket:read'));
  if (!t) throw notFound();
  return t;
}

export async function addWatcher(ctx: Ctx, id: string, input: z.infer<typeof watcherAdd>): Promise<Watcher[]> {
  return ctx.db.transaction().execute(async (trx) => {
    const t = await readable(trx, ctx, id);
    const me = ctx.actor.userId;
    const userId = input.userId ?? me;
    if (!userId) throw forbidden();
    if (userId !== me) {
      if (!holdsIn(ctx.actor, 'ticket:assign', t.unit_path)) throw forbidden();
      const person = await userRepository.byId(trx, userId);
      // Someone who does not exist and someone who may not read the order look the same to the caller.
      if (!person || person.status !== 'active' || !grantsHold(await userRepository.grantsOf(trx, [person.id]), 'ticket:read', t.unit_path)) {
        throw invalid('userId', ctx.lang === 'zh' ? '须为能查看本工单的在职员工' : 'must be an active person who may read this work order');
      }
    }
    if (!(await repo.has(trx, id, userId))) {
      if ((await repo.count(trx, id)) >= MAX_WATCHERS) throw new AppError('WATCHER_LIMIT', 409);
      await repo.add(trx, { ticket_id: id, user_id: userId, added_by: me, created_at: iso(ctx.clock.now()) });
      await recordAudit(trx, ctx, { action: 'ticket.watch', entityType: 'ticket', entityId: id, orgUnitId: t.org_unit_id, after: { watcherId: userId } });
    }
    return watchersOf(trx, id);
  });
}

/** Anyone who can read the order may stop watching it; removing someone else needs ticket:assign over it. */
export async function removeWatcher(ctx: Ctx, id: string, userId: string): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    const t = await readable(trx, ctx, id);
    if (userId !== ctx.actor.userId && !holdsIn(ctx.actor, 'ticket:assign', t.unit_path)) throw forbidden();
    if (!(await repo.remove(trx, id, userId))) throw notFound();
    await recordAudit(trx, ctx, { action: 'ticket.unwatch', entityType: 'ticket', entityId: id, orgUnitId: t.org_unit_id, before: { watcherId: userId } });
  });
}

const excerpt = (s: string, n = 80) => (s.length > n ? `${s.slice(0, n)}…` : s);
type Happening = { kind: 'reply'; body: string } | { kind: 'status'; to: TicketStatus };

export const watchText = (a: { actor: string; number: string; subject: string }, h: Happening, lang: Lang) =>
  h.kind === 'reply'
    ? lang === 'zh'
      ? `${a.actor} 回复了你关注的工单 ${a.number}「${a.subject}」：${excerpt(h.body)}`
      : `${a.actor} replied on ${a.number} "${a.subject}", which you watch: ${excerpt(h.body)}`
    : lang === 'zh'
      ? `你关注的工单 ${a.number}「${a.subject}」状态变为「${statusLabels[h.to].zh}」（${a.actor}）`
      : `${a.number} "${a.subject}", which you watch, is now ${statusLabels[h.to].en} (${a.actor})`;

/**
 * Tells the watchers of an order (except whoever did it, and anyone who can no longer read it) of a
 * public reply or a status change, in the caller's transaction.
 */
export async function notifyWatchers(trx: Tx, ctx: Ctx, t: { id: string; number: string; subject: string; unit_path: string }, h: Happening): Promise<void> {
  const ids = (await repo.list(trx, t.id)).map((w) => w.user_id).filter((u) => u !== ctx.actor.userId);
  if (ids.length === 0) return;
  const grants = await userRepository.grantsOf(trx, ids);
  const readers = ids.filter((u) => grantsHold(grants.filter((g) => g.user_id === u), 'ticket:read', t.unit_path));
  await notify(trx, ctx, { userIds: readers, ticketId: t.id, kind: 'watched', text: (lang) => watchText({ actor: ctx.actor.displayName, number: t.number, subject: t.subject }, h, lang) });
}
