import type { z } from 'zod';
import { ticketPriorities, type RoutingRule, type RoutingTestResult, type routingActions, type routingRuleCreate, type routingRuleQuery, type routingRuleReorder, type routingRuleUpdate, type routingTest } from '../../../contracts/tickets.ts';
import type { Tx } from '../../../db/database.ts';
import { scopePaths } from '../../platform/actor.ts';
import { iso } from '../../platform/clock.ts';
import type { Ctx } from '../../platform/context.ts';
import { AppError, invalid, notFound, versionConflict } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { customerRepository } from '../customers/customer.repository.ts';
import { orgUnitRepository, type OrgUnitRow } from '../org/org-unit.repository.ts';
import { companyOf, unitChain } from './org-chain.ts';
import { normaliseConditions } from './routing.engine.ts';
import { parseRule, planRouting, type StoredActions } from './routing.intake.ts';
import { routingRepository as repo, type RoutingRuleView } from './routing.repository.ts';
import { ticketRepository } from './ticket.repository.ts';

/**
 * Routing rules (分流规则): managed by holders of routing:manage over the rule's unit, a company
 * (分公司/分店) or a group. Rules outside the caller's scope do not exist for them (404).
 */
const MAX_RULES_PER_UNIT = 200;
type Conditions = z.infer<typeof routingRuleCreate>['conditions'];
type Actions = z.infer<typeof routingActions>;

const storedActions = (a: Actions): StoredActions => ({
  departmentId: a.departmentId ?? null,
  teamId: a.teamId ?? null,
  priority: a.priority ?? null,
  tags: a.tags,
  assignment: a.assignment,
  timeLimitMinutes: a.timeLimitMinutes ?? null,
});

async function toRules(db: Tx, rows: RoutingRuleView[]): Promise<RoutingRule[]> {
  const parsed = rows.map((r) => ({ r, ...parseRule(r) }));
  const ids = [...new Set(parsed.flatMap((p) => [p.actions.departmentId, p.actions.teamId]).filter((x): x is string => !!x))];
  const names = new Map((await ticketRepository.unitsByIds(db, ids)).map((u) => [u.id, u.name]));
  return parsed.map(({ r, conditions, actions }) => ({
    id: r.id,
    orgUnitId: r.org_unit_id,
    orgUnitName: r.unit_name,
    position: Number(r.position),
    name: r.name,
    enabled: r.enabled === 1,
    conditions,
    actions: {
      ...actions,
      departmentName: actions.departmentId ? (names.get(actions.departmentId) ?? null) : null,
      teamName: actions.teamId ? (names.get(actions.teamId) ?? null) : null,
    },
    version: Number(r.version),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  }));
}
const audited = (r: { name: string; enabled: number; conditions: string; actions: string }) => ({
  name: r.name,
  enabled: r.enabled === 1,
  conditions: JSON.parse(r.conditions) as unknown,
  actions: JSON.parse(r.actions) as unknown,
});

/** A rule's unit: a company or a group in the caller's routing:manage scope. */
async function ruleUnit(trx: Tx, ctx: Ctx, unitId: string): Promise<OrgUnitRow> {
  const unit = await orgUnitRepository.byIdInScope(trx, unitId, scopePaths(ctx.actor, 'routing:manage'));
  if (!unit) throw notFound();
  if (unit.kind !== 'company' && unit.kind !== 'group') throw invalid('orgUnitId', ctx.lang === 'zh' ? '须为分公司/分店或集团' : 'must be a company or a group');
  return unit;
}

