import { ticketPriorities, type AssignmentPolicy, type RoutingConditions, type TicketPriority } from '../../../contracts/tickets.ts';
import type { Tx } from '../../../db/database.ts';
import type { Ctx } from '../../platform/context.ts';
import { recordAudit } from '../audit/audit.service.ts';
import type { OrgUnitRow } from '../org/org-unit.repository.ts';
import { userRepository } from '../users/user.repository.ts';
import { notificationText, notify } from './notification.service.ts';
import { failedConditions, leastOpen, nextInTurn, type RoutingFacts } from './routing.engine.ts';
import { routingRepository, type RoutingRuleView } from './routing.repository.ts';
import { ticketRepository, type TicketRow } from './ticket.repository.ts';
import { handoffDueAt, openTransfers } from './transfer.handoff.ts';

/**
 * Routing at intake (分流). The rules that apply to a work order are those of its company, then
 * those of the units above it (the group's), nearest first, each unit's in its own order; the
 * first enabled rule whose conditions hold wins. All of it runs in the intake transaction.
 */

/** A rule's actions as stored (every field present). */
export interface StoredActions {
  departmentId: string | null;
  teamId: string | null;
  priority: TicketPriority | null;
  tags: string[];
  assignment: AssignmentPolicy;
  timeLimitMinutes: number | null;
}
export const parseRule = (r: RoutingRuleView) => ({ conditions: JSON.parse(r.conditions) as RoutingConditions, actions: JSON.parse(r.actions) as StoredActions });

export interface Candidate {
  id: string;
  username: string;
  name: string;
  openTickets: number;
}
export interface TraceEntry {
  ruleId: string;
  name: string;
  orgUnitName: string;
  result: 'matched' | 'no_match' | 'disabled' | 'not_reached';
  failed: string[];
}
export interface RoutingPlan {
  rule: RoutingRuleView;
  actions: StoredActions;
  /** What the rule changes on the work order before it is inserted. */
  patch: Pick<TicketRow, 'routing_rule_id' | 'priority' | 'tags'> & Partial<Pick<TicketRow, 'department_id' | 'assignee_id' | 'status'>>;
  department: OrgUnitRow | null;
  assignee: Candidate | null;
  candidates: Candidate[];
  handoff: { department: OrgUnitRow; minutes: number; dueAt: Date } | null;
  /** Actions not applied: the department (and with it assignment and hand-off) when the intake chose one. */
  skipped: string[];
}

export interface IntakeSubject {
  row: Pick<TicketRow, 'type' | 'channel' | 'subject' | 'description' | 'category_id' | 'priority' | 'tags'>;
  unit: OrgUnitRow;
  chain: OrgUnitRow[];
  company: OrgUnitRow;
  customer: { tier: 'strategic' | 'key' | 'ordinary'; vip: boolean } | null;
  /** The intake named a department (or none, explicitly): it wins over the rule's. */
  explicitDepartment: boolean;
  now: Date;
}

/** A category and its ancestors (a condition naming a parent category matches its sub-categories); routing and time limits use it. */
export async function categoryChain(trx: Tx, id: string | null): Promise<string[]> {
  const out: string[] = [];
  for (let cur = id; cur && out.length < 10 && !out.includes(cur); ) {
    out.push(cur);
    cur = (await ticketRepository.categoryById(trx, cur))?.parent_id ?? null;
  }
  return out;
}

/** People who may get the order: a grant with ticket:update in the team or department, and able to handle it where it belongs. */
async function candidatesFor(trx: Tx, target: OrgUnitRow, ticketUnitPath: string): Promise<Candidate[]> {
  const people = await routingRepository.peopleGrantedUnder(trx, target.path);
  const grants = await userRepository.grantsOf(trx, people.map((p) => p.id));
  const handling = grants.filter((g) => (JSON.parse(g.permissions) as string[]).includes('ticket:update'));
  const grantedInTarget = (userId: string) => handling.some((g) => g.user_id === userId && g.unit_path.startsWith(target.path));
  const canHandle = (userId: string) => handling.some((g) => g.user_id === userId && ticketUnitPath.startsWith(g.unit_path));
  const eligible = people.filter((p) => grantedInTarget(p.id) && canHandle(p.id));
  const open = await routingRepository.openCounts(trx, eligible.map((p) => p.id));
  return eligible.map((p) => ({ id: p.id, username: p.username, name: p.display_name, openTickets: open.get(p.id) ?? 0 }));
}

/**
 * Finds the rule for a work order and plans what it does. With `commit`, a round-robin turn is
 * taken (the rule row is locked and the turn stored); without, it is a dry run that changes nothing.
 */
