import type { z } from 'zod';
import type { Lang } from '../../../contracts/errors.ts';
import type { SlaPolicy, TicketSla, slaPolicyCreate, slaPolicyQuery, slaPolicyReorder, slaPolicyUpdate } from '../../../contracts/sla.ts';
import type { TicketStatus } from '../../../contracts/tickets.ts';
import type { Tx } from '../../../db/database.ts';
import { scopePaths } from '../../platform/actor.ts';
import { iso } from '../../platform/clock.ts';
import type { Ctx } from '../../platform/context.ts';
import { AppError, invalid, notFound, versionConflict } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { deadlineWarnings, effectiveWorkingCalendar } from '../calendar/calendar.service.ts';
import type { WorkingCalendar } from '../calendar/calendar.types.ts';
import { customerRepository } from '../customers/customer.repository.ts';
import { orgUnitRepository, type OrgUnitRow } from '../org/org-unit.repository.ts';
import { companyOf, unitChain } from '../tickets/org-chain.ts';
import { categoryChain } from '../tickets/routing.intake.ts';
import { ticketRepository, type TicketRow } from '../tickets/ticket.repository.ts';
import { getTicket } from '../tickets/ticket.service.ts';
import { consumed, dueAt, nextStage, pause, resume, retarget, stageAt, type Clock, type Stage, type StagePlan } from './sla.clock.ts';
import { failedSlaConditions, firstMatch, normaliseSlaConditions, parsePolicy, storedEscalation, storedTargets, type SlaFacts, type StoredEscalation, type StoredTargets } from './sla.policy.ts';
import { slaRepository as repo, type SlaClockRow, type SlaPolicyView } from './sla.repository.ts';

/**
 * Service time limits (服务时限): policies managed by holders of sla:manage over a company or a
 * group, and the clocks they start on work orders. The clock hooks run inside the transaction of
 * the change that moves a clock (intake, status, first reply, priority/type), so a deadline is
 * stored exactly when the change is.
 */
const MAX_POLICIES_PER_UNIT = 100;
const MIN = 60_000;

// ---------------------------------------------------------------- policies

function toPolicy(r: SlaPolicyView, warnings: SlaPolicy['warnings'] = []): SlaPolicy {
  const p = parsePolicy(r);
  return {
    id: r.id,
    orgUnitId: r.org_unit_id,
    orgUnitName: r.unit_name,
    position: Number(r.position),
    name: r.name,
    enabled: r.enabled === 1,
    conditions: p.conditions,
    targets: p.targets,
    escalation: p.escalation,
    version: Number(r.version),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    warnings,
  };
}

/**
 * A policy whose targets count working time needs the official holidays of this year and the next
 * on its unit's calendar (a deadline falling in a year without them counts plain weekends): say so.
 * Calendar-time targets and calendars without the official set need none.
 */
async function policyWarnings(db: Tx, lang: Lang, rows: SlaPolicyView[], now: Date): Promise<Map<string, SlaPolicy['warnings']>> {
  const byUnit = new Map<string, SlaPolicy['warnings']>();
  const out = new Map<string, SlaPolicy['warnings']>();
  const to = new Date(Date.UTC(now.getUTCFullYear() + 1, 11, 31, 12)); // 31 December next year, in any time zone
  for (const r of rows) {
    const t = parsePolicy(r).targets;
    if (!Object.values(t).some((x) => x?.mode === 'working')) continue;
    if (!byUnit.has(r.org_unit_id)) byUnit.set(r.org_unit_id, await deadlineWarnings(db, lang, r.org_unit_id, now, to));
    out.set(r.id, byUnit.get(r.org_unit_id)!);
  }
  return out;
}
async function withWarnings(db: Tx, ctx: Ctx, rows: SlaPolicyView[]): Promise<SlaPolicy[]> {
  const w = await policyWarnings(db, ctx.lang, rows, ctx.clock.now());
  return rows.map((r) => toPolicy(r, w.get(r.id)));
}
const audited = (r: { name: string; enabled: number; conditions: string; targets: string; escalation: string }) => ({
  name: r.name,
  enabled: r.enabled === 1,
  conditions: JSON.parse(r.conditions) as unknown,
  targets: JSON.parse(r.targets) as unknown,
  escalation: JSON.parse(r.escalation) as unknown,
});

