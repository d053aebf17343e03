import type { z } from 'zod';
import { slaAfterChange, slaPolicyAtIntake, startSla } from '../sla/sla.service.ts';
import {
  ticketPriorities,
  ticketQueues,
  type Ticket,
  type TicketPriority,
  type TicketSummary,
  type TimelineEvent,
  type ticketCreate,
  type ticketFilterQuery,
  type ticketQuery,
  type ticketUpdate,
} from '../../../contracts/tickets.ts';
import type { Permission } from '../../../contracts/permissions.ts';
import type { Tx } from '../../../db/database.ts';
import { holdsIn, scopePaths } from '../../platform/actor.ts';
import { iso } from '../../platform/clock.ts';
import type { Ctx } from '../../platform/context.ts';
import { forbidden, invalid, notFound, versionConflict } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { recordAudit, subjectKey } from '../audit/audit.service.ts';
import { customerRepository, type CustomerView } from '../customers/customer.repository.ts';
import { holdsNear } from '../customers/customer.scope.ts';
import { maskedContact, unprotectedPhone } from '../customers/customer-file.service.ts';
import { orgUnitRepository, type OrgUnitRow } from '../org/org-unit.repository.ts';
import { userRepository, type GrantRow } from '../users/user.repository.ts';
import { actingUnitId } from '../users/user.service.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';
import { mergeRepository } from './merge.repository.ts';
import { companyOf, departmentOf, unitChain } from './org-chain.ts';
import { applyRouting, planRouting } from './routing.intake.ts';
import { customFieldsAtIntake, customFieldsOnUpdate } from './ticket-field.service.ts';
import { watcherRepository } from './watcher.repository.ts';
import { localDay, ticketNumber } from './ticket.numbering.ts';
import { ticketRepository as repo, type After, type SortColumn, type TicketFilter, type TicketRow, type TicketView } from './ticket.repository.ts';

const DAY = 86_400_000;
export const priorityRank = (p: TicketPriority) => ticketPriorities.indexOf(p);
const priorityOf = (n: number): TicketPriority => ticketPriorities[Number(n)] ?? 'normal';

export function toSummary(r: TicketView): TicketSummary {
  return {
    id: r.id,
    number: r.number,
    type: r.type,
    channel: r.channel,
    subject: r.subject,
    customerId: r.customer_id,
    customerName: r.customer_name,
    customerPhone: r.customer_phone,
    categoryId: r.category_id,
    categoryName: r.category_name,
    priority: priorityOf(r.priority),
    severity: r.severity === null ? null : Number(r.severity),
    tags: JSON.parse(r.tags) as string[],
    orgUnitId: r.org_unit_id,
    orgUnitName: r.unit_name,
    departmentId: r.department_id,
    departmentName: r.department_name,
    assigneeId: r.assignee_id,
    assigneeName: r.assignee_name,
    status: r.status,
    dueAt: r.due_at,
    firstResponseAt: r.first_response_at,
    resolvedAt: r.resolved_at,
    closedAt: r.closed_at,
    closeReason: r.close_reason,
    reopenCount: Number(r.reopen_count),
    createdBy: r.created_by,
    createdByName: r.created_by_name,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    version: Number(r.version),
  };
}

export function toTicket(r: TicketView, c: CustomerView | undefined, watchers: Ticket['watchers'] = []): Ticket {
  return {
    ...toSummary(r),
    description: r.description,
    customer: c ? { id: c.id, name: c.name, phone: c.phone, email: c.email, vip: c.vip === 1, tier: c.tier } : null,
    customFields: JSON.parse(r.custom_fields) as Record<string, unknown>,
    watchers,
  };
}

