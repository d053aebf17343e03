import type { z } from 'zod';
import {
  SURVEY_LINK_DAYS,
  SURVEY_SEND_LIMIT,
  type invitationQuery,
  type PublicSurvey,
  type Survey,
  type SurveyAnswerValue,
  type SurveyInvitation,
  type SurveyQuestion,
  type surveyCreate,
  type surveySend,
  type surveyStatusChange,
  type surveyUpdate,
} from '../../../contracts/surveys.ts';
import type { Lang } from '../../../contracts/errors.ts';
import type { Tx } from '../../../db/database.ts';
import { holdsIn, systemActor } from '../../platform/actor.ts';
import { iso } from '../../platform/clock.ts';
import type { Ctx } from '../../platform/context.ts';
import { AppError, forbidden, notFound, versionConflict, type FieldError } from '../../platform/errors.ts';
import { newId, newSecret, sha256 } from '../../platform/ids.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { careRepository } from '../care/care.repository.ts';
import { customerRepository } from '../customers/customer.repository.ts';
import { holdsNear, nearScope } from '../customers/customer.scope.ts';
import { mailSettings } from '../notifications/mail.ts';
import { orgUnitRepository } from '../org/org-unit.repository.ts';
import { queueCustomerMessage } from '../outreach/outreach.service.ts';
import { companyOf, unitChain } from '../tickets/org-chain.ts';
import { surveyRepository as repo, type InvitationRow, type InvitationView, type LinkView, type SurveyRow, type SurveyView } from './survey.repository.ts';

/**
 * Satisfaction surveys 满意度调查. A survey belongs to a unit (a company/branch); managing it needs
 * customer:manage over that unit, reading it customer:read near it (404 otherwise). Sending creates one
 * invitation per segment customer (unique per survey × customer) with a link token of 256 random bits
 * kept only as its SHA-256 — like rating links: the raw token leaves the server once, in the message
 * queued to the customer (or in the answer of "new link" for staff to hand on). A link expires after
 * SURVEY_LINK_DAYS, serves once, and dies when the survey closes.
 */
const DAY = 86_400_000;
/** Who the audit trail names when a customer answers through a link. */
export const SURVEY_LINK_ACTOR = '客户（调查链接）';
export const surveyPath = (token: string) => `/survey/${token}`;

const manageScope = (ctx: Ctx) => nearScope(ctx.actor, 'customer:manage');
const readScope = (ctx: Ctx) => nearScope(ctx.actor, 'customer:read');
const everywhere = { under: ['/'], above: [] };
const questionsOf = (s: { questions: string }) => JSON.parse(s.questions) as SurveyQuestion[];

function toSurvey(s: SurveyView): Survey {
  return {
    id: s.id,
    orgUnitId: s.org_unit_id,
    orgUnitName: s.unit_name,
    title: s.title,
    intro: s.intro,
    questions: questionsOf(s),
    status: s.status,
    invited: Number(s.invited),
    answered: Number(s.answered),
    createdAt: s.created_at,
    openedAt: s.opened_at,
    closedAt: s.closed_at,
    version: Number(s.version),
  };
}

function toInvitation(i: InvitationView): SurveyInvitation {
  return {
    id: i.id,
    surveyId: i.survey_id,
    surveyTitle: i.survey_title,
    surveyStatus: i.survey_status,
    customerId: i.customer_id,
    customerName: i.customer_name,
    orgUnitName: i.customer_unit_name,
    tier: i.tier,
    category: i.category,
    channel: i.channel,
    status: i.status,
    expiresAt: i.expires_at,
    answeredAt: i.answered_at,
    answeredVia: i.answered_via,
    createdAt: i.created_at,
  };
}

/** The survey in the caller's customer:manage scope (404); changing it needs the permission over its unit (403). */
async function loadManaged(db: Tx, ctx: Ctx, id: string): Promise<SurveyView> {
  const s = await repo.inScope(db, id, manageScope(ctx));
  if (!s) throw notFound();
  if (!holdsIn(ctx.actor, 'customer:manage', s.unit_path)) throw forbidden();
  return s;
}

