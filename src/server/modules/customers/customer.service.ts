import type { z } from 'zod';
import type { Customer, customerCreate, customerLookup, customerQuery } from '../../../contracts/tickets.ts';
import { iso } from '../../platform/clock.ts';
import type { Ctx } from '../../platform/context.ts';
import { AppError, forbidden, notFound } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { orgUnitRepository } from '../org/org-unit.repository.ts';
import { actingUnitId } from '../users/user.service.ts';
import { decodeCursor, encodeCursor } from '../tickets/cursor.ts';
import { companyOf, unitChain } from '../tickets/org-chain.ts';
import { ticketsOfCustomers } from '../tickets/ticket.service.ts';
import { customerRepository as repo, type CustomerRow, type CustomerView } from './customer.repository.ts';
import { holdsNear, nearScope } from './customer.scope.ts';

/** Customer contact data is personal: sealed in audit entries with the customer's key (erasable). */
const personal = (id: string) => ({ subjectType: 'customer', subjectId: id, fields: ['name', 'phone', 'email'] as const });
const audited = (r: CustomerRow) => ({ name: r.name, phone: r.phone, email: r.email, vip: r.vip === 1, tier: r.tier, orgUnitId: r.org_unit_id });

export function toCustomer(r: CustomerView): Customer {
  return {
    id: r.id,
    orgUnitId: r.org_unit_id,
    orgUnitName: r.unit_name,
    name: r.name,
    phone: r.phone,
    email: r.email,
    vip: r.vip === 1,
    tier: r.tier,
    version: Number(r.version),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export async function listCustomers(ctx: Ctx, q: z.infer<typeof customerQuery>): Promise<{ items: Customer[]; nextCursor: string | null }> {
  const rows = await repo.list(ctx.db, {
    scope: nearScope(ctx.actor, 'customer:read'),
    q: q.q,
    phone: q.phone,
    after: q.cursor ? decodeCursor(q.cursor, ['string', 'string'] as const, ctx.lang) : undefined,
    limit: q.limit + 1,
  });
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  return { items: page.map(toCustomer), nextCursor: rows.length > q.limit && last ? encodeCursor([last.name, last.id]) : null };
}

export async function getCustomer(ctx: Ctx, id: string): Promise<Customer> {
  const row = await repo.byIdInScope(ctx.db, id, nearScope(ctx.actor, 'customer:read'));
  if (!row) throw notFound();
  return toCustomer(row);
}

/**
 * Customer files are kept by those who maintain them, and agents open one at intake: either
 * `customer:manage` or `ticket:create` in (or below) the owning company will do.
 */
export async function createCustomer(ctx: Ctx, input: z.infer<typeof customerCreate>): Promise<Customer> {
  if (!ctx.actor.grants.some((g) => g.permissions.has('customer:manage') || g.permissions.has('ticket:create')) && ctx.actor.kind !== 'system') throw forbidden();
  return ctx.db.transaction().execute(async (trx) => {
    const unitId = await actingUnitId(trx, ctx, input.orgUnitId);
    const unit = await orgUnitRepository.byId(trx, unitId);
    if (!unit) throw notFound();
    // A customer belongs to the company (branch): a department given here stands for its company.
    const company = companyOf(await unitChain(trx, unit.path));
    if (!holdsNear(ctx.actor, 'customer:manage', company.path) && !holdsNear(ctx.actor, 'ticket:create', company.path)) throw notFound();
    if (input.phone && (await repo.byPhoneInUnit(trx, company.id, input.phone))) {
      throw new AppError('CUSTOMER_PHONE_TAKEN', 409, { fields: [{ field: 'phone', message: 'taken' }] });
    }
    const now = iso(ctx.clock.now());
    const row: CustomerRow = {
      id: newId(),
      org_unit_id: company.id,
      name: input.name,
      phone: input.phone ?? null,
      email: input.email ?? null,
      vip: input.vip ? 1 : 0,
      tier: input.tier,
      created_at: now,
      updated_at: now,
      version: 1,
    };
    await repo.insert(trx, row);
    await recordAudit(trx, ctx, { action: 'customer.create', entityType: 'customer', entityId: row.id, orgUnitId: company.id, after: audited(row), personal: personal(row.id) });
    return toCustomer({ ...row, unit_name: company.name, unit_path: company.path });
  });
}

/** Phone intake (来电弹屏): the customers whose number starts so, each with their open and latest work orders. */
export async function lookupCustomers(ctx: Ctx, phone: string): Promise<z.infer<typeof customerLookup>> {
  const rows = await repo.list(ctx.db, { scope: nearScope(ctx.actor, 'customer:read'), phone, limit: 10 });
  const tickets = await ticketsOfCustomers(ctx, rows.map((r) => r.id));
  return {
    customers: rows.map((r) => ({ ...toCustomer(r), openTickets: tickets.get(r.id)?.open ?? [], recentTickets: tickets.get(r.id)?.recent ?? [] })),
  };
}