async function policyUnit(trx: Tx, ctx: Ctx, unitId: string): Promise<OrgUnitRow> {
  const unit = await orgUnitRepository.byIdInScope(trx, unitId, scopePaths(ctx.actor, 'sla:manage'));
  if (!unit) throw notFound();
  if (unit.kind !== 'company' && unit.kind !== 'group') throw invalid('orgUnitId', ctx.lang === 'zh' ? '须为分公司/分店或集团' : 'must be a company or a group');
  return unit;
}

async function checkConditions(trx: Tx, ctx: Ctx, unit: OrgUnitRow, c: z.infer<typeof slaPolicyCreate>['conditions']): Promise<void> {
  const zh = ctx.lang === 'zh';
  for (const [i, id] of (c.categoryIds ?? []).entries()) {
    if (!(await ticketRepository.categoryById(trx, id))) throw invalid(`conditions.categoryIds.${i}`, zh ? '没有这个分类' : 'unknown category');
  }
  const units = new Map((await ticketRepository.unitsByIds(trx, c.branchIds ?? [])).map((u) => [u.id, u]));
  for (const [i, id] of (c.branchIds ?? []).entries()) {
    const u = units.get(id);
    if (!u || u.kind !== 'company' || !u.path.startsWith(unit.path)) throw invalid(`conditions.branchIds.${i}`, zh ? '须为本单位范围内的分公司/分店' : 'must be a company within the policy’s unit');
  }
}

export async function listPolicies(ctx: Ctx, q: z.infer<typeof slaPolicyQuery>): Promise<SlaPolicy[]> {
  return withWarnings(ctx.db, ctx, await repo.list(ctx.db, scopePaths(ctx.actor, 'sla:manage'), q.orgUnitId));
}

export async function createPolicy(ctx: Ctx, input: z.infer<typeof slaPolicyCreate>): Promise<SlaPolicy> {
  return ctx.db.transaction().execute(async (trx) => {
    const unit = await policyUnit(trx, ctx, input.orgUnitId);
    await checkConditions(trx, ctx, unit, input.conditions);
    const { n, maxPosition } = await repo.countInUnit(trx, unit.id);
    if (n >= MAX_POLICIES_PER_UNIT) throw new AppError('SLA_POLICY_LIMIT', 409);
    const at = iso(ctx.clock.now());
    const row = {
      id: newId(),
      org_unit_id: unit.id,
      position: maxPosition + 1,
      name: input.name,
      enabled: input.enabled ? 1 : 0,
      conditions: JSON.stringify(normaliseSlaConditions(input.conditions)),
      targets: JSON.stringify(storedTargets(input.targets)),
      escalation: JSON.stringify(storedEscalation(input.escalation)),
      created_at: at,
      updated_at: at,
      version: 1,
    };
    await repo.insert(trx, row);
    await recordAudit(trx, ctx, { action: 'sla_policy.create', entityType: 'sla_policy', entityId: row.id, orgUnitId: unit.id, after: { position: row.position, ...audited(row) } });
    return (await withWarnings(trx, ctx, [(await repo.byId(trx, row.id))!]))[0];
  });
}