const stateError = () => new AppError('SURVEY_STATE', 409);

export async function listSurveys(ctx: Ctx, status?: string): Promise<Survey[]> {
  return (await repo.list(ctx.db, readScope(ctx), status, 500)).map(toSurvey);
}

export async function getSurvey(ctx: Ctx, id: string): Promise<Survey> {
  const s = await repo.inScope(ctx.db, id, readScope(ctx));
  if (!s) throw notFound();
  return toSurvey(s);
}

export async function createSurvey(ctx: Ctx, input: z.infer<typeof surveyCreate>): Promise<Survey> {
  return ctx.db.transaction().execute(async (trx) => {
    const unit = await orgUnitRepository.byId(trx, input.orgUnitId);
    if (!unit || !holdsNear(ctx.actor, 'customer:manage', unit.path)) throw notFound();
    if (!holdsIn(ctx.actor, 'customer:manage', unit.path)) throw forbidden();
    const now = ctx.clock.now();
    const at = iso(now);
    const row: SurveyRow = {
      id: newId(now.getTime()),
      org_unit_id: unit.id,
      title: input.title,
      intro: input.intro,
      questions: JSON.stringify(input.questions),
      status: 'draft',
      created_by: ctx.actor.userId,
      created_at: at,
      updated_at: at,
      opened_at: null,
      closed_at: null,
      version: 1,
    };
    await repo.insert(trx, row);
    await recordAudit(trx, ctx, { action: 'survey.create', entityType: 'survey', entityId: row.id, orgUnitId: unit.id, before: null, after: { title: input.title, questions: input.questions.length } });
    return toSurvey((await repo.inScope(trx, row.id, everywhere))!);
  });
}

export async function updateSurvey(ctx: Ctx, id: string, input: z.infer<typeof surveyUpdate>): Promise<Survey> {
  return ctx.db.transaction().execute(async (trx) => {
    const s = await loadManaged(trx, ctx, id);
    if (Number(s.version) !== input.version) throw versionConflict();
    if (s.status !== 'draft') throw stateError();
    const patch = { title: input.title, intro: input.intro, questions: JSON.stringify(input.questions), updated_at: iso(ctx.clock.now()) };
    if (!(await repo.update(trx, id, input.version, patch))) throw versionConflict();
    await recordAudit(trx, ctx, { action: 'survey.update', entityType: 'survey', entityId: id, orgUnitId: s.org_unit_id, before: { title: s.title, questions: questionsOf(s).length }, after: { title: input.title, questions: input.questions.length } });
    return toSurvey((await repo.inScope(trx, id, everywhere))!);
  });
}

/** Only a draft (no invitations yet) can be deleted; an open or closed survey is closed instead. */
export async function deleteSurvey(ctx: Ctx, id: string): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    const s = await loadManaged(trx, ctx, id);
    if (s.status !== 'draft') throw stateError();
    await repo.delete(trx, id);
    await recordAudit(trx, ctx, { action: 'survey.delete', entityType: 'survey', entityId: id, orgUnitId: s.org_unit_id, before: { title: s.title }, after: null });
  });
}

/** draft → open → closed; closing ends every unused link. */
export async function changeSurveyStatus(ctx: Ctx, id: string, input: z.infer<typeof surveyStatusChange>): Promise<Survey> {
  return ctx.db.transaction().execute(async (trx) => {
    const s = await loadManaged(trx, ctx, id);
    if (Number(s.version) !== input.version) throw versionConflict();
    await moveTo(trx, ctx, s, input.to);
    return toSurvey((await repo.inScope(trx, id, everywhere))!);
  });
}

