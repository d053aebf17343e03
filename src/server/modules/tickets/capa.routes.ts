import { idParam, page } from '../../../contracts/api.ts';
import { capa, capaComplete, capaCreate, capaLinkParams, capaLinks, capaQuery, capaUpdate, capaVerify } from '../../../contracts/tickets.ts';
import type { KefuApp } from '../../http/app.ts';
import { completeCapa, createCapa, getCapa, linkCapa, listCapas, unlinkCapa, updateCapa, verifyCapa } from './capa.service.ts';

const tags = ['tickets 工单'];

export function capaRoutes(app: KefuApp): void {
  app.get('/api/capas', {
    schema: { tags, summary: 'Corrective and preventive actions in your scope 纠正预防措施', querystring: capaQuery, response: { 200: page(capa) } },
    config: { access: 'ticket:read' },
  }, (req) => listCapas(req.ctx, req.query));

  app.post('/api/capas', {
    schema: { tags, summary: 'Open a corrective or preventive action 新建纠正预防措施', body: capaCreate, response: { 201: capa } },
    config: { access: 'ticket:assign' },
  }, async (req, reply) => reply.code(201).send(await createCapa(req.ctx, req.body)));

  app.get('/api/capas/:id', {
    schema: { tags, params: idParam, response: { 200: capa } },
    config: { access: 'ticket:read' },
  }, (req) => getCapa(req.ctx, req.params.id));

  app.patch('/api/capas/:id', {
    schema: { tags, summary: 'Change a CAPA 修改', params: idParam, body: capaUpdate, response: { 200: capa } },
    config: { access: 'ticket:assign' },
  }, (req) => updateCapa(req.ctx, req.params.id, req.body));

  app.post('/api/capas/:id/links', {
    schema: { tags, summary: 'Link work orders 关联工单', params: idParam, body: capaLinks, response: { 200: capa } },
    config: { access: 'ticket:assign' },
  }, (req) => linkCapa(req.ctx, req.params.id, req.body));

  app.delete('/api/capas/:id/links/:ticketId', {
    schema: { tags, summary: 'Unlink a work order 取消关联', params: capaLinkParams, response: { 200: capa } },
    config: { access: 'ticket:assign' },
  }, (req) => unlinkCapa(req.ctx, req.params.id, req.params.ticketId));

  app.post('/api/capas/:id/complete', {
    schema: { tags, summary: 'Report done (owner) 完成', params: idParam, body: capaComplete, response: { 200: capa } },
    config: { access: 'ticket:read' },
  }, (req) => completeCapa(req.ctx, req.params.id, req.body));

  app.post('/api/capas/:id/verify', {
    schema: { tags, summary: 'Verify it worked (manager) 验证有效性', params: idParam, body: capaVerify, response: { 200: capa } },
    config: { access: 'ticket:approve_compensation' },
  }, (req) => verifyCapa(req.ctx, req.params.id, req.body));
}
