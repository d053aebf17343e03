import { z } from 'zod';
import { bilingual, id, version } from './api.ts';
import { customerCategory } from './customers.ts';
import { customerTier } from './tickets.ts';

/** Customer care 客户关怀: rules and the tasks they generate (see docs/architecture.md, Customer files). */
export const careFestivals = ['spring', 'lantern', 'qingming', 'dragon_boat', 'mid_autumn'] as const;
export const careChannels = ['sms', 'email', 'letter', 'gift'] as const;
export const careTaskStatuses = ['pending', 'sent', 'skipped'] as const;
/** A rule's gift value (whole yuan) above this is refused (CARE_GIFT_OVER_LIMIT). */
export const CARE_GIFT_LIMIT = 200;

const text = (max: number) => z.string().trim().min(1).max(max);
const day = z.number().int().min(0).max(60);

/** A customer segment (tier, category, tags; the branch is the rule's or survey's unit): shared by care rules and surveys. */
export const segmentFields = {
  tiers: z.array(customerTier).max(3).default([]).describe('empty = every tier'),
  categories: z.array(customerCategory).max(4).default([]).describe('empty = every category'),
  tags: z.array(text(32)).max(20).default([]).describe('a customer matches when holding any of them; empty = any'),
};

const ruleFields = {
  name: text(100),
  occasion: z.enum(['festival', 'birthday']),
  festival: z.enum(careFestivals).nullable().optional().describe('required when occasion = festival'),
  daysMin: day.default(1).describe('the window ends this many days before the occasion'),
  daysMax: day.default(3).describe('the window starts this many days before the occasion'),
  ...segmentFields,
  channel: z.enum(careChannels),
  template: text(2000).describe('placeholders {{name}} and {{festival}}'),
  giftValue: z.number().int().min(0).max(1_000_000).default(0).describe(`whole yuan; above ${CARE_GIFT_LIMIT} is refused`),
};
const festivalFor = (r: { occasion?: string; festival?: string | null }) => r.occasion !== 'festival' || !!r.festival;
const rangeOk = (r: { daysMin?: number; daysMax?: number }) => r.daysMin === undefined || r.daysMax === undefined || r.daysMin <= r.daysMax;

export const careRuleCreate = z
  .strictObject({ orgUnitId: id.describe('the unit (branch) whose customers the rule covers'), ...ruleFields })
  .refine(festivalFor, { message: bilingual('节日关怀须选择节日', 'a festival rule needs a festival'), path: ['festival'] })
  .refine(rangeOk, { message: bilingual('提前天数范围无效', 'daysMin must not exceed daysMax'), path: ['daysMin'] });

export const careRuleUpdate = z
  .strictObject({ version, ...ruleFields })
  .refine(festivalFor, { message: bilingual('节日关怀须选择节日', 'a festival rule needs a festival'), path: ['festival'] })
  .refine(rangeOk, { message: bilingual('提前天数范围无效', 'daysMin must not exceed daysMax'), path: ['daysMin'] });

export const careRule = z.object({
  id,
  orgUnitId: id,
  orgUnitName: z.string(),
  name: z.string(),
  occasion: z.enum(['festival', 'birthday']),
  festival: z.enum(careFestivals).nullable(),
  daysMin: z.number(),
  daysMax: z.number(),
  tiers: z.array(z.string()),
  categories: z.array(z.string()),
  tags: z.array(z.string()),
  channel: z.enum(careChannels),
  template: z.string(),
  giftValue: z.number(),
  version: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const careGenerateQuery = z.strictObject({ year: z.coerce.number().int().min(1901).max(2099) });
export const careGenerated = z.object({ created: z.number(), existing: z.number() });

export const careTask = z.object({
  id,
  ruleId: id,
  customerId: id,
  customerName: z.string(),
  orgUnitName: z.string(),
  year: z.number(),
  occasion: z.string(),
  occasionDate: z.string(),
  windowStart: z.string(),
  windowEnd: z.string(),
  channel: z.enum(careChannels),
  message: z.string(),
  giftValue: z.number(),
  status: z.enum(careTaskStatuses),
  doneAt: z.string().nullable(),
  version: z.number(),
});

const ymd = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, bilingual('日期格式为 YYYY-MM-DD', 'a date as YYYY-MM-DD'));
export const careTaskQuery = z.strictObject({
  from: ymd.optional().describe('window ends on or after'),
  to: ymd.optional().describe('window starts on or before'),
  status: z.enum(careTaskStatuses).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(200),
});
export const careTaskDone = z.strictObject({ version, status: z.enum(['sent', 'skipped']).default('sent') });
