import type { z } from 'zod';
import { EVENT_INVITEES_MAX, seatReplies, type customerEvent, type customerEventCreate, type customerEventDetail, type customerEventQuery, type customerEventUpdate, type eventInvite, type eventInvited, type eventInvitee, type inviteReply } from '../../../contracts/outreach.ts';
import type { Tx } from '../../../db/database.ts';
import { iso } from '../../platform/clock.ts';
import type { Ctx } from '../../platform/context.ts';
import { holdsIn } from '../../platform/actor.ts';
import { AppError, forbidden, notFound, versionConflict } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { careRepository } from '../care/care.repository.ts';
import { customerRepository } from '../customers/customer.repository.ts';
import { holdsNear, nearScope } from '../customers/customer.scope.ts';
import { pokeJobRunners } from '../jobs/jobs.ts';
import { orgUnitRepository } from '../org/org-unit.repository.ts';
import { eventRepository as repo, type CustomerEventView, type InviteeView } from './event.repository.ts';
import { queueCustomerMessage } from './outreach.service.ts';
import { chineseInstant, DEFAULT_INVITATION, EVENT_KIND_NAMES, honorific, renderTemplate } from './outreach.template.ts';

type Event = z.infer<typeof customerEvent>;
type Invitee = z.infer<typeof eventInvitee>;
type Counts = Event['counts'];

const scopeOf = (ctx: Ctx) => nearScope(ctx.actor, 'customer:manage');
const isSeat = (reply: string) => (seatReplies as readonly string[]).includes(reply);
const emptyCounts = (): Counts => ({ pending: 0, accepted: 0, declined: 0, no_answer: 0, attended: 0, total: 0 });

async function countsOf(db: Tx, ids: string[]): Promise<Map<string, Counts>> {
  const out = new Map<string, Counts>(ids.map((id) => [id, emptyCounts()]));
  for (const r of await repo.counts(db, ids)) {
    const c = out.get(r.event_id)!;
    if (r.reply in c) c[r.reply as keyof Counts] += r.n;
    c.total += r.n;
  }
  return out;
}

function toEvent(e: CustomerEventView, counts: Counts): Event {
  return {
    id: e.id,
    orgUnitId: e.org_unit_id,
    orgUnitName: e.unit_name,
    title: e.title,
    kind: e.kind as Event['kind'],
    startsAt: e.starts_at,
    endsAt: e.ends_at,
    place: e.place,
    capacity: Number(e.capacity),
    description: e.description,
    counts,
    version: Number(e.version),
    createdAt: e.created_at,
  };
}

function toInvitee(i: InviteeView): Invitee {
  return {
    id: i.id,
    customerId: i.customer_id,
    customerName: i.customer_name,
    tier: i.tier,
    reply: i.reply as Invitee['reply'],
    note: i.note,
    messageId: i.message_id,
    messageStatus: i.message_status,
    invitedAt: i.invited_at,
    repliedAt: i.replied_at,
    version: Number(i.version),
  };
}

/** The event in the caller's customer:manage scope (404); changing it needs the permission over its unit's customers (403). */
async function load(db: Tx, ctx: Ctx, id: string, change: boolean): Promise<CustomerEventView> {
  const e = await repo.inScope(db, id, scopeOf(ctx));
  if (!e) throw notFound();
  if (change && !holdsNear(ctx.actor, 'customer:manage', e.unit_path)) throw forbidden();
  return e;
}

async function detail(db: Tx, e: CustomerEventView): Promise<z.infer<typeof customerEventDetail>> {
  const counts = (await countsOf(db, [e.id])).get(e.id)!;
  return { ...toEvent(e, counts), invitees: (await repo.invitees(db, e.id, EVENT_INVITEES_MAX)).map(toInvitee) };
}

const audited = (e: { title: string; kind: string; startsAt: string; endsAt: string; place: string; capacity: number; description: string }) => ({
  title: e.title,
  kind: e.kind,
  startsAt: e.startsAt,
  endsAt: e.endsAt,
  place: e.place,
  capacity: e.capacity,
  description: e.description,
});

export async function listCustomerEvents(ctx: Ctx, q: z.infer<typeof customerEventQuery>): Promise<Event[]> {
  const rows = await repo.list(ctx.db, { scope: scopeOf(ctx), from: q.from, to: q.to, limit: q.limit });
  const counts = await countsOf(ctx.db, rows.map((r) => r.id));
  return rows.map((r) => toEvent(r, counts.get(r.id)!));
}

