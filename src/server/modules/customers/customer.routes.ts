import { z } from 'zod';
import { idParam, page, version } from '../../../contracts/api.ts';
import {
  customerArchive,
  customerFile,
  customerFileCreate,
  customerFileQuery,
  customerFileUpdate,
  customerOpen,
  customerOpened,
  customerSummary,
  readingEntry,
  readingLogQuery,
} from '../../../contracts/customers.ts';
import { customerLookup, customerLookupQuery } from '../../../contracts/tickets.ts';
import { customerFieldsQuery, fieldDefinition } from '../../../contracts/ticket-settings.ts';
import type { KefuApp } from '../../http/app.ts';
import type { Kefu } from '../../http/kefu.ts';
import { dataCipher, loadDataKey } from './customer.crypto.ts';
import {
  archiveCustomerFile,
  createCustomerFile,
  customerFieldDefinitions,
  deleteCustomerFile,
  getCustomerFile,
  listCustomerFiles,
  openCustomerFile,
  readingLog,
  updateCustomerFile,
  type CustomerFileDeps,
} from './customer-file.service.ts';
import { lookupCustomers } from './customer.service.ts';

const tags = ['customers 客户'];

export function customerRoutes(app: KefuApp, kefu: Kefu): void {
  const deps: CustomerFileDeps = { cipher: dataCipher(loadDataKey(kefu.config.dataKey)) };

  app.get('/api/customers', {
    schema: { tags, summary: 'Customer files by name, phone prefix or exact identifier 客户查询 (protected values masked)', querystring: customerFileQuery, response: { 200: page(customerSummary) } },
    config: { access: 'customer:read' },
  }, (req) => listCustomerFiles(req.ctx, deps, req.query));

  app.get('/api/customer-fields', {
    schema: { tags, summary: 'The custom fields a customer file of a company meets (enabled or not) 客户档案自定义字段', querystring: customerFieldsQuery, response: { 200: z.array(fieldDefinition) } },
    config: { access: 'customer:read' },
  }, (req) => customerFieldDefinitions(req.ctx, req.query));

  app.get('/api/customers/lookup', {
    schema: { tags, summary: 'Phone intake: customers with their open and recent work orders 来电识别', querystring: customerLookupQuery, response: { 200: customerLookup } },
    config: { access: 'customer:read' },
  }, (req) => lookupCustomers(req.ctx, req.query.phone));

  // Either customer:manage or ticket:create (agents open a minimal file at intake): checked in the service.
  app.post('/api/customers', {
    schema: { tags, summary: 'Open a customer file 新建客户档案 (customer:manage, or ticket:create for the minimal file)', body: customerFileCreate, response: { 201: customerFile } },
    config: { access: 'authenticated' },
  }, async (req, reply) => reply.code(201).send(await createCustomerFile(req.ctx, deps, req.body)));

  app.get('/api/customers/:id', {
    schema: { tags, summary: 'A customer file, protected sections masked or hidden 客户档案', params: idParam, response: { 200: customerFile } },
    config: { access: 'customer:read' },
  }, (req) => getCustomerFile(req.ctx, deps, req.params.id));

  app.patch('/api/customers/:id', {
    schema: { tags, summary: 'Change a customer file 修改客户档案', params: idParam, body: customerFileUpdate, response: { 200: customerFile } },
    config: { access: 'customer:manage' },
  }, (req) => updateCustomerFile(req.ctx, deps, req.params.id, req.body));

  app.post('/api/customers/:id/archive', {
    schema: { tags, summary: 'Archive or restore a file 归档 / 恢复', params: idParam, body: customerArchive, response: { 200: customerFile } },
    config: { access: 'customer:manage' },
  }, (req) => archiveCustomerFile(req.ctx, deps, req.params.id, req.body));

  app.delete('/api/customers/:id', {
    schema: { tags, summary: 'Delete a file (never category A: archive it) 删除档案', params: idParam, querystring: z.strictObject({ version: z.coerce.number().pipe(version) }) },
    config: { access: 'customer:manage' },
  }, async (req, reply) => {
    await deleteCustomerFile(req.ctx, req.params.id, req.query.version);
    return reply.code(204).send();
  });

  app.post('/api/customers/:id/open', {
    schema: { tags, summary: 'Open (借阅) a file with a reason: the protected sections, and a reading record', params: idParam, body: customerOpen, response: { 200: customerOpened } },
    config: { access: 'customer:read' },
  }, (req) => openCustomerFile(req.ctx, deps, req.params.id, req.body));

  // customer:manage or audit:read: checked in the service.
  app.get('/api/customer-reading-log', {
    schema: { tags, summary: 'Reading log 借阅记录 (customer:manage or audit:read)', querystring: readingLogQuery, response: { 200: page(readingEntry) } },
    config: { access: 'authenticated' },
  }, (req) => readingLog(req.ctx, req.query));
}