/** A changed policy applies to work orders from their next recomputation (intake, priority or type change, reopen). */
export async function updatePolicy(ctx: Ctx, id: string, input: z.infer<typeof slaPolicyUpdate>): Promise<SlaPolicy> {
  return ctx.db.transaction().execute(async (trx) => {
    const p = await repo.byIdInScope(trx, id, scopePaths(ctx.actor, 'sla:manage'));
    if (!p) throw notFound();
    if (Number(p.version) !== input.version) throw versionConflict();
    const unit = (await orgUnitRepository.byId(trx, p.org_unit_id))!;
    if (input.conditions) await checkConditions(trx, ctx, unit, input.conditions);
    const patch = {
      name: input.name ?? p.name,
      enabled: input.enabled === undefined ? p.enabled : input.enabled ? 1 : 0,
      conditions: input.conditions ? JSON.stringify(normaliseSlaConditions(input.conditions)) : p.conditions,
      targets: input.targets ? JSON.stringify(storedTargets(input.targets)) : p.targets,
      escalation: input.escalation ? JSON.stringify(storedEscalation(input.escalation)) : p.escalation,
      updated_at: iso(ctx.clock.now()),
    };
    if (!(await repo.update(trx, id, input.version, patch))) throw versionConflict();
    await recordAudit(trx, ctx, { action: 'sla_policy.update', entityType: 'sla_policy', entityId: id, orgUnitId: p.org_unit_id, before: audited(p), after: audited(patch) });
    return (await withWarnings(trx, ctx, [(await repo.byId(trx, id))!]))[0];
  });
}

export async function deletePolicy(ctx: Ctx, id: string): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    const p = await repo.byIdInScope(trx, id, scopePaths(ctx.actor, 'sla:manage'));
    if (!p) throw notFound();
    await repo.delete(trx, id); // clocks keep their copied plan; tickets' policy link is set null
    await recordAudit(trx, ctx, { action: 'sla_policy.delete', entityType: 'sla_policy', entityId: id, orgUnitId: p.org_unit_id, before: audited(p) });
  });
}

export async function reorderPolicies(ctx: Ctx, input: z.infer<typeof slaPolicyReorder>): Promise<SlaPolicy[]> {
  return ctx.db.transaction().execute(async (trx) => {
    const unit = await policyUnit(trx, ctx, input.orgUnitId);
    const current = await repo.list(trx, ['/'], unit.id);
    const ids = current.map((p) => p.id);
    if (input.ids.length !== ids.length || new Set(input.ids).size !== ids.length || !input.ids.every((i) => ids.includes(i))) {
      throw invalid('ids', ctx.lang === 'zh' ? '须列出该单位的每一条策略，各一次' : 'must list every policy of the unit once');
    }
    const at = iso(ctx.clock.now());
    for (const [i, pid] of input.ids.entries()) await repo.setPosition(trx, pid, i + 1, at);
    await recordAudit(trx, ctx, { action: 'sla_policy.reorder', entityType: 'org_unit', entityId: unit.id, orgUnitId: unit.id, before: { order: ids }, after: { order: input.ids } });
    return withWarnings(trx, ctx, await repo.list(trx, ['/'], unit.id));
  });
}

// ---------------------------------------------------------------- matching

type TicketFacts = Pick<TicketRow, 'id' | 'type' | 'priority' | 'severity' | 'channel' | 'category_id' | 'customer_id' | 'org_unit_id' | 'department_id'>;

/** The policy that applies to a work order now: its company's first, then the units above, nearest first. */
async function policyFor(trx: Tx, t: TicketFacts, knownChain?: OrgUnitRow[]): Promise<SlaPolicyView | undefined> {
  let chain = knownChain;
  if (!chain) {
    const unit = await orgUnitRepository.byId(trx, t.org_unit_id);
    if (!unit) return undefined;
    chain = await unitChain(trx, unit.path);
  }
  const company = companyOf(chain);
  const upward = chain.slice(0, chain.indexOf(company) + 1).reverse();
  const distance = new Map(upward.map((u, i) => [u.id, i]));
  const policies = (await repo.ofUnits(trx, upward.map((u) => u.id))).sort(
    (a, b) => distance.get(a.org_unit_id)! - distance.get(b.org_unit_id)! || Number(a.position) - Number(b.position) || (a.id < b.id ? -1 : 1),
  );
  if (policies.length === 0) return undefined;
  const customer = t.customer_id ? await customerRepository.byId(trx, t.customer_id) : undefined;
  const facts: SlaFacts = {
    type: t.type,
    priority: Number(t.priority),
    severity: t.severity === null ? null : Number(t.severity),
    channel: t.channel,
    categoryIds: await categoryChain(trx, t.category_id),
    customer: customer ? { tier: customer.tier, vip: customer.vip === 1 } : null,
    companyId: company.id,
  };
  return firstMatch(policies, facts);
}

