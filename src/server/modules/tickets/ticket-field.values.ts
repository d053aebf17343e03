import type { Lang } from '../../../contracts/errors.ts';
import { TEXT_FIELD_MAX } from '../../../contracts/ticket-settings.ts';
import type { FieldDefinitionRow } from './ticket-field.repository.ts';

/** A definition's kind-specific settings, as stored in its `config` JSON. */
export interface FieldConfig {
  maxLength?: number | null;
  min?: number | null;
  max?: number | null;
  options?: { value: string; zh: string; en: string }[] | null;
}
export const configOf = (d: Pick<FieldDefinitionRow, 'config'>): FieldConfig => JSON.parse(d.config) as FieldConfig;

const isDate = (s: string) => /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s);

/**
 * Checks one value against its definition; returns the message for the field error, or null when
 * the value is good. Pure: the service decides which definitions apply.
 */
export function checkFieldValue(d: Pick<FieldDefinitionRow, 'kind' | 'config'>, v: unknown, lang: Lang): string | null {
  const zh = lang === 'zh';
  const c = configOf(d);
  const values = new Set((c.options ?? []).map((o) => o.value));
  switch (d.kind) {
    case 'text': {
      const max = c.maxLength ?? TEXT_FIELD_MAX;
      if (typeof v !== 'string') return zh ? '须为文本' : 'must be text';
      if (v.length > max) return zh ? `最多 ${max} 个字符` : `at most ${max} characters`;
      return null;
    }
    case 'number':
      if (typeof v !== 'number' || !Number.isFinite(v)) return zh ? '须为数字' : 'must be a number';
      if (c.min != null && v < c.min) return zh ? `不能小于 ${c.min}` : `must be at least ${c.min}`;
      if (c.max != null && v > c.max) return zh ? `不能大于 ${c.max}` : `must be at most ${c.max}`;
      return null;
    case 'date':
      return typeof v === 'string' && isDate(v) ? null : zh ? '须为日期 YYYY-MM-DD' : 'must be a date YYYY-MM-DD';
    case 'select':
      return typeof v === 'string' && values.has(v) ? null : zh ? '不是可选的选项' : 'not one of the options';
    case 'multi_select':
      if (!Array.isArray(v) || v.length > 50 || new Set(v).size !== v.length) return zh ? '须为不重复的选项列表' : 'must be a list of distinct options';
      return v.every((x) => typeof x === 'string' && values.has(x)) ? null : zh ? '含有不可选的选项' : 'contains a value that is not one of the options';
    case 'checkbox':
      return typeof v === 'boolean' ? null : zh ? '须为是或否' : 'must be true or false';
  }
}

/** Empty means "no value": required fields need something else. */
export const isEmptyValue = (v: unknown) => v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0);

/** Kind-specific settings that make sense together; returns [field, message] pairs for what does not. */
export function checkFieldConfig(kind: FieldDefinitionRow['kind'], c: FieldConfig, lang: Lang): [string, string][] {
  const zh = lang === 'zh';
  const out: [string, string][] = [];
  const selectable = kind === 'select' || kind === 'multi_select';
  if (selectable && !c.options?.length) out.push(['options', zh ? '单选/多选字段须有 1–50 个选项' : 'select fields need 1–50 options']);
  if (!selectable && c.options?.length) out.push(['options', zh ? '仅单选/多选字段有选项' : 'only select fields have options']);
  if (kind !== 'text' && c.maxLength != null) out.push(['maxLength', zh ? '仅文本字段有长度限制' : 'text fields only']);
  if (kind !== 'number' && (c.min != null || c.max != null)) out.push([c.min != null ? 'min' : 'max', zh ? '仅数字字段有取值范围' : 'number fields only']);
  if (c.min != null && c.max != null && c.min > c.max) out.push(['max', zh ? '不能小于最小值' : 'must not be below min']);
  return out;
}
