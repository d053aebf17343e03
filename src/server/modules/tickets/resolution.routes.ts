import { z } from 'zod';
import { idParam } from '../../../contracts/api.ts';
import { compensation, compensationDecision, compensationQuery, resolutionCreate, resolutionResult } from '../../../contracts/tickets.ts';
import type { KefuApp } from '../../http/app.ts';
import { decideCompensation, listCompensations, recordResolution } from './resolution.service.ts';

const tags = ['tickets 工单'];

export function resolutionRoutes(app: KefuApp): void {
  app.post('/api/tickets/:id/resolution', {
    schema: { tags, summary: 'Record the resolution and compensations, and resolve 处理结果与补偿', params: idParam, body: resolutionCreate, response: { 200: resolutionResult } },
    config: { access: 'ticket:update' },
  }, (req) => recordResolution(req.ctx, req.params.id, req.body));

  app.get('/api/compensations', {
    schema: { tags, summary: 'Compensations to approve 补偿审批列表', querystring: compensationQuery, response: { 200: z.array(compensation) } },
    config: { access: 'ticket:approve_compensation' },
  }, (req) => listCompensations(req.ctx, req.query));

  app.post('/api/compensations/:id/approve', {
    schema: { tags, summary: 'Approve a compensation above the limit 批准补偿', params: idParam, body: compensationDecision, response: { 200: compensation } },
    config: { access: 'ticket:approve_compensation' },
  }, (req) => decideCompensation(req.ctx, req.params.id, true, req.body));

  app.post('/api/compensations/:id/reject', {
    schema: { tags, summary: 'Reject a compensation 驳回补偿', params: idParam, body: compensationDecision, response: { 200: compensation } },
    config: { access: 'ticket:approve_compensation' },
  }, (req) => decideCompensation(req.ctx, req.params.id, false, req.body));
}
