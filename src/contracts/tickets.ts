import { z } from 'zod';
import { bilingual, id, version } from './api.ts';

/**
 * Request and response shapes of work orders (工单), callbacks (回访), notifications and the
 * minimal customer file, shared by the server and the console. Text is plain text: it is stored
 * as typed and never rendered as HTML, so `<` is allowed in free text.
 */

/** Digits only, a leading + kept: "138-1234 5678" → "13812345678", "+86 138…" → "+86138…". */
export function normalisePhone(raw: string): string {
  const t = raw.trim();
  return (t.startsWith('+') ? '+' : '') + t.replace(/\D/g, '');
}

const text = (max: number) => z.string().trim().max(max);
const required = (max: number) => z.string().trim().min(1).max(max);
const noHtml = (s: string) => !/[<>]/.test(s);
const personName = required(64).refine(noHtml, { message: bilingual('不能包含 < 或 >', 'must not contain < or >') });
const phoneInput = z
  .string()
  .trim()
  .max(32)
  .regex(/^\+?[0-9\- ()]*$/, bilingual('只能包含数字、空格、- ( ) 和开头的 +', 'digits, spaces, - ( ) and a leading + only'))
  .transform(normalisePhone)
  .refine((p) => p.replace('+', '').length >= 3, bilingual('至少 3 位数字', 'at least 3 digits'));
const cursor = z.string().max(300).optional();
const limit = (max: number, dflt: number) => z.coerce.number().int().min(1).max(max).default(dflt);

export const ticketTypes = ['inquiry', 'complaint', 'repair', 'request', 'suggestion', 'praise', 'incident'] as const;
export const ticketChannels = ['phone', 'walk_in', 'email', 'web', 'chat', 'letter', 'app', 'regulator'] as const;
export const ticketPriorities = ['low', 'normal', 'high', 'urgent'] as const;
export const ticketStatuses = ['new', 'assigned', 'in_progress', 'waiting_customer', 'waiting_department', 'resolved', 'awaiting_callback', 'closed'] as const;
export const ticketQueues = ['mine', 'department', 'unassigned', 'overdue', 'awaiting_callback', 'recent'] as const;

export const ticketType = z.enum(ticketTypes).describe('咨询 / 投诉 / 报修 / 业务办理 / 建议 / 表扬 / 突发事件');
export const ticketChannel = z.enum(ticketChannels).describe('电话 / 现场 / 邮件 / 网站 / 在线客服 / 来信 / App / 监管转办');
export const ticketPriority = z.enum(ticketPriorities).describe('低 / 普通 / 高 / 紧急');
export const ticketStatus = z.enum(ticketStatuses).describe('新建 / 已分派 / 处理中 / 待客户 / 待部门 / 已解决 / 待回访 / 已关闭');
export const severity = z.number().int().min(1).max(3).describe('complaints only 仅投诉: 1 一类 (most serious 最严重), 2 二类, 3 三类');
const tags = z
  .array(required(32))
  .max(20)
  .transform((t) => [...new Set(t)])
  .describe('标签, at most 20 of at most 32 characters');

