import type { z } from 'zod';
import { destroyedName, stepPermission, type Destruction, type DestructionStep, type destructionCreate, type destructionDecision, type destructionQuery } from '../../../contracts/destruction.ts';
import type { Tx } from '../../../db/database.ts';
import { holdsAnywhere } from '../../platform/actor.ts';
import { iso } from '../../platform/clock.ts';
import type { Ctx } from '../../platform/context.ts';
import { AppError, forbidden, notFound, versionConflict } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { eraseAuditSubject, recordAudit } from '../audit/audit.service.ts';
import { runCustomerErasers } from '../customers/customer.erasure.ts';
import type { NearScope } from '../customers/customer.repository.ts';
import { customerRepository, emptyFileFields, type CustomerRow } from '../customers/customer.repository.ts';
import { holdsNear, nearScope } from '../customers/customer.scope.ts';
import { destructionRepository as repo, type DestructionStepRow, type DestructionView } from './destruction.repository.ts';

/**
 * Destruction 销毁 of customer files (issue #5 §5). A records officer (customer:destruction_review over
 * the file) marks a whole file with a reason; then three approvals in order, each by a different person
 * holding that step's permission over the file (stepPermission: 客户信息主管 → 客服部经理 → 总经理).
 * A rejection ends the request and leaves the file as it was. The last approval, in the same
 * transaction, erases the personal data for good: the customers row becomes a tombstone, every
 * registered eraser runs (identifiers, work-order copies, care tasks, other modules' rows), the
 * customer's audit key is destroyed (personal values in earlier entries become unreadable; the chain
 * is untouched) and a `customer.destroy` entry records the fact without the data.
 */

const stepsOrder = [1, 2, 3] as const satisfies readonly DestructionStep[];
const permanent = () => new AppError('CUSTOMER_PERMANENT', 409);
const destroyed = () => new AppError('CUSTOMER_DESTROYED', 409);
const wrongStep = () => new AppError('DESTRUCTION_STEP', 409);
/** A concurrent request for the same file won (the one-pending unique index; SQLite and PostgreSQL codes). */
const isUniqueViolation = (err: unknown) => ['SQLITE_CONSTRAINT_UNIQUE', '23505'].includes(String((err as { code?: unknown })?.code));

/** Requests are visible to whoever holds any step's permission over the file's unit. */
function readScope(ctx: Ctx): NearScope {
  const scopes = stepsOrder.map((s) => nearScope(ctx.actor, stepPermission[s]));
  return { under: [...new Set(scopes.flatMap((s) => s.under))], above: [...new Set(scopes.flatMap((s) => s.above))] };
}

function mayRead(ctx: Ctx): boolean {
  return stepsOrder.some((s) => holdsAnywhere(ctx.actor, stepPermission[s]));
}

/** The caller may decide the request's current step: its permission over the file, and no earlier step of theirs. */
function canDecide(ctx: Ctx, d: DestructionView, steps: DestructionStepRow[]): boolean {
  if (d.status !== 'pending' || d.current_step === null) return false;
  if (!holdsNear(ctx.actor, stepPermission[d.current_step as DestructionStep], d.unit_path)) return false;
  return !steps.some((s) => s.user_id !== null && s.user_id === ctx.actor.userId);
}

function toDestruction(ctx: Ctx, d: DestructionView, steps: DestructionStepRow[]): Destruction {
  const own = steps.filter((s) => s.destruction_id === d.id);
  return {
    id: d.id,
    customerId: d.customer_id,
    customerName: d.customer_name,
    customerKind: d.customer_kind as Destruction['customerKind'],
    customerCategory: d.customer_category as Destruction['customerCategory'],
    orgUnitId: d.org_unit_id,
    orgUnitName: d.unit_name,
    reason: d.reason,
    status: d.status,
    currentStep: d.current_step === null ? null : Number(d.current_step),
    requestedBy: d.requested_by,
    requestedByName: d.requested_by_name,
    requestedAt: d.requested_at,
    endedAt: d.ended_at,
    steps: own.map((s) => ({ step: Number(s.step), decision: s.decision, comment: s.comment, userId: s.user_id, userName: s.user_name, at: s.at })),
    canDecide: canDecide(ctx, d, own),
    version: Number(d.version),
  };
}