/** What the audit trail keeps of a work order; the caller's contact data and the story are personal. */
export const audited = (t: TicketRow) => ({
  number: t.number,
  type: t.type,
  channel: t.channel,
  subject: t.subject,
  description: t.description,
  customerId: t.customer_id,
  customerName: t.customer_name,
  customerPhone: t.customer_phone,
  categoryId: t.category_id,
  priority: priorityOf(t.priority),
  severity: t.severity,
  tags: JSON.parse(t.tags) as string[],
  orgUnitId: t.org_unit_id,
  departmentId: t.department_id,
  assigneeId: t.assignee_id,
  status: t.status,
  customFields: JSON.parse(t.custom_fields) as Record<string, unknown>,
});
export const personal = (t: Pick<TicketRow, 'id' | 'customer_id'>) => ({
  subjectType: t.customer_id ? 'customer' : 'ticket',
  subjectId: t.customer_id ?? t.id,
  fields: ['customerName', 'customerPhone', 'description'] as const,
});
export const eventActor = (ctx: Ctx) => ({ id: ctx.actor.userId, name: ctx.actor.displayName });

/** True when someone's grants (as loaded by userRepository.grantsOf) give the permission over the unit. */
export function grantsHold(grants: GrantRow[], permission: Permission, unitPath: string): boolean {
  return grants.some((g) => unitPath.startsWith(g.unit_path) && (JSON.parse(g.permissions) as string[]).includes(permission));
}

/** A work order the caller may read (else 404) and change with `permission` (else 403). */
export async function loadForChange(trx: Tx, ctx: Ctx, id: string, permission: Permission): Promise<TicketView> {
  const t = await repo.byIdInScope(trx, id, scopePaths(ctx.actor, 'ticket:read'));
  if (!t) throw notFound();
  if (!holdsIn(ctx.actor, permission, t.unit_path)) throw forbidden();
  return t;
}

async function checkDepartment(trx: Tx, ctx: Ctx, departmentId: string, company: OrgUnitRow): Promise<OrgUnitRow> {
  const d = await orgUnitRepository.byId(trx, departmentId);
  if (!d || d.kind !== 'department' || !d.path.startsWith(company.path)) {
    throw invalid('departmentId', ctx.lang === 'zh' ? '须为本单位的部门' : 'must be a department of the same company');
  }
  return d;
}

async function checkCategory(trx: Tx, ctx: Ctx, categoryId: string): Promise<{ name: string }> {
  // A disabled category is not offered any more; the orders that have it keep it (only a change is checked).
  const c = await repo.categoryById(trx, categoryId);
  if (!c?.enabled) throw invalid('categoryId', ctx.lang === 'zh' ? '没有这个分类或已停用' : 'unknown or disabled category');
  return c;
}

/** A work order links a customer of its own company (or a group-level one). */
async function linkableCustomer(trx: Tx, ctx: Ctx, customerId: string, unitPath: string): Promise<CustomerView> {
  const c = await customerRepository.byId(trx, customerId);
  if (!c || !unitPath.startsWith(c.unit_path)) throw invalid('customerId', ctx.lang === 'zh' ? '须为本单位的客户' : 'must be a customer of the same company');
  return c;
}

function checkSeverity(ctx: Ctx, type: TicketRow['type'], severity: number | null | undefined): void {
  if (severity != null && type !== 'complaint') throw invalid('severity', ctx.lang === 'zh' ? '仅投诉可定级' : 'complaints only');
}