export async function getCustomerEvent(ctx: Ctx, id: string): Promise<z.infer<typeof customerEventDetail>> {
  return detail(ctx.db, await load(ctx.db, ctx, id, false));
}

export async function createCustomerEvent(ctx: Ctx, input: z.infer<typeof customerEventCreate>): Promise<z.infer<typeof customerEventDetail>> {
  return ctx.db.transaction().execute(async (trx) => {
    const unit = await orgUnitRepository.byId(trx, input.orgUnitId);
    if (!unit || !holdsNear(ctx.actor, 'customer:manage', unit.path)) throw notFound();
    if (!holdsIn(ctx.actor, 'customer:manage', unit.path)) throw forbidden();
    const now = ctx.clock.now();
    const at = iso(now);
    const id = newId(now.getTime());
    await repo.insert(trx, {
      id,
      org_unit_id: unit.id,
      title: input.title,
      kind: input.kind,
      starts_at: input.startsAt,
      ends_at: input.endsAt,
      place: input.place,
      capacity: input.capacity,
      description: input.description,
      created_by: ctx.actor.userId,
      created_at: at,
      updated_at: at,
      version: 1,
    });
    await recordAudit(trx, ctx, { action: 'customer_event.create', entityType: 'customer_event', entityId: id, orgUnitId: unit.id, before: null, after: audited(input) });
    return detail(trx, (await repo.inScope(trx, id, { under: ['/'], above: [] }))!);
  });
}

export async function updateCustomerEvent(ctx: Ctx, id: string, input: z.infer<typeof customerEventUpdate>): Promise<z.infer<typeof customerEventDetail>> {
  return ctx.db.transaction().execute(async (trx) => {
    const e = await load(trx, ctx, id, true);
    if (Number(e.version) !== input.version) throw versionConflict();
    await repo.lock(trx, id);
    if (input.capacity < (await repo.seats(trx, id))) throw new AppError('OUTREACH_CAPACITY_BELOW_SEATS', 422);
    const at = iso(ctx.clock.now());
    const ok = await repo.update(trx, id, input.version, {
      title: input.title,
      kind: input.kind,
      starts_at: input.startsAt,
      ends_at: input.endsAt,
      place: input.place,
      capacity: input.capacity,
      description: input.description,
      updated_at: at,
    });
    if (!ok) throw versionConflict();
    const before = toEvent(e, emptyCounts());
    await recordAudit(trx, ctx, { action: 'customer_event.update', entityType: 'customer_event', entityId: id, orgUnitId: e.org_unit_id, before: audited(before), after: audited(input) });
    return detail(trx, (await repo.inScope(trx, id, { under: ['/'], above: [] }))!);
  });
}

/** Deletes the event and its invitation list; messages already queued stay in the outbox. */
export async function deleteCustomerEvent(ctx: Ctx, id: string): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    const e = await load(trx, ctx, id, true);
    await repo.delete(trx, id);
    await recordAudit(trx, ctx, { action: 'customer_event.delete', entityType: 'customer_event', entityId: id, orgUnitId: e.org_unit_id, before: audited(toEvent(e, emptyCounts())), after: null });
  });
}

/**
 * Invites customers of the event's unit (at or below it) that the caller may manage: the chosen ones
 * (any outside → 404, nothing invited) and/or a segment chosen as care rules choose theirs. A customer
 * already invited is skipped. Each new invitee gets the invitation through the outbox on the channel;
 * one without the channel's contact is invited without a message (listed in `noContact`).
 */
