import { z } from 'zod';
import { bilingual, id, version } from './api.ts';
import { segmentFields } from './care.ts';

/**
 * Satisfaction surveys 满意度调查 (customer-file issue §9): a survey of a company unit with 1–30
 * questions (scale, single choice, text), sent to a customer segment — one invitation per customer with
 * a one-use link — answered by the customer through the link or recorded by staff during a call;
 * results per question by segment and period.
 */
export const surveyStatuses = ['draft', 'open', 'closed'] as const;
export const questionKinds = ['scale', 'choice', 'text'] as const;
export const resultGroupings = ['none', 'tier', 'category', 'branch', 'month'] as const;
export const SURVEY_MAX_QUESTIONS = 30;
/** A survey link works this many days after sending (or after a new link is issued). */
export const SURVEY_LINK_DAYS = 30;
/** One send invites at most this many customers (SURVEY_SEGMENT_TOO_LARGE): a narrower segment, or several sends. */
export const SURVEY_SEND_LIMIT = 5000;

const text = (max: number) => z.string().trim().min(1).max(max);
const noHtml = (s: string) => !/[<>]/.test(s);
const plain = (max: number) => text(max).refine(noHtml, { message: bilingual('不能包含 < 或 >', 'must not contain < or >') });

const scaleQuestion = z.strictObject({
  kind: z.literal('scale').describe('量表'),
  text: plain(300),
  required: z.boolean().default(true),
  max: z.union([z.literal(5), z.literal(10)]).default(5).describe('1–5 or 1–10'),
  minLabel: z.string().trim().max(30).default('').describe('label of 1, e.g. 非常不满意'),
  maxLabel: z.string().trim().max(30).default('').describe('label of the top, e.g. 非常满意'),
});
const choiceQuestion = z.strictObject({
  kind: z.literal('choice').describe('单选'),
  text: plain(300),
  required: z.boolean().default(true),
  options: z.array(plain(100)).min(2).max(10).refine((o) => new Set(o).size === o.length, bilingual('选项不能重复', 'options must differ')),
});
const textQuestion = z.strictObject({
  kind: z.literal('text').describe('文字'),
  text: plain(300),
  required: z.boolean().default(false),
  maxLength: z.number().int().min(1).max(2000).default(500),
});
export const surveyQuestion = z.discriminatedUnion('kind', [scaleQuestion, choiceQuestion, textQuestion]);
export type SurveyQuestion = z.infer<typeof surveyQuestion>;

const surveyFields = {
  title: plain(100),
  intro: z.string().trim().max(1000).refine(noHtml, { message: bilingual('不能包含 < 或 >', 'must not contain < or >') }).default(''),
  questions: z.array(surveyQuestion).min(1).max(SURVEY_MAX_QUESTIONS),
};

export const surveyCreate = z.strictObject({ orgUnitId: id.describe('the company (branch) unit whose customers are surveyed'), ...surveyFields });
export const surveyUpdate = z.strictObject({ version, ...surveyFields }).describe('only a draft can change');
export const surveyStatusChange = z.strictObject({ version, to: z.enum(['open', 'closed']) });

export const survey = z.object({
  id,
  orgUnitId: id,
  orgUnitName: z.string(),
  title: z.string(),
  intro: z.string(),
  questions: z.array(surveyQuestion),
  status: z.enum(surveyStatuses),
  invited: z.number(),
  answered: z.number(),
  createdAt: z.string(),
  openedAt: z.string().nullable(),
  closedAt: z.string().nullable(),
  version: z.number(),
});
export type Survey = z.infer<typeof survey>;

export const surveySend = z.strictObject({ ...segmentFields, channel: z.enum(['sms', 'email', 'none']).default('sms').describe('how the link goes out; none = staff call or hand it on') });
export const surveySent = z.object({ created: z.number(), existing: z.number(), queued: z.number() });

export const invitationStatus = z.enum(['pending', 'answered']);
export const surveyInvitation = z.object({
  id,
  surveyId: id,
  surveyTitle: z.string(),
  surveyStatus: z.enum(surveyStatuses),
  customerId: id,
  customerName: z.string(),
  orgUnitName: z.string(),
  tier: z.string(),
  category: z.string(),
  channel: z.enum(['sms', 'email', 'none']),
  status: invitationStatus,
  expiresAt: z.string(),
  answeredAt: z.string().nullable(),
  answeredVia: z.enum(['link', 'staff']).nullable(),
  createdAt: z.string(),
});
export type SurveyInvitation = z.infer<typeof surveyInvitation>;
export const invitationQuery = z.strictObject({
  status: invitationStatus.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(200),
});
export const invitationLink = z.object({ token: z.string().describe('shown once 仅显示一次'), path: z.string().describe('/survey/<token>'), url: z.string(), expiresAt: z.string() });

/** Answers in question order: a scale point, a choice's index (0-based), a text, or null when skipped. */
export const surveyAnswerSubmit = z.strictObject({
  answers: z.array(z.union([z.number().int().min(0).max(10), z.string().max(2000), z.null()])).min(1).max(SURVEY_MAX_QUESTIONS),
});
export type SurveyAnswerValue = z.infer<typeof surveyAnswerSubmit>['answers'][number];
export const surveyAnswers = z.object({ invitationId: id, answers: z.array(z.union([z.number(), z.string(), z.null()])) });

export const surveyToken = z.strictObject({ token: z.string().min(1).max(100).describe('256-bit token, base64url') });
export const publicSurvey = z.object({
  title: z.string(),
  intro: z.string(),
  companyName: z.string(),
  questions: z.array(surveyQuestion),
  state: z.enum(['open', 'answered', 'expired']),
});
export type PublicSurvey = z.infer<typeof publicSurvey>;

const ymd = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, bilingual('日期格式为 YYYY-MM-DD', 'a date as YYYY-MM-DD'));
export const surveyResultsQuery = z
  .strictObject({
    groupBy: z.enum(resultGroupings).default('none'),
    month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, bilingual('月份格式为 YYYY-MM', 'a month as YYYY-MM')).optional().describe('answers of that month (the survey unit\'s time zone)'),
    from: ymd.optional().describe('answered on or after (local day)'),
    to: ymd.optional().describe('answered on or before (local day)'),
  })
  .refine((q) => !q.month || (!q.from && !q.to), { message: bilingual('月份与日期范围只能选一种', 'give a month or a date range, not both'), path: ['month'] })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: bilingual('开始日期不能晚于结束日期', 'from must not be after to'), path: ['from'] });

export const questionResult = z.object({
  index: z.number(),
  kind: z.enum(questionKinds),
  text: z.string(),
  answers: z.number().describe('how many answered this question'),
  average: z.number().nullable().describe('scale questions'),
  distribution: z.array(z.object({ value: z.number(), count: z.number() })).describe('scale: per point; choice: per option index'),
});
export const resultGroup = z.object({
  key: z.string().describe('tier / category / unit id / YYYY-MM; "all" without grouping'),
  label: z.string(),
  invited: z.number(),
  answered: z.number(),
  responseRate: z.number().nullable().describe('answered ÷ invited, 0–1'),
  questions: z.array(questionResult),
});
export const surveyResults = z.object({ surveyId: id, groupBy: z.enum(resultGroupings), invited: z.number(), answered: z.number(), responseRate: z.number().nullable(), groups: z.array(resultGroup) });
export type SurveyResults = z.infer<typeof surveyResults>;