export async function planRouting(trx: Tx, s: IntakeSubject, commit: boolean): Promise<{ trace: TraceEntry[]; plan: RoutingPlan | null }> {
  const upward = s.chain.slice(0, s.chain.indexOf(s.company) + 1).reverse();
  const distance = new Map(upward.map((u, i) => [u.id, i]));
  const rules = (await routingRepository.ofUnits(trx, upward.map((u) => u.id))).sort(
    (a, b) => distance.get(a.org_unit_id)! - distance.get(b.org_unit_id)! || Number(a.position) - Number(b.position) || (a.id < b.id ? -1 : 1),
  );
  const facts: RoutingFacts = {
    type: s.row.type,
    channel: s.row.channel,
    subject: s.row.subject,
    description: s.row.description,
    categoryIds: await categoryChain(trx, s.row.category_id),
    customer: s.customer,
    companyId: s.company.id,
  };
  const named = rules.flatMap((r) => {
    const a = parseRule(r).actions;
    return [a.departmentId, a.teamId].filter((x): x is string => !!x);
  });
  const units = new Map((await ticketRepository.unitsByIds(trx, [...new Set(named)])).map((u) => [u.id, u]));
  const trace: TraceEntry[] = [];
  let winner: RoutingRuleView | undefined;
  for (const r of rules) {
    const entry: TraceEntry = { ruleId: r.id, name: r.name, orgUnitName: r.unit_name, result: 'not_reached', failed: [] };
    trace.push(entry);
    if (winner) continue;
    if (r.enabled !== 1) {
      entry.result = 'disabled';
      continue;
    }
    const { conditions, actions } = parseRule(r);
    entry.failed = failedConditions(conditions, facts);
    // A group-wide rule routes only work orders of the company its department belongs to.
    const dept = actions.departmentId ? units.get(actions.departmentId) : undefined;
    if (actions.departmentId && !s.explicitDepartment && !dept?.path.startsWith(s.company.path)) entry.failed.push('departmentId');
    entry.result = entry.failed.length === 0 ? 'matched' : 'no_match';
    if (entry.result === 'matched') winner = r;
  }
  if (!winner) return { trace, plan: null };

  const { actions } = parseRule(winner);
  const rank = actions.priority ? ticketPriorities.indexOf(actions.priority) : -1;
  const tags = [...new Set([...(JSON.parse(s.row.tags) as string[]), ...actions.tags])].slice(0, 20);
  const plan: RoutingPlan = {
    rule: winner,
    actions,
    patch: { routing_rule_id: winner.id, priority: Math.max(Number(s.row.priority), rank), tags: JSON.stringify(tags) },
    department: null,
    assignee: null,
    candidates: [],
    handoff: null,
    skipped: [],
  };
  if (actions.departmentId && s.explicitDepartment) {
    plan.skipped.push('department', ...(actions.assignment !== 'manual' ? ['assignment'] : []), ...(actions.timeLimitMinutes ? ['handoff'] : []));
    return { trace, plan };
  }
  if (!actions.departmentId) return { trace, plan };
  const department = units.get(actions.departmentId)!;
  plan.department = department;
  plan.patch.department_id = department.id;
  if (actions.timeLimitMinutes) plan.handoff = { department, minutes: actions.timeLimitMinutes, dueAt: (await handoffDueAt(trx, 'zh', department, s.now, actions.timeLimitMinutes)).due };
  if (actions.assignment !== 'manual') {
    const target = (actions.teamId && units.get(actions.teamId)) || department;
    const turn = actions.assignment === 'round_robin' && commit ? await routingRepository.lockTurn(trx, winner.id) : undefined;
    plan.candidates = await candidatesFor(trx, target, s.unit.path);
    if (actions.assignment === 'least_open') plan.assignee = leastOpen(plan.candidates) ?? null;
    else {
      const last = turn ?? { last_user_id: winner.rr_last_user_id, last_username: null };
      plan.assignee = nextInTurn(plan.candidates, last.last_user_id, last.last_username) ?? null;
      if (commit && plan.assignee) await routingRepository.setTurn(trx, winner.id, plan.assignee.id);
    }
    if (plan.assignee) Object.assign(plan.patch, { assignee_id: plan.assignee.id, status: 'assigned' });
  }
  return { trace, plan };
}

/** After the work order is inserted: the timeline, the assignee's notification, the hand-off and the audit entry. */
export async function applyRouting(trx: Tx, ctx: Ctx, row: TicketRow, plan: RoutingPlan): Promise<void> {
  const actor = { id: ctx.actor.userId, name: ctx.actor.displayName };
  const { rule, actions, assignee, department } = plan;
  const events: { kind: string; data: Record<string, unknown> }[] = [
    {
      kind: 'routed',
      data: {
        ruleId: rule.id,
        ruleName: rule.name,
        departmentId: department?.id ?? null,
        departmentName: department?.name ?? null,
        priority: ticketPriorities[row.priority],
        tags: actions.tags,
        assignment: actions.assignment,
        assigneeId: assignee?.id ?? null,
        ...(actions.assignment !== 'manual' && department && !assignee ? { unassigned: 'no eligible person' } : {}),
        ...(plan.skipped.length ? { skipped: plan.skipped } : {}),
      },
    },
  ];
  if (assignee) {
    events.push(
      { kind: 'assigned', data: { from: null, to: { id: assignee.id, name: assignee.name }, rule: rule.name } },
      { kind: 'status', data: { from: 'new', to: 'assigned' } },
    );
  }
  await ticketRepository.appendEvents(trx, row.id, row.created_at, actor, events);
  if (assignee && assignee.id !== ctx.actor.userId) {
    await notify(trx, ctx, { userIds: [assignee.id], ticketId: row.id, kind: 'assigned', text: (lang) => notificationText.assigned({ actor: lang === 'zh' ? `分流规则「${rule.name}」` : `routing rule "${rule.name}"`, number: row.number, subject: row.subject }, lang) });
  }
  const transfers = plan.handoff ? await openTransfers(trx, ctx, row, [plan.handoff.department], { reason: `分流规则：${rule.name}`, minutes: plan.handoff.minutes, ruleId: rule.id }) : [];
  await recordAudit(trx, ctx, {
    action: 'ticket.route',
    entityType: 'ticket',
    entityId: row.id,
    orgUnitId: row.org_unit_id,
    after: {
      ruleId: rule.id,
      ruleName: rule.name,
      departmentId: department?.id ?? null,
      priority: ticketPriorities[row.priority],
      assigneeId: assignee?.id ?? null,
      transfers: transfers.map((x) => ({ id: x.id, departmentId: x.to_department_id, dueAt: x.due_at })),
      skipped: plan.skipped,
    },
  });
}