async function moveTo(trx: Tx, ctx: Ctx, s: SurveyView, to: 'open' | 'closed'): Promise<void> {
  const legal = (s.status === 'draft' && to === 'open') || (s.status === 'open' && to === 'closed');
  if (!legal) throw stateError();
  const at = iso(ctx.clock.now());
  const patch = to === 'open' ? { status: to, opened_at: at, updated_at: at } : { status: to, closed_at: at, updated_at: at };
  if (!(await repo.update(trx, s.id, Number(s.version), patch))) throw versionConflict();
  await recordAudit(trx, ctx, { action: to === 'open' ? 'survey.open' : 'survey.close', entityType: 'survey', entityId: s.id, orgUnitId: s.org_unit_id, before: { status: s.status }, after: { status: to } });
}

const linkUrl = (token: string) => `${mailSettings().publicUrl}${surveyPath(token)}`;

/**
 * Sends the survey to a segment of the survey unit's customers that the caller may manage: one invitation
 * per customer (a second send skips those already invited). A draft opens on its first send. With a
 * channel, the link goes out through the customer message outbox to customers who have that contact;
 * the others keep their invitation for staff to call or hand a link on.
 */
export async function sendSurvey(ctx: Ctx, id: string, input: z.infer<typeof surveySend>): Promise<{ created: number; existing: number; queued: number }> {
  return ctx.db.transaction().execute(async (trx) => {
    let s = await loadManaged(trx, ctx, id);
    if (s.status === 'closed') throw stateError();
    if (s.status === 'draft') {
      await moveTo(trx, ctx, s, 'open');
      s = (await repo.inScope(trx, id, everywhere))!;
    }
    const customers = await careRepository.segment(trx, s.unit_path, input, manageScope(ctx));
    if (customers.length > SURVEY_SEND_LIMIT) throw new AppError('SURVEY_SEGMENT_TOO_LARGE', 422);
    const now = ctx.clock.now();
    const at = iso(now);
    const expires = iso(new Date(now.getTime() + SURVEY_LINK_DAYS * DAY));
    const tokens = new Map<string, string>();
    const rows: InvitationRow[] = customers.map((c) => {
      const token = newSecret(32);
      const contact = input.channel === 'sms' ? c.phone : input.channel === 'email' ? c.email : null;
      const row: InvitationRow = {
        id: newId(now.getTime()),
        survey_id: s.id,
        customer_id: c.id,
        org_unit_id: c.org_unit_id,
        tier: c.tier,
        category: c.category,
        channel: contact ? input.channel : 'none',
        contact: contact || null,
        token_hash: sha256(token),
        expires_at: expires,
        status: 'pending',
        answered_at: null,
        answered_via: null,
        answered_by: null,
        created_by: ctx.actor.userId,
        created_at: at,
        version: 1,
      };
      tokens.set(row.id, token);
      return row;
    });
    const created = await repo.insertInvitations(trx, rows);
    const company = companyOf(await unitChain(trx, s.unit_path));
    let queued = 0;
    for (const inv of created) {
      if (inv.channel === 'none') continue;
      const customer = customers.find((c) => c.id === inv.customer_id)!;
      // Messages go to customers in Chinese, like care greetings.
      const body = `尊敬的${customer.name}：${company.name}邀请您参加满意度调查「${s.title}」，请点击 ${linkUrl(tokens.get(inv.id)!)} 作答（${SURVEY_LINK_DAYS} 天内有效）。`;
      await queueCustomerMessage(trx, ctx, { customerId: inv.customer_id, channel: inv.channel, subject: `满意度调查：${s.title}`, body, source: { kind: 'survey', id: s.id } });
      queued++;
    }
    await recordAudit(trx, ctx, { action: 'survey.send', entityType: 'survey', entityId: s.id, orgUnitId: s.org_unit_id, before: null, after: { tiers: input.tiers, categories: input.categories, tags: input.tags, channel: input.channel, created: created.length, queued } });
    return { created: created.length, existing: rows.length - created.length, queued };
  });
}

export async function listInvitations(ctx: Ctx, surveyId: string, q: z.infer<typeof invitationQuery>): Promise<SurveyInvitation[]> {
  const s = await repo.inScope(ctx.db, surveyId, readScope(ctx));
  if (!s) throw notFound();
  return (await repo.invitations(ctx.db, { scope: readScope(ctx), surveyId, status: q.status, limit: q.limit })).map(toInvitation);
}

