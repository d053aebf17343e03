import { z } from 'zod';
import { bilingual, id, version } from './api.ts';
import { customer, customerCreate, customFieldValues, customerTier, normalisePhone } from './tickets.ts';
import type { Permission } from './permissions.ts';

/**
 * The customer file 客户档案 under confidentiality (domain.md §4): persons and organisations, their
 * identifiers, classifications, and the confidentiality level 密级 that masks protected sections for
 * every reader until the file is opened 借阅 with a reason (a reading record 借阅记录). Extends the
 * minimal file of contracts/tickets.ts (intake keeps using that one).
 */

export const customerKinds = ['person', 'organisation'] as const;
export const customerCategories = ['A', 'B', 'C', 'D'] as const;
export const confidentialityLevels = ['ordinary', 'secret', 'confidential', 'top_secret'] as const;
export const protectedSections = ['identifiers', 'contact', 'finance', 'notes'] as const;
export const identifierKinds = ['phone', 'email', 'member_card', 'id_number'] as const;
export const creditClasses = ['AAA', 'AA', 'A', 'B'] as const;

export type ConfidentialityLevel = (typeof confidentialityLevels)[number];
export type ProtectedSection = (typeof protectedSections)[number];
export type IdentifierKind = (typeof identifierKinds)[number];

/** The permission needed to open (借阅) a file of each level; an ordinary file needs customer:read only. */
export const levelPermission: Record<ConfidentialityLevel, Permission> = {
  ordinary: 'customer:read',
  secret: 'customer:read_secret',
  confidential: 'customer:read_confidential',
  top_secret: 'customer:read_top_secret',
};

const text = (max: number) => z.string().trim().max(max);
const noHtml = (s: string) => !/[<>]/.test(s);
const plain = (max: number) => text(max).refine(noHtml, { message: bilingual('不能包含 < 或 >', 'must not contain < or >') });
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, bilingual('日期格式为 YYYY-MM-DD', 'a date as YYYY-MM-DD')).refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), bilingual('无效日期', 'not a real date'));

export const customerKind = z.enum(customerKinds).describe('个人 / 单位');
export const customerCategory = z.enum(customerCategories).describe('A 公司客户（永久，不可删除） / B 合作单位 / C 监管部门 / D 员工家属');
export const confidentialityLevel = z.enum(confidentialityLevels).describe('普通 / 秘密 / 机密 / 绝密');
export const protectedSection = z.enum(protectedSections).describe('证件与会员号 / 联系方式 / 信用 / 需求与备注');
export const identifierKind = z.enum(identifierKinds).describe('电话 / 邮箱 / 会员卡号 / 身份证号');
export const creditClass = z.enum(creditClasses).describe('信用等级（四级）');

/** Mainland resident ID (18 characters, last may be X) or another document number (letters, digits, -). */
const idNumberPattern = /^[0-9A-Za-z-]{5,32}$/;

export function normaliseIdentifier(kind: IdentifierKind, raw: string): string {
  const t = raw.trim();
  if (kind === 'phone') return normalisePhone(t);
  if (kind === 'email') return t.toLowerCase();
  return t.toUpperCase().replace(/\s+/g, '');
}

export const identifierInput = z
  .strictObject({ kind: identifierKind, value: z.string().trim().min(1).max(254) })
  .transform((i) => ({ kind: i.kind, value: normaliseIdentifier(i.kind, i.value) }))
  .superRefine((i, c) => {
    const ok =
      i.kind === 'phone' ? /^\+?\d{3,20}$/.test(i.value)
      : i.kind === 'email' ? z.string().email().safeParse(i.value).success
      : i.kind === 'id_number' ? idNumberPattern.test(i.value)
      : /^[0-9A-Z-]{3,40}$/.test(i.value);
    if (!ok) c.addIssue({ code: 'custom', path: ['value'], message: bilingual('格式不正确', 'invalid format') });
  });

/** The fields of a file beyond the minimal one, all optional; sections are listed in `protectedSections`. */
const fileFields = {
  kind: customerKind.optional(),
  gender: z.enum(['male', 'female', 'unknown']).nullable().optional(),
  birthday: date.nullable().optional(),
  birthdayLunar: z.boolean().optional().describe('the birthday is a lunar-calendar date 农历生日'),
  position: plain(64).nullable().optional().describe('职务'),
  address: plain(200).nullable().optional(),
  industry: plain(64).nullable().optional().describe('行业 (organisations)'),
  orgSize: plain(32).nullable().optional().describe('规模 (organisations)'),
  relationSince: date.nullable().optional().describe('开始合作日期 (organisations)'),
  needs: plain(2000).nullable().optional(),
  preferences: plain(2000).nullable().optional(),
  notes: plain(4000).nullable().optional(),
  ownerId: id.nullable().optional().describe('客户经理'),
  category: customerCategory.optional(),
  memberLevel: plain(32).nullable().optional().describe('会员等级'),
  creditClass: creditClass.nullable().optional(),
  creditDate: date.nullable().optional(),
  creditBasis: plain(500).nullable().optional(),
  tags: z.array(plain(32).pipe(z.string().min(1))).max(20).transform((t) => [...new Set(t)]).optional(),
  confidentiality: confidentialityLevel.optional(),
  declassifyOn: date.nullable().optional().describe('保密期限届满日: from this day the file counts as 普通'),
  protectedSections: z.array(protectedSection).max(4).transform((s) => [...new Set(s)]).optional().describe('defaults to all four for a protected level'),
  identifiers: z.array(identifierInput).max(20).optional().describe('replaces the list'),
  customFields: customFieldValues.optional().describe('自定义字段 of the form 客户档案 (see /api/customer-fields); on update only the keys given change, null clears one'),
};
export const richFields = Object.keys(fileFields) as (keyof typeof fileFields)[];