export async function inviteToEvent(ctx: Ctx, id: string, input: z.infer<typeof eventInvite>): Promise<z.infer<typeof eventInvited>> {
  const out = await ctx.db.transaction().execute(async (trx) => {
    const e = await load(trx, ctx, id, true);
    // One invitation run per event at a time (the unique invitee key would refuse a concurrent one).
    await repo.lock(trx, id);
    const scope = scopeOf(ctx);
    const chosen: { id: string; name: string; gender: string | null }[] = [];
    const missing: string[] = [];
    for (const cid of [...new Set(input.customerIds)]) {
      const c = await customerRepository.byIdInScope(trx, cid, scope);
      if (!c || !c.unit_path.startsWith(e.unit_path)) missing.push(cid);
      else chosen.push({ id: c.id, name: c.name, gender: c.gender });
    }
    if (missing.length > 0) throw new AppError('NOT_FOUND', 404, { extensions: { refused: missing } });
    if (input.segment) {
      const seg = await careRepository.segment(trx, e.unit_path, input.segment, scope);
      for (const c of seg) chosen.push({ id: c.id, name: c.name, gender: null });
    }
    const already = new Set(await repo.invitedCustomerIds(trx, id));
    const fresh = [...new Map(chosen.filter((c) => !already.has(c.id)).map((c) => [c.id, c])).values()];
    if (already.size + fresh.length > EVENT_INVITEES_MAX) throw new AppError('OUTREACH_EVENT_INVITEES_LIMIT', 422);
    const now = ctx.clock.now();
    const at = iso(now);
    const vars = { event: e.title, kind: EVENT_KIND_NAMES[e.kind] ?? '活动', start: chineseInstant(e.starts_at, e.unit_time_zone || 'Asia/Shanghai'), place: e.place };
    const template = input.template || DEFAULT_INVITATION;
    const noContact: string[] = [];
    let queued = 0;
    for (const c of fresh) {
      const inviteeId = newId(now.getTime());
      let messageId: string | null = null;
      if (input.channel !== 'none') {
        const gender = c.gender ?? (await customerRepository.byId(trx, c.id))?.gender ?? null;
        const body = renderTemplate(template, { ...vars, name: c.name, title: honorific(gender) });
        try {
          messageId = await queueCustomerMessage(trx, ctx, { customerId: c.id, channel: input.channel, subject: `邀请函：${e.title}`, body, source: { kind: 'event_invitation', id: inviteeId } });
          queued++;
        } catch (err) {
          if (!(err instanceof AppError) || err.code !== 'OUTREACH_NO_CONTACT') throw err;
          noContact.push(c.id);
        }
      }
      await repo.insertInvitee(trx, { id: inviteeId, event_id: id, customer_id: c.id, reply: 'pending', note: null, message_id: messageId, invited_by: ctx.actor.userId, invited_at: at, replied_by: null, replied_at: null, version: 1 });
    }
    await recordAudit(trx, ctx, {
      action: 'customer_event.invite',
      entityType: 'customer_event',
      entityId: id,
      orgUnitId: e.org_unit_id,
      before: null,
      after: { customerIds: fresh.map((c) => c.id), channel: input.channel, queued },
    });
    return { added: fresh.length, existing: chosen.length - fresh.length, queued, noContact };
  });
  pokeJobRunners();
  return out;
}

/**
 * Records a reply (staff): accepted / declined / no answer / attended, or back to pending. Moving into
 * a seat (accepted, attended) from elsewhere is refused when the seats are all taken (409
 * OUTREACH_EVENT_FULL); the event's row is locked so two replies cannot both take the last seat.
 */
export async function replyToInvitation(ctx: Ctx, id: string, inviteeId: string, input: z.infer<typeof inviteReply>): Promise<Invitee> {
  return ctx.db.transaction().execute(async (trx) => {
    const e = await load(trx, ctx, id, true);
    await repo.lock(trx, id);
    const i = await repo.invitee(trx, id, inviteeId);
    if (!i) throw notFound();
    if (Number(i.version) !== input.version) throw versionConflict();
    if (isSeat(input.reply) && !isSeat(i.reply) && (await repo.seats(trx, id)) >= Number(e.capacity)) {
      throw new AppError('OUTREACH_EVENT_FULL', 409, { extensions: { capacity: Number(e.capacity) } });
    }
    const at = iso(ctx.clock.now());
    const note = input.note === undefined ? i.note : input.note || null;
    if (!(await repo.updateInvitee(trx, inviteeId, input.version, { reply: input.reply, note, replied_by: ctx.actor.userId, replied_at: input.reply === 'pending' ? null : at }))) throw versionConflict();
    await recordAudit(trx, ctx, {
      action: 'customer_event.reply',
      entityType: 'customer_event',
      entityId: id,
      orgUnitId: e.org_unit_id,
      before: { customerId: i.customer_id, reply: i.reply, note: i.note },
      after: { customerId: i.customer_id, reply: input.reply, note },
      personal: { subjectType: 'customer', subjectId: i.customer_id, fields: ['note'] },
    });
    return toInvitee((await repo.invitee(trx, id, inviteeId))!);
  });
}