/** Every id a rule names must exist and lie in the rule's unit (its company, or the group's subtree). */
async function checkRule(trx: Tx, ctx: Ctx, unit: OrgUnitRow, c: Conditions, a: Actions): Promise<void> {
  const zh = ctx.lang === 'zh';
  for (const [i, id] of (c.categoryIds ?? []).entries()) {
    if (!(await ticketRepository.categoryById(trx, id))) throw invalid(`conditions.categoryIds.${i}`, zh ? '没有这个分类' : 'unknown category');
  }
  const units = new Map((await ticketRepository.unitsByIds(trx, [...(c.branchIds ?? []), a.departmentId, a.teamId].filter((x): x is string => !!x))).map((u) => [u.id, u]));
  const within = (id: string, kind: OrgUnitRow['kind'], under: string) => {
    const u = units.get(id);
    return !!u && u.kind === kind && u.path.startsWith(under);
  };
  for (const [i, id] of (c.branchIds ?? []).entries()) {
    if (!within(id, 'company', unit.path)) throw invalid(`conditions.branchIds.${i}`, zh ? '须为本单位范围内的分公司/分店' : 'must be a company within the rule’s unit');
  }
  if (a.departmentId && !within(a.departmentId, 'department', unit.path)) throw invalid('actions.departmentId', zh ? '须为本单位的部门' : 'must be a department within the rule’s unit');
  if (a.teamId && !within(a.teamId, 'team', units.get(a.departmentId!)!.path)) throw invalid('actions.teamId', zh ? '须为该部门下的班组' : 'must be a team of the department');
}

export async function listRules(ctx: Ctx, q: z.infer<typeof routingRuleQuery>): Promise<RoutingRule[]> {
  return toRules(ctx.db, await repo.list(ctx.db, scopePaths(ctx.actor, 'routing:manage'), q.orgUnitId));
}

export async function createRule(ctx: Ctx, input: z.infer<typeof routingRuleCreate>): Promise<RoutingRule> {
  return ctx.db.transaction().execute(async (trx) => {
    const unit = await ruleUnit(trx, ctx, input.orgUnitId);
    await checkRule(trx, ctx, unit, input.conditions, input.actions);
    const { n, maxPosition } = await repo.countInUnit(trx, unit.id);
    if (n >= MAX_RULES_PER_UNIT) throw new AppError('ROUTING_RULE_LIMIT', 409);
    const at = iso(ctx.clock.now());
    const row = {
      id: newId(),
      org_unit_id: unit.id,
      position: maxPosition + 1,
      name: input.name,
      enabled: input.enabled ? 1 : 0,
      conditions: JSON.stringify(normaliseConditions(input.conditions)),
      actions: JSON.stringify(storedActions(input.actions)),
      rr_last_user_id: null,
      created_at: at,
      updated_at: at,
      version: 1,
    };
    await repo.insert(trx, row);
    await recordAudit(trx, ctx, { action: 'routing_rule.create', entityType: 'routing_rule', entityId: row.id, orgUnitId: unit.id, after: { position: row.position, ...audited(row) } });
    return (await toRules(trx, [(await repo.byIdInScope(trx, row.id, ['/']))!]))[0];
  });
}

export async function updateRule(ctx: Ctx, id: string, input: z.infer<typeof routingRuleUpdate>): Promise<RoutingRule> {
  return ctx.db.transaction().execute(async (trx) => {
    const rule = await repo.byIdInScope(trx, id, scopePaths(ctx.actor, 'routing:manage'));
    if (!rule) throw notFound();
    if (Number(rule.version) !== input.version) throw versionConflict();
    const unit = (await orgUnitRepository.byId(trx, rule.org_unit_id))!;
    const current = parseRule(rule);
    const conditions = input.conditions ?? current.conditions;
    const actions: Actions = input.actions ?? current.actions;
    if (input.conditions || input.actions) await checkRule(trx, ctx, unit, conditions, actions);
    const patch = {
      name: input.name ?? rule.name,
      enabled: input.enabled === undefined ? rule.enabled : input.enabled ? 1 : 0,
      conditions: input.conditions ? JSON.stringify(normaliseConditions(input.conditions)) : rule.conditions,
      actions: input.actions ? JSON.stringify(storedActions(input.actions)) : rule.actions,
      updated_at: iso(ctx.clock.now()),
    };
    if (!(await repo.update(trx, id, input.version, patch))) throw versionConflict();
    await recordAudit(trx, ctx, { action: 'routing_rule.update', entityType: 'routing_rule', entityId: id, orgUnitId: rule.org_unit_id, before: audited(rule), after: audited(patch) });
    return (await toRules(trx, [(await repo.byIdInScope(trx, id, ['/']))!]))[0];
  });
}

