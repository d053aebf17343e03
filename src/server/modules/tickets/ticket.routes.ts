import { z } from 'zod';
import { idParam, page } from '../../../contracts/api.ts';
import {
  messageCreate,
  ticket,
  ticketAssign,
  ticketCategory,
  ticketCounts,
  ticketCreate,
  ticketMessage,
  ticketQuery,
  ticketSummary,
  ticketTake,
  ticketTransition,
  ticketUpdate,
  timelineEvent,
} from '../../../contracts/tickets.ts';
import type { KefuApp } from '../../http/app.ts';
import { addMessage } from './ticket-message.service.ts';
import { createTicket, getTicket, listCategories, listTickets, ticketCounts as countTickets, ticketTimeline, updateTicket } from './ticket.service.ts';
import { assignTicket, takeTicket, transitionTicket } from './ticket-workflow.service.ts';

const tags = ['tickets 工单'];

export function ticketRoutes(app: KefuApp): void {
  app.get('/api/ticket-categories', {
    schema: { tags, summary: 'Work order categories 工单分类', response: { 200: z.array(ticketCategory) } },
    config: { access: 'ticket:read' },
  }, (req) => listCategories(req.ctx));

  app.get('/api/tickets', {
    schema: { tags, summary: 'Work orders in your scope, by queue and filters 工单列表', querystring: ticketQuery, response: { 200: page(ticketSummary) } },
    config: { access: 'ticket:read' },
  }, (req) => listTickets(req.ctx, req.query));

  app.get('/api/tickets/counts', {
    schema: { tags, summary: 'How many work orders each of your queues holds 队列计数', response: { 200: ticketCounts } },
    config: { access: 'ticket:read' },
  }, (req) => countTickets(req.ctx));

  app.post('/api/tickets', {
    schema: { tags, summary: 'Register a work order 登记工单', body: ticketCreate, response: { 201: ticket } },
    config: { access: 'ticket:create' },
  }, async (req, reply) => reply.code(201).send(await createTicket(req.ctx, req.body)));

  app.get('/api/tickets/:id', {
    schema: { tags, params: idParam, response: { 200: ticket } },
    config: { access: 'ticket:read' },
  }, (req) => getTicket(req.ctx, req.params.id));

  app.patch('/api/tickets/:id', {
    schema: { tags, summary: 'Classify or correct a work order 修改工单', params: idParam, body: ticketUpdate, response: { 200: ticket } },
    config: { access: 'ticket:update' },
  }, (req) => updateTicket(req.ctx, req.params.id, req.body));

  app.get('/api/tickets/:id/timeline', {
    schema: { tags, summary: 'Everything that happened, in order 处理记录', params: idParam, response: { 200: z.array(timelineEvent) } },
    config: { access: 'ticket:read' },
  }, (req) => ticketTimeline(req.ctx, req.params.id));

  app.post('/api/tickets/:id/transitions', {
    schema: { tags, summary: 'Move along the life cycle 变更状态 (closing needs ticket:close)', params: idParam, body: ticketTransition, response: { 200: ticket } },
    config: { access: 'ticket:update' },
  }, (req) => transitionTicket(req.ctx, req.params.id, req.body));

  app.post('/api/tickets/:id/assign', {
    schema: { tags, summary: 'Assign or reassign 分派', params: idParam, body: ticketAssign, response: { 200: ticket } },
    config: { access: 'ticket:assign' },
  }, (req) => assignTicket(req.ctx, req.params.id, req.body));

  app.post('/api/tickets/:id/take', {
    schema: { tags, summary: 'Take an unassigned work order for yourself 领取', params: idParam, body: ticketTake, response: { 200: ticket } },
    config: { access: 'ticket:update' },
  }, (req) => takeTicket(req.ctx, req.params.id, req.body));

  app.post('/api/tickets/:id/messages', {
    schema: { tags, summary: 'Reply to the customer or add an internal note 回复/备注', params: idParam, body: messageCreate, response: { 201: ticketMessage } },
    config: { access: 'ticket:update' },
  }, async (req, reply) => reply.code(201).send(await addMessage(req.ctx, req.params.id, req.body)));
}