export async function createTicket(ctx: Ctx, input: z.infer<typeof ticketCreate>): Promise<Ticket> {
  return ctx.db.transaction().execute(async (trx) => {
    const unitId = await actingUnitId(trx, ctx, input.orgUnitId);
    const unit = await orgUnitRepository.byIdInScope(trx, unitId, scopePaths(ctx.actor, 'ticket:create'));
    if (!unit) throw notFound();
    const chain = await unitChain(trx, unit.path);
    const company = companyOf(chain);
    const namedDepartment = input.departmentId ? await checkDepartment(trx, ctx, input.departmentId, company) : undefined;
    const category = input.categoryId ? await checkCategory(trx, ctx, input.categoryId) : undefined;
    checkSeverity(ctx, input.type, input.severity);
    const customer = input.customerId ? await linkableCustomer(trx, ctx, input.customerId, unit.path) : undefined;
    const customFields = await customFieldsAtIntake(trx, ctx, unit.path, input.type, input.customFields);

    const now = ctx.clock.now();
    const day = localDay(now, company.time_zone);
    const ownDepartment = departmentOf(chain);
    const row: TicketRow = {
      id: newId(now.getTime()),
      number: '', // taken from the daily counter just before the insert (below)
      type: input.type,
      channel: input.channel,
      subject: input.subject,
      description: input.description,
      customer_id: customer?.id ?? null,
      customer_name: input.customerName ?? customer?.name ?? null,
      customer_phone: input.customerPhone ?? (customer ? unprotectedPhone(customer, ctx.clock.now()) : null),
      category_id: input.categoryId ?? null,
      priority: priorityRank(input.priority),
      severity: input.severity ?? null,
      tags: JSON.stringify(input.tags),
      org_unit_id: unit.id,
      // By default the department the order was registered in answers for it.
      department_id: input.departmentId === undefined ? (ownDepartment?.id ?? null) : input.departmentId,
      assignee_id: null,
      status: 'new',
      due_at: null,
      first_response_at: null,
      resolved_at: null,
      closed_at: null,
      close_reason: null,
      reopen_count: 0,
      created_by: ctx.actor.userId,
      created_at: iso(now),
      updated_at: iso(now),
      version: 1,
      routing_rule_id: null,
      escalation_level: null,
      custom_fields: customFields,
      merged_into_id: null,
      sla_policy_id: null,
    };
    // Routing (分流): the first matching rule may set the department, priority, tags and assignee, and hand off.
    const customerFacts = customer ? { tier: customer.tier, vip: customer.vip === 1 } : null;
    const { plan } = await planRouting(trx, { row, unit, chain, company, customer: customerFacts, explicitDepartment: input.departmentId !== undefined, now }, true);
    if (plan) Object.assign(row, plan.patch);
    const slaPolicy = await slaPolicyAtIntake(trx, row, chain);
    // The counter row is locked until commit (PostgreSQL), so every statement that can go before it does: the reads,
    // the audit subject's key (a work order without a customer file is its own data subject, new in this
    // transaction) and the live mark (delivered after commit either way).
    const subject = personal(row);
    const key = await subjectKey(trx, ctx, subject.subjectType, subject.subjectId, !row.customer_id);
    await repo.markChanged(trx, row.id);
    row.number = ticketNumber(company.code, day, await repo.nextSequence(trx, company.id, day));
    await repo.insert(trx, row, false);
    await repo.appendEvents(
      trx,
      row.id,
      row.created_at,
      eventActor(ctx),
      [{ kind: 'created', data: { number: row.number, type: row.type, channel: row.channel, priority: input.priority, severity: row.severity } }],
      0,
    );
    if (plan) await applyRouting(trx, ctx, row, plan);
    Object.assign(row, await startSla(trx, ctx, row, slaPolicy));
    await recordAudit(trx, ctx, { action: 'ticket.create', entityType: 'ticket', entityId: row.id, orgUnitId: row.org_unit_id, after: audited(row), personal: { ...subject, key } });
    // The reply is built from what was written (the same as reading it back) when the caller may read the order through its
    // unit; otherwise (readable only through a department hand-off, or not at all) it is read back with the scope check.
    if (!holdsIn(ctx.actor, 'ticket:read', unit.path)) return getTicket(ctx, row.id, trx);
    const department = row.department_id === null ? null : [plan?.department, namedDepartment, ownDepartment].find((d) => d?.id === row.department_id);
    if (row.department_id !== null && !department) return getTicket(ctx, row.id, trx);
    const view: TicketView = {
      ...row,
      unit_name: unit.name,
      unit_path: unit.path,
      department_name: department?.name ?? null,
      department_path: department?.path ?? null,
      assignee_name: row.assignee_id === null ? null : (plan?.assignee?.name ?? null),
      category_name: category?.name ?? null,
      created_by_name: ctx.actor.userId ? ctx.actor.displayName : null,
    };
    return { ...toTicket(view, customer && holdsNear(ctx.actor, 'customer:read', customer.unit_path) ? maskedContact(customer, ctx.clock.now()) : undefined, []), mergedInto: null };
  });
}

