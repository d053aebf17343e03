import { z } from 'zod';
import { idParam } from '../../../contracts/api.ts';
import { mergedMessage, publicRating, publicRatingSubmit, ratingLinkInfo, ratingLinkIssued, ratingToken, ticketLink, ticketLinkCreate, ticketLinkParams, ticketMerge } from '../../../contracts/merge.ts';
import { ticket } from '../../../contracts/tickets.ts';
import type { KefuApp } from '../../http/app.ts';
import { addLink, listLinks, mergeTicket, removeLink, ticketMessages } from './merge.service.ts';
import { issueRatingLink, publicRatingView, ratingLinkOf, submitPublicRating } from './rating.service.ts';

/** Merging duplicates (合并), links between work orders (关联), and the customer's rating link (满意度评价链接). */
export function mergeRoutes(app: KefuApp): void {
  const tags = ['tickets 工单'];
  app.post('/api/tickets/:id/merge', {
    schema: { tags, summary: 'Merge this duplicate into another work order 合并到…', params: idParam, body: ticketMerge, response: { 200: ticket } },
    config: { access: 'ticket:update' },
  }, (req) => mergeTicket(req.ctx, req.params.id, req.body));

  app.get('/api/tickets/:id/messages', {
    schema: { tags, summary: 'The conversation, with that of the orders merged into this one 沟通记录（含被合并工单）', params: idParam, response: { 200: z.array(mergedMessage) } },
    config: { access: 'ticket:read' },
  }, (req) => ticketMessages(req.ctx, req.params.id));

  app.get('/api/tickets/:id/links', {
    schema: { tags, summary: 'Linked work orders you may read 关联工单', params: idParam, response: { 200: z.array(ticketLink) } },
    config: { access: 'ticket:read' },
  }, (req) => listLinks(req.ctx, req.params.id));

  app.post('/api/tickets/:id/links', {
    schema: { tags, summary: 'Link another work order 关联工单', params: idParam, body: ticketLinkCreate, response: { 201: z.array(ticketLink) } },
    config: { access: 'ticket:update' },
  }, async (req, reply) => reply.code(201).send(await addLink(req.ctx, req.params.id, req.body)));

  app.delete('/api/tickets/:id/links/:linkId', {
    schema: { tags, summary: 'Remove a link 取消关联', params: ticketLinkParams, response: { 200: z.array(ticketLink) } },
    config: { access: 'ticket:update' },
  }, (req) => removeLink(req.ctx, req.params.id, req.params.linkId));

  const cbTags = ['callbacks 回访'];
  app.get('/api/callbacks/:id/rating-link', {
    schema: { tags: cbTags, summary: 'The customer rating link of a callback (state only) 评价链接状态', params: idParam, response: { 200: ratingLinkInfo } },
    config: { access: 'callback:perform' },
  }, (req) => ratingLinkOf(req.ctx, req.params.id));

  app.post('/api/callbacks/:id/rating-link', {
    schema: { tags: cbTags, summary: 'Issue a new rating link (shown once; older ones stop working) 生成评价链接', params: idParam, response: { 201: ratingLinkIssued } },
    config: { access: 'callback:perform' },
  }, async (req, reply) => reply.code(201).send(await issueRatingLink(req.ctx, req.params.id)));

  const pubTags = ['public 公开'];
  app.get('/api/public/ratings/:token', {
    schema: { tags: pubTags, summary: 'A rating link: order number, subject, company, state 满意度评价', params: ratingToken, response: { 200: publicRating } },
    config: { access: 'public' },
  }, (req) => publicRatingView(req.ctx, req.params.token));

  app.post('/api/public/ratings/:token', {
    schema: { tags: pubTags, summary: 'Rate through the link (once) 提交满意度评价', params: ratingToken, body: publicRatingSubmit, response: { 200: publicRating } },
    config: { access: 'public' },
  }, (req) => submitPublicRating(req.ctx, req.params.token, req.body));
}
