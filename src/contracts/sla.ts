/**
 * Service time limits (服务时限 / SLA) over the API: policies (conditions → targets + escalation
 * chain) and the clocks kept on a work order.
 */
import { z } from 'zod';
import { bilingual, id, version } from './api.ts';
import { customerTier, ticketChannel, ticketChannels, ticketPriority, ticketPriorities, ticketType, ticketTypes } from './tickets.ts';

const idList = z.array(id).max(50);
const name = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .refine((s) => !/[<>]/.test(s), { message: bilingual('不能包含 < 或 >', 'must not contain < or >') });

export const timeModes = ['working', 'calendar'] as const;
export const slaTargetKinds = ['firstResponse', 'resolution', 'handoff', 'callback'] as const;
export type SlaTargetKind = (typeof slaTargetKinds)[number];
/** Who an escalation level tells: holders of a role at the order's department up to its company (director: up to the group). */
export const escalationNotify = ['assignee', 'shift_lead', 'supervisor', 'manager', 'director'] as const;

export const slaConditions = z
  .strictObject({
    types: z.array(ticketType).max(ticketTypes.length).optional(),
    priorities: z.array(ticketPriority).max(ticketPriorities.length).optional(),
    severities: z.array(z.number().int().min(1).max(3)).max(3).optional().describe('complaint classes 一类/二类/三类'),
    categoryIds: idList.optional().describe('a category matches its sub-categories too'),
    channels: z.array(ticketChannel).max(ticketChannels.length).optional(),
    customerTiers: z.array(customerTier).max(3).optional(),
    vipOnly: z.boolean().optional(),
    branchIds: idList.optional().describe('the owning company 所属分公司/分店'),
  })
  .describe('适用条件 (AND; values of one list OR-ed)');

export const slaTarget = z.strictObject({
  minutes: z.number().int().min(1).max(525_600).describe('the limit in minutes 时限（分钟）'),
  mode: z.enum(timeModes).default('working').describe('working 工作时间 / calendar 自然时间'),
});
export const slaTargets = z
  .strictObject({
    firstResponse: slaTarget.nullable().optional().describe('首次响应'),
    resolution: slaTarget.nullable().optional().describe('解决'),
    handoff: slaTarget.nullable().optional().describe('部门转派回复 (the default limit of a transfer)'),
    callback: slaTarget.nullable().optional().describe('回访'),
  })
  .refine((t) => Object.values(t).some(Boolean), { message: bilingual('至少设置一项时限', 'set at least one target') });

export const escalationStep = z.strictObject({
  afterMinutes: z.number().int().min(0).max(43_200).describe('after the deadline 超时后（分钟）'),
  notify: z.enum(escalationNotify),
  raisePriority: z.boolean().default(false).describe('raise the priority one step 提升优先级'),
  reassign: z.boolean().default(false).describe('assign the order to the first person told 改派'),
});
export const slaEscalation = z.strictObject({
  warnPercent: z.number().int().min(10).max(99).nullable().default(75).describe('warning before breach at this share of the limit 预警'),
  levels: z.array(escalationStep).max(3).default([]).describe('up to three levels after the breach 三级升级'),
});

export const slaPolicyCreate = z.strictObject({
  orgUnitId: id.describe('the company (分公司/分店) or group whose work orders the policy covers'),
  name: name.describe('策略名称'),
  enabled: z.boolean().default(true),
  conditions: slaConditions.default({}),
  targets: slaTargets,
  escalation: slaEscalation.default({ warnPercent: 75, levels: [] }),
});
export const slaPolicyUpdate = z.strictObject({
  version,
  name: name.optional(),
  enabled: z.boolean().optional(),
  conditions: slaConditions.optional(),
  targets: slaTargets.optional(),
  escalation: slaEscalation.optional(),
});
export const slaPolicyReorder = z.strictObject({ orgUnitId: id, ids: z.array(id).min(1).max(200) });
export const slaPolicyQuery = z.strictObject({ orgUnitId: id.optional() });

const targetView = z.object({ minutes: z.number(), mode: z.enum(timeModes) }).nullable();
export const slaPolicy = z.object({
  id,
  orgUnitId: id,
  orgUnitName: z.string(),
  position: z.number(),
  name: z.string(),
  enabled: z.boolean(),
  conditions: slaConditions,
  targets: z.object({ firstResponse: targetView, resolution: targetView, handoff: targetView, callback: targetView }),
  escalation: z.object({
    warnPercent: z.number().nullable(),
    levels: z.array(z.object({ afterMinutes: z.number(), notify: z.enum(escalationNotify), raisePriority: z.boolean(), reassign: z.boolean() })),
  }),
  version: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
  warnings: z
    .array(z.object({ code: z.string(), year: z.number().optional(), message: z.string() }))
    .describe('this year or next lacks official holiday data on the unit’s calendar while a target counts working time 节假日数据缺失'),
});

export const slaClockStates = ['running', 'paused', 'met', 'breached', 'cancelled'] as const;
export const slaStages = ['warning', 'breach', 'level1', 'level2', 'level3'] as const;
/** One target's clock on a work order, as the console shows it. */
export const slaClock = z.object({
  target: z.enum(['firstResponse', 'resolution']),
  cycle: z.number().describe('0, then +1 at every reopen'),
  mode: z.enum(timeModes),
  targetMinutes: z.number(),
  state: z.enum(slaClockStates),
  dueAt: z.string().nullable().describe('null while paused'),
  /** Working or calendar milliseconds left (negative: overdue by that much), at the time of the answer. */
  remainingMs: z.number(),
  warnAt: z.string().nullable(),
  lastStage: z.enum(slaStages).nullable().describe('the last escalation stage that fired'),
  stoppedAt: z.string().nullable(),
  breachedAt: z.string().nullable(),
});
export const ticketSla = z.object({
  policyId: id.nullable(),
  policyName: z.string().nullable(),
  clocks: z.array(slaClock),
  warnings: z.array(z.object({ code: z.string(), year: z.number().optional(), message: z.string() })),
});

export type SlaPolicy = z.infer<typeof slaPolicy>;
export type SlaConditions = z.infer<typeof slaConditions>;
export type SlaTargets = z.infer<typeof slaTargets>;
export type SlaEscalation = z.infer<typeof slaEscalation>;
export type SlaClock = z.infer<typeof slaClock>;
export type TicketSla = z.infer<typeof ticketSla>;
