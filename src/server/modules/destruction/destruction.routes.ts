import { z } from 'zod';
import { idParam } from '../../../contracts/api.ts';
import { destruction, destructionCreate, destructionDecision, destructionQuery } from '../../../contracts/destruction.ts';
import type { KefuApp } from '../../http/app.ts';
import { registerCustomerEraser } from '../customers/customer.erasure.ts';
import { registerCustomerRelinker } from '../customers/customer.relink.ts';
import { decideDestruction, destructionErasers, refuseMergeWhileDestroying, getDestruction, listDestructions, requestDestruction } from './destruction.service.ts';

const tags = ['customers 客户档案'];

export function destructionRoutes(app: KefuApp): void {
  registerCustomerEraser('customer_identifiers', (trx, _ctx, customerId) => destructionErasers.identifiers(trx, customerId));
  registerCustomerEraser('tickets', (trx, _ctx, customerId) => destructionErasers.tickets(trx, customerId));
  registerCustomerEraser('care_tasks', (trx, _ctx, customerId) => destructionErasers.careTasks(trx, customerId));
  registerCustomerRelinker('customer_destructions', (trx, _ctx, fromId, toId) => refuseMergeWhileDestroying(trx, fromId, toId));

  // Any of the three steps' permissions (records officer, service manager, general manager): checked in the service.
  app.get('/api/customer-destructions', {
    schema: { tags, summary: 'Destruction requests in your scope 销毁申请 (awaiting=me: 待我审批)', querystring: destructionQuery, response: { 200: z.array(destruction) } },
    config: { access: 'authenticated' },
  }, (req) => listDestructions(req.ctx, req.query));

  app.post('/api/customer-destructions', {
    schema: { tags, summary: 'Mark a whole file for destruction 申请销毁 (never category A)', body: destructionCreate, response: { 201: destruction } },
    config: { access: 'customer:destruction_review' },
  }, async (req, reply) => reply.code(201).send(await requestDestruction(req.ctx, req.body)));

  app.get('/api/customer-destructions/:id', {
    schema: { tags, summary: 'A destruction request with its steps 销毁申请', params: idParam, response: { 200: destruction } },
    config: { access: 'authenticated' },
  }, (req) => getDestruction(req.ctx, req.params.id));

  // The step's own permission (stepPermission) over the file: checked in the service.
  app.post('/api/customer-destructions/:id/decisions', {
    schema: { tags, summary: 'Approve or reject the current step 审批（依次：客户信息主管、客服部经理、总经理）; the last approval erases the file', params: idParam, body: destructionDecision, response: { 200: destruction } },
    config: { access: 'authenticated' },
  }, (req) => decideDestruction(req.ctx, req.params.id, req.body));
}