export async function customerInvitations(ctx: Ctx, customerId: string): Promise<SurveyInvitation[]> {
  const c = await customerRepository.byIdInScope(ctx.db, customerId, readScope(ctx));
  if (!c) throw notFound();
  return (await repo.invitations(ctx.db, { scope: readScope(ctx), customerId, limit: 200 })).map(toInvitation);
}

async function loadInvitation(trx: Tx, ctx: Ctx, id: string): Promise<InvitationView> {
  const inv = await repo.invitationInScope(trx, id, readScope(ctx));
  if (!inv) throw notFound();
  return inv;
}

/** A new link for a pending invitation of an open survey (the old one stops working); the token is shown once. */
export async function issueInvitationLink(ctx: Ctx, id: string): Promise<{ token: string; path: string; url: string; expiresAt: string }> {
  return ctx.db.transaction().execute(async (trx) => {
    const inv = await loadInvitation(trx, ctx, id);
    if (!holdsNear(ctx.actor, 'customer:manage', inv.customer_unit_path)) throw forbidden();
    if (inv.status === 'answered') throw new AppError('SURVEY_ANSWERED', 409);
    if (inv.survey_status !== 'open') throw stateError();
    const now = ctx.clock.now();
    const token = newSecret(32);
    const expiresAt = iso(new Date(now.getTime() + SURVEY_LINK_DAYS * DAY));
    await repo.setToken(trx, id, sha256(token), expiresAt);
    await recordAudit(trx, ctx, { action: 'survey_invitation.link', entityType: 'survey_invitation', entityId: id, orgUnitId: inv.customer_unit_id, after: { expiresAt } });
    return { token, path: surveyPath(token), url: linkUrl(token), expiresAt };
  });
}

/**
 * Checks a set of answers against the questions: one value per question, a scale point within 1…max,
 * a choice's index among the options, a text within its length; required questions answered. All the
 * problems come back at once (400, one field per question), and nothing is stored.
 */
export function checkAnswers(questions: SurveyQuestion[], answers: SurveyAnswerValue[], lang: Lang): { number: number | null; text: string | null }[] {
  const fields: FieldError[] = [];
  const say = (zh: string, en: string) => (lang === 'zh' ? zh : en);
  const bad = (k: number, zh: string, en: string) => fields.push({ field: `answers.${k}`, message: say(zh, en) });
  if (answers.length !== questions.length) {
    throw new AppError('VALIDATION_FAILED', 400, { fields: [{ field: 'answers', message: say(`须按题目顺序逐题作答（共 ${questions.length} 题）`, `one answer per question, in order (${questions.length})`) }] });
  }
  const out = questions.map((q, k) => {
    const raw = answers[k];
    const v = typeof raw === 'string' ? raw.trim() : raw;
    if (v === null || v === undefined || v === '') {
      if (q.required) bad(k, '此题必答', 'this question needs an answer');
      return { number: null, text: null };
    }
    if (q.kind === 'text') {
      if (typeof v !== 'string') bad(k, '请填写文字', 'a text is expected');
      else if (v.length > q.maxLength) bad(k, `最多 ${q.maxLength} 个字`, `at most ${q.maxLength} characters`);
      return { number: null, text: typeof v === 'string' ? v : null };
    }
    if (typeof v !== 'number') {
      bad(k, '请选择一项', 'choose one');
      return { number: null, text: null };
    }
    if (q.kind === 'scale' && (v < 1 || v > q.max)) bad(k, `请选择 1–${q.max} 分`, `choose 1 to ${q.max}`);
    if (q.kind === 'choice' && (v < 0 || v >= q.options.length)) bad(k, '没有这个选项', 'no such option');
    return { number: v, text: null };
  });
  if (fields.length > 0) throw new AppError('VALIDATION_FAILED', 400, { fields });
  return out;
}