/** Exported for the dry run and tests: which conditions of a policy fail for these facts. */
export { failedSlaConditions };

// ---------------------------------------------------------------- clocks

type ClockTarget = SlaClockRow['target'];
const calendarUnit = (t: Pick<TicketRow, 'department_id' | 'org_unit_id'>) => t.department_id ?? t.org_unit_id;

const toClock = (r: SlaClockRow): Clock => ({
  mode: r.mode,
  targetMs: Number(r.target_ms),
  consumedMs: Number(r.consumed_ms),
  segmentStart: r.segment_start ? new Date(r.segment_start) : null,
});
const planOf = (r: Pick<SlaClockRow, 'plan'>): StoredEscalation => JSON.parse(r.plan) as StoredEscalation;
const stagePlan = (e: StoredEscalation): StagePlan => ({ warnPercent: e.warnPercent, levels: e.levels });

/** The derived columns of a clock: due, warning instant, the next stage and when the sweep looks again. */
function derived(cal: WorkingCalendar, c: Clock, plan: StoredEscalation, lastStage: string | null, now: Date) {
  const due = dueAt(cal, c);
  const warn = stageAt(cal, c, stagePlan(plan), 'warning');
  let next = nextStage(cal, c, stagePlan(plan), lastStage as Stage | null);
  // A warning is pointless once the deadline itself has passed: go straight to the breach.
  if (next?.stage === 'warning' && due && due <= now) next = { stage: 'breach', at: due };
  return {
    mode: c.mode,
    target_ms: c.targetMs,
    consumed_ms: c.consumedMs,
    segment_start: c.segmentStart ? iso(c.segmentStart) : null,
    due_at: due ? iso(due) : null,
    warn_at: warn ? iso(warn) : null,
    next_stage: next?.stage ?? null,
    next_check_at: next ? iso(next.at) : null,
  };
}

async function startClock(trx: Tx, t: TicketFacts, policyId: string, target: ClockTarget, spec: NonNullable<StoredTargets['resolution']>, esc: StoredEscalation, cycle: number, start: Date, now: Date, paused: boolean): Promise<SlaClockRow> {
  const unitId = calendarUnit(t);
  const cal = await effectiveWorkingCalendar(trx, unitId);
  let c: Clock = { mode: spec.mode, targetMs: spec.minutes * MIN, consumedMs: 0, segmentStart: start };
  if (paused) c = pause(cal, c, now);
  const row: SlaClockRow = {
    id: newId(now.getTime()),
    ticket_id: t.id,
    policy_id: policyId,
    target,
    cycle,
    state: paused ? 'paused' : 'running',
    plan: JSON.stringify(esc),
    last_stage: null,
    stopped_at: null,
    breached_at: null,
    breach_status: null,
    calendar_unit_id: unitId,
    created_at: iso(now),
    updated_at: iso(now),
    ...derived(cal, c, esc, null, now),
  };
  await repo.insertClock(trx, row);
  return row;
}

/** Keeps the ticket's due_at (the overdue queue's column) on the live resolution clock. */
async function syncTicketDue(trx: Tx, ticketId: string): Promise<void> {
  const live = (await repo.liveClocks(trx, ticketId)).find((c) => c.target === 'resolution');
  if (live) await repo.setTicketDue(trx, ticketId, live.due_at);
}

/** At intake, in its transaction: the matching policy is recorded on the order and its clocks start. */
/**
 * The policy intake will apply (startSla's first step, for a caller that reads everything before taking locks);
 * `chain`: the work order's unit and its ancestors (unitChain), when the caller has read them already.
 */
