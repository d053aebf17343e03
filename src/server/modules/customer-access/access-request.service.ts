import type { z } from 'zod';
import type { AccessRequest, accessDecision, accessReject, accessRequestCreate, accessRequestQuery } from '../../../contracts/customer-access.ts';
import { levelPermission, type ProtectedSection } from '../../../contracts/customers.ts';
import { holdsIn, scopePaths, type Actor } from '../../platform/actor.ts';
import { iso } from '../../platform/clock.ts';
import type { Ctx } from '../../platform/context.ts';
import type { Tx } from '../../../db/database.ts';
import { AppError, forbidden, notFound, versionConflict } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { customerRepository } from '../customers/customer.repository.ts';
import { dayIn, effectiveLevel } from '../customers/customer.mask.ts';
import { holdsNear, nearScope } from '../customers/customer.scope.ts';
import { decodeCursor, encodeCursor } from '../tickets/cursor.ts';
import { userRepository } from '../users/user.repository.ts';
import { accessRequestRepository as repo, type AccessAudience, type AccessRequestRow, type AccessRequestView } from './access-request.repository.ts';

/**
 * Access requests 申请查阅 (see contracts/customer-access.ts). Two approvals by two different people: the
 * requester's manager (user:manage over the requester's unit) and the service department (customer:manage
 * over the file's company). The grant in force is read by openCustomerFile (customer-file.service.ts).
 */
const DAY_MS = 24 * 60 * 60 * 1000;
const personal = (customerId: string) => ({ subjectType: 'customer', subjectId: customerId, fields: ['reason', 'note'] });

function audience(actor: Actor): AccessAudience {
  return { userId: actor.userId, managerPaths: scopePaths(actor, 'user:manage'), service: nearScope(actor, 'customer:manage') };
}

const mayManager = (actor: Actor, r: AccessRequestView) => holdsIn(actor, 'user:manage', r.requester_unit_path);
const mayService = (actor: Actor, r: AccessRequestView) => holdsNear(actor, 'customer:manage', r.customer_unit_path);

/** The approval the actor may give now: never on their own request, never both approvals by one person. */
function openStep(actor: Actor, r: AccessRequestView): 'manager' | 'service' | null {
  if (r.status !== 'pending' || r.requester_id === actor.userId) return null;
  if (r.manager_id === null && r.service_id !== actor.userId && mayManager(actor, r)) return 'manager';
  if (r.service_id === null && r.manager_id !== actor.userId && mayService(actor, r)) return 'service';
  return null;
}

function toView(r: AccessRequestView, actor: Actor, now: Date): AccessRequest {
  const inForce = r.status === 'approved' && r.expires_at !== null && r.expires_at > iso(now);
  // A requester outside the file's scope learns its name once approved; approvers always see it.
  const seesName = r.requester_id !== actor.userId || r.status === 'approved' || holdsNear(actor, 'customer:read', r.customer_unit_path);
  return {
    id: r.id,
    customerId: r.customer_id,
    customerName: seesName ? r.customer_name : null,
    customerUnitName: r.customer_unit_name,
    requesterId: r.requester_id,
    requesterName: r.requester_name,
    requesterUnitName: r.requester_unit_name,
    sections: JSON.parse(r.sections) as ProtectedSection[],
    reason: r.reason,
    days: Number(r.days),
    status: r.status,
    inForce,
    managerName: r.manager_name,
    managerAt: r.manager_at,
    serviceName: r.service_name,
    serviceAt: r.service_at,
    rejectedByName: r.rejected_by_name,
    rejectedAt: r.rejected_at,
    decisionNote: r.decision_note,
    expiresAt: r.expires_at,
    createdAt: r.created_at,
    version: Number(r.version),
    canApprove: openStep(actor, r),
  };
}

/**
 * Asks for access to a file named by its id (any company: the id is the address, see the contract). Refused
 * with 409 when the caller may open it already, or has a request for it pending.
 */
export async function createAccessRequest(ctx: Ctx, input: z.infer<typeof accessRequestCreate>): Promise<AccessRequest> {
  const userId = ctx.actor.userId;
  if (!userId) throw forbidden();
  return ctx.db.transaction().execute(async (trx) => {
    const file = await customerRepository.byId(trx, input.customerId);
    if (!file) throw notFound();
    const now = ctx.clock.now();
    const level = effectiveLevel(file.confidentiality, file.declassify_on, dayIn(now, file.unit_time_zone || 'Asia/Shanghai'));
    if (holdsNear(ctx.actor, 'customer:read', file.unit_path) && holdsNear(ctx.actor, levelPermission[level], file.unit_path)) {
      throw new AppError('ACCESS_NOT_NEEDED', 409);
    }
    if (await repo.pendingOf(trx, file.id, userId)) throw new AppError('ACCESS_REQUEST_PENDING', 409);
    const me = await userRepository.byId(trx, userId);
    if (!me) throw forbidden();
    const at = iso(now);
    const row: AccessRequestRow = {
      id: newId(),
      customer_id: file.id,
      customer_unit_id: file.org_unit_id,
      requester_id: userId,
      requester_name: ctx.actor.displayName,
      requester_unit_id: me.org_unit_id,
      sections: JSON.stringify(input.sections),
      reason: input.reason,
      days: input.days,
      status: 'pending',
      manager_id: null,
      manager_name: null,
      manager_at: null,
      service_id: null,
      service_name: null,
      service_at: null,
      rejected_by: null,
      rejected_by_name: null,
      rejected_at: null,
      decision_note: null,
      expires_at: null,
      created_at: at,
      updated_at: at,
      version: 1,
    };
    await repo.insert(trx, row);
    await recordAudit(trx, ctx, {
      action: 'customer_access.request',
      entityType: 'customer_access_request',
      entityId: row.id,
      orgUnitId: file.org_unit_id,
      after: { customerId: file.id, sections: input.sections, reason: input.reason, days: input.days },
      personal: personal(file.id),
    });
    return toView((await repo.byIdFor(trx, row.id, audience(ctx.actor)))!, ctx.actor, now);
  });
}

