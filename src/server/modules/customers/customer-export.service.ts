import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import type { z } from 'zod';
import { MAX_CUSTOMER_EXPORT_ROWS, type ExportFormat, type customerExportQuery, type readingLogExportQuery } from '../../../contracts/customer-export.ts';
import type { CustomerFile, ReadingEntry } from '../../../contracts/customers.ts';
import type { Lang } from '../../../contracts/errors.ts';
import type { Ctx } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { safeCell, type CellValue } from '../../platform/spreadsheet.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { customerFileRepository as files } from './customer-file.repository.ts';
import { customerListFilter, readingLogFilter, toFile, toReadingEntry, type CustomerFileDeps } from './customer-file.service.ts';
import { customerRepository as repo } from './customer.repository.ts';

/**
 * Exports 导出 of customer files and of the reading log, as CSV (UTF-8 with a BOM, so Excel reads the
 * Chinese right) or XLSX (exceljs' streaming writer). Every row is the file as the detail shows it to
 * the caller without opening it (toFile, the one masking code): protected contact values masked
 * (138****1234), hidden sections (address, needs and notes, credit) left empty, ID numbers masked.
 * Exporting opens nothing: no reading record. Every text cell goes through safeCell (no formulas).
 * More than `maxRows` rows: CUSTOMER_EXPORT_TOO_LARGE, nothing handed out; the audit entry names the
 * filters used (not their values, which may be personal: a name, a phone, an ID number) and the count.
 */

const PAGE = 1000;

export interface ExportFile {
  fileName: string;
  contentType: string;
  body: Buffer;
}

type Labels = Record<string, { zh: string; en: string }>;
const L = (zh: string, en: string) => ({ zh, en });
const yesNo = (v: boolean, lang: Lang) => (v ? (lang === 'zh' ? '是' : 'yes') : lang === 'zh' ? '否' : 'no');
const label = (labels: Labels, v: string | null, lang: Lang) => (v === null ? '' : (labels[v]?.[lang] ?? v));

const kinds: Labels = { person: L('个人', 'person'), organisation: L('单位', 'organisation') };
const categories: Labels = { A: L('A 公司客户', 'A company customer'), B: L('B 合作单位', 'B partner'), C: L('C 监管部门', 'C regulator'), D: L('D 员工家属', "D employee's family") };
const tiers: Labels = { strategic: L('战略客户', 'strategic'), key: L('重点客户', 'key'), ordinary: L('普通客户', 'ordinary') };
const genders: Labels = { male: L('男', 'male'), female: L('女', 'female'), unknown: L('未知', 'unknown') };
const levels: Labels = { ordinary: L('普通', 'ordinary'), secret: L('秘密', 'secret'), confidential: L('机密', 'confidential'), top_secret: L('绝密', 'top secret') };
const sections: Labels = { identifiers: L('证件与会员号', 'identifiers'), contact: L('联系方式', 'contact'), finance: L('信用', 'credit'), notes: L('需求与备注', 'needs and notes') };
const identifierKinds: Labels = { phone: L('电话', 'phone'), email: L('邮箱', 'e-mail'), member_card: L('会员卡号', 'member card'), id_number: L('身份证号', 'ID number') };

interface Column<T> {
  head: { zh: string; en: string };
  width: number;
  value(x: T, lang: Lang): CellValue;
}