export async function getTicket(ctx: Ctx, id: string, db: Tx = ctx.db): Promise<Ticket> {
  const t = await repo.byIdInScope(db, id, scopePaths(ctx.actor, 'ticket:read'));
  if (!t) throw notFound();
  // The customer file's details (e-mail, VIP, tier) are for those who may read customer files.
  const c = t.customer_id ? await customerRepository.byId(db, t.customer_id) : undefined;
  const mergedInto = await mergeRepository.mergedInto(db, t.merged_into_id, scopePaths(ctx.actor, 'ticket:read'));
  const watchers = (await watcherRepository.list(db, id)).map((w) => ({ userId: w.user_id, name: w.display_name }));
  return { ...toTicket(t, c && holdsNear(ctx.actor, 'customer:read', c.unit_path) ? maskedContact(c, ctx.clock.now()) : undefined, watchers), mergedInto };
}

/** The caller's department: the nearest department at or above their own unit. */
async function myDepartmentId(db: Tx, ctx: Ctx): Promise<string | null> {
  const me = ctx.actor.userId ? await userRepository.byId(db, ctx.actor.userId) : undefined;
  return me ? (departmentOf(await unitChain(db, me.unit_path))?.id ?? null) : null;
}

async function baseFilter(ctx: Ctx, needDepartment: boolean): Promise<TicketFilter> {
  const now = ctx.clock.now();
  return {
    paths: scopePaths(ctx.actor, 'ticket:read'),
    me: ctx.actor.userId,
    myDepartmentId: needDepartment ? await myDepartmentId(ctx.db, ctx) : null,
    now: iso(now),
    recentSince: iso(new Date(now.getTime() - 7 * DAY)),
  };
}

/** Turns the allow-listed query into the repository's filter (category subtree, unit path, priorities as ranks). */
export async function ticketFilterOf(ctx: Ctx, q: z.infer<typeof ticketFilterQuery>): Promise<TicketFilter> {
  const f: TicketFilter = {
    ...(await baseFilter(ctx, q.queue === 'department')),
    queue: q.queue,
    status: q.status,
    type: q.type,
    channel: q.channel,
    priority: q.priority?.map(priorityRank),
    severity: q.severity,
    tags: q.tags,
    assigneeId: q.assigneeId === 'unassigned' ? null : q.assigneeId,
    departmentId: q.departmentId,
    customerIds: q.customerId ? [q.customerId] : undefined,
    vip: q.vip === undefined ? undefined : q.vip === 'true',
    created: q.createdFrom || q.createdTo ? [q.createdFrom, q.createdTo] : undefined,
    updated: q.updatedFrom || q.updatedTo ? [q.updatedFrom, q.updatedTo] : undefined,
    due: q.dueFrom || q.dueTo ? [q.dueFrom, q.dueTo] : undefined,
    overdue: q.overdue === undefined ? undefined : q.overdue === 'true',
    q: q.q,
  };
  if (q.categoryId) {
    // The category and everything below it; the category list is small and read whole.
    const all = await repo.categories(ctx.db);
    const ids = new Set([q.categoryId]);
    for (let grew = true; grew; ) {
      grew = false;
      for (const c of all) if (c.parent_id && ids.has(c.parent_id) && !ids.has(c.id)) (ids.add(c.id), (grew = true));
    }
    f.categoryIds = [...ids];
  }
  if (q.orgUnitId) {
    // A unit outside the caller's scope filters to nothing rather than revealing that it exists.
    const u = await orgUnitRepository.byId(ctx.db, q.orgUnitId);
    f.unitPath = u?.path ?? '/nowhere/';
  }
  return f;
}

