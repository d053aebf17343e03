import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import type { z } from 'zod';
import type { Lang } from '../../../contracts/errors.ts';
import {
  MAX_EXPORT_BREACHES,
  MAX_REPORT_DAYS,
  type SlaBreach,
  type SlaReport,
  type SlaReportRow,
  type slaBreachQuery,
  type slaReportQuery,
} from '../../../contracts/reports.ts';
import { ticketTypes, type TicketStatus } from '../../../contracts/tickets.ts';
import type { Tx } from '../../../db/database.ts';
import { scopePaths } from '../../platform/actor.ts';
import { iso } from '../../platform/clock.ts';
import type { Ctx } from '../../platform/context.ts';
import { invalid, notFound } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { safeCell } from '../../platform/spreadsheet.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { effectiveWorkingCalendar } from '../calendar/calendar.service.ts';
import type { WorkingCalendar } from '../calendar/calendar.types.ts';
import { dayNumber, formatLocal, isoDate, localToUtc } from '../calendar/tz.ts';
import { orgUnitRepository } from '../org/org-unit.repository.ts';
import { consumed } from '../sla/sla.clock.ts';
import { decodeCursor, encodeCursor } from '../tickets/cursor.ts';
import { companyOf, pathIds, unitChain } from '../tickets/org-chain.ts';
import { statusLabels } from '../tickets/ticket.state.ts';
import { slaReportRepository as repo, type Bucket, type SlaBreachRow, type SlaGroupRow, type SlaReportFilter } from './sla-report.repository.ts';

/**
 * 服务时限报表: compliance with the service-time targets (met / met + breached) of the work orders
 * whose owning unit is in the caller's report:read scope, per department, branch, type, month or
 * week; the breaches with their cause; both as an XLSX workbook. Periods are local days of one
 * time zone: the company's when the report is filtered to a company or a unit in it, else the
 * group's (Asia/Shanghai by default). See sla-report.repository.ts for what counts where.
 */
type ReportQuery = z.infer<typeof slaReportQuery>;
type BreachQuery = z.infer<typeof slaBreachQuery>;
type Filters = Omit<ReportQuery, 'groupBy'>;

const MIN = 60_000;

export const typeLabels: Record<(typeof ticketTypes)[number], Record<Lang, string>> = {
  inquiry: { zh: '咨询', en: 'Inquiry' },
  complaint: { zh: '投诉', en: 'Complaint' },
  repair: { zh: '报修', en: 'Repair' },
  request: { zh: '业务办理', en: 'Request' },
  suggestion: { zh: '建议', en: 'Suggestion' },
  praise: { zh: '表扬', en: 'Praise' },
  incident: { zh: '突发事件', en: 'Incident' },
};
const targetLabels = { resolution: { zh: '解决', en: 'Resolution' }, firstResponse: { zh: '首次响应', en: 'First response' } } as const;
const words = {
  noDepartment: { zh: '未指定部门', en: 'No department' },
  total: { zh: '合计', en: 'Total' },
  notRecorded: { zh: '未记录', en: 'not recorded' },
} as const;

interface Resolved {
  filter: SlaReportFilter;
  timeZone: string;
  from: string;
  to: string;
}

/** Checks the period and the unit (outside the report scope: 404) and turns local days into UTC instants. */
async function resolveFilters(db: Tx, ctx: Ctx, q: Filters): Promise<Resolved> {
  const zh = ctx.lang === 'zh';
  const fromDay = dayNumber(q.from);
  const toDay = dayNumber(q.to);
  if (fromDay > toDay) throw invalid('to', zh ? '结束日期不能早于起始日期' : 'must not be before from');
  if (toDay - fromDay + 1 > MAX_REPORT_DAYS) throw invalid('to', zh ? `一次最多统计 ${MAX_REPORT_DAYS} 天` : `a report covers at most ${MAX_REPORT_DAYS} days`);
  const paths = scopePaths(ctx.actor, 'report:read');
  let unitPath: string | undefined;
  let timeZone: string;
  if (q.orgUnitId) {
    const unit = await orgUnitRepository.byIdInScope(db, q.orgUnitId, paths);
    if (!unit) throw notFound();
    unitPath = unit.path;
    timeZone = companyOf(await unitChain(db, unit.path)).time_zone;
  } else {
    timeZone = (await repo.root(db))?.time_zone ?? 'Asia/Shanghai';
  }
  const filter: SlaReportFilter = {
    paths,
    target: q.target,
    fromUtc: iso(new Date(localToUtc(timeZone, fromDay, 0))),
    toUtc: iso(new Date(localToUtc(timeZone, toDay + 1, 0))),
    now: iso(ctx.clock.now()),
    unitPath,
    type: q.type,
  };
  return { filter, timeZone, from: q.from, to: q.to };
}

