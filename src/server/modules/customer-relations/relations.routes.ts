import { idParam } from '../../../contracts/api.ts';
import {
  contactCreate,
  contactDeleteQuery,
  contactList,
  contactParams,
  contactUpdate,
  customerContact,
  customerNote,
  noteCreate,
  noteList,
  noteQuery,
  revealQuery,
  timelinePage,
  timelineQuery,
} from '../../../contracts/customer-contacts.ts';
import type { KefuApp } from '../../http/app.ts';
import { registerCustomerEraser } from '../customers/customer.erasure.ts';
import { registerCustomerRelinker } from '../customers/customer.relink.ts';
import { contactRepository } from './contact.repository.ts';
import { addNote, createContact, deleteContact, listContacts, listNotes, updateContact } from './contact.service.ts';
import { customerTimeline } from './timeline.service.ts';

const tags = ['customers 客户档案'];

export function customerRelationRoutes(app: KefuApp): void {
  // Destruction 销毁 of a file takes its contacts and notes with it.
  registerCustomerEraser('customer-relations', (trx, _ctx, customerId) => contactRepository.erase(trx, customerId));
  // A merge 合并 moves them to the surviving file.
  registerCustomerRelinker('customer-relations', (trx, _ctx, fromId, toId) => contactRepository.relink(trx, fromId, toId));

  app.get('/api/customers/:id/contacts', {
    schema: { tags, summary: "An organisation's contacts and key people 联系人 / 关键人 (masked while protected)", params: idParam, querystring: revealQuery, response: { 200: contactList } },
    config: { access: 'customer:read' },
  }, (req) => listContacts(req.ctx, req.params.id, req.query.reading));

  app.post('/api/customers/:id/contacts', {
    schema: { tags, summary: 'Add a contact or key person 新增联系人', params: idParam, body: contactCreate, response: { 201: customerContact } },
    config: { access: 'customer:manage' },
  }, async (req, reply) => reply.code(201).send(await createContact(req.ctx, req.params.id, req.body)));

  app.patch('/api/customers/:id/contacts/:contactId', {
    schema: { tags, summary: 'Change a contact 修改联系人', params: contactParams, body: contactUpdate, response: { 200: customerContact } },
    config: { access: 'customer:manage' },
  }, (req) => updateContact(req.ctx, req.params.id, req.params.contactId, req.body));

  app.delete('/api/customers/:id/contacts/:contactId', {
    schema: { tags, summary: 'Remove a contact 删除联系人', params: contactParams, querystring: contactDeleteQuery },
    config: { access: 'customer:manage' },
  }, async (req, reply) => {
    await deleteContact(req.ctx, req.params.id, req.params.contactId, req.query.version);
    return reply.code(204).send();
  });

  app.get('/api/customers/:id/notes', {
    schema: { tags, summary: 'Customer notes 跟进记录, newest first (hidden while the notes section is protected)', params: idParam, querystring: noteQuery, response: { 200: noteList } },
    config: { access: 'customer:read' },
  }, (req) => listNotes(req.ctx, req.params.id, req.query));

  app.post('/api/customers/:id/notes', {
    schema: { tags, summary: 'Add a note 新增跟进记录', params: idParam, body: noteCreate, response: { 201: customerNote } },
    config: { access: 'customer:manage' },
  }, async (req, reply) => reply.code(201).send(await addNote(req.ctx, req.params.id, req.body)));

  app.get('/api/customers/:id/timeline', {
    schema: { tags, summary: 'Everything that touched the customer 客户时间线, newest first', params: idParam, querystring: timelineQuery, response: { 200: timelinePage } },
    config: { access: 'customer:read' },
  }, (req) => customerTimeline(req.ctx, req.params.id, req.query));
}
