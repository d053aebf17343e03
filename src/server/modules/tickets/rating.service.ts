import type { z } from 'zod';
import type { PublicRating, RatingLinkInfo, RatingLinkIssued, publicRatingSubmit } from '../../../contracts/merge.ts';
import type { Tx } from '../../../db/database.ts';
import type { TicketRow } from './ticket.repository.ts';
import { scopePaths, systemActor } from '../../platform/actor.ts';
import { iso } from '../../platform/clock.ts';
import type { Ctx } from '../../platform/context.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { newId, newSecret, sha256 } from '../../platform/ids.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { callbackRepository } from './callback.repository.ts';
import { recordCallbackOutcome } from './callback.service.ts';
import { companyOf, unitChain } from './org-chain.ts';
import { ratingRepository as repo, type RatingLinkView } from './rating.repository.ts';

/**
 * The customer's rating link (满意度评价链接) for work orders that came by e-mail or the web form,
 * where there is nobody to call back by phone. The token (256 random bits, base64url) is kept only
 * as its SHA-256, like API tokens: a copy of the database opens no link. The raw token exists in
 * exactly one answer — the one that issued it — so staff who need to send a link issue a new one
 * (`POST /callbacks/:id/rating-link`), which revokes the older ones. A link expires after 14 days,
 * serves once, and dies with its callback (done by phone, cancelled by a reopen, a close or a merge).
 */
export const RATING_LINK_DAYS = 14;
const DAY = 86_400_000;
export const RATING_CHANNELS: readonly TicketRow['channel'][] = ['email', 'web'];
/** Who the timeline and the audit trail name when a customer rates through a link. */
export const RATING_ACTOR = '客户（评价链接）';

export const ratingPath = (token: string) => `/rate/${token}`;

async function insertLink(trx: Tx, ctx: Ctx, callbackId: string, ticketId: string, now: Date): Promise<{ token: string; row: { id: string; expires_at: string; created_at: string } }> {
  const token = newSecret(32);
  const row = {
    id: newId(now.getTime()),
    callback_id: callbackId,
    ticket_id: ticketId,
    token_hash: sha256(token),
    expires_at: iso(new Date(now.getTime() + RATING_LINK_DAYS * DAY)),
    used_at: null,
    revoked_at: null,
    created_by: ctx.actor.userId,
    created_at: iso(now),
  };
  await repo.insert(trx, row);
  return { token, row };
}

/**
 * Called where a callback task is created (resolving, in moveStatus): orders that came by e-mail or
 * the web get a rating link. Returns the raw token, which a sender of e-mail would hand on; nothing
 * keeps it.
 */
export async function createRatingLinkFor(trx: Tx, ctx: Ctx, t: Pick<TicketRow, 'id' | 'channel'>, callbackId: string, now: Date): Promise<string | null> {
  if (!RATING_CHANNELS.includes(t.channel)) return null;
  return (await insertLink(trx, ctx, callbackId, t.id, now)).token;
}

function stateOf(l: RatingLinkView, now: string): 'open' | 'rated' | 'expired' {
  if (l.used_at || l.callback_status === 'done') return 'rated';
  if (l.revoked_at || l.expires_at <= now || l.callback_status !== 'pending') return 'expired';
  return 'open';
}

function info(callbackId: string, l: RatingLinkView | undefined, now: string): RatingLinkInfo {
  return {
    callbackId,
    exists: !!l,
    state: l ? stateOf(l, now) : null,
    expiresAt: l?.expires_at ?? null,
    usedAt: l?.used_at ?? null,
    createdAt: l?.created_at ?? null,
  };
}

async function loadCallback(trx: Tx, ctx: Ctx, callbackId: string) {
  const cb = await callbackRepository.byIdInScope(trx, callbackId, scopePaths(ctx.actor, 'callback:perform'));
  if (!cb) throw notFound();
  return cb;
}

/** `GET /callbacks/:id/rating-link`: whether the callback has a link and its state (never the token). */
export async function ratingLinkOf(ctx: Ctx, callbackId: string): Promise<RatingLinkInfo> {
  await loadCallback(ctx.db, ctx, callbackId);
  return info(callbackId, await repo.latestOf(ctx.db, callbackId), iso(ctx.clock.now()));
}

/** `POST /callbacks/:id/rating-link`: a new link for a pending callback; older ones stop working. The token is shown once. */
export async function issueRatingLink(ctx: Ctx, callbackId: string): Promise<RatingLinkIssued> {
  return ctx.db.transaction().execute(async (trx) => {
    const cb = await loadCallback(trx, ctx, callbackId);
    if (cb.status !== 'pending') throw new AppError('CALLBACK_FINISHED', 409);
    const now = ctx.clock.now();
    await repo.revokeActive(trx, callbackId, iso(now));
    const { token, row } = await insertLink(trx, ctx, callbackId, cb.ticket_id, now);
    await recordAudit(trx, ctx, { action: 'rating_link.issue', entityType: 'callback', entityId: callbackId, orgUnitId: cb.org_unit_id, after: { ratingLinkId: row.id, expiresAt: row.expires_at } });
    return { ...info(callbackId, await repo.latestOf(trx, callbackId), iso(now)), token, path: ratingPath(token) };
  });
}

async function publicView(trx: Tx, l: RatingLinkView, now: string): Promise<PublicRating> {
  const company = companyOf(await unitChain(trx, l.unit_path));
  return { number: l.ticket_number, subject: l.ticket_subject, companyName: company.name, state: stateOf(l, now) };
}

/** `GET /public/ratings/:token`: what the customer may see — the order's number and subject, the company, the state. */
export async function publicRatingView(ctx: Ctx, token: string): Promise<PublicRating> {
  const l = await repo.byHash(ctx.db, sha256(token));
  if (!l) throw notFound();
  return publicView(ctx.db, l, iso(ctx.clock.now()));
}

/**
 * `POST /public/ratings/:token`: the customer's answer, recorded through the same rules as a
 * callback made by phone (recordCallbackOutcome): satisfied and solved closes the order; unsolved
 * or satisfaction ≤ 2 reopens it and notifies the supervisors. The actor is the system, named as
 * the customer through the link. Used, expired or unknown links change nothing.
 */
export async function submitPublicRating(ctx: Ctx, token: string, input: z.infer<typeof publicRatingSubmit>): Promise<PublicRating> {
  return ctx.db.transaction().execute(async (trx) => {
    const l = await repo.byHash(trx, sha256(token));
    if (!l) throw notFound();
    const at = iso(ctx.clock.now());
    const state = stateOf(l, at);
    if (state === 'rated') throw new AppError('RATING_LINK_USED', 410);
    if (state === 'expired') throw new AppError('RATING_LINK_EXPIRED', 410);
    if (!(await repo.markUsed(trx, l.id, at))) throw new AppError('RATING_LINK_USED', 410);
    const customer: Ctx = { ...ctx, actor: systemActor(RATING_ACTOR) };
    await recordCallbackOutcome(trx, customer, l.callback_id, input, { via: 'rating_link' });
    await recordAudit(trx, customer, { action: 'rating_link.use', entityType: 'callback', entityId: l.callback_id, orgUnitId: (await callbackRepository.byIdInScope(trx, l.callback_id, ['/']))!.org_unit_id, after: { ratingLinkId: l.id } });
    return publicView(trx, { ...l, used_at: at, callback_status: 'done' }, at);
  });
}