export async function slaPolicyAtIntake(trx: Tx, t: TicketFacts, chain?: OrgUnitRow[]): Promise<SlaPolicyView | null> {
  return (await policyFor(trx, t, chain)) ?? null;
}

/**
 * `matched`: the policy slaPolicyAtIntake found for this row (null: none), else it is looked up here.
 * Returns the ticket columns it set, so that the caller's copy of the row stays what is stored.
 */
export async function startSla(trx: Tx, ctx: Ctx, t: TicketRow, matched?: SlaPolicyView | null): Promise<Partial<Pick<TicketRow, 'sla_policy_id' | 'due_at'>>> {
  const policy = matched === undefined ? await policyFor(trx, t) : matched;
  if (!policy) return {};
  const set: Partial<Pick<TicketRow, 'sla_policy_id' | 'due_at'>> = { sla_policy_id: policy.id };
  const { targets, escalation } = parsePolicy(policy);
  const now = ctx.clock.now();
  await repo.setTicketPolicy(trx, t.id, policy.id);
  const created = new Date(t.created_at);
  const data: Record<string, unknown> = { policyId: policy.id, policy: policy.name };
  if (targets.firstResponse && !t.first_response_at) {
    const c = await startClock(trx, t, policy.id, 'firstResponse', targets.firstResponse, escalation, 0, created, now, false);
    data.firstResponseDue = c.due_at;
  }
  if (targets.resolution) {
    const c = await startClock(trx, t, policy.id, 'resolution', targets.resolution, escalation, 0, created, now, false);
    data.resolutionDue = c.due_at;
    await repo.setTicketDue(trx, t.id, c.due_at);
    set.due_at = c.due_at;
  }
  await ticketRepository.appendEvents(trx, t.id, iso(now), { id: ctx.actor.userId, name: ctx.actor.displayName }, [{ kind: 'sla.applied', data }]);
  return set;
}

const openStatuses: readonly TicketStatus[] = ['new', 'assigned', 'in_progress', 'waiting_customer', 'waiting_department'];

/**
 * After a status change (in its transaction, after the ticket row was written): waiting on the
 * customer pauses every live clock and leaving it resumes them; resolving or closing stops them
 * (met, or breached when the deadline passed first); reopening starts a new resolution target.
 */
export async function slaAfterStatus(trx: Tx, ctx: Ctx, t: TicketRow, from: TicketStatus, to: TicketStatus): Promise<void> {
  const now = ctx.clock.now();
  const at = iso(now);
  const live = await repo.liveClocks(trx, t.id);
  const wasOpen = openStatuses.includes(from);
  const isOpen = openStatuses.includes(to);
  if (wasOpen && !isOpen) {
    for (const r of live) {
      const cal = await effectiveWorkingCalendar(trx, r.calendar_unit_id);
      const c = pause(cal, toClock(r), now);
      const late = r.breached_at !== null || c.consumedMs > c.targetMs;
      await repo.updateClock(trx, r.id, { state: late ? 'breached' : 'met', consumed_ms: c.consumedMs, segment_start: null, stopped_at: at, next_stage: null, next_check_at: null, updated_at: at });
    }
    return;
  }
  if (!wasOpen && isOpen) {
    // Reopened: a new resolution target from now, with the policy that applies today.
    if (!t.sla_policy_id && live.length === 0) {
      const policy = await policyFor(trx, t);
      if (!policy) return;
      await repo.setTicketPolicy(trx, t.id, policy.id);
      t = { ...t, sla_policy_id: policy.id };
    }
    const policy = t.sla_policy_id ? await repo.byId(trx, t.sla_policy_id) : undefined;
    if (!policy) return;
    const { targets, escalation } = parsePolicy(policy);
    if (!targets.resolution) return;
    const cycles = (await repo.clocksOf(trx, t.id)).filter((c) => c.target === 'resolution').map((c) => Number(c.cycle));
    const cycle = cycles.length ? Math.max(...cycles) + 1 : 0;
    const c = await startClock(trx, t, policy.id, 'resolution', targets.resolution, escalation, cycle, now, now, to === 'waiting_customer');
    await repo.setTicketDue(trx, t.id, c.due_at);
    await ticketRepository.appendEvents(trx, t.id, at, { id: ctx.actor.userId, name: ctx.actor.displayName }, [{ kind: 'sla.restarted', data: { cycle, resolutionDue: c.due_at } }]);
    return;
  }
  if (!isOpen) return;
  const pausing = to === 'waiting_customer' && from !== 'waiting_customer';
  const resuming = from === 'waiting_customer' && to !== 'waiting_customer';
  if (!pausing && !resuming) return;
  for (const r of live) {
    const cal = await effectiveWorkingCalendar(trx, r.calendar_unit_id);
    const c = pausing ? pause(cal, toClock(r), now) : resume(toClock(r), now);
    await repo.updateClock(trx, r.id, { ...derived(cal, c, planOf(r), r.last_stage, now), state: pausing ? 'paused' : 'running', updated_at: at });
  }
  if (pausing) {
    if (live.some((r) => r.target === 'resolution')) await repo.setTicketDue(trx, t.id, null);
  } else await syncTicketDue(trx, t.id);
}

