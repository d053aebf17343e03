import type { TicketType } from '../../../contracts/tickets.ts';
import type { Lang } from '../../../contracts/errors.ts';
import type { Tx } from '../../../db/database.ts';
import { workingDeadline, type Deadline } from '../calendar/calendar.service.ts';
import { policyTarget } from '../sla/sla.service.ts';

/**
 * Working minutes until the callback (回访) after a resolution is due. The earlier calendar-time rule
 * (24 h complaints, 48 h the rest) kept as amounts of working time: one working day of the default
 * calendar (09:00–18:00 = 9 h) for complaints, two (18 h) for the rest.
 */
export function callbackWorkingMinutes(type: TicketType): number {
  return (type === 'complaint' ? 9 : 18) * 60;
}

/**
 * When the callback is due: callbackWorkingMinutes of working time on the effective calendar of the
 * responsible department, else the owning unit (holidays and 调休 included). A year without holiday
 * data still gives a deadline, with a warning.
 */
export async function callbackDueAt(
  trx: Tx,
  lang: Lang,
  ticket: { type: TicketType; org_unit_id: string; department_id: string | null; severity: number | null; sla_policy_id?: string | null },
  resolvedAt: Date,
): Promise<Deadline> {
  // A time-limit policy (服务时限策略) that sets the callback target wins over the default amounts.
  const target = await policyTarget(trx, { sla_policy_id: ticket.sla_policy_id ?? null }, 'callback');
  if (target?.mode === 'calendar') return { due: new Date(resolvedAt.getTime() + target.minutes * 60_000), warnings: [] };
  return workingDeadline(trx, lang, ticket.department_id ?? ticket.org_unit_id, resolvedAt, target?.minutes ?? callbackWorkingMinutes(ticket.type));
}