const customerColumns: Column<CustomerFile>[] = [
  { head: L('客户名称', 'Name'), width: 20, value: (f) => f.name },
  { head: L('类型', 'Kind'), width: 8, value: (f, l) => label(kinds, f.kind, l) },
  { head: L('客户分类', 'Category'), width: 14, value: (f, l) => label(categories, f.category, l) },
  { head: L('客户等级', 'Tier'), width: 10, value: (f, l) => label(tiers, f.tier, l) },
  { head: L('VIP', 'VIP'), width: 6, value: (f, l) => yesNo(f.vip, l) },
  { head: L('会员等级', 'Member level'), width: 10, value: (f) => f.memberLevel },
  { head: L('电话', 'Phone'), width: 16, value: (f) => f.phone },
  { head: L('邮箱', 'E-mail'), width: 24, value: (f) => f.email },
  { head: L('证件与会员号', 'Identifiers'), width: 40, value: (f, l) => f.identifiers.map((i) => `${label(identifierKinds, i.kind, l)}: ${i.value}`).join('; ') },
  { head: L('性别', 'Gender'), width: 6, value: (f, l) => label(genders, f.gender, l) },
  { head: L('生日', 'Birthday'), width: 14, value: (f, l) => (f.birthday ? `${f.birthday}${f.birthdayLunar ? (l === 'zh' ? '（农历）' : ' (lunar)') : ''}` : '') },
  { head: L('职务', 'Position'), width: 12, value: (f) => f.position },
  { head: L('地址', 'Address'), width: 30, value: (f) => f.address },
  { head: L('行业', 'Industry'), width: 12, value: (f) => f.industry },
  { head: L('规模', 'Size'), width: 10, value: (f) => f.orgSize },
  { head: L('开始合作日期', 'Relation since'), width: 12, value: (f) => f.relationSince },
  { head: L('需求', 'Needs'), width: 30, value: (f) => f.needs },
  { head: L('偏好', 'Preferences'), width: 30, value: (f) => f.preferences },
  { head: L('备注', 'Notes'), width: 30, value: (f) => f.notes },
  { head: L('客户经理', 'Account manager'), width: 12, value: (f) => f.ownerName },
  { head: L('信用等级', 'Credit class'), width: 8, value: (f) => f.creditClass },
  { head: L('评级日期', 'Credit date'), width: 12, value: (f) => f.creditDate },
  { head: L('评级依据', 'Credit basis'), width: 24, value: (f) => f.creditBasis },
  { head: L('标签', 'Tags'), width: 16, value: (f) => f.tags.join('、') },
  { head: L('密级', 'Confidentiality'), width: 8, value: (f, l) => label(levels, f.access.effectiveLevel, l) },
  { head: L('保密期限届满日', 'Declassified on'), width: 12, value: (f) => f.declassifyOn },
  { head: L('受保护（未导出）', 'Protected (not exported)'), width: 24, value: (f, l) => f.access.restrictedSections.map((s) => label(sections, s, l)).join('、') },
  { head: L('所属单位', 'Company'), width: 16, value: (f) => f.orgUnitName },
  { head: L('已归档', 'Archived'), width: 6, value: (f, l) => yesNo(f.archived, l) },
  { head: L('建档时间', 'Created'), width: 22, value: (f) => f.createdAt },
  { head: L('更新时间', 'Updated'), width: 22, value: (f) => f.updatedAt },
  { head: L('档案编号', 'File id'), width: 38, value: (f) => f.id },
];

const readingColumns: Column<ReadingEntry>[] = [
  { head: L('查阅时间', 'Read at'), width: 24, value: (r) => r.at },
  { head: L('客户', 'Customer'), width: 20, value: (r) => r.customerName },
  { head: L('所属单位', 'Company'), width: 16, value: (r) => r.orgUnitName },
  { head: L('查阅人', 'Reader'), width: 12, value: (r) => r.userName },
  { head: L('密级', 'Level'), width: 8, value: (r, l) => label(levels, r.level, l) },
  { head: L('查阅内容', 'Sections'), width: 30, value: (r, l) => r.sections.map((s) => label(sections, s, l)).join('、') },
  { head: L('事由', 'Reason'), width: 40, value: (r) => r.reason },
  { head: L('档案编号', 'File id'), width: 38, value: (r) => r.customerId },
];

/** A sheet being written: rows go straight into the CSV text or the streaming zip. */
interface Sink {
  row(cells: CellValue[]): void;
  done(): Promise<Buffer>;
}

function csvField(v: CellValue): string {
  const s = v === null || v === undefined ? '' : v instanceof Date ? v.toISOString() : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

function csvSink(): Sink {
  const parts: string[] = ['\uFEFF'];
  return {
    row: (cells) => parts.push(cells.map(csvField).join(',') + '\r\n'),
    done: async () => Buffer.from(parts.join(''), 'utf8'),
  };
}

function xlsxSink(sheetName: string, widths: number[]): Sink {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const ended = new Promise<void>((resolve, reject) => {
    out.on('end', resolve);
    out.on('error', reject);
  });
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: true, useStyles: true });
  wb.creator = 'Kefu';
  const sheet = wb.addWorksheet(sheetName, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = widths.map((width) => ({ width }));
  let first = true;
  return {
    row(cells) {
      const r = sheet.addRow(cells.map((c) => (c === null || c === undefined ? '' : c)));
      if (first) r.font = { bold: true };
      first = false;
      r.commit();
    },
    async done() {
      sheet.commit();
      await wb.commit();
      await ended;
      return Buffer.concat(chunks);
    },
  };
}

