import { z } from 'zod';
import { idParam } from '../../../contracts/api.ts';
import {
  careBulkSend,
  careBulkSent,
  careSend,
  careSent,
  customerEvent,
  customerEventCreate,
  customerEventDetail,
  customerEventQuery,
  customerEventUpdate,
  customerMessage,
  customerMessagePage,
  customerMessageQuery,
  eventInvite,
  eventInvited,
  eventInvitee,
  inviteeParams,
  inviteReply,
} from '../../../contracts/outreach.ts';
import type { KefuApp } from '../../http/app.ts';
import { registerCustomerEraser } from '../customers/customer.erasure.ts';
import { registerCustomerRelinker } from '../customers/customer.relink.ts';
import { bulkSendCareTasks, sendCareTask } from './care-send.service.ts';
import { createCustomerEvent, deleteCustomerEvent, getCustomerEvent, inviteToEvent, listCustomerEvents, replyToInvitation, updateCustomerEvent } from './event.service.ts';
import { registerOutreachJob } from './outreach.job.ts';
import { eraseOutreachOf, listCustomerMessages, relinkOutreach, retryCustomerMessage } from './outreach.service.ts';

const tags = ['customers 客户档案'];

/** Outreach 客户触达: care sends, the customer message outbox, events and invitations; its job and eraser. */
export function outreachRoutes(app: KefuApp): void {
  registerOutreachJob();
  registerCustomerEraser('outreach', eraseOutreachOf);
  registerCustomerRelinker('outreach', relinkOutreach);

  app.post('/api/care-tasks/:id/send', {
    schema: { tags, summary: 'Send a care task: message through the outbox, gift recorded, task done 发送关怀', params: idParam, body: careSend, response: { 200: careSent } },
    config: { access: 'customer:manage' },
  }, (req) => sendCareTask(req.ctx, req.params.id, req.body));

  app.post('/api/care-tasks/bulk-send', {
    schema: { tags, summary: 'Send the selected care tasks, all or nothing 批量发送关怀', body: careBulkSend, response: { 200: careBulkSent } },
    config: { access: 'customer:manage' },
  }, (req) => bulkSendCareTasks(req.ctx, req.body));

  app.get('/api/customer-messages', {
    schema: { tags, summary: 'Messages to customers (outbox) 发送记录', querystring: customerMessageQuery, response: { 200: customerMessagePage } },
    config: { access: 'customer:manage' },
  }, (req) => listCustomerMessages(req.ctx, req.query));

  app.post('/api/customer-messages/:id/retry', {
    schema: { tags, summary: 'Send a failed message again 重试发送', params: idParam, response: { 200: customerMessage } },
    config: { access: 'customer:manage' },
  }, (req) => retryCustomerMessage(req.ctx, req.params.id));

  app.get('/api/customer-events', {
    schema: { tags, summary: 'Events (salons, forums…) in your scope 活动', querystring: customerEventQuery, response: { 200: z.array(customerEvent) } },
    config: { access: 'customer:manage' },
  }, (req) => listCustomerEvents(req.ctx, req.query));

  app.post('/api/customer-events', {
    schema: { tags, summary: 'Create an event 新建活动', body: customerEventCreate, response: { 201: customerEventDetail } },
    config: { access: 'customer:manage' },
  }, async (req, reply) => reply.code(201).send(await createCustomerEvent(req.ctx, req.body)));

  app.get('/api/customer-events/:id', {
    schema: { tags, summary: 'An event with its invitees and replies 活动详情', params: idParam, response: { 200: customerEventDetail } },
    config: { access: 'customer:manage' },
  }, (req) => getCustomerEvent(req.ctx, req.params.id));

  app.put('/api/customer-events/:id', {
    schema: { tags, summary: 'Change an event 修改活动', params: idParam, body: customerEventUpdate, response: { 200: customerEventDetail } },
    config: { access: 'customer:manage' },
  }, (req) => updateCustomerEvent(req.ctx, req.params.id, req.body));

  app.delete('/api/customer-events/:id', {
    schema: { tags, summary: 'Delete an event and its invitation list 删除活动', params: idParam },
    config: { access: 'customer:manage' },
  }, async (req, reply) => {
    await deleteCustomerEvent(req.ctx, req.params.id);
    return reply.code(204).send();
  });

  app.post('/api/customer-events/:id/invitees', {
    schema: { tags, summary: 'Invite customers (chosen or a segment) through the outbox 邀请客户', params: idParam, body: eventInvite, response: { 200: eventInvited } },
    config: { access: 'customer:manage' },
  }, (req) => inviteToEvent(req.ctx, req.params.id, req.body));

  app.post('/api/customer-events/:id/invitees/:inviteeId/reply', {
    schema: { tags, summary: 'Record a reply: accepted / declined / no answer / attended 登记回复', params: inviteeParams, body: inviteReply, response: { 200: eventInvitee } },
    config: { access: 'customer:manage' },
  }, (req) => replyToInvitation(req.ctx, req.params.id, req.params.inviteeId, req.body));
}