/** Months or weeks (Monday to Sunday) of the period, clipped to it, each with its key and label. */
function buckets(r: Resolved, unit: 'month' | 'week'): (Bucket & { key: string; label: string })[] {
  const first = dayNumber(r.from);
  const last = dayNumber(r.to);
  const out: (Bucket & { key: string; label: string })[] = [];
  let d = first;
  while (d <= last) {
    let next: number;
    let key: string;
    if (unit === 'month') {
      const date = new Date(d * 86_400_000);
      next = Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1) / 86_400_000;
      key = isoDate(d).slice(0, 7);
    } else {
      const weekday = (new Date(d * 86_400_000).getUTCDay() + 6) % 7; // Monday 0
      next = d - weekday + 7;
      key = isoDate(d - weekday);
    }
    const end = Math.min(next, last + 1) - 1;
    out.push({ startUtc: iso(new Date(localToUtc(r.timeZone, d, 0))), key, label: unit === 'month' ? key : `${isoDate(d)} ~ ${isoDate(end)}` });
    d = next;
  }
  return out;
}

const rate = (met: number, total: number) => (total === 0 ? null : Math.round((met / total) * 10_000) / 10_000);

function toRow(key: string, label: string, g: Omit<SlaGroupRow, 'k'>): SlaReportRow {
  return {
    key,
    label,
    total: g.total,
    met: g.met,
    breached: g.breached,
    complianceRate: rate(g.met, g.total),
    avgUsedMinutes: g.stopped === 0 ? null : Math.round(g.usedMs / g.stopped / MIN),
  };
}
const sum = (rows: Omit<SlaGroupRow, 'k'>[]) =>
  rows.reduce((a, g) => ({ total: a.total + g.total, met: a.met + g.met, breached: a.breached + g.breached, stopped: a.stopped + g.stopped, usedMs: a.usedMs + g.usedMs }), { total: 0, met: 0, breached: 0, stopped: 0, usedMs: 0 });

type UnitInfo = { id: string; name: string; kind: string; path: string };

/** Units met on the given paths (all their ancestors), by id. */
async function unitsOnPaths(db: Tx, paths: string[]): Promise<Map<string, UnitInfo>> {
  const ids = [...new Set(paths.flatMap(pathIds))];
  return new Map((await repo.units(db, ids)).map((u) => [u.id, u]));
}
/** The company (分公司/分店) at or above the unit at `path`: the nearest; the root when there is none. */
function branchOf(units: Map<string, UnitInfo>, path: string): UnitInfo | undefined {
  const chain = pathIds(path).map((id) => units.get(id)).filter((u): u is UnitInfo => !!u);
  return [...chain].reverse().find((u) => u.kind === 'company') ?? chain[0];
}

async function buildReport(db: Tx, ctx: Ctx, q: ReportQuery): Promise<SlaReport> {
  const r = await resolveFilters(db, ctx, q);
  const lang = ctx.lang;
  let rows: SlaReportRow[];
  let totals: Omit<SlaGroupRow, 'k'>;
  if (q.groupBy === 'month' || q.groupBy === 'week') {
    const bs = buckets(r, q.groupBy);
    const groups = await repo.grouped(db, r.filter, 'bucket', bs);
    const byIndex = new Map(groups.map((g) => [Number(g.k), g]));
    totals = sum(groups);
    rows = bs.map((b, i) => toRow(b.key, b.label, byIndex.get(i) ?? { total: 0, met: 0, breached: 0, stopped: 0, usedMs: 0 }));
  } else if (q.groupBy === 'type') {
    const groups = await repo.grouped(db, r.filter, 'type');
    totals = sum(groups);
    const byType = new Map(groups.map((g) => [String(g.k), g]));
    rows = ticketTypes.filter((t) => byType.has(t)).map((t) => toRow(t, typeLabels[t][lang], byType.get(t)!));
  } else if (q.groupBy === 'department') {
    const groups = await repo.grouped(db, r.filter, 'department');
    totals = sum(groups);
    const depts = await repo.units(db, groups.map((g) => g.k).filter((k): k is string => typeof k === 'string' && k !== ''));
    const units = await unitsOnPaths(db, depts.map((d) => d.path));
    rows = groups
      .map((g) => {
        const d = depts.find((x) => x.id === g.k);
        if (!d) return toRow('', words.noDepartment[lang], g);
        const branch = branchOf(units, d.path);
        return toRow(d.id, branch && branch.id !== d.id ? `${branch.name} / ${d.name}` : d.name, g);
      })
      .sort(byLabel);
  } else {
    // branch: the SQL groups by owning unit; several units of one company fold into its row.
    const groups = await repo.grouped(db, r.filter, 'owner');
    totals = sum(groups);
    const units = await unitsOnPaths(db, groups.map((g) => String(g.k)));
    const folded = new Map<string, { label: string; parts: SlaGroupRow[] }>();
    for (const g of groups) {
      const b = branchOf(units, String(g.k));
      const key = b?.id ?? '';
      const entry = folded.get(key) ?? { label: b?.name ?? '', parts: [] };
      entry.parts.push(g);
      folded.set(key, entry);
    }
    rows = [...folded].map(([key, e]) => toRow(key, e.label, sum(e.parts))).sort(byLabel);
  }
  return { from: r.from, to: r.to, timeZone: r.timeZone, groupBy: q.groupBy, target: q.target, rows, total: toRow('total', words.total[lang], totals) };
}
const byLabel = (a: SlaReportRow, b: SlaReportRow) => (a.key === '' ? 1 : b.key === '' ? -1 : a.label.localeCompare(b.label, 'zh-CN'));

