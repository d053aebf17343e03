import { z } from 'zod';
import { idParam } from '../../../contracts/api.ts';
import {
  applicableFieldsQuery,
  categoryCreate,
  categoryMove,
  categoryReorder,
  categoryUpdate,
  fieldDefinition,
  fieldDefinitionCreate,
  fieldDefinitionQuery,
  fieldDefinitionUpdate,
  fieldReorder,
  watcher,
  watcherAdd,
  watcherParams,
} from '../../../contracts/ticket-settings.ts';
import { ticketCategory } from '../../../contracts/tickets.ts';
import type { KefuApp } from '../../http/app.ts';
import { createCategory, deleteCategory, moveCategory, reorderCategories, updateCategory } from './category.service.ts';
import { applicableDefinitions, createDefinition, deleteDefinition, listDefinitions, reorderDefinitions, updateDefinition } from './ticket-field.service.ts';
import { addWatcher, removeWatcher } from './watcher.service.ts';

/** Work-order settings 工单设置: custom fields, the category tree, watchers. */
export function ticketSettingsRoutes(app: KefuApp): void {
  const fields = ['custom fields 自定义字段'];
  app.get('/api/ticket-fields', {
    schema: { tags: fields, summary: 'Custom field definitions you configure 自定义字段', querystring: fieldDefinitionQuery, response: { 200: z.array(fieldDefinition) } },
    config: { access: 'ticket:configure' },
  }, (req) => listDefinitions(req.ctx, req.query));

  app.get('/api/ticket-fields/applicable', {
    schema: { tags: fields, summary: 'The fields a work order of a unit and type meets (enabled or not) 适用字段', querystring: applicableFieldsQuery, response: { 200: z.array(fieldDefinition) } },
    config: { access: 'ticket:read' },
  }, (req) => applicableDefinitions(req.ctx, req.query));

  app.post('/api/ticket-fields', {
    schema: { tags: fields, summary: 'Define a custom field 新增自定义字段', body: fieldDefinitionCreate, response: { 201: fieldDefinition } },
    config: { access: 'ticket:configure' },
  }, async (req, reply) => reply.code(201).send(await createDefinition(req.ctx, req.body)));

  app.post('/api/ticket-fields/reorder', {
    schema: { tags: fields, summary: 'Put the fields of a unit and type in a new order 调整顺序', body: fieldReorder, response: { 200: z.array(fieldDefinition) } },
    config: { access: 'ticket:configure' },
  }, (req) => reorderDefinitions(req.ctx, req.body));

  app.patch('/api/ticket-fields/:id', {
    schema: { tags: fields, summary: 'Change or disable a custom field 修改/停用自定义字段', params: idParam, body: fieldDefinitionUpdate, response: { 200: fieldDefinition } },
    config: { access: 'ticket:configure' },
  }, (req) => updateDefinition(req.ctx, req.params.id, req.body));

  app.delete('/api/ticket-fields/:id', {
    schema: { tags: fields, summary: 'Delete a custom field no work order uses (else disable it) 删除自定义字段', params: idParam },
    config: { access: 'ticket:configure' },
  }, async (req, reply) => {
    await deleteDefinition(req.ctx, req.params.id);
    return reply.code(204).send();
  });

  const categories = ['tickets 工单'];
  app.post('/api/ticket-categories', {
    schema: { tags: categories, summary: 'Add a category (at most three levels) 新增分类', body: categoryCreate, response: { 201: ticketCategory } },
    config: { access: 'ticket:configure' },
  }, async (req, reply) => reply.code(201).send(await createCategory(req.ctx, req.body)));

  app.post('/api/ticket-categories/reorder', {
    schema: { tags: categories, summary: 'Put the children of one parent in a new order 调整分类顺序', body: categoryReorder, response: { 200: z.array(ticketCategory) } },
    config: { access: 'ticket:configure' },
  }, (req) => reorderCategories(req.ctx, req.body));

  app.patch('/api/ticket-categories/:id', {
    schema: { tags: categories, summary: 'Rename, enable or disable a category 修改/停用分类', params: idParam, body: categoryUpdate, response: { 200: ticketCategory } },
    config: { access: 'ticket:configure' },
  }, (req) => updateCategory(req.ctx, req.params.id, req.body));

  app.post('/api/ticket-categories/:id/move', {
    schema: { tags: categories, summary: 'Move a category under another parent 移动分类', params: idParam, body: categoryMove, response: { 200: ticketCategory } },
    config: { access: 'ticket:configure' },
  }, (req) => moveCategory(req.ctx, req.params.id, req.body));

  app.delete('/api/ticket-categories/:id', {
    schema: { tags: categories, summary: 'Delete a category nobody uses 删除分类', params: idParam },
    config: { access: 'ticket:configure' },
  }, async (req, reply) => {
    await deleteCategory(req.ctx, req.params.id);
    return reply.code(204).send();
  });

  app.post('/api/tickets/:id/watchers', {
    schema: { tags: categories, summary: 'Watch a work order, or add a watcher (ticket:assign) 关注', params: idParam, body: watcherAdd, response: { 200: z.array(watcher) } },
    config: { access: 'ticket:read' },
  }, (req) => addWatcher(req.ctx, req.params.id, req.body));

  app.delete('/api/tickets/:id/watchers/:userId', {
    schema: { tags: categories, summary: 'Stop watching, or remove a watcher (ticket:assign) 取消关注', params: watcherParams },
    config: { access: 'ticket:read' },
  }, async (req, reply) => {
    await removeWatcher(req.ctx, req.params.id, req.params.userId);
    return reply.code(204).send();
  });
}
