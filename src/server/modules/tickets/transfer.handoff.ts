import type { Lang } from '../../../contracts/errors.ts';
import type { Tx } from '../../../db/database.ts';
import { workingDeadline, type Deadline } from '../calendar/calendar.service.ts';
import { iso } from '../../platform/clock.ts';
import type { Ctx } from '../../platform/context.ts';
import { newId } from '../../platform/ids.ts';
import type { OrgUnitRow } from '../org/org-unit.repository.ts';
import { ticketRepository } from './ticket.repository.ts';
import { transferRepository, type TransferRow } from './transfer.repository.ts';

/**
 * When a department's answer is due: the transfer's limit in working time of the department's
 * effective calendar (holidays and 调休 included); a year without data still gives a deadline, with a warning.
 */
export function handoffDueAt(trx: Tx, lang: Lang, department: Pick<OrgUnitRow, 'id'>, from: Date, minutes: number): Promise<Deadline> {
  return workingDeadline(trx, lang, department.id, from, minutes);
}

/**
 * Hands a work order to departments (转派), one transfer each, due after their limit, and writes
 * the `transferred` timeline entry. The caller has written the ticket row earlier in the same
 * transaction (it serialises the timeline) and records the audit entry.
 */
export async function openTransfers(
  trx: Tx,
  ctx: Ctx,
  t: { id: string; org_unit_id: string },
  departments: OrgUnitRow[],
  o: { reason: string; minutes: number; ruleId: string | null; /** working (default): on the department's calendar; calendar: plain elapsed time (a policy's hand-off target may say so). */ mode?: 'working' | 'calendar' },
): Promise<TransferRow[]> {
  const now = ctx.clock.now();
  const at = iso(now);
  const due = new Map<string, string>();
  for (const d of departments) due.set(d.id, o.mode === 'calendar' ? iso(new Date(now.getTime() + o.minutes * 60_000)) : iso((await handoffDueAt(trx, ctx.lang, d, now, o.minutes)).due));
  const rows: TransferRow[] = departments.map((d) => ({
    id: newId(now.getTime()),
    ticket_id: t.id,
    from_unit_id: t.org_unit_id,
    to_department_id: d.id,
    reason: o.reason,
    time_limit_minutes: o.minutes,
    due_at: due.get(d.id)!,
    status: 'open',
    answer: null,
    answered_by: null,
    answered_at: null,
    cancelled_by: null,
    cancelled_at: null,
    routing_rule_id: o.ruleId,
    created_by: ctx.actor.userId,
    created_at: at,
  }));
  await transferRepository.insertMany(trx, rows);
  const names = new Map(departments.map((d) => [d.id, d.name]));
  await ticketRepository.appendEvents(trx, t.id, at, { id: ctx.actor.userId, name: ctx.actor.displayName }, [
    {
      kind: 'transferred',
      data: {
        reason: o.reason,
        timeLimitMinutes: o.minutes,
        ...(o.ruleId ? { ruleId: o.ruleId } : {}),
        transfers: rows.map((r) => ({ id: r.id, departmentId: r.to_department_id, departmentName: names.get(r.to_department_id), dueAt: r.due_at })),
      },
    },
  ]);
  return rows;
}
