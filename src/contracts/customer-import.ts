import { z } from 'zod';
import { id } from './api.ts';

/**
 * Import of customer files 客户档案导入 (CSV / XLSX): an import run holds the uploaded file (a temp
 * file on the server), its header, the column mapping, the matching key, and the outcome of each
 * pass — a dry run 试导入 that writes nothing, or an import, all-or-nothing by default or
 * "only the good rows" 只导入正确的行. Runs are processed by a durable job; the console polls.
 */

/** The file fields a column can map to (the customer-file contract's names, plus identifiers and the unit code). */
export const importFields = [
  'name',
  'kind',
  'phone',
  'phones',
  'email',
  'memberCard',
  'idNumber',
  'gender',
  'birthday',
  'position',
  'address',
  'industry',
  'tier',
  'category',
  'vip',
  'memberLevel',
  'tags',
  'unit',
  'needs',
  'preferences',
  'notes',
] as const;
export type ImportField = (typeof importFields)[number];

export const importKeys = ['phone', 'member_card', 'id_number'] as const;
export type ImportKey = (typeof importKeys)[number];
export const importModes = ['dry_run', 'all', 'good_rows'] as const;
export type ImportMode = (typeof importModes)[number];
export const importStatuses = ['uploaded', 'queued', 'running', 'validated', 'done', 'failed'] as const;
export type ImportStatus = (typeof importStatuses)[number];

/** Header and cell limits (a header row of more columns is refused). */
export const IMPORT_MAX_COLUMNS = 100;
/** Row errors stored per run; the total is counted beyond. */
export const IMPORT_MAX_STORED_ERRORS = 10_000;

export const importField = z.enum(importFields).describe('档案字段');
export const importKey = z.enum(importKeys).describe('匹配键: 电话 / 会员卡号 / 身份证号');
export const importMode = z.enum(importModes).describe('dry_run 试导入（不写入） / all 全部导入（有错则一条不导） / good_rows 只导入正确的行');

export const importRunRequest = z.strictObject({
  mode: importMode,
  key: importKey.default('phone'),
  unitId: id.optional().describe('the company 分公司/分店 files go to unless a row names a unit code; defaults to the one given at upload'),
  /** One entry per header column, in order: the file field it fills, or null to ignore the column. */
  mapping: z.array(importField.nullable()).min(1).max(IMPORT_MAX_COLUMNS).optional().describe('defaults to the suggested mapping'),
});

export const importUploadQuery = z.strictObject({ unitId: id.optional() });

export const importRun = z.object({
  id,
  orgUnitId: id,
  orgUnitName: z.string(),
  userName: z.string(),
  fileName: z.string(),
  format: z.enum(['csv', 'xlsx']),
  encoding: z.string().describe('utf-8 / gb18030 (按 GBK 解码)'),
  headers: z.array(z.string()),
  suggested: z.array(importField.nullable()),
  mapping: z.array(importField.nullable()),
  key: importKey,
  mode: importMode.nullable(),
  status: z.enum(importStatuses),
  /** 0–100 of the current pass. */
  progress: z.number(),
  rowsRead: z.number().describe('non-empty data rows'),
  rowsEmpty: z.number().describe('empty lines skipped'),
  rowsOk: z.number(),
  rowsBad: z.number(),
  created: z.number(),
  updated: z.number(),
  unchanged: z.number(),
  errorsTotal: z.number(),
  errorsStored: z.number(),
  failure: z.string().nullable().describe('why the pass stopped (a file-level problem), in the request language'),
  createdAt: z.string(),
  updatedAt: z.string(),
  finishedAt: z.string().nullable(),
});

export const importError = z.object({
  line: z.number().describe('line (CSV) or row (XLSX) number in the file, the header being 1'),
  column: z.string().nullable(),
  field: z.string().nullable(),
  code: z.string(),
  message: z.string(),
});
export const importErrorQuery = z.strictObject({
  offset: z.coerce.number().int().min(0).max(IMPORT_MAX_STORED_ERRORS).default(0),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export const importErrorPage = z.object({ items: z.array(importError), total: z.number(), stored: z.number() });

export type ImportRun = z.infer<typeof importRun>;
export type ImportError = z.infer<typeof importError>;
