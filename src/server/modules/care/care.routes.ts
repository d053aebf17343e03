import { z } from 'zod';
import { idParam } from '../../../contracts/api.ts';
import { careGenerated, careGenerateQuery, careRule, careRuleCreate, careRuleUpdate, careTask, careTaskDone, careTaskQuery } from '../../../contracts/care.ts';
import type { KefuApp } from '../../http/app.ts';
import { createCareRule, deleteCareRule, finishCareTask, generateCareTasks, listCareRules, listCareTasks, updateCareRule } from './care.service.ts';

const tags = ['customers 客户档案'];

export function careRoutes(app: KefuApp): void {
  app.get('/api/care-rules', {
    schema: { tags, summary: 'Care rules in your scope 关怀规则', response: { 200: z.array(careRule) } },
    config: { access: 'customer:manage' },
  }, (req) => listCareRules(req.ctx));

  app.post('/api/care-rules', {
    schema: { tags, summary: 'Create a care rule 新建关怀规则', body: careRuleCreate, response: { 201: careRule } },
    config: { access: 'customer:manage' },
  }, async (req, reply) => reply.code(201).send(await createCareRule(req.ctx, req.body)));

  app.put('/api/care-rules/:id', {
    schema: { tags, summary: 'Change a care rule 修改关怀规则', params: idParam, body: careRuleUpdate, response: { 200: careRule } },
    config: { access: 'customer:manage' },
  }, (req) => updateCareRule(req.ctx, req.params.id, req.body));

  app.delete('/api/care-rules/:id', {
    schema: { tags, summary: 'Delete a care rule (its tasks stay) 删除关怀规则', params: idParam },
    config: { access: 'customer:manage' },
  }, async (req, reply) => {
    await deleteCareRule(req.ctx, req.params.id);
    return reply.code(204).send();
  });

  app.post('/api/care-rules/:id/generate', {
    schema: { tags, summary: 'Generate the care tasks of a year 生成关怀任务', params: idParam, querystring: careGenerateQuery, response: { 200: careGenerated } },
    config: { access: 'customer:manage' },
  }, (req) => generateCareTasks(req.ctx, req.params.id, req.query));

  app.get('/api/care-tasks', {
    schema: { tags, summary: 'The care work list 关怀任务', querystring: careTaskQuery, response: { 200: z.array(careTask) } },
    config: { access: 'customer:manage' },
  }, (req) => listCareTasks(req.ctx, req.query));

  app.post('/api/care-tasks/:id/done', {
    schema: { tags, summary: 'Mark a care task sent or skipped 完成关怀任务', params: idParam, body: careTaskDone, response: { 200: careTask } },
    config: { access: 'customer:manage' },
  }, (req) => finishCareTask(req.ctx, req.params.id, req.body));
}