export const customerTier = z.enum(['strategic', 'key', 'ordinary']).describe('战略客户 / 重点客户 / 普通客户');
export const customer = z.object({
  id,
  orgUnitId: id,
  orgUnitName: z.string(),
  name: z.string(),
  phone: z.string().nullable(),
  email: z.string().nullable(),
  vip: z.boolean(),
  tier: customerTier,
  version: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export const customerCreate = z.strictObject({
  name: personName.describe('客户姓名或单位名称'),
  phone: phoneInput.nullable().optional(),
  email: z.string().trim().max(254).email().nullable().optional(),
  vip: z.boolean().default(false),
  tier: customerTier.default('ordinary'),
  orgUnitId: id.optional().describe('the owning company 所属分公司/分店; defaults to yours'),
});
export const customerQuery = z.strictObject({
  q: z.string().trim().min(1).max(64).optional().describe('name or phone, from the start 姓名或电话前缀'),
  phone: phoneInput.optional().describe('phone prefix 电话前缀'),
  cursor,
  limit: limit(100, 20),
});
export const customerLookupQuery = z.strictObject({ phone: phoneInput.describe('phone prefix, at least 3 digits 来电号码前缀') });

export const ticketSummary = z.object({
  id,
  number: z.string().describe('工单号, e.g. A-20261125-0001'),
  type: ticketType,
  channel: ticketChannel,
  subject: z.string(),
  customerId: id.nullable(),
  customerName: z.string().nullable(),
  customerPhone: z.string().nullable(),
  categoryId: id.nullable(),
  categoryName: z.string().nullable(),
  priority: ticketPriority,
  severity: z.number().nullable(),
  tags: z.array(z.string()),
  orgUnitId: id,
  orgUnitName: z.string(),
  departmentId: id.nullable(),
  departmentName: z.string().nullable(),
  assigneeId: id.nullable(),
  assigneeName: z.string().nullable(),
  status: ticketStatus,
  dueAt: z.string().nullable(),
  firstResponseAt: z.string().nullable(),
  resolvedAt: z.string().nullable(),
  closedAt: z.string().nullable(),
  closeReason: z.string().nullable(),
  reopenCount: z.number(),
  createdBy: id.nullable(),
  createdByName: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number(),
});
export const ticket = ticketSummary.extend({
  description: z.string(),
  customer: customer.pick({ id: true, name: true, phone: true, email: true, vip: true, tier: true }).nullable(),
  customFields: z.record(z.string(), z.unknown()).describe('自定义字段 values by key (see /api/ticket-fields)'),
  watchers: z.array(z.object({ userId: id, name: z.string() })).describe('关注人'),
  mergedInto: z.object({ id, number: z.string().nullable() }).nullable().optional().describe('the survivor this order was merged into 已合并到'),
});

/** Custom field 自定义字段 values by key; the server checks them against the definitions (ticket-settings.ts). */
export const customFieldValues = z
  .record(z.string().regex(/^[a-z0-9_]{1,40}$/), z.unknown())
  .refine((o) => Object.keys(o).length <= 100, bilingual('最多 100 个字段', 'at most 100 fields'))
  .describe('自定义字段 { key: value }');

export const ticketCreate = z.strictObject({
  type: ticketType,
  channel: ticketChannel,
  subject: required(200).describe('主题'),
  description: text(5000).default('').describe('内容'),
  customerId: id.nullable().optional(),
  customerName: personName.nullable().optional().describe('来电人/客户姓名'),
  customerPhone: phoneInput.nullable().optional().describe('联系电话'),
  categoryId: id.nullable().optional(),
  priority: ticketPriority.default('normal'),
  severity: severity.nullable().optional(),
  tags: tags.default([]),
  orgUnitId: id.optional().describe('the owning unit 所属单位; defaults to yours'),
  departmentId: id.nullable().optional().describe('the responsible department 责任部门'),
  customFields: customFieldValues.optional(),
});
export const ticketUpdate = z.strictObject({
  version,
  subject: ticketCreate.shape.subject.optional(),
  description: text(5000).optional(),
  categoryId: id.nullable().optional(),
  priority: ticketPriority.optional(),
  severity: severity.nullable().optional(),
  tags: tags.optional(),
  departmentId: id.nullable().optional(),
  customerId: id.nullable().optional(),
  type: ticketType.optional().describe('changing it keeps the custom fields still defined and drops the others'),
  customFields: customFieldValues.optional().describe('only the keys given change; null clears one'),
});
/** A query-string list: `status=new&status=assigned` or `status=new,assigned`; at most `max` distinct values. */
const listOf = <T extends z.ZodType>(item: T, max: number) =>
  z.preprocess(
    (v) => (v === undefined ? undefined : [...new Set((Array.isArray(v) ? v : [v]).flatMap((x) => (typeof x === 'string' ? x.split(',') : [x])).map((x) => (typeof x === 'string' ? x.trim() : x)).filter((x) => x !== ''))]),
    z.array(item).min(1).max(max).optional(),
  ) as unknown as z.ZodOptional<z.ZodType<z.output<T>[], string>>;
const instant = z.iso.datetime({ offset: true }).transform((s) => new Date(s).toISOString()).describe('ISO-8601 instant');
const flag = z.enum(['true', 'false']);
/** Sorts with keyset pages: ties broken by id; due_at sorts empty deadlines last in both orders. */
export const ticketSorts = ['created_at', 'updated_at', 'due_at', 'priority', 'number'] as const;
/** Every filter and sort of the queues (保存的筛选 store these too): an allow-list, never SQL from input. */
export const ticketFilterShape = {
  queue: z.enum(ticketQueues).optional().describe('我的 / 本部门 / 待领取 / 已超时 / 待回访 / 最近'),
  status: listOf(ticketStatus, ticketStatuses.length).describe('one or several 可多选'),
  type: listOf(ticketType, ticketTypes.length),
  channel: listOf(ticketChannel, ticketChannels.length),
  priority: listOf(ticketPriority, ticketPriorities.length),
  severity: z.enum(['1', '2', '3']).transform(Number).optional().describe('complaints 投诉: 1 一类, 2 二类, 3 三类'),
  categoryId: id.optional().describe('with its sub-categories 含子分类'),
  tags: listOf(required(32), 10).describe('any of 任一标签'),
  orgUnitId: id.optional().describe('owning unit with its subtree 所属单位（含下级）'),
  departmentId: id.optional(),
  assigneeId: z.union([id, z.literal('unassigned')]).optional().describe('a person, or "unassigned" 未分派'),
  customerId: id.optional(),
  vip: flag.optional().describe('customer file marked VIP 客户为 VIP'),
  createdFrom: instant.optional(),
  createdTo: instant.optional().describe('exclusive 不含'),
  updatedFrom: instant.optional(),
  updatedTo: instant.optional(),
  dueFrom: instant.optional(),
  dueTo: instant.optional(),
  overdue: flag.optional().describe('true: deadline passed 已超时; false: not overdue'),
  q: z.string().trim().min(1).max(64).optional().describe('number, subject, customer name or phone 工单号、主题、客户、电话'),
  sort: z.enum(ticketSorts).optional().describe('default created_at (recent: updated_at)'),
  order: z.enum(['asc', 'desc']).default('desc'),
};
export const ticketFilterQuery = z.strictObject(ticketFilterShape);
export const ticketQuery = z.strictObject({
  ...ticketFilterShape,
  cursor,
  limit: limit(100, 50),
});
export const ticketCounts = z.object(Object.fromEntries(ticketQueues.map((q) => [q, z.number()])) as Record<(typeof ticketQueues)[number], z.ZodNumber>);

export const ticketTransition = z.strictObject({
  to: ticketStatus,
  version,
  reason: required(500).optional().describe('required to reopen 重新打开须说明原因'),
});
export const ticketAssign = z.strictObject({ assigneeId: id, version });
export const ticketTake = z.strictObject({ version });

export const messageCreate = z.strictObject({
  kind: z.enum(['reply', 'note']).describe('reply 回复客户 (recorded as sent) / note 内部备注 (@username mentions)'),
  body: required(10000),
});
export const ticketMessage = z.object({
  id,
  ticketId: id,
  kind: z.enum(['reply', 'note']),
  body: z.string(),
  authorId: id.nullable(),
  authorName: z.string(),
  createdAt: z.string(),
});
export const timelineEvent = z.object({
  id,
  seq: z.number(),
  at: z.string(),
  actorId: id.nullable(),
  actorName: z.string(),
  kind: z.string().describe('created, status, assigned, updated, reply, note, callback.*, escalated'),
  data: z.record(z.string(), z.unknown()),
});
export const ticketCategory = z.object({ id, parentId: id.nullable(), name: z.string(), sort: z.number(), enabled: z.boolean(), version: z.number() });

export const notification = z.object({
  id,
  ticketId: id.nullable(),
  kind: z.string().describe('mention, assigned, escalation'),
  text: z.string().describe('plain text'),
  createdAt: z.string(),
  readAt: z.string().nullable(),
});
export const notificationQuery = z.strictObject({
  unread: z.enum(['true', 'false']).optional(),
  cursor,
  limit: limit(100, 50),
});

export const callbackStatus = z.enum(['pending', 'done', 'unreachable', 'cancelled']);
export const callback = z.object({
  id,
  ticketId: id,
  ticketNumber: z.string(),
  ticketSubject: z.string(),
  ticketType: ticketType,
  customerName: z.string().nullable(),
  customerPhone: z.string().nullable(),
  orgUnitId: id,
  assigneeName: z.string().nullable(),
  dueAt: z.string(),
  attempts: z.number(),
  maxAttempts: z.number(),
  status: callbackStatus,
  outcome: z.record(z.string(), z.unknown()),
  performedBy: id.nullable(),
  performedAt: z.string().nullable(),
  createdAt: z.string(),
  version: z.number(),
});
export const callbackQuery = z.strictObject({
  status: callbackStatus.default('pending'),
  due: z.enum(['overdue', 'today', 'all']).default('all').describe('overdue 已超时 / today 今天到期（含超时） / all'),
  cursor,
  limit: limit(100, 50),
});
export const callbackAttempt = z.strictObject({
  reached: z.literal(false).describe('未联系上'),
  note: required(1000).describe('e.g. 无人接听'),
});
export const satisfaction = z.number().int().min(1).max(5).describe('5 非常满意 · 4 满意 · 3 一般 · 2 不满意 · 1 非常不满意');
export const callbackComplete = z.strictObject({
  reached: z.literal(true),
  solved: z.boolean().describe('问题是否已解决'),
  satisfaction,
  comment: text(1000).default(''),
});

export const customerLookup = z.object({
  customers: z.array(customer.extend({ openTickets: z.array(ticketSummary), recentTickets: z.array(ticketSummary) })),
});

export type Ticket = z.infer<typeof ticket>;
export type TicketSummary = z.infer<typeof ticketSummary>;
export type TicketType = (typeof ticketTypes)[number];
export type TicketStatus = (typeof ticketStatuses)[number];
export type TicketPriority = (typeof ticketPriorities)[number];
export type TicketQueue = (typeof ticketQueues)[number];
export type Customer = z.infer<typeof customer>;
export type Callback = z.infer<typeof callback>;
export type Notification = z.infer<typeof notification>;
export type TimelineEvent = z.infer<typeof timelineEvent>;
export type TicketMessage = z.infer<typeof ticketMessage>;

/* ---------------------------------------------------------------------------------------------
 * Routing rules (分流), department transfers (转派 / 部门回复) and manual escalation (升级).
 * Added after the work-order core; the shapes above are unchanged.
 * ------------------------------------------------------------------------------------------- */

export const assignmentPolicies = ['manual', 'round_robin', 'least_open'] as const;
export const assignmentPolicy = z.enum(assignmentPolicies).describe('manual 手动 / round_robin 轮流分派 / least_open 分给未结工单最少的人');
export const escalationLevels = ['shift_lead', 'duty_manager', 'department_manager'] as const;
export const escalationLevel = z.enum(escalationLevels).describe('领班 / 值班经理 / 部门经理');
export const transferStatuses = ['open', 'answered', 'cancelled'] as const;
export const transferStatus = z.enum(transferStatuses).describe('待回复 / 已回复 / 已撤回');

const idList = z.array(id).max(50);
const conditionShape = (keyword: z.ZodType<string>) => ({
  types: z.array(ticketType).max(ticketTypes.length).optional(),
  categoryIds: idList.optional().describe('a category matches its sub-categories too'),
  channels: z.array(ticketChannel).max(ticketChannels.length).optional(),
  keywords: z.array(keyword).max(50).optional().describe('any of them in the subject or description, ignoring case 主题或内容包含任一关键词'),
  customerTiers: z.array(customerTier).max(3).optional(),
  vipOnly: z.boolean().optional().describe('only work orders of VIP customers'),
  branchIds: idList.optional().describe('the owning company 所属分公司/分店'),
});
/** What a rule looks at; every condition is optional, conditions are AND-ed, the values of one list are OR-ed. */
export const routingConditions = z.strictObject(conditionShape(required(50))).describe('分流条件');
const routingConditionsView = z.object(conditionShape(z.string()));
/** What a matching rule does at intake. */
export const routingActions = z
  .strictObject({
    departmentId: id.nullable().optional().describe('责任部门: a department in the rule’s company (or subtree)'),
    teamId: id.nullable().optional().describe('班组 below the department: the people automatic assignment picks from'),
    priority: ticketPriority.nullable().optional().describe('raises the priority (never lowers the one registered)'),
    tags: tags.default([]).describe('added to the work order'),
    assignment: assignmentPolicy.default('manual'),
    timeLimitMinutes: z.number().int().min(5).max(10080).nullable().optional().describe('hands the order to the department at once with this limit 转派时限（分钟）'),
  })
  .superRefine((a, ctx) => {
    const need = bilingual('须指定部门', 'a department is required');
    if (!a.departmentId && (a.teamId || a.assignment !== 'manual' || a.timeLimitMinutes)) ctx.addIssue({ code: 'custom', path: ['departmentId'], message: need });
  })
  .describe('分流动作');

export const routingRule = z.object({
  id,
  orgUnitId: id,
  orgUnitName: z.string(),
  position: z.number(),
  name: z.string(),
  enabled: z.boolean(),
  conditions: routingConditionsView,
  actions: z.object({
    departmentId: id.nullable(),
    departmentName: z.string().nullable(),
    teamId: id.nullable(),
    teamName: z.string().nullable(),
    priority: ticketPriority.nullable(),
    tags: z.array(z.string()),
    assignment: assignmentPolicy,
    timeLimitMinutes: z.number().nullable(),
  }),
  version: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export const routingRuleCreate = z.strictObject({
  orgUnitId: id.describe('the company (分公司/分店) or group whose work orders the rule routes'),
  name: personName.describe('规则名称'),
  enabled: z.boolean().default(true),
  conditions: routingConditions.default({}),
  actions: routingActions,
});
export const routingRuleUpdate = z.strictObject({
  version,
  name: personName.optional(),
  enabled: z.boolean().optional(),
  conditions: routingConditions.optional().describe('replaces the conditions as a whole'),
  actions: routingActions.optional().describe('replaces the actions as a whole'),
});
export const routingRuleQuery = z.strictObject({ orgUnitId: id.optional().describe('the rules of this unit only') });
export const routingRuleReorder = z.strictObject({
  orgUnitId: id,
  ids: z.array(id).min(1).max(200).describe('every rule of the unit, in the new order'),
});
/** A hypothetical work order for the dry run; the customer is a file or just a tier and a VIP flag. */
export const routingTest = z.strictObject({
  orgUnitId: id.describe('the owning unit of the work order'),
  type: ticketType,
  channel: ticketChannel,
  subject: required(200),
  description: text(5000).default(''),
  categoryId: id.nullable().optional(),
  customerId: id.nullable().optional(),
  customerTier: customerTier.nullable().optional(),
  vip: z.boolean().optional(),
  priority: ticketPriority.default('normal'),
  departmentId: id.nullable().optional().describe('as if the agent chose a department: the rule’s department actions are skipped'),
});
const person = z.object({ id, name: z.string() });
export const routingOutcome = z.object({
  ruleId: id,
  ruleName: z.string(),
  departmentId: id.nullable(),
  departmentName: z.string().nullable(),
  priority: ticketPriority,
  tags: z.array(z.string()),
  assignment: assignmentPolicy,
  assignee: person.nullable(),
  candidates: z.array(person.extend({ openTickets: z.number() })),
  handoff: z.object({ departmentId: id, timeLimitMinutes: z.number(), dueAt: z.string() }).nullable(),
  skipped: z.array(z.string()).describe('actions not applied, e.g. department (chosen at intake)'),
});
export const routingTestResult = z.object({
  trace: z.array(
    z.object({
      ruleId: id,
      name: z.string(),
      orgUnitName: z.string(),
      result: z.enum(['matched', 'no_match', 'disabled', 'not_reached']),
      failed: z.array(z.string()).describe('the conditions that did not hold'),
    }),
  ),
  outcome: routingOutcome.nullable(),
});

export const transfer = z.object({
  id,
  ticketId: id,
  ticketNumber: z.string(),
  ticketSubject: z.string(),
  ticketStatus: ticketStatus,
  fromUnitId: id,
  fromUnitName: z.string(),
  toDepartmentId: id,
  toDepartmentName: z.string(),
  reason: z.string(),
  timeLimitMinutes: z.number(),
  dueAt: z.string(),
  overdue: z.boolean().describe('still open after its limit 已超时未回复'),
  status: transferStatus,
  answer: z.string().nullable(),
  answeredBy: id.nullable(),
  answeredByName: z.string().nullable(),
  answeredAt: z.string().nullable(),
  routingRuleId: id.nullable().describe('made by this routing rule at intake'),
  createdBy: id.nullable(),
  createdByName: z.string().nullable(),
  createdAt: z.string(),
});
export const transferCreate = z.strictObject({
  departmentIds: z
    .array(id)
    .min(1)
    .max(5)
    .transform((d) => [...new Set(d)])
    .describe('1–5 departments of the same company, asked in parallel'),
  reason: required(500).describe('转派原因'),
  timeLimitMinutes: z.number().int().min(5).max(10080).optional().describe('处理时限（分钟）; omitted: the hand-off limit of the order’s time-limit policy (required when it sets none)'),
  version,
});
export const transferAnswer = z.strictObject({ answer: required(5000).describe('部门回复') });
export const transferCancel = z.strictObject({ reason: required(500).optional().describe('撤回原因') });
export const transferQuery = z.strictObject({
  status: transferStatus.default('open'),
  mine: z.enum(['true', 'false']).default('false').describe('true: only those to departments where you handle work orders 本部门待办'),
  overdue: z.enum(['true', 'false']).optional().describe('true: past their limit and still open'),
  ticketId: id.optional(),
  cursor,
  limit: limit(100, 50),
});

export const escalationCreate = z.strictObject({
  level: escalationLevel,
  reason: required(500).describe('升级原因'),
});
export const ticketRouting = z.object({
  routingRule: z.object({ id, name: z.string() }).nullable().describe('the rule that routed the order at intake'),
  escalationLevel: escalationLevel.nullable().describe('the highest level escalated to; never lowered'),
  transfers: z.array(transfer),
});
export const escalationResult = z.object({
  level: escalationLevel,
  escalationLevel: escalationLevel,
  role: z.string().describe('the role whose holders were notified'),
  notified: z.array(person),
});

export type RoutingRule = z.infer<typeof routingRule>;
export type RoutingConditions = z.infer<typeof routingConditions>;
export type RoutingActions = z.infer<typeof routingActions>;
export type RoutingTestResult = z.infer<typeof routingTestResult>;
export type RoutingOutcome = z.infer<typeof routingOutcome>;
export type Transfer = z.infer<typeof transfer>;
export type TransferStatus = (typeof transferStatuses)[number];
export type EscalationLevel = (typeof escalationLevels)[number];
export type AssignmentPolicy = (typeof assignmentPolicies)[number];
export type TicketRouting = z.infer<typeof ticketRouting>;

// ——— Resolution (处理结果) and compensations (补偿) ———

/** Above this total (yuan) a resolution's compensations need a manager's approval (ticket:approve_compensation). One place; per company later. */
export const COMPENSATION_APPROVAL_LIMIT_YUAN = 500;
export const compensationKind = z.enum(['refund', 'waiver', 'free_service', 'gift']);
export const compensationStatus = z.enum(['approved', 'pending_approval', 'rejected']);
const yuan = z
  .number()
  .min(0)
  .max(1_000_000)
  .refine((n) => Math.abs(Math.round(n * 100) - n * 100) < 1e-6, { message: bilingual('最多两位小数', 'at most 2 decimals') })
  .describe('yuan 元, 2 decimals');
export const compensationInput = z.strictObject({ kind: compensationKind, amount: yuan, note: z.string().trim().max(500).default('') });
export const resolutionCreate = z.strictObject({
  version,
  summary: z.string().trim().min(1).max(2000),
  rootCause: z.string().trim().min(1).max(64).describe('root-cause category code 根因分类 (free text code)'),
  compensations: z.array(compensationInput).max(5).default([]),
});
export const compensation = z.object({
  id,
  ticketId: id,
  ticketNumber: z.string(),
  ticketSubject: z.string(),
  customerName: z.string().nullable(),
  requestedBy: z.string().nullable().describe('who recorded the resolution 申请人'),
  resolutionId: id,
  kind: compensationKind,
  amount: z.number(),
  note: z.string(),
  status: compensationStatus,
  decidedBy: z.string().nullable(),
  decidedAt: z.string().nullable(),
  decisionNote: z.string().nullable(),
  createdAt: z.string(),
});
export const resolution = z.object({
  id,
  ticketId: id,
  summary: z.string(),
  rootCause: z.string(),
  status: compensationStatus,
  compensations: z.array(compensation),
  createdAt: z.string(),
});
export const resolutionResult = z.object({ resolution, ticket });
export const compensationDecision = z.strictObject({ note: z.string().trim().max(500).default('') });
export const compensationQuery = z.strictObject({ status: compensationStatus.optional() });

// ——— Corrective and preventive actions (纠正预防措施, CAPA) ———

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/).refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), { message: bilingual('日期无效', 'invalid date') });
export const capaKind = z.enum(['corrective', 'preventive']);
export const capaStatus = z.enum(['open', 'done', 'verified']);
export const capaCreate = z.strictObject({
  orgUnitId: id.describe('the unit that owns the action (its company bounds the linkable work orders)'),
  title: z.string().trim().min(1).max(200),
  description: z.string().trim().max(5000).default(''),
  kind: capaKind,
  ownerId: id,
  dueDate: isoDate,
  ticketIds: z.array(id).max(50).default([]),
});
export const capaUpdate = z.strictObject({
  version,
  title: z.string().trim().min(1).max(200).optional(),
  description: z.string().trim().max(5000).optional(),
  kind: capaKind.optional(),
  ownerId: id.optional(),
  dueDate: isoDate.optional(),
});
export const capaLinks = z.strictObject({ ticketIds: z.array(id).min(1).max(50) });
export const capaLinkParams = z.strictObject({ id, ticketId: id });
export const capaComplete = z.strictObject({ version, note: z.string().trim().max(2000).optional() });
export const capaVerify = z.strictObject({ version, effective: z.boolean(), note: z.string().trim().min(1).max(2000) });
export const capaQuery = z.strictObject({
  status: capaStatus.optional(),
  overdue: z.enum(['true', 'false']).optional().describe('open and due before today (Asia/Shanghai)'),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export const capa = z.object({
  id,
  orgUnitId: id,
  orgUnitName: z.string(),
  title: z.string(),
  description: z.string(),
  kind: capaKind,
  ownerId: id,
  ownerName: z.string(),
  dueDate: z.string(),
  status: capaStatus,
  overdue: z.boolean(),
  verificationResult: z.enum(['effective', 'ineffective']).nullable(),
  verificationNote: z.string().nullable(),
  verifiedBy: z.string().nullable(),
  verifiedAt: z.string().nullable(),
  completedAt: z.string().nullable(),
  tickets: z.array(z.object({ id, number: z.string(), subject: z.string() })),
  version: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