/** The first public reply stops the first-response clock. */
export async function slaAfterFirstResponse(trx: Tx, ctx: Ctx, ticketId: string): Promise<void> {
  const now = ctx.clock.now();
  const at = iso(now);
  for (const r of await repo.liveClocks(trx, ticketId)) {
    if (r.target !== 'firstResponse') continue;
    const cal = await effectiveWorkingCalendar(trx, r.calendar_unit_id);
    const c = pause(cal, toClock(r), now);
    const late = r.breached_at !== null || c.consumedMs > c.targetMs;
    await repo.updateClock(trx, r.id, { state: late ? 'breached' : 'met', consumed_ms: c.consumedMs, segment_start: null, stopped_at: at, next_stage: null, next_check_at: null, updated_at: at });
  }
}

/**
 * The order's type, priority, severity, category or department changed: the policy is matched again
 * and live clocks take the new targets without losing the time already used. A target the new
 * policy lacks is cancelled; one it adds starts from the order's registration (resolution) .
 */
export async function slaAfterChange(trx: Tx, ctx: Ctx, t: TicketRow): Promise<void> {
  if (!openStatuses.includes(t.status)) return;
  const now = ctx.clock.now();
  const at = iso(now);
  const policy = await policyFor(trx, t);
  const live = await repo.liveClocks(trx, t.id);
  const before = live.map((r) => ({ target: r.target, due: r.due_at }));
  if (!policy && !t.sla_policy_id && live.length === 0) return; // no limits before, none now: nothing to say
  await repo.setTicketPolicy(trx, t.id, policy?.id ?? null);
  const parsed = policy ? parsePolicy(policy) : null;
  for (const r of live) {
    const spec = parsed?.targets[r.target] ?? null;
    const cal = await effectiveWorkingCalendar(trx, r.calendar_unit_id);
    if (!spec || !policy) {
      const c = pause(cal, toClock(r), now);
      await repo.updateClock(trx, r.id, { state: 'cancelled', consumed_ms: c.consumedMs, segment_start: null, stopped_at: at, next_stage: null, next_check_at: null, updated_at: at });
      continue;
    }
    const c = retarget(cal, toClock(r), now, spec.mode, spec.minutes * MIN);
    await repo.updateClock(trx, r.id, { ...derived(cal, c, parsed!.escalation, r.last_stage, now), policy_id: policy.id, plan: JSON.stringify(parsed!.escalation), updated_at: at });
  }
  if (policy && parsed) {
    const paused = t.status === 'waiting_customer';
    if (parsed.targets.resolution && !live.some((r) => r.target === 'resolution')) {
      await startClock(trx, t, policy.id, 'resolution', parsed.targets.resolution, parsed.escalation, Number(t.reopen_count), Number(t.reopen_count) > 0 ? now : new Date(t.created_at), now, paused);
    }
    if (parsed.targets.firstResponse && !t.first_response_at && Number(t.reopen_count) === 0 && !(await repo.clocksOf(trx, t.id)).some((r) => r.target === 'firstResponse')) {
      await startClock(trx, t, policy.id, 'firstResponse', parsed.targets.firstResponse, parsed.escalation, 0, new Date(t.created_at), now, paused);
    }
  }
  const after = (await repo.liveClocks(trx, t.id)).map((r) => ({ target: r.target, due: r.due_at }));
  if (!after.some((r) => r.target === 'resolution') && live.some((r) => r.target === 'resolution')) await repo.setTicketDue(trx, t.id, null);
  else await syncTicketDue(trx, t.id);
  await ticketRepository.appendEvents(trx, t.id, at, { id: ctx.actor.userId, name: ctx.actor.displayName }, [
    { kind: 'sla.recomputed', data: { policyId: policy?.id ?? null, policy: policy?.name ?? null, before, after } },
  ]);
}

