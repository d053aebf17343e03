/**
 * Reports 报表 over the API. First: service time limits 服务时限报表 — how many targets of the
 * work orders in the caller's report:read scope were met or breached in a period, grouped by
 * department, branch, type, month or week; the breaches with their cause; the same as XLSX.
 */
import { z } from 'zod';
import { bilingual, id } from './api.ts';
import { ticketStatus, ticketType } from './tickets.ts';

/** The longest period one report covers (a year, leap day included). */
export const MAX_REPORT_DAYS = 366;
/** Rows of the breaches sheet in an XLSX export; a last row says when there were more. */
export const MAX_EXPORT_BREACHES = 50_000;

export const slaReportGroupBys = ['department', 'branch', 'type', 'month', 'week'] as const;
export const slaReportTargets = ['resolution', 'firstResponse'] as const;

const validDay = (s: string) => {
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
};
const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, bilingual('日期格式应为 YYYY-MM-DD', 'a date as YYYY-MM-DD'))
  .refine(validDay, { message: bilingual('不是有效的日期', 'not a valid date') });

/** The filters every SLA report request shares; `from` ≤ `to` and the length are checked by the service. */
const slaFilters = {
  from: day.describe('first local day of the period 起始日期 (inclusive)'),
  to: day.describe('last local day of the period 结束日期 (inclusive)'),
  target: z.enum(slaReportTargets).default('resolution').describe('resolution 解决 / firstResponse 首次响应'),
  orgUnitId: id.optional().describe('only orders owned by or assigned to a department in this unit’s subtree (a branch 分公司/分店 or a department)'),
  type: ticketType.optional(),
};

export const slaReportQuery = z.strictObject({
  ...slaFilters,
  groupBy: z.enum(slaReportGroupBys).default('department').describe('department 部门 / branch 分公司 / type 类型 / month 月 / week 周'),
});
export const slaBreachQuery = z.strictObject({
  ...slaFilters,
  cursor: z.string().max(400).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const slaReportRow = z.object({
  key: z.string().describe('the group: a unit id, a type, YYYY-MM, or the Monday YYYY-MM-DD of a week; "" for none; "total"'),
  label: z.string().describe('in the request’s language'),
  total: z.number().describe('targets that ended in the period: met + breached'),
  met: z.number(),
  breached: z.number(),
  complianceRate: z.number().nullable().describe('met / total, 0…1; null when total is 0'),
  avgUsedMinutes: z.number().nullable().describe('average time used by the targets that stopped (working minutes for working-time targets)'),
});
export const slaReport = z.object({
  from: z.string(),
  to: z.string(),
  timeZone: z.string().describe('the zone whose local days bound the period'),
  groupBy: z.enum(slaReportGroupBys),
  target: z.enum(slaReportTargets),
  rows: z.array(slaReportRow),
  total: slaReportRow,
});

export const slaBreach = z.object({
  clockId: id,
  ticketId: id,
  number: z.string(),
  subject: z.string(),
  type: ticketType,
  typeLabel: z.string(),
  departmentName: z.string().nullable(),
  branchName: z.string().nullable(),
  target: z.enum(slaReportTargets),
  cycle: z.number().describe('0, then +1 at every reopen'),
  dueAt: z.string().nullable(),
  breachedAt: z.string().describe('when the limit passed'),
  lateMinutes: z.number().describe('time beyond the limit, on the target’s own scale (working minutes for working-time targets), up to its stop or now'),
  open: z.boolean().describe('the target is still running or paused'),
  cause: ticketStatus.nullable().describe('the order’s status when the limit passed (null when not recorded)'),
  causeLabel: z.string().nullable(),
});

export type SlaReport = z.infer<typeof slaReport>;
export type SlaReportRow = z.infer<typeof slaReportRow>;
export type SlaBreach = z.infer<typeof slaBreach>;
export type SlaReportQuery = z.input<typeof slaReportQuery>;
export type SlaBreachQuery = z.input<typeof slaBreachQuery>;