export const customerFileCreate = customerCreate.extend(fileFields);
export const customerFileUpdate = z.strictObject({
  version,
  name: z.string().trim().min(1).max(64).refine(noHtml, { message: bilingual('不能包含 < 或 >', 'must not contain < or >') }).optional(),
  phone: customerCreate.shape.phone,
  email: customerCreate.shape.email,
  vip: z.boolean().optional(),
  tier: customerTier.optional(),
  ...fileFields,
});
export const customerArchive = z.strictObject({ version, archived: z.boolean().default(true) });
export const customerOpen = z.strictObject({
  reason: z.string().trim().min(2).max(500).describe('借阅事由'),
  sections: z.array(protectedSection).min(1).max(4).optional().describe('defaults to every protected section'),
});

export const identifier = z.object({ kind: identifierKind, value: z.string(), masked: z.boolean() });

/** How the caller sees this file right now. */
export const fileAccess = z.object({
  level: confidentialityLevel.describe('the level set on the file'),
  effectiveLevel: confidentialityLevel.describe('普通 once the period has run out'),
  declassified: z.boolean(),
  protectedSections: z.array(protectedSection),
  /** Sections whose values are masked (identifiers, contact) or hidden (finance, notes) in this answer. */
  restrictedSections: z.array(protectedSection),
  canOpen: z.boolean().describe('holds the permission the level needs, over this file'),
});

/** A row of the list and of search: masked like the detail. */
export const customerSummary = customer.extend({
  kind: customerKind,
  category: customerCategory,
  memberLevel: z.string().nullable(),
  tags: z.array(z.string()),
  confidentiality: confidentialityLevel,
  restricted: z.boolean().describe('protected values are masked in this row'),
  archived: z.boolean(),
  mergedIntoId: id.nullable().optional().describe('merged into this file 已合并到 (a merged-away file is a pointer)'),
});

export const customerFile = customerSummary.extend({
  gender: z.string().nullable(),
  birthday: z.string().nullable(),
  birthdayLunar: z.boolean(),
  position: z.string().nullable(),
  address: z.string().nullable(),
  industry: z.string().nullable(),
  orgSize: z.string().nullable(),
  relationSince: z.string().nullable(),
  needs: z.string().nullable(),
  preferences: z.string().nullable(),
  notes: z.string().nullable(),
  ownerId: z.string().nullable(),
  ownerName: z.string().nullable(),
  creditClass: creditClass.nullable(),
  creditDate: z.string().nullable(),
  creditBasis: z.string().nullable(),
  declassifyOn: z.string().nullable(),
  archivedAt: z.string().nullable(),
  destroyedAt: z.string().nullable().optional().describe('destroyed 已销毁: the file is a tombstone, nothing is written into it again'),
  identifiers: z.array(identifier),
  customFields: z.record(z.string(), z.unknown()).nullable().describe('自定义字段 by key; null while the notes section is protected and not opened'),
  access: fileAccess,
});
export const customerOpened = z.object({ file: customerFile, readingId: id, sections: z.array(protectedSection) });

export const customerFileQuery = z.strictObject({
  q: z.string().trim().min(1).max(64).optional().describe('name or phone from the start, or an exact identifier (ID number, member card, email)'),
  phone: z.string().trim().max(32).optional(),
  archived: z.enum(['true', 'false', 'all']).default('false'),
  cursor: z.string().max(300).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

export const readingEntry = z.object({
  id,
  at: z.string(),
  customerId: id,
  customerName: z.string().nullable(),
  orgUnitId: id,
  orgUnitName: z.string(),
  userId: z.string().nullable(),
  userName: z.string(),
  level: confidentialityLevel,
  sections: z.array(protectedSection),
  reason: z.string(),
  accessRequestId: id.nullable().describe('opened under this access request 申请查阅 (else null)'),
});
export const readingLogQuery = z.strictObject({
  customerId: id.optional(),
  userId: id.optional(),
  from: z.string().datetime({ offset: true }).optional().describe('inclusive'),
  to: z.string().datetime({ offset: true }).optional().describe('exclusive'),
  cursor: z.string().max(300).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export type CustomerSummary = z.infer<typeof customerSummary>;
export type CustomerFile = z.infer<typeof customerFile>;
export type ReadingEntry = z.infer<typeof readingEntry>;
