import { z } from 'zod';
import { bilingual, id, version } from './api.ts';
import { ticketType, ticketTypes } from './tickets.ts';

/**
 * Work-order settings 工单设置 (ticket:configure): custom fields 自定义字段 per unit and work-order
 * type, the category tree 工单分类 and watchers 关注人. Shared by the server and the console.
 */
const required = (max: number) => z.string().trim().min(1).max(max);
const noHtml = (s: string) => !/[<>]/.test(s);
const label = (max: number) => required(max).refine(noHtml, { message: bilingual('不能包含 < 或 >', 'must not contain < or >') });

export const fieldKinds = ['text', 'number', 'date', 'select', 'multi_select', 'checkbox'] as const;
export const fieldKind = z.enum(fieldKinds).describe('文本 / 数字 / 日期 / 单选 / 多选 / 勾选');
export const fieldKey = z.string().regex(/^[a-z0-9_]{1,40}$/, bilingual('只能包含小写字母、数字和下划线，最多 40 个字符', 'a-z, 0-9 and _ only, at most 40 characters'));
export const TEXT_FIELD_MAX = 500;

/**
 * The form a definition serves: a work-order type, or `customer` — the customer file 客户档案 (issue #5).
 * Work-order intake and the fields applicable to a work order take work-order types only.
 */
export const fieldForms = [...ticketTypes, 'customer'] as const;
export const fieldForm = z.enum(fieldForms).describe('咨询 / 投诉 / 报修 / 业务办理 / 建议 / 表扬 / 突发事件 / 客户档案');
export type FieldForm = (typeof fieldForms)[number];

export const fieldOption = z.strictObject({ value: fieldKey.describe('stored value 存储值'), zh: label(50), en: label(50) });
const options = z
  .array(fieldOption)
  .min(1)
  .max(50)
  .refine((o) => new Set(o.map((x) => x.value)).size === o.length, bilingual('选项值不能重复', 'option values must be unique'));
const limit = z.number().finite().min(-1e12).max(1e12);

const fieldSettings = {
  labelZh: label(50).describe('中文名称'),
  labelEn: label(50).describe('English label'),
  required: z.boolean(),
  enabled: z.boolean(),
  maxLength: z.number().int().min(1).max(TEXT_FIELD_MAX).nullable().optional().describe('text only; default 500'),
  min: limit.nullable().optional().describe('number only'),
  max: limit.nullable().optional().describe('number only'),
  options: options.nullable().optional().describe('select and multi_select: 1–50 options'),
};

export const fieldDefinitionCreate = z.strictObject({
  orgUnitId: id.describe('a company 分公司/分店 or the group 集团'),
  ticketType: fieldForm,
  key: fieldKey,
  kind: fieldKind,
  ...fieldSettings,
  required: fieldSettings.required.default(false),
  enabled: fieldSettings.enabled.default(true),
});
export const fieldDefinitionUpdate = z.strictObject({
  version,
  key: fieldKey.optional().describe('fixed once a work order stores a value'),
  labelZh: fieldSettings.labelZh.optional(),
  labelEn: fieldSettings.labelEn.optional(),
  required: fieldSettings.required.optional(),
  enabled: fieldSettings.enabled.optional().describe('disabling keeps stored values'),
  maxLength: fieldSettings.maxLength,
  min: fieldSettings.min,
  max: fieldSettings.max,
  options: fieldSettings.options,
});
export const fieldDefinitionQuery = z.strictObject({ orgUnitId: id.optional(), ticketType: fieldForm.optional() });
export const applicableFieldsQuery = z.strictObject({
  orgUnitId: id.optional().describe('the owning unit of the work order; defaults to yours'),
  ticketType: ticketType,
});
export const fieldReorder = z.strictObject({ orgUnitId: id, ticketType: fieldForm, ids: z.array(id).min(1).max(100) });

export const fieldDefinition = z.object({
  id,
  orgUnitId: id,
  orgUnitName: z.string(),
  ticketType: fieldForm,
  key: z.string(),
  labelZh: z.string(),
  labelEn: z.string(),
  kind: fieldKind,
  required: z.boolean(),
  enabled: z.boolean(),
  position: z.number(),
  maxLength: z.number().nullable(),
  min: z.number().nullable(),
  max: z.number().nullable(),
  options: z.array(z.object({ value: z.string(), zh: z.string(), en: z.string() })),
  version: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type FieldDefinition = z.infer<typeof fieldDefinition>;
/** `GET /api/customer-fields`: the fields a customer file of a company meets (enabled or not). */
export const customerFieldsQuery = z.strictObject({ orgUnitId: id.optional().describe('the file\'s company (or a unit in it); defaults to yours') });

export const categoryCreate = z.strictObject({
  parentId: id.nullable().default(null).describe('none: a first-level category'),
  name: label(50),
});
export const categoryUpdate = z.strictObject({ version, name: label(50).optional(), enabled: z.boolean().optional().describe('disabled: not offered at intake; old orders keep it') });
export const categoryMove = z.strictObject({ version, parentId: id.nullable(), index: z.number().int().min(0).max(1000).optional().describe('place among the new siblings; default last') });
export const categoryReorder = z.strictObject({ parentId: id.nullable(), ids: z.array(id).min(1).max(500) });

export const watcherAdd = z.strictObject({ userId: id.optional().describe('none: watch it yourself') });
export const watcherParams = z.strictObject({ id, userId: id });
export const watcher = z.object({ userId: id, name: z.string() });
