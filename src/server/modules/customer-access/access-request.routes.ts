import { idParam, page } from '../../../contracts/api.ts';
import { accessDecision, accessReject, accessRequest, accessRequestCreate, accessRequestQuery } from '../../../contracts/customer-access.ts';
import type { KefuApp } from '../../http/app.ts';
import { registerCustomerEraser } from '../customers/customer.erasure.ts';
import { accessRequestRepository } from './access-request.repository.ts';
import { approveAccessRequest, createAccessRequest, getAccessRequest, listAccessRequests, rejectAccessRequest, withdrawAccessRequest } from './access-request.service.ts';

const tags = ['customers 客户档案'];

export function customerAccessRoutes(app: KefuApp): void {
  registerCustomerEraser('customer_access_requests', (trx, _ctx, customerId) => accessRequestRepository.deleteForCustomer(trx, customerId));

  app.get('/api/customer-access-requests', {
    schema: { tags, summary: 'Access requests: mine, or waiting for my approval 申请查阅', querystring: accessRequestQuery, response: { 200: page(accessRequest) } },
    config: { access: 'customer:read' },
  }, (req) => listAccessRequests(req.ctx, req.query));

  app.post('/api/customer-access-requests', {
    schema: { tags, summary: 'Ask to read sections of a file for some days 申请查阅', body: accessRequestCreate, response: { 201: accessRequest } },
    config: { access: 'customer:read' },
  }, async (req, reply) => reply.code(201).send(await createAccessRequest(req.ctx, req.body)));

  app.get('/api/customer-access-requests/:id', {
    schema: { tags, summary: 'An access request (requester or approvers)', params: idParam, response: { 200: accessRequest } },
    config: { access: 'customer:read' },
  }, (req) => getAccessRequest(req.ctx, req.params.id));

  app.post('/api/customer-access-requests/:id/approve', {
    schema: { tags, summary: 'Approve as the requester’s manager or as the service department 审批', params: idParam, body: accessDecision, response: { 200: accessRequest } },
    config: { access: 'customer:read' },
  }, (req) => approveAccessRequest(req.ctx, req.params.id, req.body));

  app.post('/api/customer-access-requests/:id/reject', {
    schema: { tags, summary: 'Reject with a reason 驳回', params: idParam, body: accessReject, response: { 200: accessRequest } },
    config: { access: 'customer:read' },
  }, (req) => rejectAccessRequest(req.ctx, req.params.id, req.body));

  app.post('/api/customer-access-requests/:id/withdraw', {
    schema: { tags, summary: 'Withdraw my pending request 撤回', params: idParam, body: accessDecision, response: { 200: accessRequest } },
    config: { access: 'customer:read' },
  }, (req) => withdrawAccessRequest(req.ctx, req.params.id, req.body));
}