export async function listTickets(ctx: Ctx, q: z.infer<typeof ticketQuery>): Promise<{ items: TicketSummary[]; nextCursor: string | null }> {
  const filter = await ticketFilterOf(ctx, q);
  const sort: SortColumn = q.sort ?? (q.queue === 'recent' ? 'updated_at' : 'created_at');
  let after: After | undefined;
  if (q.cursor) {
    const [v, last] = decodeCursor(q.cursor, [sort === 'priority' ? 'number' : 'string', 'string'] as const, ctx.lang);
    // An empty deadline travels as '' (never a real instant).
    after = [sort === 'due_at' && v === '' ? null : v, last];
  }
  const rows = await repo.list(ctx.db, filter, sort, q.order, after, q.limit + 1);
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  const value = (r: TicketView) => (sort === 'priority' ? Number(r.priority) : (r[sort] ?? ''));
  return { items: page.map(toSummary), nextCursor: rows.length > q.limit && last ? encodeCursor([value(last), last.id]) : null };
}

/** How many work orders each queue holds for the caller: one COUNT per queue. */
export async function ticketCounts(ctx: Ctx): Promise<Record<(typeof ticketQueues)[number], number>> {
  const base = await baseFilter(ctx, true);
  const out = {} as Record<(typeof ticketQueues)[number], number>;
  for (const queue of ticketQueues) out[queue] = await repo.count(ctx.db, { ...base, queue });
  return out;
}

export async function updateTicket(ctx: Ctx, id: string, input: z.infer<typeof ticketUpdate>): Promise<Ticket> {
  return ctx.db.transaction().execute((trx) => updateTicketIn(trx, ctx, id, input));
}

/** updateTicket inside the caller's transaction (bulk actions run many in one). */
export async function updateTicketIn(trx: Tx, ctx: Ctx, id: string, input: z.infer<typeof ticketUpdate>): Promise<Ticket> {
  const t = await loadForChange(trx, ctx, id, 'ticket:update');
  if (Number(t.version) !== input.version) throw versionConflict();
  const patch: Partial<TicketRow> = {};
  if (input.subject !== undefined) patch.subject = input.subject;
  if (input.description !== undefined) patch.description = input.description;
  if (input.priority !== undefined) patch.priority = priorityRank(input.priority);
  if (input.tags !== undefined) patch.tags = JSON.stringify(input.tags);
  if (input.type !== undefined && input.type !== t.type) {
    patch.type = input.type;
    // Only complaints carry a severity: leaving the type drops it (recorded like any change).
    if (input.type !== 'complaint' && t.severity !== null && input.severity === undefined) patch.severity = null;
  }
  if (input.severity !== undefined) {
    checkSeverity(ctx, patch.type ?? t.type, input.severity);
    patch.severity = input.severity;
  }
  const custom = await customFieldsOnUpdate(trx, ctx, t, patch.type ?? t.type, input.customFields);
  if (custom) patch.custom_fields = custom.json;
  if (input.categoryId !== undefined && input.categoryId !== t.category_id) {
    if (input.categoryId) await checkCategory(trx, ctx, input.categoryId);
    patch.category_id = input.categoryId;
  }
  if (input.departmentId !== undefined && input.departmentId !== t.department_id) {
    if (input.departmentId) await checkDepartment(trx, ctx, input.departmentId, companyOf(await unitChain(trx, t.unit_path)));
    patch.department_id = input.departmentId;
  }
  if (input.customerId !== undefined && input.customerId !== t.customer_id) {
    const c = input.customerId ? await linkableCustomer(trx, ctx, input.customerId, t.unit_path) : undefined;
    patch.customer_id = input.customerId;
    // Linking a quick call to a customer file fills the contact it lacked; what the caller said stays.
    if (c && !t.customer_name) patch.customer_name = c.name;
    if (c && !t.customer_phone) patch.customer_phone = unprotectedPhone(c, ctx.clock.now());
  }
  const before = audited(t);
  const after = audited({ ...t, ...patch });
  const changes = Object.fromEntries(
    Object.entries(after)
      .filter(([k, v]) => JSON.stringify(v) !== JSON.stringify(before[k as keyof typeof before]))
      .map(([k, v]) => [k, { from: before[k as keyof typeof before], to: v }]),
  );
  if (Object.keys(changes).length === 0) return getTicket(ctx, id, trx);
  const at = iso(ctx.clock.now());
  if (!(await repo.update(trx, id, { version: input.version }, { ...patch, updated_at: at }))) throw versionConflict();
  await repo.appendEvents(trx, id, at, eventActor(ctx), [{ kind: 'updated', data: { changes } }]);
  // A new type, priority, class, category or department may bring another time-limit policy.
  if (['type', 'priority', 'severity', 'category_id', 'department_id'].some((k) => k in patch)) await slaAfterChange(trx, ctx, { ...t, ...patch, updated_at: at });
  await recordAudit(trx, ctx, { action: 'ticket.update', entityType: 'ticket', entityId: id, orgUnitId: t.org_unit_id, before, after, personal: personal({ ...t, ...patch }) });
  return getTicket(ctx, id, trx);
}