export async function deleteRule(ctx: Ctx, id: string): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    const rule = await repo.byIdInScope(trx, id, scopePaths(ctx.actor, 'routing:manage'));
    if (!rule) throw notFound();
    // Work orders and transfers it made keep their history in the timeline; their references are cleared.
    await repo.delete(trx, id);
    await recordAudit(trx, ctx, { action: 'routing_rule.delete', entityType: 'routing_rule', entityId: id, orgUnitId: rule.org_unit_id, before: { position: Number(rule.position), ...audited(rule) } });
  });
}

/** The new order of every rule of a unit; a list that is not exactly the unit's rules is stale (409). */
export async function reorderRules(ctx: Ctx, input: z.infer<typeof routingRuleReorder>): Promise<RoutingRule[]> {
  return ctx.db.transaction().execute(async (trx) => {
    const unit = await ruleUnit(trx, ctx, input.orgUnitId);
    const rules = await repo.list(trx, ['/'], unit.id);
    const ids = new Set(input.ids);
    if (ids.size !== input.ids.length || rules.length !== ids.size || rules.some((r) => !ids.has(r.id))) throw versionConflict();
    const at = iso(ctx.clock.now());
    for (const [i, id] of input.ids.entries()) await repo.setPosition(trx, id, i + 1, at);
    await recordAudit(trx, ctx, { action: 'routing_rule.reorder', entityType: 'org_unit', entityId: unit.id, orgUnitId: unit.id, before: { order: rules.map((r) => r.id) }, after: { order: input.ids } });
    return toRules(trx, await repo.list(trx, ['/'], unit.id));
  });
}

/** `POST /routing-rules/test`: which rule a work order like this would meet, and what it would do. Changes nothing. */
export async function testRouting(ctx: Ctx, input: z.infer<typeof routingTest>): Promise<RoutingTestResult> {
  const db = ctx.db;
  const unit = await orgUnitRepository.byIdInScope(db, input.orgUnitId, scopePaths(ctx.actor, 'routing:manage'));
  if (!unit) throw notFound();
  const chain = await unitChain(db, unit.path);
  const company = companyOf(chain);
  let customer: { tier: 'strategic' | 'key' | 'ordinary'; vip: boolean } | null = null;
  if (input.customerId) {
    const c = await customerRepository.byId(db, input.customerId);
    if (!c || !unit.path.startsWith(c.unit_path)) throw invalid('customerId', ctx.lang === 'zh' ? '须为本单位的客户' : 'must be a customer of the same company');
    customer = { tier: c.tier, vip: c.vip === 1 };
  } else if (input.customerTier || input.vip !== undefined) {
    customer = { tier: input.customerTier ?? 'ordinary', vip: input.vip ?? false };
  }
  const row = {
    type: input.type,
    channel: input.channel,
    subject: input.subject,
    description: input.description,
    category_id: input.categoryId ?? null,
    priority: ticketPriorities.indexOf(input.priority),
    tags: '[]',
  };
  const { trace, plan } = await planRouting(db, { row, unit, chain, company, customer, explicitDepartment: input.departmentId !== undefined, now: ctx.clock.now() }, false);
  return {
    trace,
    outcome: plan && {
      ruleId: plan.rule.id,
      ruleName: plan.rule.name,
      departmentId: plan.department?.id ?? null,
      departmentName: plan.department?.name ?? null,
      priority: ticketPriorities[plan.patch.priority],
      tags: JSON.parse(plan.patch.tags) as string[],
      assignment: plan.actions.assignment,
      assignee: plan.assignee && { id: plan.assignee.id, name: plan.assignee.name },
      candidates: plan.candidates.map((c) => ({ id: c.id, name: c.name, openTickets: c.openTickets })),
      handoff: plan.handoff && { departmentId: plan.handoff.department.id, timeLimitMinutes: plan.handoff.minutes, dueAt: iso(plan.handoff.dueAt) },
      skipped: plan.skipped,
    },
  };
}
