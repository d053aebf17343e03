import type { z } from 'zod';
import { CARE_GIFT_LIMIT, type careGenerateQuery, type careRule, type careRuleCreate, type careRuleUpdate, type careTask, type careTaskDone, type careTaskQuery } from '../../../contracts/care.ts';
import type { Tx } from '../../../db/database.ts';
import { iso } from '../../platform/clock.ts';
import type { Ctx } from '../../platform/context.ts';
import { AppError, forbidden, notFound, versionConflict } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { holdsIn } from '../../platform/actor.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { holdsNear, nearScope } from '../customers/customer.scope.ts';
import { orgUnitRepository } from '../org/org-unit.repository.ts';
import { birthdayDate, daysBefore, festivalDate, type Festival } from './care.calendar.ts';
import { careRepository as repo, type CareRuleRow, type CareRuleView, type CareTaskRow, type CareTaskView } from './care.repository.ts';

type Rule = z.infer<typeof careRule>;
type Task = z.infer<typeof careTask>;

/** The festival's name put into {{festival}} (greetings go to customers in Chinese). */
const FESTIVAL_NAMES: Record<Festival, string> = { spring: '春节', lantern: '元宵节', qingming: '清明节', dragon_boat: '端午节', mid_autumn: '中秋节' };

const giftOverLimit = () => new AppError('CARE_GIFT_OVER_LIMIT', 422);
const scopeOf = (ctx: Ctx) => nearScope(ctx.actor, 'customer:manage');
const json = (s: string): string[] => JSON.parse(s) as string[];

function toRule(r: CareRuleView): Rule {
  return {
    id: r.id,
    orgUnitId: r.org_unit_id,
    orgUnitName: r.unit_name,
    name: r.name,
    occasion: r.occasion as Rule['occasion'],
    festival: r.festival as Rule['festival'],
    daysMin: Number(r.days_min),
    daysMax: Number(r.days_max),
    tiers: json(r.tiers),
    categories: json(r.categories),
    tags: json(r.tags),
    channel: r.channel as Rule['channel'],
    template: r.template,
    giftValue: Number(r.gift_value),
    version: Number(r.version),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

function toTask(t: CareTaskView): Task {
  return {
    id: t.id,
    ruleId: t.rule_id,
    customerId: t.customer_id,
    customerName: t.customer_name,
    orgUnitName: t.unit_name,
    year: Number(t.year),
    occasion: t.occasion,
    occasionDate: t.occasion_date,
    windowStart: t.window_start,
    windowEnd: t.window_end,
    channel: t.channel as Task['channel'],
    message: t.message,
    giftValue: Number(t.gift_value),
    status: t.status as Task['status'],
    doneAt: t.done_at,
    version: Number(t.version),
  };
}

type RuleInput = z.infer<typeof careRuleUpdate>;
function fields(input: Omit<RuleInput, 'version'>): Pick<CareRuleRow, 'name' | 'occasion' | 'festival' | 'days_min' | 'days_max' | 'tiers' | 'categories' | 'tags' | 'channel' | 'template' | 'gift_value'> {
  if (input.giftValue > CARE_GIFT_LIMIT) throw giftOverLimit();
  return {
    name: input.name,
    occasion: input.occasion,
    festival: input.occasion === 'festival' ? (input.festival ?? null) : null,
    days_min: input.daysMin,
    days_max: input.daysMax,
    tiers: JSON.stringify([...new Set(input.tiers)]),
    categories: JSON.stringify([...new Set(input.categories)]),
    tags: JSON.stringify([...new Set(input.tags)]),
    channel: input.channel,
    template: input.template,
    gift_value: input.giftValue,
  };
}

/** The rule in the caller's customer:manage scope (404); changing it needs the permission over its unit (403). */
async function load(db: Tx, ctx: Ctx, id: string, change: boolean): Promise<CareRuleView> {
  const r = await repo.ruleInScope(db, id, scopeOf(ctx));
  if (!r) throw notFound();
  if (change && !holdsIn(ctx.actor, 'customer:manage', r.unit_path)) throw forbidden();
  return r;
}

export async function listCareRules(ctx: Ctx): Promise<Rule[]> {
  return (await repo.rules(ctx.db, scopeOf(ctx), 500)).map(toRule);
}

export async function createCareRule(ctx: Ctx, input: z.infer<typeof careRuleCreate>): Promise<Rule> {
  return ctx.db.transaction().execute(async (trx) => {
    const unit = await orgUnitRepository.byId(trx, input.orgUnitId);
    if (!unit || !holdsNear(ctx.actor, 'customer:manage', unit.path)) throw notFound();
    if (!holdsIn(ctx.actor, 'customer:manage', unit.path)) throw forbidden();
    const now = ctx.clock.now();
    const at = iso(now);
    const row: CareRuleRow = { id: newId(now.getTime()), org_unit_id: unit.id, ...fields(input), created_by: ctx.actor.userId, created_at: at, updated_at: at, version: 1 };
    await repo.insertRule(trx, row);
    await recordAudit(trx, ctx, { action: 'care_rule.create', entityType: 'care_rule', entityId: row.id, orgUnitId: unit.id, before: null, after: { ...input } });
    return toRule((await repo.ruleInScope(trx, row.id, { under: ['/'], above: [] }))!);
  });
}

export async function updateCareRule(ctx: Ctx, id: string, input: RuleInput): Promise<Rule> {
  return ctx.db.transaction().execute(async (trx) => {
    const r = await load(trx, ctx, id, true);
    if (Number(r.version) !== input.version) throw versionConflict();
    const patch = { ...fields(input), updated_at: iso(ctx.clock.now()) };
    if (!(await repo.updateRule(trx, id, input.version, patch))) throw versionConflict();
    await recordAudit(trx, ctx, { action: 'care_rule.update', entityType: 'care_rule', entityId: id, orgUnitId: r.org_unit_id, before: toRule(r), after: { ...input } });
    return toRule((await repo.ruleInScope(trx, id, { under: ['/'], above: [] }))!);
  });
}

export async function deleteCareRule(ctx: Ctx, id: string): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    const r = await load(trx, ctx, id, true);
    await repo.deleteRule(trx, id);
    await recordAudit(trx, ctx, { action: 'care_rule.delete', entityType: 'care_rule', entityId: id, orgUnitId: r.org_unit_id, before: toRule(r), after: null });
  });
}