async function view(db: Tx, ctx: Ctx, id: string): Promise<Destruction> {
  const d = await repo.byIdInScope(db, id, { under: ['/'], above: [] });
  return toDestruction(ctx, d!, await repo.stepsOf(db, [id]));
}

export async function listDestructions(ctx: Ctx, q: z.infer<typeof destructionQuery>): Promise<Destruction[]> {
  if (!mayRead(ctx)) throw forbidden();
  const rows = await repo.list(ctx.db, { scope: readScope(ctx), status: q.awaiting ? 'pending' : q.status, customerId: q.customerId, limit: q.awaiting ? 200 : q.limit });
  const steps = await repo.stepsOf(ctx.db, rows.map((r) => r.id));
  const all = rows.map((r) => toDestruction(ctx, r, steps));
  return q.awaiting ? all.filter((d) => d.canDecide).slice(0, q.limit) : all;
}

export async function getDestruction(ctx: Ctx, id: string): Promise<Destruction> {
  if (!mayRead(ctx)) throw forbidden();
  const d = await repo.byIdInScope(ctx.db, id, readScope(ctx));
  if (!d) throw notFound();
  return toDestruction(ctx, d, await repo.stepsOf(ctx.db, [id]));
}

/** Marks a whole file for destruction 申请销毁 (customer:destruction_review over it). Category A files are permanent. */
export async function requestDestruction(ctx: Ctx, input: z.infer<typeof destructionCreate>): Promise<Destruction> {
  return ctx.db.transaction().execute(async (trx) => {
    const c = await customerRepository.byIdInScope(trx, input.customerId, nearScope(ctx.actor, 'customer:read'));
    if (!c) throw notFound();
    if (!holdsNear(ctx.actor, 'customer:destruction_review', c.unit_path)) throw forbidden();
    if (c.destroyed_at) throw destroyed();
    if (c.category === 'A') throw permanent();
    if (await repo.pendingFor(trx, c.id)) throw new AppError('DESTRUCTION_PENDING', 409);
    const now = ctx.clock.now();
    const id = newId(now.getTime());
    await repo.insertPending(trx, {
      id,
      customer_id: c.id,
      org_unit_id: c.org_unit_id,
      reason: input.reason,
      status: 'pending',
      current_step: 1,
      requested_by: ctx.actor.userId,
      requested_by_name: ctx.actor.displayName,
      requested_at: iso(now),
      ended_at: null,
      version: 1,
    }).catch((err: unknown) => {
      throw isUniqueViolation(err) ? new AppError('DESTRUCTION_PENDING', 409) : err;
    });
    await recordAudit(trx, ctx, { action: 'customer_destruction.request', entityType: 'customer_destruction', entityId: id, orgUnitId: c.org_unit_id, after: { customerId: c.id, reason: input.reason } });
    return view(trx, ctx, id);
  });
}

/**
 * Approves or rejects the request's current step (given as `step`: a stale or out-of-order decision is
 * refused with DESTRUCTION_STEP). Approving step 3 destroys the file in the same transaction.
 */
