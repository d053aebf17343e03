import { z } from 'zod';
import { idParam } from '../../../contracts/api.ts';
import { customerMergeEntry, customerMergeInput, customerMergeResult, duplicateDismiss, duplicatePage, duplicateQuery, mergePreview, mergePreviewQuery } from '../../../contracts/customer-merge.ts';
import type { KefuApp } from '../../http/app.ts';
import type { Kefu } from '../../http/kefu.ts';
import { eraseAuditSubject } from '../audit/audit.service.ts';
import { dataCipher, loadDataKey } from '../customers/customer.crypto.ts';
import { registerCustomerEraser } from '../customers/customer.erasure.ts';
import { registerCustomerRelinker } from '../customers/customer.relink.ts';
import type { CustomerFileDeps } from '../customers/customer-file.service.ts';
import { customerMergeRepository as repo } from './customer-merge.repository.ts';
import { dismissDuplicate, listDuplicates, mergeCustomers, mergeHistory, mergePreview as preview } from './customer-merge.service.ts';

const tags = ['customers 客户档案'];

/** Duplicates 疑似重复 and merge 合并 of customer files; registers the relinkers of the core tables and the eraser of the pointers. */
export function customerMergeRoutes(app: KefuApp, kefu: Kefu): void {
  const deps: CustomerFileDeps = { cipher: dataCipher(loadDataKey(kefu.config.dataKey)) };

  registerCustomerRelinker('tickets', (trx, _ctx, from, to) => repo.relinkTickets(trx, from, to));
  registerCustomerRelinker('care_tasks', (trx, _ctx, from, to) => repo.relinkCareTasks(trx, from, to));
  registerCustomerRelinker('customer_identifiers', (trx, _ctx, from, to) => repo.relinkIdentifiers(trx, from, to));
  registerCustomerRelinker('customer_merge_pointers', (trx, _ctx, from, to) => repo.relinkPointers(trx, from, to));
  // Erasure empties the file's normalised name, and what is left of the files merged into it: their names and sealed audit values.
  registerCustomerEraser('customer_merge', async (trx, ctx, customerId) => {
    await repo.clearNameKey(trx, customerId);
    for (const p of await repo.pointersOf(trx, customerId)) {
      // The destruction tombstone's pseudonym form (已销毁客户 #<id[0..8]>).
      await repo.renamePointer(trx, p, `已销毁客户 #${p.slice(0, 8)}`);
      await eraseAuditSubject(trx, ctx, 'customer', p, null);
    }
  });

  app.get('/api/customer-duplicates', {
    schema: { tags, summary: 'Likely duplicate files, with the reasons 疑似重复档案 (customer:manage scope)', querystring: duplicateQuery, response: { 200: duplicatePage } },
    config: { access: 'customer:manage' },
  }, (req) => listDuplicates(req.ctx, req.query));

  app.post('/api/customer-duplicates/dismiss', {
    schema: { tags, summary: 'Mark a pair as not duplicates 不是重复', body: duplicateDismiss },
    config: { access: 'customer:manage' },
  }, async (req, reply) => {
    await dismissDuplicate(req.ctx, req.body);
    return reply.code(204).send();
  });

  app.get('/api/customers/:id/merge-preview', {
    schema: { tags, summary: 'Both files side by side and the differing fields, masked as you see them 合并预览', params: idParam, querystring: mergePreviewQuery, response: { 200: mergePreview } },
    config: { access: 'customer:manage' },
  }, (req) => preview(req.ctx, deps, req.params.id, req.query.otherId));

  app.post('/api/customers/:id/merge', {
    schema: { tags, summary: 'Merge another file into this one, field by field 合并档案', params: idParam, body: customerMergeInput, response: { 200: customerMergeResult } },
    config: { access: 'customer:manage' },
  }, (req) => mergeCustomers(req.ctx, deps, req.params.id, req.body));

  app.get('/api/customers/:id/merges', {
    schema: { tags, summary: 'Merge history of a file 合并记录', params: idParam, response: { 200: z.array(customerMergeEntry) } },
    config: { access: 'customer:read' },
  }, (req) => mergeHistory(req.ctx, req.params.id));
}
