import type { z } from 'zod';
import type { Lang } from '../../../contracts/errors.ts';
import { escalationLevels, type EscalationLevel, type escalationCreate, type escalationResult } from '../../../contracts/tickets.ts';
import type { Tx } from '../../../db/database.ts';
import { iso } from '../../platform/clock.ts';
import type { Ctx } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { notificationText, notify } from './notification.service.ts';
import { unitChain, upToCompany } from './org-chain.ts';
import { ticketRepository, type TicketView } from './ticket.repository.ts';
import { eventActor, loadForChange } from './ticket.service.ts';

/**
 * Escalation (升级): who is told when a work order goes up. The holders of a role (by key) granted
 * at the order's responsible department or above it up to its company; when nobody holds the
 * first role there, the next one in the list — so an escalation never goes nowhere while someone
 * above can take it. Used by the callback loop (回访不满意 → supervisor, else manager) and by
 * manual escalation below.
 */
export async function escalationTargets(trx: Tx, t: TicketView, roles: readonly string[]): Promise<{ role: string; people: { id: string; username: string; display_name: string }[] }> {
  const units = upToCompany(await unitChain(trx, t.department_path ?? t.unit_path)).map((u) => u.id);
  for (const role of roles) {
    const people = await ticketRepository.holdersOfRole(trx, role, units);
    if (people.length > 0) return { role, people };
  }
  return { role: roles[0], people: [] };
}

/**
 * The levels of the seeds' chain: shift lead → duty manager → department manager. The built-in
 * role `shift_lead` is 领班/值班经理, so the first two reach its holders; the department manager is
 * the `manager` role. Each falls back to the roles above it.
 */
export const escalationRoles: Record<EscalationLevel, readonly string[]> = {
  shift_lead: ['shift_lead', 'supervisor', 'manager'],
  duty_manager: ['shift_lead', 'supervisor', 'manager'],
  department_manager: ['manager'],
};
export const escalationLabels: Record<EscalationLevel, Record<Lang, string>> = {
  shift_lead: { zh: '领班', en: 'shift lead' },
  duty_manager: { zh: '值班经理', en: 'duty manager' },
  department_manager: { zh: '部门经理', en: 'department manager' },
};
const rank = (l: EscalationLevel | null) => (l ? escalationLevels.indexOf(l) : -1);

/**
 * `POST /tickets/:id/escalations`: tells the people of the level, records it on the timeline and
 * in the audit trail, and keeps the highest level reached on the work order (never lowered). Not an
 * edit of the order: the version stays, like a note.
 */
export async function escalateTicket(ctx: Ctx, id: string, input: z.infer<typeof escalationCreate>): Promise<z.infer<typeof escalationResult>> {
  return ctx.db.transaction().execute(async (trx) => {
    const t = await loadForChange(trx, ctx, id, 'ticket:update');
    if (t.status === 'closed') throw new AppError('TICKET_CLOSED', 409);
    const { role, people } = await escalationTargets(trx, t, escalationRoles[input.level]);
    const targets = people.filter((p) => p.id !== ctx.actor.userId);
    const level = rank(input.level) > rank(t.escalation_level) ? input.level : t.escalation_level!;
    const at = iso(ctx.clock.now());
    // The ticket row is written first: it orders this transaction's timeline entries after any other writer's.
    await ticketRepository.setEscalationLevel(trx, id, level, at);
    await notify(trx, ctx, {
      userIds: targets.map((p) => p.id),
      ticketId: id,
      kind: 'escalation',
      text: (lang) => notificationText.escalated({ actor: ctx.actor.displayName, number: t.number, subject: t.subject, level: escalationLabels[input.level][lang], reason: input.reason }, lang),
    });
    const to = targets.map((p) => ({ id: p.id, name: p.display_name }));
    await ticketRepository.appendEvents(trx, id, at, eventActor(ctx), [{ kind: 'escalated', data: { level: input.level, reason: input.reason, role, to } }]);
    await recordAudit(trx, ctx, {
      action: 'ticket.escalate',
      entityType: 'ticket',
      entityId: id,
      orgUnitId: t.org_unit_id,
      before: { escalationLevel: t.escalation_level },
      after: { escalationLevel: level, level: input.level, reason: input.reason, role, to: targets.map((p) => p.username) },
    });
    return { level: input.level, escalationLevel: level, role, notified: to };
  });
}