async function storeAnswers(trx: Tx, ctx: Ctx, inv: InvitationRow, questions: SurveyQuestion[], answers: SurveyAnswerValue[], via: 'link' | 'staff', unitId: string): Promise<void> {
  const values = checkAnswers(questions, answers, ctx.lang);
  const at = iso(ctx.clock.now());
  if (!(await repo.markAnswered(trx, inv.id, at, via, via === 'staff' ? ctx.actor.userId : null))) throw new AppError(via === 'link' ? 'SURVEY_LINK_USED' : 'SURVEY_ANSWERED', via === 'link' ? 410 : 409);
  await repo.insertAnswers(trx, values.map((v, k) => ({ invitation_id: inv.id, question_no: k, number_value: v.number, text_value: v.text })));
  await recordAudit(trx, ctx, { action: 'survey_invitation.answer', entityType: 'survey_invitation', entityId: inv.id, orgUnitId: unitId, after: { via, surveyId: inv.survey_id } });
}

/** Staff record the customer's answers during a call (customer:read near the customer; the survey must be open). */
export async function recordStaffAnswer(ctx: Ctx, id: string, answers: SurveyAnswerValue[]): Promise<{ invitationId: string; answers: (number | string | null)[] }> {
  return ctx.db.transaction().execute(async (trx) => {
    const inv = await loadInvitation(trx, ctx, id);
    if (inv.status === 'answered') throw new AppError('SURVEY_ANSWERED', 409);
    const s = (await repo.inScope(trx, inv.survey_id, everywhere))!;
    if (s.status !== 'open') throw new AppError('SURVEY_CLOSED', 409);
    await storeAnswers(trx, ctx, inv, questionsOf(s), answers, 'staff', inv.customer_unit_id);
    return answersOf(trx, id);
  });
}

/** The answers of an invitation (staff, read scope). */
export async function invitationAnswers(ctx: Ctx, id: string): Promise<{ invitationId: string; answers: (number | string | null)[] }> {
  await loadInvitation(ctx.db, ctx, id);
  return answersOf(ctx.db, id);
}

async function answersOf(db: Tx, id: string) {
  const rows = await repo.answersOf(db, id);
  return { invitationId: id, answers: rows.map((r) => (r.number_value !== null ? Number(r.number_value) : r.text_value)) };
}

function linkState(l: LinkView, now: string): PublicSurvey['state'] {
  if (l.status === 'answered') return 'answered';
  if (l.expires_at <= now || l.survey_status !== 'open') return 'expired';
  return 'open';
}

/** `GET /public/surveys/:token`: the survey's title, intro, company and questions, and the link's state. */
export async function publicSurveyView(ctx: Ctx, token: string): Promise<PublicSurvey> {
  const l = await repo.byTokenHash(ctx.db, sha256(token));
  if (!l) throw notFound();
  const s = (await repo.inScope(ctx.db, l.survey_id, everywhere))!;
  const company = companyOf(await unitChain(ctx.db, l.survey_unit_path));
  return { title: s.title, intro: s.intro, companyName: company.name, questions: questionsOf(s), state: linkState(l, iso(ctx.clock.now())) };
}

/** `POST /public/surveys/:token`: the customer's answers, once. Used, expired, closed or unknown links change nothing. */
export async function submitPublicSurvey(ctx: Ctx, token: string, answers: SurveyAnswerValue[]): Promise<PublicSurvey> {
  await ctx.db.transaction().execute(async (trx) => {
    const l = await repo.byTokenHash(trx, sha256(token));
    if (!l) throw notFound();
    const state = linkState(l, iso(ctx.clock.now()));
    if (state === 'answered') throw new AppError('SURVEY_LINK_USED', 410);
    if (state === 'expired') throw new AppError('SURVEY_LINK_EXPIRED', 410);
    const s = (await repo.inScope(trx, l.survey_id, everywhere))!;
    const customer: Ctx = { ...ctx, actor: systemActor(SURVEY_LINK_ACTOR) };
    await storeAnswers(trx, customer, l, questionsOf(s), answers, 'link', l.org_unit_id);
  });
  return publicSurveyView(ctx, token);
}
