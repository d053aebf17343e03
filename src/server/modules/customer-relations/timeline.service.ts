import type { z } from 'zod';
import type { TimelineItem, timelineQuery } from '../../../contracts/customer-contacts.ts';
import { scopePaths } from '../../platform/actor.ts';
import type { Ctx } from '../../platform/context.ts';
import { holdsNear } from '../customers/customer.scope.ts';
import { decodeCursor, encodeCursor } from '../tickets/cursor.ts';
import { standing } from './file.access.ts';
import { timelineRepository as repo, type Before } from './timeline.repository.ts';

/**
 * The customer's timeline 时间线: work orders (registered, status changes, closed), callbacks 回访, care
 * tasks (generated, done), notes 跟进记录, changes to the file and its readings 借阅, newest first. One
 * query per source, each limited to a page, merged by (at, key). What the caller may not see is left
 * out: work orders outside their work-order scope, the notes while that section is protected and not
 * opened, the readings unless they may read the reading log (customer:manage or audit:read over the file).
 * File changes show the action and the fields changed, with values only for the classification.
 */

/** Classification fields whose values the timeline shows (none of them personal or protected). */
const classification = ['tier', 'vip', 'category', 'memberLevel', 'confidentiality', 'tags'];

const blank = { actorName: null, ticket: null, from: null, to: null, text: null, satisfaction: null, solved: null, action: null, fields: [], changes: [], sections: [] };
const parse = <T>(s: string | null): T | null => {
  if (!s) return null;
  try {
    return JSON.parse(s) as T;
  } catch {
    return null;
  }
};

export async function customerTimeline(ctx: Ctx, customerId: string, q: z.infer<typeof timelineQuery>): Promise<{ items: TimelineItem[]; nextCursor: string | null }> {
  const db = ctx.db;
  const s = await standing(db, ctx, customerId, 'customer:read', q.reading);
  const b: Before = q.cursor ? decodeCursor(q.cursor, ['string', 'string'] as const, ctx.lang) : undefined;
  const n = q.limit + 1;
  const paths = scopePaths(ctx.actor, 'ticket:read');
  const path = s.file.unit_path;
  const showNotes = !s.restricted.includes('notes');
  const showReadings = holdsNear(ctx.actor, 'customer:manage', path) || holdsNear(ctx.actor, 'audit:read', path);

  const [events, callbacks, generated, done, notes, changes, readings] = await Promise.all([
    paths.length > 0 ? repo.ticketEvents(db, customerId, paths, b, n) : [],
    paths.length > 0 ? repo.callbacks(db, customerId, paths, b, n) : [],
    repo.careGenerated(db, customerId, b, n),
    repo.careDone(db, customerId, b, n),
    showNotes ? repo.notes(db, customerId, b, n) : [],
    repo.fileChanges(db, customerId, b, n),
    showReadings ? repo.readings(db, customerId, b, n) : [],
  ]);

  const items: TimelineItem[] = [];
  for (const e of events) {
    const data = parse<{ from?: string; to?: string; reason?: string }>(e.data) ?? {};
    const kind = e.kind === 'created' ? 'ticket.created' : data.to === 'closed' ? 'ticket.closed' : 'ticket.status';
    items.push({
      ...blank,
      key: e.key,
      at: e.at,
      kind,
      actorName: e.actor_name,
      ticket: { id: e.ticket_id, number: e.number, subject: e.subject },
      from: e.kind === 'status' ? (data.from ?? null) : null,
      to: e.kind === 'status' ? (data.to ?? null) : null,
      text: data.reason ?? null,
    });
  }
  for (const c of callbacks) {
    const o = parse<{ satisfaction?: number; solved?: boolean; comment?: string }>(c.outcome) ?? {};
    items.push({
      ...blank,
      key: c.key,
      at: c.at!,
      kind: 'callback',
      actorName: c.actor_name,
      ticket: { id: c.ticket_id, number: c.number, subject: c.subject },
      to: c.status,
      text: typeof o.comment === 'string' && o.comment ? o.comment : null,
      satisfaction: typeof o.satisfaction === 'number' ? o.satisfaction : null,
      solved: typeof o.solved === 'boolean' ? o.solved : null,
    });
  }
  for (const g of generated) {
    items.push({ ...blank, key: g.key, at: g.at, kind: 'care.generated', action: g.occasion, from: g.channel, to: 'pending', text: g.message });
  }
  for (const d of done) {
    items.push({ ...blank, key: d.key, at: d.at!, kind: 'care.done', actorName: d.actor_name, action: d.occasion, from: d.channel, to: d.status, text: d.message });
  }
  for (const x of notes) {
    items.push({ ...blank, key: x.key, at: x.at, kind: 'note', actorName: x.author_name, text: x.body });
  }
  for (const a of changes) {
    const ch = parse<Record<string, { from?: unknown; to?: unknown }>>(a.changes) ?? {};
    const update = a.action !== 'customer.create';
    items.push({
      ...blank,
      key: a.key,
      at: a.at,
      kind: 'file',
      actorName: a.actor_name,
      action: a.action,
      fields: update ? Object.keys(ch) : [],
      changes: classification.filter((f) => f in ch && (update || ch[f].to !== undefined)).map((f) => ({ field: f, from: ch[f].from ?? null, to: ch[f].to ?? null })),
    });
  }
  for (const r of readings) {
    items.push({ ...blank, key: r.key, at: r.at, kind: 'reading', actorName: r.user_name, text: r.reason, sections: parse<string[]>(r.sections) ?? [] });
  }

  items.sort((x, y) => (x.at === y.at ? (x.key < y.key ? 1 : x.key > y.key ? -1 : 0) : x.at < y.at ? 1 : -1));
  const page = items.slice(0, q.limit);
  const last = page.at(-1);
  return { items: page, nextCursor: items.length > q.limit && last ? encodeCursor([last.at, last.key]) : null };
}
