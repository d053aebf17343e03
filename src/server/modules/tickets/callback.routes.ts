import { idParam, page } from '../../../contracts/api.ts';
import { callback, callbackAttempt, callbackComplete, callbackQuery } from '../../../contracts/tickets.ts';
import type { KefuApp } from '../../http/app.ts';
import { attemptCallback, completeCallback, listCallbacks } from './callback.service.ts';

export function callbackRoutes(app: KefuApp): void {
  const tags = ['callbacks 回访'];
  app.get('/api/callbacks', {
    schema: { tags, summary: 'Callbacks to make, due first 回访任务', querystring: callbackQuery, response: { 200: page(callback) } },
    config: { access: 'callback:perform' },
  }, (req) => listCallbacks(req.ctx, req.query));

  app.post('/api/callbacks/:id/attempt', {
    schema: { tags, summary: 'Record a call that did not reach the customer 未联系上', params: idParam, body: callbackAttempt, response: { 200: callback } },
    config: { access: 'callback:perform' },
  }, (req) => attemptCallback(req.ctx, req.params.id, req.body));

  app.post('/api/callbacks/:id/complete', {
    schema: { tags, summary: 'Record the outcome: solved and satisfaction 回访结果', params: idParam, body: callbackComplete, response: { 200: callback } },
    config: { access: 'callback:perform' },
  }, (req) => completeCallback(req.ctx, req.params.id, req.body));
}