export async function listCategories(ctx: Ctx) {
  return (await repo.categories(ctx.db)).map((c) => ({ id: c.id, parentId: c.parent_id, name: c.name, sort: Number(c.sort), enabled: c.enabled === 1, version: Number(c.version) }));
}

/** Everything that happened to a work order, in order; messages carry their text. */
export async function ticketTimeline(ctx: Ctx, id: string): Promise<TimelineEvent[]> {
  const t = await repo.byIdInScope(ctx.db, id, scopePaths(ctx.actor, 'ticket:read'));
  if (!t) throw notFound();
  const messages = new Map((await repo.messages(ctx.db, id)).map((m) => [m.id, m]));
  return (await repo.events(ctx.db, id)).map((e) => {
    const data = JSON.parse(e.data) as Record<string, unknown>;
    const m = typeof data.messageId === 'string' ? messages.get(data.messageId) : undefined;
    return { id: e.id, seq: Number(e.seq), at: e.at, actorId: e.actor_id, actorName: e.actor_name, kind: e.kind, data: m ? { ...data, body: m.body } : data };
  });
}

/** For phone intake: each customer's open work orders and latest closed ones, as far as the caller may read them. */
export async function ticketsOfCustomers(ctx: Ctx, customerIds: string[]): Promise<Map<string, { open: TicketSummary[]; recent: TicketSummary[] }>> {
  const out = new Map<string, { open: TicketSummary[]; recent: TicketSummary[] }>();
  if (customerIds.length === 0) return out;
  const base = await baseFilter(ctx, false);
  // Each customer's newest 50 in one statement (bench/README.md, customer-lookup): one query per customer
  // cost a round trip, a plan and a pooled connection each on PostgreSQL.
  const rows = await repo.latestOfCustomers(ctx.db, base, customerIds, 50);
  const byCustomer = new Map<string, TicketSummary[]>();
  for (const r of rows) {
    const list = byCustomer.get(r.customer_id!) ?? [];
    list.push(toSummary(r));
    byCustomer.set(r.customer_id!, list);
  }
  for (const id of customerIds) {
    const list = byCustomer.get(id) ?? [];
    out.set(id, { open: list.filter((r) => r.status !== 'closed').slice(0, 10), recent: list.filter((r) => r.status === 'closed').slice(0, 5) });
  }
  return out;
}