/** `GET /api/reports/sla`: compliance per group, and the total. */
export async function slaReport(ctx: Ctx, q: ReportQuery): Promise<SlaReport> {
  return buildReport(ctx.db, ctx, q);
}

/** Breach rows to the API's shape: names, labels, and how late (the target's own time scale). */
async function toBreaches(db: Tx, lang: Lang, rows: SlaBreachRow[], target: SlaReportFilter['target'], now: Date, calendars: Map<string, WorkingCalendar>, units: Map<string, UnitInfo>): Promise<SlaBreach[]> {
  const missing = [...new Set(rows.flatMap((r) => pathIds(r.unit_path)))].filter((id) => !units.has(id));
  for (const u of await repo.units(db, missing)) units.set(u.id, u);
  const out: SlaBreach[] = [];
  for (const r of rows) {
    let used = r.consumed_ms;
    const open = r.state === 'running' || r.state === 'paused';
    if (open) {
      let cal = calendars.get(r.calendar_unit_id);
      if (!cal) {
        cal = await effectiveWorkingCalendar(db, r.calendar_unit_id);
        calendars.set(r.calendar_unit_id, cal);
      }
      used = consumed(cal, { mode: r.mode, targetMs: r.target_ms, consumedMs: r.consumed_ms, segmentStart: r.segment_start ? new Date(r.segment_start) : null }, now);
    }
    const cause = (r.breach_status as TicketStatus | null) ?? null;
    const type = r.type as SlaBreach['type'];
    out.push({
      clockId: r.clock_id,
      ticketId: r.ticket_id,
      number: r.number,
      subject: r.subject,
      type,
      typeLabel: typeLabels[type]?.[lang] ?? type,
      departmentName: r.department_name,
      branchName: branchOf(units, r.unit_path)?.name ?? null,
      target,
      cycle: r.cycle,
      dueAt: r.due_at,
      breachedAt: r.outcome_at,
      lateMinutes: Math.max(0, Math.round((used - r.target_ms) / MIN)),
      open,
      cause,
      causeLabel: cause ? (statusLabels[cause]?.[lang] ?? cause) : null,
    });
  }
  return out;
}

/** `GET /api/reports/sla/breaches`: the breached targets of the period, oldest breach first, keyset paged. */
export async function slaBreaches(ctx: Ctx, q: BreachQuery): Promise<{ items: SlaBreach[]; nextCursor: string | null }> {
  const r = await resolveFilters(ctx.db, ctx, q);
  const after = q.cursor ? (decodeCursor(q.cursor, ['string', 'string'] as const, ctx.lang) as [string, string]) : undefined;
  const rows = await repo.breaches(ctx.db, r.filter, after, q.limit + 1);
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  return {
    items: await toBreaches(ctx.db, ctx.lang, page, q.target, ctx.clock.now(), new Map(), new Map()),
    nextCursor: rows.length > q.limit && last ? encodeCursor([last.outcome_at, last.clock_id]) : null,
  };
}

// ---------------------------------------------------------------- XLSX

const headers = {
  group: {
    department: { zh: '部门', en: 'Department' },
    branch: { zh: '分公司/分店', en: 'Branch' },
    type: { zh: '类型', en: 'Type' },
    month: { zh: '月份', en: 'Month' },
    week: { zh: '周', en: 'Week' },
  },
  summary: { zh: ['应达标数', '达标', '超时', '达标率', '平均用时（分钟）'], en: ['Targets', 'Met', 'Breached', 'Compliance', 'Average time used (min)'] },
  breaches: {
    zh: ['工单编号', '主题', '类型', '部门', '分公司/分店', '时限', '截止时间', '超时时间', '超时（分钟）', '原因（超时时的状态）', '仍在计时'],
    en: ['Number', 'Subject', 'Type', 'Department', 'Branch', 'Target', 'Due', 'Breached at', 'Late (min)', 'Cause (status at breach)', 'Still running'],
  },
  sheets: { zh: ['汇总', '超时明细'], en: ['Summary', 'Breaches'] },
} as const;

