import { z } from 'zod';
import { idParam } from '../../../contracts/api.ts';
import {
  invitationLink,
  invitationQuery,
  publicSurvey,
  survey,
  surveyAnswers,
  surveyAnswerSubmit,
  surveyCreate,
  surveyInvitation,
  surveyResults,
  surveyResultsQuery,
  surveySend,
  surveySent,
  surveyStatusChange,
  surveyStatuses,
  surveyToken,
  surveyUpdate,
} from '../../../contracts/surveys.ts';
import type { KefuApp } from '../../http/app.ts';
import type { Ctx } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import { registerCustomerEraser } from '../customers/customer.erasure.ts';
import { registerCustomerRelinker } from '../customers/customer.relink.ts';
import { surveyRepository } from './survey.repository.ts';
import { surveyResults as results } from './survey.results.ts';
import {
  changeSurveyStatus,
  createSurvey,
  customerInvitations,
  deleteSurvey,
  getSurvey,
  invitationAnswers,
  issueInvitationLink,
  listInvitations,
  listSurveys,
  publicSurveyView,
  recordStaffAnswer,
  sendSurvey,
  submitPublicSurvey,
  updateSurvey,
} from './survey.service.ts';

const tags = ['customers 客户档案'];
const pubTags = ['public 公开'];

/** Public survey requests per address per minute: tokens are not guessable, this keeps a scraper slow. */
export const PUBLIC_SURVEY_PER_MINUTE = 30;
const hits = new Map<string, { minute: number; n: number }>();
function throttle(ctx: Ctx): void {
  const minute = Math.floor(ctx.clock.now().getTime() / 60_000);
  const ip = ctx.ip ?? 'unknown';
  const h = hits.get(ip);
  if (!h || h.minute !== minute) {
    if (hits.size > 10_000) hits.clear();
    hits.set(ip, { minute, n: 1 });
    return;
  }
  if (++h.n > PUBLIC_SURVEY_PER_MINUTE) throw new AppError('TOO_MANY_REQUESTS', 429, { headers: { 'retry-after': '60' } });
}

export function surveyRoutes(app: KefuApp): void {
  registerCustomerEraser('surveys', (trx, _ctx, customerId) => surveyRepository.eraseCustomer(trx, customerId));
  registerCustomerRelinker('surveys', (trx, _ctx, fromId, toId) => surveyRepository.relinkCustomer(trx, fromId, toId));

  app.get('/api/surveys', {
    schema: { tags, summary: 'Satisfaction surveys in your scope 满意度调查', querystring: z.strictObject({ status: z.enum(surveyStatuses).optional() }), response: { 200: z.array(survey) } },
    config: { access: 'customer:read' },
  }, (req) => listSurveys(req.ctx, req.query.status));

  app.post('/api/surveys', {
    schema: { tags, summary: 'Create a survey (draft) 新建调查', body: surveyCreate, response: { 201: survey } },
    config: { access: 'customer:manage' },
  }, async (req, reply) => reply.code(201).send(await createSurvey(req.ctx, req.body)));

  app.get('/api/surveys/:id', {
    schema: { tags, summary: 'A survey with its questions 调查详情', params: idParam, response: { 200: survey } },
    config: { access: 'customer:read' },
  }, (req) => getSurvey(req.ctx, req.params.id));

  app.put('/api/surveys/:id', {
    schema: { tags, summary: 'Change a draft survey 修改调查', params: idParam, body: surveyUpdate, response: { 200: survey } },
    config: { access: 'customer:manage' },
  }, (req) => updateSurvey(req.ctx, req.params.id, req.body));

  app.delete('/api/surveys/:id', {
    schema: { tags, summary: 'Delete a draft survey 删除调查草稿', params: idParam },
    config: { access: 'customer:manage' },
  }, async (req, reply) => {
    await deleteSurvey(req.ctx, req.params.id);
    return reply.code(204).send();
  });

  app.post('/api/surveys/:id/status', {
    schema: { tags, summary: 'Open or close a survey 开启/结束调查', params: idParam, body: surveyStatusChange, response: { 200: survey } },
    config: { access: 'customer:manage' },
  }, (req) => changeSurveyStatus(req.ctx, req.params.id, req.body));

  app.post('/api/surveys/:id/send', {
    schema: { tags, summary: 'Send to a customer segment: one invitation per customer 发送调查', params: idParam, body: surveySend, response: { 200: surveySent } },
    config: { access: 'customer:manage' },
  }, (req) => sendSurvey(req.ctx, req.params.id, req.body));

  app.get('/api/surveys/:id/invitations', {
    schema: { tags, summary: 'The invitations of a survey 调查邀请', params: idParam, querystring: invitationQuery, response: { 200: z.array(surveyInvitation) } },
    config: { access: 'customer:read' },
  }, (req) => listInvitations(req.ctx, req.params.id, req.query));

  app.get('/api/surveys/:id/results', {
    schema: { tags, summary: 'Results by segment and period 调查结果', params: idParam, querystring: surveyResultsQuery, response: { 200: surveyResults } },
    config: { access: 'customer:manage' },
  }, (req) => results(req.ctx, req.params.id, req.query));

  app.get('/api/customers/:id/survey-invitations', {
    schema: { tags, summary: "A customer's survey invitations 客户的调查", params: idParam, response: { 200: z.array(surveyInvitation) } },
    config: { access: 'customer:read' },
  }, (req) => customerInvitations(req.ctx, req.params.id));

  app.post('/api/survey-invitations/:id/link', {
    schema: { tags, summary: 'Issue a new link (shown once; the older one stops working) 生成调查链接', params: idParam, response: { 201: invitationLink } },
    config: { access: 'customer:manage' },
  }, async (req, reply) => reply.code(201).send(await issueInvitationLink(req.ctx, req.params.id)));

  app.get('/api/survey-invitations/:id/answers', {
    schema: { tags, summary: 'The answers of an invitation 调查答卷', params: idParam, response: { 200: surveyAnswers } },
    config: { access: 'customer:read' },
  }, (req) => invitationAnswers(req.ctx, req.params.id));

  app.post('/api/survey-invitations/:id/answers', {
    schema: { tags, summary: 'Record the answers given on a call 登记电话答卷', params: idParam, body: surveyAnswerSubmit, response: { 200: surveyAnswers } },
    config: { access: 'customer:read' },
  }, (req) => recordStaffAnswer(req.ctx, req.params.id, req.body.answers));

  app.get('/api/public/surveys/:token', {
    schema: { tags: pubTags, summary: 'A survey link: title, company, questions, state 满意度调查', params: surveyToken, response: { 200: publicSurvey } },
    config: { access: 'public' },
  }, (req) => {
    throttle(req.ctx);
    return publicSurveyView(req.ctx, req.params.token);
  });

  app.post('/api/public/surveys/:token', {
    schema: { tags: pubTags, summary: 'Answer through the link (once) 提交调查答卷', params: surveyToken, body: surveyAnswerSubmit, response: { 200: publicSurvey } },
    config: { access: 'public' },
    bodyLimit: 128 * 1024,
  }, (req) => {
    throttle(req.ctx);
    return submitPublicSurvey(req.ctx, req.params.token, req.body.answers);
  });
}