/** After a stage fired (the sweep, in its transaction): remember it and plan the next one. */
export async function advance(trx: Tx, r: SlaClockRow, stage: Stage, now: Date, ticketStatus: string): Promise<void> {
  const cal = await effectiveWorkingCalendar(trx, r.calendar_unit_id);
  const d = derived(cal, toClock(r), planOf(r), stage, now);
  await repo.updateClock(trx, r.id, {
    last_stage: stage,
    next_stage: d.next_stage,
    next_check_at: d.next_check_at,
    ...(stage === 'breach' ? { breached_at: iso(now), breach_status: ticketStatus } : {}),
    updated_at: iso(now),
  });
}

/** The minutes and scale a policy sets for a callback or a hand-off, when the order has a policy that sets them. */
export async function policyTarget(trx: Tx, t: Pick<TicketRow, 'sla_policy_id'>, target: 'callback' | 'handoff'): Promise<StoredTargets['callback']> {
  if (!t.sla_policy_id) return null;
  const p = await repo.byId(trx, t.sla_policy_id);
  return p ? parsePolicy(p).targets[target] : null;
}

// ---------------------------------------------------------------- reading

export async function clockViews(db: Tx, lang: Lang, t: Pick<TicketRow, 'id' | 'sla_policy_id'>, now: Date): Promise<TicketSla> {
  const rows = await repo.clocksOf(db, t.id);
  const policy = t.sla_policy_id ? await repo.byId(db, t.sla_policy_id) : undefined;
  const clocks = [];
  const warnings: TicketSla['warnings'] = [];
  for (const r of rows) {
    const cal = await effectiveWorkingCalendar(db, r.calendar_unit_id);
    const c = toClock(r);
    const used = r.stopped_at ? c.consumedMs : consumed(cal, c, now);
    clocks.push({
      target: r.target,
      cycle: Number(r.cycle),
      mode: r.mode,
      targetMinutes: Math.round(Number(r.target_ms) / MIN),
      state: r.state,
      dueAt: r.due_at,
      remainingMs: c.targetMs - used,
      warnAt: r.warn_at,
      lastStage: (r.last_stage as Stage | null) ?? null,
      stoppedAt: r.stopped_at,
      breachedAt: r.breached_at,
    });
    if (r.due_at && (r.state === 'running' || r.state === 'paused')) {
      for (const w of await deadlineWarnings(db, lang, r.calendar_unit_id, new Date(r.created_at), new Date(r.due_at))) {
        if (!warnings.some((x) => x.code === w.code && x.year === w.year)) warnings.push(w);
      }
    }
  }
  return { policyId: policy?.id ?? null, policyName: policy?.name ?? null, clocks, warnings };
}

export type { Stage };

/** `GET /tickets/:id/sla`: the policy and clocks of an order the caller may read (404 otherwise). */
export async function ticketSlaOf(ctx: Ctx, id: string): Promise<TicketSla> {
  await getTicket(ctx, id);
  const t = await repo.ticketPolicy(ctx.db, id);
  return clockViews(ctx.db, ctx.lang, t, ctx.clock.now());
}
