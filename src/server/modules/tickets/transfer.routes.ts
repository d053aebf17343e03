import { idParam, page } from '../../../contracts/api.ts';
import { escalationCreate, escalationResult, ticket, ticketRouting, transfer, transferAnswer, transferCancel, transferCreate, transferQuery } from '../../../contracts/tickets.ts';
import { z } from 'zod';
import type { KefuApp } from '../../http/app.ts';
import { escalateTicket } from './escalation.service.ts';
import { answerTransfer, cancelTransfer, createTransfers, listTransfers, ticketRouting as routingOf } from './transfer.service.ts';

/** Transfers to departments (转派 / 部门回复) and manual escalation (升级). */
export function transferRoutes(app: KefuApp): void {
  const tags = ['transfers 转派'];
  app.post('/api/tickets/:id/transfers', {
    schema: {
      tags,
      summary: 'Ask 1–5 departments of the company, each with a time limit 转派',
      params: idParam,
      body: transferCreate,
      response: { 201: z.object({ ticket, transfers: z.array(transfer) }) },
    },
    config: { access: 'ticket:assign' },
  }, async (req, reply) => reply.code(201).send(await createTransfers(req.ctx, req.params.id, req.body)));

  app.get('/api/tickets/:id/routing', {
    schema: { tags, summary: 'The routing rule, escalation level and transfers of a work order 分流与转派', params: idParam, response: { 200: ticketRouting } },
    config: { access: 'ticket:read' },
  }, (req) => routingOf(req.ctx, req.params.id));

  app.post('/api/tickets/:id/escalations', {
    schema: { tags: ['tickets 工单'], summary: 'Escalate to the shift lead, duty manager or department manager 升级', params: idParam, body: escalationCreate, response: { 201: escalationResult } },
    config: { access: 'ticket:update' },
  }, async (req, reply) => reply.code(201).send(await escalateTicket(req.ctx, req.params.id, req.body)));

  app.get('/api/transfers', {
    schema: { tags, summary: 'Transfers: your departments’ inbox (mine=true) or all you see, due first 转派待办', querystring: transferQuery, response: { 200: page(transfer) } },
    config: { access: 'ticket:read' },
  }, (req) => listTransfers(req.ctx, req.query));

  app.post('/api/transfers/:id/answer', {
    schema: { tags, summary: 'The department’s answer 部门回复 (ticket:update in that department)', params: idParam, body: transferAnswer, response: { 200: transfer } },
    config: { access: 'ticket:update' },
  }, (req) => answerTransfer(req.ctx, req.params.id, req.body));

  app.post('/api/transfers/:id/cancel', {
    schema: { tags, summary: 'Withdraw an open transfer 撤回转派', params: idParam, body: transferCancel, response: { 200: transfer } },
    config: { access: 'ticket:assign' },
  }, (req) => cancelTransfer(req.ctx, req.params.id, req.body));
}
