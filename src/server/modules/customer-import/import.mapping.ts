import type { ImportField } from '../../../contracts/customer-import.ts';
import { cellText, type RawCell } from './import.reader.ts';

/**
 * Column mapping 列映射: header names in Chinese or English → file fields, and cell text → the values
 * the customer-file contract takes (战略 → strategic, 男 → male, 是 → true, 2026/9/1 → 2026-09-01). A choice
 * that is not recognised is a problem of the row, said in the person's words; other text is passed on
 * as written, so the contract's own rule (length, format) reports it.
 */

const synonyms: Record<ImportField, string[]> = {
  name: ['姓名', '名称', '客户名称', '客户姓名', '单位名称', '客户', 'name', 'customername', 'fullname'],
  kind: ['客户类型', '类型', '个人单位', 'kind', 'type', 'customertype'],
  phone: ['手机', '手机号', '手机号码', '电话', '联系电话', '电话号码', '移动电话', 'phone', 'mobile', 'tel', 'telephone', 'phonenumber', 'mobilephone'],
  phones: ['其他电话', '备用电话', '其它电话', '更多电话', 'otherphones', 'phones', 'morephones'],
  email: ['邮箱', '电子邮箱', '电子邮件', '邮件', 'email', 'e-mail', 'mail'],
  memberCard: ['会员卡号', '会员卡', '卡号', '会员号', 'membercard', 'card', 'cardno', 'cardnumber', 'membercardno'],
  idNumber: ['身份证号', '身份证', '身份证号码', '证件号码', '证件号', 'idnumber', 'idno', 'id', 'idcard'],
  gender: ['性别', 'gender', 'sex'],
  birthday: ['生日', '出生日期', '出生年月日', 'birthday', 'dateofbirth', 'dob', 'birthdate'],
  position: ['职务', '职位', 'position', 'title', 'jobtitle'],
  address: ['地址', '联系地址', '通讯地址', '住址', 'address'],
  industry: ['行业', '所属行业', 'industry'],
  tier: ['客户等级', '等级', '客户级别', '级别', 'tier', 'level', 'customertier'],
  category: ['客户类别', '类别', '分类', '客户分类', 'category'],
  vip: ['vip', '是否vip', 'vip客户'],
  memberLevel: ['会员等级', '会员级别', 'memberlevel', 'membership'],
  tags: ['标签', 'tags', 'tag'],
  unit: ['单位编码', '所属单位', '分店编码', '分店', '门店编码', '门店', '所属分店', '分公司', 'unit', 'branch', 'unitcode', 'branchcode'],
  needs: ['需求', '客户需求', 'needs'],
  preferences: ['偏好', '喜好', '客户偏好', 'preferences', 'preference'],
  notes: ['备注', '说明', '备注说明', 'notes', 'note', 'remarks', 'remark', 'comment'],
};