function open<T>(format: ExportFormat, sheetName: string, columns: Column<T>[], lang: Lang) {
  const sink = format === 'csv' ? csvSink() : xlsxSink(sheetName, columns.map((c) => c.width));
  sink.row(columns.map((c) => safeCell(c.head[lang])));
  return {
    add: (x: T) => sink.row(columns.map((c) => safeCell(c.value(x, lang)))),
    done: () => sink.done(),
  };
}

const contentTypes: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

function tooLarge(maxRows: number): AppError {
  return new AppError('CUSTOMER_EXPORT_TOO_LARGE', 422, { extensions: { maxRows } });
}

/** The names of the filters given (values left out: they may be personal) and the non-personal choices. */
function filtersUsed(q: Record<string, unknown>): string[] {
  return Object.keys(q).filter((k) => k !== 'format' && q[k] !== undefined).sort();
}

const stamp = (now: Date) => now.toISOString().slice(0, 16).replace(/[-:]/g, '').replace('T', '-');

/** `GET /api/customers/export`: the filtered list the caller may see, as the detail shows each file to them. */
export async function exportCustomerFiles(ctx: Ctx, deps: CustomerFileDeps, q: z.infer<typeof customerExportQuery>, maxRows = MAX_CUSTOMER_EXPORT_ROWS): Promise<ExportFile> {
  const { format, ...filters } = q;
  const filter = await customerListFilter(ctx, deps, filters);
  const now = ctx.clock.now();
  const lang = ctx.lang;
  const zh = lang === 'zh';
  const file = open(format, zh ? '客户档案' : 'Customer files', customerColumns, lang);
  let written = 0;
  let after: [string, string] | undefined;
  for (;;) {
    const rows = await repo.list(ctx.db, { ...filter, after, limit: PAGE });
    if (written + rows.length > maxRows) throw tooLarge(maxRows);
    const ids = await files.identifiersOf(ctx.db, rows.map((r) => r.id));
    const byCustomer = new Map<string, typeof ids>();
    for (const i of ids) byCustomer.set(i.customer_id, [...(byCustomer.get(i.customer_id) ?? []), i]);
    for (const r of rows) file.add(toFile(r, byCustomer.get(r.id) ?? [], ctx.actor, now, deps.cipher));
    written += rows.length;
    if (rows.length < PAGE) break;
    const last = rows.at(-1)!;
    after = [last.name, last.id];
  }
  const body = await file.done();
  await ctx.db.transaction().execute(async (trx) => {
    await recordAudit(trx, ctx, {
      action: 'customer.export',
      entityType: 'report',
      entityId: newId(now.getTime()),
      orgUnitId: ctx.actor.orgUnitId ?? null,
      after: { format, filters: filtersUsed(filters), archived: filters.archived, rows: written },
    });
  });
  return { fileName: `${zh ? '客户档案' : 'customer-files'}_${stamp(now)}.${format}`, contentType: contentTypes[format], body };
}

/** `GET /api/customer-readings/export`: the reading log 借阅记录 as its page shows it, newest first. */
export async function exportReadingLog(ctx: Ctx, q: z.infer<typeof readingLogExportQuery>, maxRows = MAX_CUSTOMER_EXPORT_ROWS): Promise<ExportFile> {
  const { format, ...filters } = q;
  const filter = readingLogFilter(ctx, filters);
  const now = ctx.clock.now();
  const lang = ctx.lang;
  const zh = lang === 'zh';
  const file = open(format, zh ? '借阅记录' : 'Reading log', readingColumns, lang);
  let written = 0;
  let before: [string, string] | undefined;
  for (;;) {
    const rows = await files.readings(ctx.db, { ...filter, before, limit: PAGE });
    if (written + rows.length > maxRows) throw tooLarge(maxRows);
    for (const r of rows) file.add(toReadingEntry(r));
    written += rows.length;
    if (rows.length < PAGE) break;
    const last = rows.at(-1)!;
    before = [last.at, last.id];
  }
  const body = await file.done();
  await ctx.db.transaction().execute(async (trx) => {
    await recordAudit(trx, ctx, {
      action: 'customer.reading_log_export',
      entityType: 'report',
      entityId: newId(now.getTime()),
      orgUnitId: ctx.actor.orgUnitId ?? null,
      after: { format, filters: filtersUsed(filters), rows: written },
    });
  });
  return { fileName: `${zh ? '借阅记录' : 'reading-log'}_${stamp(now)}.${format}`, contentType: contentTypes[format], body };
}
