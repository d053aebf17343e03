import type { TicketType } from '../../../contracts/tickets.ts';

const HOUR = 3_600_000;

/**
 * When the callback (回访) after a resolution is due: 24 hours for complaints, 48 hours for the
 * rest. Calendar time for now. This is the seam for the SLA issue, which will count working
 * time on the owning unit's calendar (holidays, 调休) instead — callers pass the whole ticket so
 * that the replacement can look at its unit, type and severity without changing them.
 */
export function callbackDueAt(ticket: { type: TicketType; org_unit_id: string; severity: number | null }, resolvedAt: Date): Date {
  return new Date(resolvedAt.getTime() + (ticket.type === 'complaint' ? 24 : 48) * HOUR);
}