export async function listAccessRequests(ctx: Ctx, q: z.infer<typeof accessRequestQuery>): Promise<{ items: AccessRequest[]; nextCursor: string | null }> {
  const cursor = q.cursor ? decodeCursor(q.cursor, ['string', 'string'] as const, ctx.lang) : undefined;
  const rows =
    q.box === 'mine'
      ? ctx.actor.userId ? await repo.mine(ctx.db, ctx.actor.userId, cursor, q.limit + 1) : []
      : await repo.toApprove(ctx.db, audience(ctx.actor), cursor, q.limit + 1);
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  const now = ctx.clock.now();
  return { items: page.map((r) => toView(r, ctx.actor, now)), nextCursor: rows.length > q.limit && last ? encodeCursor([last.created_at, last.id]) : null };
}

export async function getAccessRequest(ctx: Ctx, id: string): Promise<AccessRequest> {
  const r = await repo.byIdFor(ctx.db, id, audience(ctx.actor));
  if (!r) throw notFound();
  return toView(r, ctx.actor, ctx.clock.now());
}

/** Loads the request (404 outside the audience), lets `act` check and write, and records the audit entry. */
async function decide(ctx: Ctx, id: string, act: (trx: Tx, r: AccessRequestView, now: Date) => Promise<{ action: string; after: Record<string, unknown> }>): Promise<AccessRequest> {
  return ctx.db.transaction().execute(async (trx) => {
    const r = await repo.byIdFor(trx, id, audience(ctx.actor));
    if (!r) throw notFound();
    const now = ctx.clock.now();
    const { action, after } = await act(trx, r, now);
    await recordAudit(trx, ctx, { action, entityType: 'customer_access_request', entityId: id, orgUnitId: r.customer_unit_id, after, personal: personal(r.customer_id) });
    return toView((await repo.byIdFor(trx, id, audience(ctx.actor)))!, ctx.actor, now);
  });
}

/** One of the two approvals; the second puts the grant in force for `days` from now. */
export async function approveAccessRequest(ctx: Ctx, id: string, input: z.infer<typeof accessDecision>): Promise<AccessRequest> {
  return decide(ctx, id, async (trx, r, now) => {
    if (r.status !== 'pending') throw new AppError('ACCESS_REQUEST_DECIDED', 409);
    const step = openStep(ctx.actor, r);
    if (!step) throw forbidden();
    if (r.version !== input.version) throw versionConflict();
    const at = iso(now);
    const patch: Partial<AccessRequestRow> =
      step === 'manager' ? { manager_id: ctx.actor.userId, manager_name: ctx.actor.displayName, manager_at: at } : { service_id: ctx.actor.userId, service_name: ctx.actor.displayName, service_at: at };
    const complete = (step === 'manager' ? r.service_id : r.manager_id) !== null;
    if (complete) {
      patch.status = 'approved';
      patch.expires_at = iso(new Date(now.getTime() + Number(r.days) * DAY_MS));
    }
    if (input.note) patch.decision_note = input.note;
    patch.updated_at = at;
    if (!(await repo.update(trx, r.id, input.version, patch))) throw versionConflict();
    return { action: 'customer_access.approve', after: { step, status: patch.status ?? 'pending', expiresAt: patch.expires_at ?? null, note: input.note ?? null } };
  });
}

/** Either approver rejects (with a reason) while the request is pending. */
export async function rejectAccessRequest(ctx: Ctx, id: string, input: z.infer<typeof accessReject>): Promise<AccessRequest> {
  return decide(ctx, id, async (trx, r, now) => {
    if (r.status !== 'pending') throw new AppError('ACCESS_REQUEST_DECIDED', 409);
    if (r.requester_id === ctx.actor.userId || !(mayManager(ctx.actor, r) || mayService(ctx.actor, r))) throw forbidden();
    if (r.version !== input.version) throw versionConflict();
    const at = iso(now);
    const ok = await repo.update(trx, r.id, input.version, {
      status: 'rejected',
      rejected_by: ctx.actor.userId,
      rejected_by_name: ctx.actor.displayName,
      rejected_at: at,
      decision_note: input.note,
      updated_at: at,
    });
    if (!ok) throw versionConflict();
    return { action: 'customer_access.reject', after: { status: 'rejected', note: input.note } };
  });
}

/** The requester withdraws a pending request. */
export async function withdrawAccessRequest(ctx: Ctx, id: string, input: z.infer<typeof accessDecision>): Promise<AccessRequest> {
  return decide(ctx, id, async (trx, r, now) => {
    if (r.requester_id !== ctx.actor.userId) throw forbidden();
    if (r.status !== 'pending') throw new AppError('ACCESS_REQUEST_DECIDED', 409);
    if (r.version !== input.version) throw versionConflict();
    if (!(await repo.update(trx, r.id, input.version, { status: 'withdrawn', updated_at: iso(now) }))) throw versionConflict();
    return { action: 'customer_access.withdraw', after: { status: 'withdrawn' } };
  });
}
