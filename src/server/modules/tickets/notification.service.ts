import type { z } from 'zod';
import type { Lang } from '../../../contracts/errors.ts';
import type { Notification, notificationQuery } from '../../../contracts/tickets.ts';
import type { Tx } from '../../../db/database.ts';
import { iso } from '../../platform/clock.ts';
import type { Ctx } from '../../platform/context.ts';
import { notFound } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { planDelivery } from '../notifications/delivery.service.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';
import { notificationRepository as repo, type NotificationRow } from './notification.repository.ts';

export type NotificationKind = 'mention' | 'assigned' | 'escalation' | 'transfer_answered' | 'compensation' | 'watched' | 'sla';
interface About {
  actor: string;
  number: string;
  subject: string;
}

const excerpt = (s: string, n = 80) => (s.length > n ? `${s.slice(0, n)}…` : s);

/** Notification texts, plain text, in both languages: each is stored in both and read in the reader's. */
export const notificationText = {
  mention: (a: About & { body: string }, lang: Lang) =>
    lang === 'zh' ? `${a.actor} 在工单 ${a.number}「${a.subject}」的备注中提到了你：${excerpt(a.body)}` : `${a.actor} mentioned you on ${a.number} "${a.subject}": ${excerpt(a.body)}`,
  assigned: (a: About, lang: Lang) => (lang === 'zh' ? `${a.actor} 把工单 ${a.number}「${a.subject}」分派给了你` : `${a.actor} assigned ${a.number} "${a.subject}" to you`),
  escalation: (a: About & { satisfaction: number; solved: boolean }, lang: Lang) =>
    lang === 'zh'
      ? `工单 ${a.number}「${a.subject}」回访不满意（满意度 ${a.satisfaction}/5${a.solved ? '' : '，问题未解决'}），已重新打开并升级给你`
      : `${a.number} "${a.subject}": the customer was dissatisfied at the callback (${a.satisfaction}/5${a.solved ? '' : ', not solved'}); reopened and escalated to you`,
  escalated: (a: About & { level: string; reason: string }, lang: Lang) =>
    lang === 'zh'
      ? `${a.actor} 把工单 ${a.number}「${a.subject}」升级给${a.level}：${excerpt(a.reason)}`
      : `${a.actor} escalated ${a.number} "${a.subject}" to the ${a.level}: ${excerpt(a.reason)}`,
  transferAnswered: (a: About & { department: string; answer: string }, lang: Lang) =>
    lang === 'zh'
      ? `${a.department}已回复工单 ${a.number}「${a.subject}」的转派：${excerpt(a.answer)}`
      : `${a.department} answered the transfer of ${a.number} "${a.subject}": ${excerpt(a.answer)}`,
};

/** Texts are kept in both languages (zh␟en) and read in the reader's. */
export function toNotification(r: NotificationRow, lang: Lang): Notification {
  const [zh, en] = r.text.split('\u001f');
  return { id: r.id, ticketId: r.ticket_id, kind: r.kind, text: lang === 'en' && en ? en : zh, createdAt: r.created_at, readAt: r.read_at };
}

/** Writes notifications in the caller's transaction: they exist exactly when the change that caused them does. */
export async function notify(trx: Tx, ctx: Ctx, n: { userIds: string[]; ticketId: string | null; kind: NotificationKind; text: (lang: Lang) => string }): Promise<void> {
  const at = iso(ctx.clock.now());
  const text = `${n.text('zh')}\u001f${n.text('en')}`;
  // Each recipient's preferences decide the bell and the e-mail (outbox + job, same transaction).
  const { inApp } = await planDelivery(trx, ctx, { ...n, at });
  await repo.insertMany(
    trx,
    inApp.map((userId) => ({ id: newId(), user_id: userId, ticket_id: n.ticketId, kind: n.kind, text, created_at: at, read_at: null })),
  );
}

export async function listNotifications(ctx: Ctx, q: z.infer<typeof notificationQuery>): Promise<{ items: Notification[]; nextCursor: string | null }> {
  if (!ctx.actor.userId) return { items: [], nextCursor: null };
  const rows = await repo.listForUser(ctx.db, ctx.actor.userId, {
    unread: q.unread === undefined ? undefined : q.unread === 'true',
    after: q.cursor ? decodeCursor(q.cursor, ['string', 'string'] as const, ctx.lang) : undefined,
    limit: q.limit + 1,
  });
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  return { items: page.map((r) => toNotification(r, ctx.lang)), nextCursor: rows.length > q.limit && last ? encodeCursor([last.created_at, last.id]) : null };
}

/** Marks one of the caller's own notifications read; anybody else's does not exist for them. */
export async function readNotification(ctx: Ctx, id: string): Promise<Notification> {
  if (!ctx.actor.userId) throw notFound();
  const userId = ctx.actor.userId;
  return ctx.db.transaction().execute(async (trx) => {
    if (!(await repo.byIdForUser(trx, id, userId))) throw notFound();
    await repo.markRead(trx, id, userId, iso(ctx.clock.now()));
    return toNotification((await repo.byIdForUser(trx, id, userId))!, ctx.lang);
  });
}