export interface XlsxFile {
  fileName: string;
  body: Buffer;
}

/**
 * `GET /api/reports/sla.xlsx`: the summary and the breaches (at most MAX_EXPORT_BREACHES rows, a
 * last row says when there were more) as a workbook. Rows are streamed into the zip as they are
 * read, so memory holds the compressed file, not the rows; every text cell goes through safeCell.
 */
export async function slaReportXlsx(ctx: Ctx, q: ReportQuery, maxBreaches = MAX_EXPORT_BREACHES): Promise<XlsxFile> {
  const lang = ctx.lang;
  const zh = lang === 'zh';
  const report = await buildReport(ctx.db, ctx, q);
  const r = await resolveFilters(ctx.db, ctx, q);

  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve, reject) => {
    out.on('end', resolve);
    out.on('error', reject);
  });
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: true, useStyles: true });
  wb.creator = 'Kefu';
  const [summaryName, breachesName] = headers.sheets[lang];

  const summary = wb.addWorksheet(summaryName);
  summary.columns = [{ width: 32 }, { width: 12 }, { width: 10 }, { width: 10 }, { width: 12 }, { width: 22 }];
  const head = (row: ExcelJS.Row) => {
    row.font = { bold: true };
    row.commit();
  };
  head(summary.addRow([headers.group[q.groupBy][lang], ...headers.summary[lang]].map(safeCell)));
  for (const row of [...report.rows, report.total]) {
    const x = summary.addRow([safeCell(row.label), row.total, row.met, row.breached, row.complianceRate, row.avgUsedMinutes]);
    x.getCell(5).numFmt = '0.0%';
    if (row === report.total) x.font = { bold: true };
    x.commit();
  }
  summary.addRow([]).commit();
  summary.addRow([safeCell(zh ? `统计期间 ${report.from} 至 ${report.to}（${report.timeZone}），时限：${targetLabels[q.target].zh}` : `Period ${report.from} to ${report.to} (${report.timeZone}), target: ${targetLabels[q.target].en}`)]).commit();
  summary.commit();

  const sheet = wb.addWorksheet(breachesName);
  sheet.columns = [{ width: 20 }, { width: 40 }, { width: 10 }, { width: 20 }, { width: 16 }, { width: 10 }, { width: 18 }, { width: 18 }, { width: 12 }, { width: 22 }, { width: 10 }];
  head(sheet.addRow([...headers.breaches[lang]].map(safeCell)));
  const calendars = new Map<string, WorkingCalendar>();
  const units = new Map<string, UnitInfo>();
  const now = ctx.clock.now();
  const local = (s: string | null) => (s ? formatLocal(r.timeZone, new Date(s)) : '');
  let written = 0;
  let more = false;
  let after: [string, string] | undefined;
  for (;;) {
    const rows = await repo.breaches(ctx.db, r.filter, after, 1000);
    if (rows.length === 0) break;
    const take = rows.slice(0, maxBreaches - written);
    for (const b of await toBreaches(ctx.db, lang, take, q.target, now, calendars, units)) {
      sheet
        .addRow([
          b.number,
          b.subject,
          b.typeLabel,
          b.departmentName ?? '',
          b.branchName ?? '',
          targetLabels[b.target][lang],
          local(b.dueAt),
          local(b.breachedAt),
          b.lateMinutes,
          b.causeLabel ?? words.notRecorded[lang],
          b.open ? (zh ? '是' : 'yes') : zh ? '否' : 'no',
        ].map(safeCell))
        .commit();
    }
    written += take.length;
    if (take.length < rows.length) {
      more = true;
      break;
    }
    if (rows.length < 1000) break;
    const last = rows.at(-1)!;
    after = [last.outcome_at, last.clock_id];
  }
  if (more) {
    sheet.addRow([safeCell(zh ? `仅导出前 ${maxBreaches} 条超时记录，其余未导出；请缩短统计期间。` : `Only the first ${maxBreaches} breaches are exported; shorten the period for the rest.`)]).commit();
  }
  sheet.commit();
  await wb.commit();
  await done;

  await ctx.db.transaction().execute(async (trx) => {
    await recordAudit(trx, ctx, {
      action: 'report.export',
      entityType: 'report',
      entityId: newId(now.getTime()),
      orgUnitId: q.orgUnitId ?? null,
      after: { report: 'sla', from: q.from, to: q.to, groupBy: q.groupBy, target: q.target, type: q.type ?? null, breaches: written, truncated: more },
    });
  });
  const fileName = zh ? `服务时限报表_${q.from}_${q.to}.xlsx` : `sla-report_${q.from}_${q.to}.xlsx`;
  return { fileName, body: Buffer.concat(chunks) };
}
