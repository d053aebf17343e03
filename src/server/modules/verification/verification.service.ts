import type { z } from 'zod';
import type { ConfidentialityLevel } from '../../../contracts/customers.ts';
import {
  VERIFICATION_DEFAULT_MONTHS,
  type VerificationDue,
  type VerificationRecord,
  type verificationConfirm,
  type verificationCorrect,
  type verificationDashboard,
  type verificationDueQuery,
} from '../../../contracts/verification.ts';
import type { Tx } from '../../../db/database.ts';
import { iso } from '../../platform/clock.ts';
import type { Ctx } from '../../platform/context.ts';
import { notFound } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { updateCustomerFileIn, type CustomerFileDeps } from '../customers/customer-file.service.ts';
import { dayIn } from '../customers/customer.mask.ts';
import { customerRepository } from '../customers/customer.repository.ts';
import { nearScope } from '../customers/customer.scope.ts';
import { decodeCursor, encodeCursor } from '../tickets/cursor.ts';
import { addDays, addMonths, daysBetween } from './verification.dates.ts';
import { verificationRepository as repo, type VerificationRow, type ZoneDay } from './verification.repository.ts';

/**
 * Re-verification 定期核定 (see contracts/verification.ts). "Today" is the day in the time zone of the file's
 * company; the work list and the dashboard are over the caller's customer:manage scope (records officers,
 * managers). A confirmation or a correction records who, when, the result and a note, and sets the next
 * date to today + the file's period (3 months unless changed).
 */
const zoneOf = (tz: string) => tz || 'Asia/Shanghai';
const scopeOf = (ctx: Ctx) => nearScope(ctx.actor, 'customer:manage');

async function zoneDays(ctx: Ctx): Promise<ZoneDay[]> {
  const now = ctx.clock.now();
  return (await repo.zones(ctx.db, scopeOf(ctx))).map((zone) => ({ zone, day: dayIn(now, zoneOf(zone)) }));
}

function toRecord(r: VerificationRow): VerificationRecord {
  return { id: r.id, customerId: r.customer_id, at: r.at, userName: r.user_name, result: r.result, note: r.note, dueOn: r.due_on, nextOn: r.next_on };
}

export async function listDue(ctx: Ctx, q: z.infer<typeof verificationDueQuery>): Promise<{ items: VerificationDue[]; nextCursor: string | null }> {
  const zones = await zoneDays(ctx);
  const rows = await repo.due(ctx.db, {
    scope: scopeOf(ctx),
    zones,
    orgUnitId: q.orgUnitId,
    after: q.cursor ? decodeCursor(q.cursor, ['string', 'string'] as const, ctx.lang) : undefined,
    limit: q.limit + 1,
  });
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  const today = new Map(zones.map((z) => [z.zone, z.day]));
  return {
    items: page.map((r) => ({
      customerId: r.id,
      name: r.name,
      orgUnitId: r.org_unit_id,
      orgUnitName: r.unit_name,
      confidentiality: r.confidentiality as ConfidentialityLevel,
      nextVerificationOn: r.next_verification_on,
      verificationMonths: r.verification_months,
      overdueDays: r.next_verification_on ? Math.max(0, daysBetween(r.next_verification_on, today.get(r.time_zone)!)) : 0,
      version: r.version,
    })),
    nextCursor: rows.length > q.limit && last ? encodeCursor([last.next_verification_on ?? '', last.id]) : null,
  };
}

/** Records the verification and moves the next date, in the caller's transaction (the file is in scope). */
async function record(trx: Tx, ctx: Ctx, customerId: string, result: 'confirmed' | 'corrected', input: { note?: string; everyMonths?: number }): Promise<VerificationRecord> {
  const file = await customerRepository.byIdInScope(trx, customerId, scopeOf(ctx));
  if (!file) throw notFound();
  const now = ctx.clock.now();
  const months = input.everyMonths ?? Number(file.verification_months ?? VERIFICATION_DEFAULT_MONTHS);
  const nextOn = addMonths(dayIn(now, zoneOf(file.unit_time_zone)), months);
  const row: VerificationRow = {
    id: newId(),
    customer_id: customerId,
    org_unit_id: file.org_unit_id,
    user_id: ctx.actor.userId,
    user_name: ctx.actor.displayName,
    at: iso(now),
    result,
    note: input.note || null,
    due_on: file.next_verification_on ?? null,
    next_on: nextOn,
  };
  await repo.insert(trx, row);
  await repo.schedule(trx, customerId, nextOn, months);
  await recordAudit(trx, ctx, {
    action: 'customer.verify',
    entityType: 'customer',
    entityId: customerId,
    orgUnitId: file.org_unit_id,
    before: { nextVerificationOn: row.due_on, verificationMonths: Number(file.verification_months ?? VERIFICATION_DEFAULT_MONTHS) },
    after: { result, note: row.note, nextVerificationOn: nextOn, verificationMonths: months },
    personal: { subjectType: 'customer', subjectId: customerId, fields: ['note'] },
  });
  return toRecord(row);
}

/** 核定无误: the file is unchanged. */
export async function confirmVerification(ctx: Ctx, customerId: string, input: z.infer<typeof verificationConfirm>): Promise<VerificationRecord> {
  return ctx.db.transaction().execute((trx) => record(trx, ctx, customerId, 'confirmed', input));
}

/** 核定更正: the correction goes through the file's update (its rules, version and audit), then the record. */
export async function correctVerification(ctx: Ctx, deps: CustomerFileDeps, customerId: string, input: z.infer<typeof verificationCorrect>): Promise<VerificationRecord> {
  return ctx.db.transaction().execute(async (trx) => {
    await updateCustomerFileIn(trx, ctx, deps, customerId, input.changes);
    return record(trx, ctx, customerId, 'corrected', input);
  });
}

/** A file's verification records, newest first (readers of the file). */
export async function verificationHistory(ctx: Ctx, customerId: string): Promise<VerificationRecord[]> {
  const file = await customerRepository.byIdInScope(ctx.db, customerId, nearScope(ctx.actor, 'customer:read'));
  if (!file) throw notFound();
  return (await repo.history(ctx.db, customerId, 100)).map(toRecord);
}

/** Per branch: overdue, due today, due in the next 7 days, files; the branches with most overdue first. */
export async function verificationDashboardOf(ctx: Ctx): Promise<z.infer<typeof verificationDashboard>> {
  const zones = await zoneDays(ctx);
  const rows = [];
  for (const z of zones) {
    for (const c of await repo.counts(ctx.db, scopeOf(ctx), z, addDays(z.day, 6))) {
      rows.push({ orgUnitId: c.org_unit_id, orgUnitName: c.unit_name, overdue: c.overdue, dueToday: c.due_today, dueThisWeek: c.due_week, total: c.total });
    }
  }
  rows.sort((a, b) => b.overdue - a.overdue || a.orgUnitName.localeCompare(b.orgUnitName, 'zh'));
  return { today: dayIn(ctx.clock.now(), zoneOf(zones[0]?.zone ?? '')), rows };
}
