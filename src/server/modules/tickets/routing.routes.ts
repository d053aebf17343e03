import { z } from 'zod';
import { idParam } from '../../../contracts/api.ts';
import { routingRule, routingRuleCreate, routingRuleQuery, routingRuleReorder, routingRuleUpdate, routingTest, routingTestResult } from '../../../contracts/tickets.ts';
import type { KefuApp } from '../../http/app.ts';
import { createRule, deleteRule, listRules, reorderRules, testRouting, updateRule } from './routing.service.ts';

export function routingRoutes(app: KefuApp): void {
  const tags = ['routing 分流'];
  app.get('/api/routing-rules', {
    schema: { tags, summary: 'Routing rules in your scope, by unit and order 分流规则', querystring: routingRuleQuery, response: { 200: z.array(routingRule) } },
    config: { access: 'routing:manage' },
  }, (req) => listRules(req.ctx, req.query));

  app.post('/api/routing-rules', {
    schema: { tags, summary: 'Add a rule at the end of its unit’s list 新增分流规则', body: routingRuleCreate, response: { 201: routingRule } },
    config: { access: 'routing:manage' },
  }, async (req, reply) => reply.code(201).send(await createRule(req.ctx, req.body)));

  app.post('/api/routing-rules/reorder', {
    schema: { tags, summary: 'Put every rule of a unit in a new order 调整顺序', body: routingRuleReorder, response: { 200: z.array(routingRule) } },
    config: { access: 'routing:manage' },
  }, (req) => reorderRules(req.ctx, req.body));

  app.post('/api/routing-rules/test', {
    schema: { tags, summary: 'Dry run: which rule a work order like this meets, and what it would do 试运行', body: routingTest, response: { 200: routingTestResult } },
    config: { access: 'routing:manage' },
  }, (req) => testRouting(req.ctx, req.body));

  app.patch('/api/routing-rules/:id', {
    schema: { tags, summary: 'Change a rule 修改分流规则', params: idParam, body: routingRuleUpdate, response: { 200: routingRule } },
    config: { access: 'routing:manage' },
  }, (req) => updateRule(req.ctx, req.params.id, req.body));

  app.delete('/api/routing-rules/:id', {
    schema: { tags, summary: 'Delete a rule 删除分流规则', params: idParam },
    config: { access: 'routing:manage' },
  }, async (req, reply) => {
    await deleteRule(req.ctx, req.params.id);
    return reply.code(204).send();
  });
}