const norm = (h: string) => h.toLowerCase().replace(/[\s_*:：()（）[\]【】.#-]/g, '');
const lookup = new Map<string, ImportField>();
for (const [field, names] of Object.entries(synonyms) as [ImportField, string[]][]) for (const n of names) lookup.set(norm(n), field);

/** The suggested field of each header column (each field used at most once; unknown headers → null). */
export function suggestMapping(headers: string[]): (ImportField | null)[] {
  const used = new Set<ImportField>();
  return headers.map((h) => {
    const f = lookup.get(norm(h));
    if (!f || used.has(f)) return null;
    used.add(f);
    return f;
  });
}

/** Cells whose text starts a formula in a spreadsheet (= and @; + and - start phone numbers and notes). */
export const FORMULA_TEXT = /^[=@]/;

const tiers: Record<string, string> = { 战略: 'strategic', 战略客户: 'strategic', strategic: 'strategic', 重点: 'key', 重点客户: 'key', key: 'key', 普通: 'ordinary', 普通客户: 'ordinary', ordinary: 'ordinary' };
const categories: Record<string, string> = { a: 'A', 公司客户: 'A', a公司客户: 'A', b: 'B', 合作单位: 'B', b合作单位: 'B', c: 'C', 监管部门: 'C', c监管部门: 'C', d: 'D', 员工家属: 'D', d员工家属: 'D' };
const genders: Record<string, string> = { 男: 'male', male: 'male', m: 'male', 女: 'female', female: 'female', f: 'female', 未知: 'unknown', unknown: 'unknown' };
const kinds: Record<string, string> = { 个人: 'person', person: 'person', 单位: 'organisation', 企业: 'organisation', 公司: 'organisation', organisation: 'organisation', organization: 'organisation', company: 'organisation' };
const yes = new Set(['是', 'y', 'yes', 'true', '1', 'vip']);
const no = new Set(['否', 'n', 'no', 'false', '0']);

/** YYYY-MM-DD from 2026-9-1, 2026/09/01, 2026.9.1, 20260901 or a date cell; else the text as written. */
export function dateText(raw: string): string {
  const m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(raw) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(raw);
  return m ? `${m[1]}-${m[2].padStart(2, '0')}-${m[3].padStart(2, '0')}` : raw;
}

const splitList = (raw: string) => raw.split(/[,，;；、|\n]/).map((s) => s.trim()).filter(Boolean);

export interface MappedRow {
  /** The customer-file create input (contract field names); only the fields given. */
  input: Record<string, unknown>;
  /** Identifiers from the memberCard, idNumber and phones columns. */
  identifiers: { kind: 'phone' | 'member_card' | 'id_number'; value: string }[];
  /** The unit code column, when given. */
  unitCode: string | null;
  /** Problems found while mapping (a formula, a value that is no yes/no), by field. */
  problems: { field: ImportField; column: number; code: string; zh: string; en: string }[];
  /** The column index each field came from (for error reports). */
  columnOf: Partial<Record<string, number>>;
  empty: boolean;
}

/** One row's cells through the mapping. */
export function mapRow(cells: RawCell[], mapping: (ImportField | null)[]): MappedRow {
  const out: MappedRow = { input: {}, identifiers: [], unitCode: null, problems: [], columnOf: {}, empty: true };
  for (let i = 0; i < cells.length; i++) {
    const c = cells[i];
    if (c !== null && c !== undefined && cellText(c) !== '') out.empty = false;
    if (c && typeof c === 'object' && 'formula' in c) out.empty = false;
  }
  for (let col = 0; col < mapping.length; col++) {
    const field = mapping[col];
    if (!field) continue;
    const c = cells[col];
    if (c && typeof c === 'object' && !(c instanceof Date)) {
      out.problems.push({ field, column: col, code: 'FORMULA', zh: '单元格含公式，不予导入（请粘贴为数值）', en: 'the cell holds a formula, which is not imported (paste it as a value)' });
      continue;
    }
    const raw = cellText(c);
    if (raw === '') continue;
    if (FORMULA_TEXT.test(raw)) {
      out.problems.push({ field, column: col, code: 'FORMULA', zh: '以 = 或 @ 开头的内容可能是公式，不予导入', en: 'text starting with = or @ may be a formula and is not imported' });
      continue;
    }
    const put = (key: string, value: unknown) => {
      out.input[key] = value;
      out.columnOf[key] = col;
    };
    const choose = (table: Record<string, string>, zh: string, en: string) => {
      const v = table[norm(raw)];
      if (v) put(field, v);
      else out.problems.push({ field, column: col, code: 'INVALID', zh, en });
    };
    switch (field) {
      case 'tier':
        choose(tiers, '客户等级须为 战略、重点 或 普通', 'tier must be strategic, key or ordinary (战略 / 重点 / 普通)');
        break;
      case 'category':
        choose(categories, '客户类别须为 A、B、C 或 D（公司客户 / 合作单位 / 监管部门 / 员工家属）', 'category must be A, B, C or D');
        break;
      case 'gender':
        choose(genders, '性别须为 男、女 或 未知', 'gender must be male, female or unknown (男 / 女 / 未知)');
        break;
      case 'kind':
        choose(kinds, '客户类型须为 个人 或 单位', 'kind must be person or organisation (个人 / 单位)');
        break;
      case 'vip': {
        const v = norm(raw);
        if (yes.has(v)) put('vip', true);
        else if (no.has(v)) put('vip', false);
        else out.problems.push({ field, column: col, code: 'INVALID', zh: 'VIP 须为 是/否', en: 'VIP must be yes or no' });
        break;
      }
      case 'birthday':
        put('birthday', dateText(raw));
        break;
      case 'tags':
        put('tags', splitList(raw));
        break;
      case 'phones':
        for (const p of splitList(raw)) out.identifiers.push({ kind: 'phone', value: p });
        out.columnOf.identifiers = col;
        break;
      case 'memberCard':
        out.identifiers.push({ kind: 'member_card', value: raw });
        out.columnOf.member_card = col;
        break;
      case 'idNumber':
        out.identifiers.push({ kind: 'id_number', value: raw });
        out.columnOf.id_number = col;
        break;
      case 'unit':
        out.unitCode = raw;
        out.columnOf.unit = col;
        break;
      default:
        put(field, raw);
    }
  }
  return out;
}
