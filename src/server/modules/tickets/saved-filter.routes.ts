import { z } from 'zod';
import { idParam } from '../../../contracts/api.ts';
import { savedFilter, savedFilterCreate, savedFilterUpdate } from '../../../contracts/queues.ts';
import type { KefuApp } from '../../http/app.ts';
import { createSavedFilter, deleteSavedFilter, getSavedFilter, listSavedFilters, updateSavedFilter } from './saved-filter.service.ts';

const tags = ['tickets 工单'];

export function savedFilterRoutes(app: KefuApp): void {
  app.get('/api/saved-filters', {
    schema: { tags, summary: 'Your saved queue filters and those shared with your department 保存的筛选', response: { 200: z.array(savedFilter) } },
    config: { access: 'ticket:read' },
  }, (req) => listSavedFilters(req.ctx));

  app.post('/api/saved-filters', {
    schema: { tags, summary: 'Save a queue filter 保存筛选 (at most 50 each)', body: savedFilterCreate, response: { 201: savedFilter } },
    config: { access: 'ticket:read' },
  }, async (req, reply) => reply.code(201).send(await createSavedFilter(req.ctx, req.body)));

  app.get('/api/saved-filters/:id', {
    schema: { tags, params: idParam, response: { 200: savedFilter } },
    config: { access: 'ticket:read' },
  }, (req) => getSavedFilter(req.ctx, req.params.id));

  app.patch('/api/saved-filters/:id', {
    schema: { tags, summary: 'Rename, change or (un)share your saved filter 修改', params: idParam, body: savedFilterUpdate, response: { 200: savedFilter } },
    config: { access: 'ticket:read' },
  }, (req) => updateSavedFilter(req.ctx, req.params.id, req.body));

  app.delete('/api/saved-filters/:id', {
    schema: { tags, summary: 'Delete your saved filter 删除', params: idParam },
    config: { access: 'ticket:read' },
  }, async (req, reply) => {
    await deleteSavedFilter(req.ctx, req.params.id);
    return reply.code(204).send();
  });
}