export async function decideDestruction(ctx: Ctx, id: string, input: z.infer<typeof destructionDecision>): Promise<Destruction> {
  return ctx.db.transaction().execute(async (trx) => {
    if (!mayRead(ctx)) throw forbidden();
    const d = await repo.byIdInScope(trx, id, readScope(ctx));
    if (!d) throw notFound();
    if (!holdsNear(ctx.actor, stepPermission[input.step], d.unit_path)) throw forbidden();
    if (d.status !== 'pending' || Number(d.current_step) !== input.step) throw wrongStep();
    const steps = await repo.stepsOf(trx, [id]);
    if (steps.some((s) => s.user_id !== null && s.user_id === ctx.actor.userId)) throw new AppError('DESTRUCTION_SAME_PERSON', 409);
    const now = ctx.clock.now();
    const at = iso(now);
    const approve = input.decision === 'approve';
    const last = approve && input.step === 3;
    const moved = await repo.advance(trx, id, input.step, {
      status: !approve ? 'rejected' : last ? 'destroyed' : 'pending',
      current_step: approve && !last ? input.step + 1 : null,
      ended_at: approve && !last ? null : at,
    });
    if (!moved) throw wrongStep();
    await repo.insertStep(trx, { id: newId(now.getTime()), destruction_id: id, step: input.step, decision: input.decision, comment: input.comment, user_id: ctx.actor.userId, user_name: ctx.actor.displayName, at });
    const fact = { step: input.step, comment: input.comment };
    await recordAudit(trx, ctx, { action: approve ? 'customer_destruction.approve' : 'customer_destruction.reject', entityType: 'customer_destruction', entityId: id, orgUnitId: d.org_unit_id, after: fact });
    if (last) await destroyCustomer(trx, ctx, d.customer_id, id, [...steps.map((s) => s.user_name), ctx.actor.displayName]);
    return view(trx, ctx, id);
  });
}

/** The tombstone: id, unit, kind, category, tier and dates stay, with the pseudonym; every personal column is emptied. */
function tombstone(pseudonym: string, at: string): Partial<CustomerRow> {
  return {
    name: pseudonym,
    phone: null,
    email: null,
    vip: 0,
    ...emptyFileFields,
    confidentiality: 'ordinary',
    protected_sections: '[]',
    archived_at: at,
    destroyed_at: at,
    updated_at: at,
  };
}

/** The irreversible part: tombstone, erasers, the audit key, and the tombstone entry — in the caller's transaction. */
async function destroyCustomer(trx: Tx, ctx: Ctx, customerId: string, destructionId: string, approvers: string[]): Promise<void> {
  const c = await customerRepository.byId(trx, customerId);
  if (!c) throw notFound();
  // The category may have changed since the request: a category A file is never destroyed.
  if (c.category === 'A') throw permanent();
  const at = iso(ctx.clock.now());
  const pseudonym = destroyedName(c.id);
  if (c.destroyed_at) throw destroyed();
  if ((await customerRepository.update(trx, c.id, Number(c.version), tombstone(pseudonym, at))) === 0) throw versionConflict();
  const erased = await runCustomerErasers(trx, ctx, c.id);
  await eraseAuditSubject(trx, ctx, 'customer', c.id, c.org_unit_id);
  await recordAudit(trx, ctx, {
    action: 'customer.destroy',
    entityType: 'customer',
    entityId: c.id,
    orgUnitId: c.org_unit_id,
    after: { destroyedAt: at, name: pseudonym, kind: c.kind, category: c.category, createdAt: c.created_at, destructionId, approvedBy: approvers, erased },
  });
}

/** Erasers of the rows this module knows that copy a customer's personal data (registered beside the routes). */
export const destructionErasers = {
  identifiers: (trx: Tx, customerId: string) => repo.deleteIdentifiers(trx, customerId),
  tickets: (trx: Tx, customerId: string) => repo.pseudonymiseTickets(trx, customerId, destroyedName(customerId)),
  careTasks: (trx: Tx, customerId: string) => repo.eraseCareTasks(trx, customerId),
};

/** A merge (its relinker) is refused while either file awaits destruction: the approvers decided on one file's data. */
export async function refuseMergeWhileDestroying(trx: Tx, fromId: string, toId: string): Promise<void> {
  for (const id of [fromId, toId]) if (await repo.pendingFor(trx, id)) throw new AppError('CUSTOMER_MERGE_DESTRUCTION_PENDING', 409);
}