/**
 * Generates the rule's care tasks for a year: one per segment customer per occasion per year (the unique
 * key makes a second run create nothing). Window = occasion date − daysMax … occasion date − daysMin.
 * Only customers the caller may manage are covered. Birthday rules skip customers without a birthday.
 */
export async function generateCareTasks(ctx: Ctx, id: string, q: z.infer<typeof careGenerateQuery>): Promise<{ created: number; existing: number }> {
  return ctx.db.transaction().execute(async (trx) => {
    const r = await load(trx, ctx, id, true);
    const rule = toRule(r);
    const candidates = await repo.candidates(trx, r.unit_path, rule.tiers, rule.categories, scopeOf(ctx));
    const now = ctx.clock.now();
    const at = iso(now);
    const rows: CareTaskRow[] = [];
    for (const c of candidates) {
      if (rule.tags.length > 0 && !json(c.tags).some((tag) => rule.tags.includes(tag))) continue;
      const date = rule.occasion === 'festival' ? festivalDate(rule.festival!, q.year) : c.birthday ? birthdayDate(c.birthday, Number(c.birthday_lunar) === 1, q.year) : null;
      if (!date) continue;
      const festival = rule.occasion === 'festival' ? FESTIVAL_NAMES[rule.festival!] : '生日';
      rows.push({
        id: newId(now.getTime()),
        rule_id: r.id,
        customer_id: c.id,
        year: q.year,
        occasion: rule.occasion === 'festival' ? rule.festival! : 'birthday',
        occasion_date: date,
        window_start: daysBefore(date, rule.daysMax),
        window_end: daysBefore(date, rule.daysMin),
        channel: rule.channel,
        message: rule.template.replaceAll('{{name}}', c.name).replaceAll('{{festival}}', festival),
        gift_value: rule.giftValue,
        status: 'pending',
        done_at: null,
        done_by: null,
        created_at: at,
        version: 1,
      });
    }
    const created = await repo.insertTasks(trx, rows);
    await recordAudit(trx, ctx, { action: 'care_rule.generate', entityType: 'care_rule', entityId: id, orgUnitId: r.org_unit_id, before: null, after: { year: q.year, created } });
    return { created, existing: rows.length - created };
  });
}

export async function listCareTasks(ctx: Ctx, q: z.infer<typeof careTaskQuery>): Promise<Task[]> {
  return (await repo.tasks(ctx.db, { scope: nearScope(ctx.actor, 'customer:read'), from: q.from, to: q.to, status: q.status, limit: q.limit })).map(toTask);
}

export async function finishCareTask(ctx: Ctx, id: string, input: z.infer<typeof careTaskDone>): Promise<Task> {
  return ctx.db.transaction().execute(async (trx) => {
    const t = await repo.taskInScope(trx, id, nearScope(ctx.actor, 'customer:read'));
    if (!t) throw notFound();
    if (!holdsNear(ctx.actor, 'customer:manage', t.unit_path)) throw forbidden();
    if (t.status !== 'pending') throw new AppError('CARE_TASK_DONE', 409);
    if (Number(t.version) !== input.version) throw versionConflict();
    const at = iso(ctx.clock.now());
    if (!(await repo.finishTask(trx, id, input.version, input.status, at, ctx.actor.userId))) throw versionConflict();
    await recordAudit(trx, ctx, { action: 'care_task.done', entityType: 'care_task', entityId: id, orgUnitId: t.customer_unit_id, before: { status: t.status }, after: { status: input.status } });
    return toTask((await repo.taskInScope(trx, id, { under: ['/'], above: [] }))!);
  });
}
