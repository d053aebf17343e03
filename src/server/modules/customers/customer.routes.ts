import { idParam, page } from '../../../contracts/api.ts';
import { customer, customerCreate, customerLookup, customerLookupQuery, customerQuery } from '../../../contracts/tickets.ts';
import type { KefuApp } from '../../http/app.ts';
import { createCustomer, getCustomer, listCustomers, lookupCustomers } from './customer.service.ts';

const tags = ['customers 客户'];

export function customerRoutes(app: KefuApp): void {
  app.get('/api/customers', {
    schema: { tags, summary: 'Customers by name or phone prefix 客户查询', querystring: customerQuery, response: { 200: page(customer) } },
    config: { access: 'customer:read' },
  }, (req) => listCustomers(req.ctx, req.query));

  app.get('/api/customers/lookup', {
    schema: { tags, summary: 'Phone intake: customers with their open and recent work orders 来电识别', querystring: customerLookupQuery, response: { 200: customerLookup } },
    config: { access: 'customer:read' },
  }, (req) => lookupCustomers(req.ctx, req.query.phone));

  // Either customer:manage or ticket:create (agents open a file at intake): checked in the service.
  app.post('/api/customers', {
    schema: { tags, summary: 'Open a customer file 新建客户 (customer:manage or ticket:create)', body: customerCreate, response: { 201: customer } },
    config: { access: 'authenticated' },
  }, async (req, reply) => reply.code(201).send(await createCustomer(req.ctx, req.body)));

  app.get('/api/customers/:id', {
    schema: { tags, params: idParam, response: { 200: customer } },
    config: { access: 'customer:read' },
  }, (req) => getCustomer(req.ctx, req.params.id));
}
