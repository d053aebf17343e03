import { z } from 'zod';
import { idParam, page } from '../../../contracts/api.ts';
import { verificationConfirm, verificationCorrect, verificationDashboard, verificationDue, verificationDueQuery, verificationRecord } from '../../../contracts/verification.ts';
import type { KefuApp } from '../../http/app.ts';
import type { Kefu } from '../../http/kefu.ts';
import { dataCipher, loadDataKey } from '../customers/customer.crypto.ts';
import type { CustomerFileDeps } from '../customers/customer-file.service.ts';
import { registerCustomerEraser } from '../customers/customer.erasure.ts';
import { registerCustomerRelinker } from '../customers/customer.relink.ts';
import { verificationRepository } from './verification.repository.ts';
import { confirmVerification, correctVerification, listDue, verificationDashboardOf, verificationHistory } from './verification.service.ts';

const tags = ['customers 客户档案'];

export function verificationRoutes(app: KefuApp, kefu: Kefu): void {
  const deps: CustomerFileDeps = { cipher: dataCipher(loadDataKey(kefu.config.dataKey)) };
  registerCustomerEraser('customer_verifications', (trx, _ctx, customerId) => verificationRepository.deleteForCustomer(trx, customerId));
  registerCustomerRelinker('customer_verifications', (trx, _ctx, fromId, toId) => verificationRepository.relink(trx, fromId, toId));

  app.get('/api/customer-verifications/due', {
    schema: { tags, summary: 'Files due for re-verification, oldest first 待核定档案', querystring: verificationDueQuery, response: { 200: page(verificationDue) } },
    config: { access: 'customer:manage' },
  }, (req) => listDue(req.ctx, req.query));

  app.get('/api/customer-verifications/dashboard', {
    schema: { tags, summary: 'Overdue and due re-verifications per branch 核定看板', response: { 200: verificationDashboard } },
    config: { access: 'customer:manage' },
  }, (req) => verificationDashboardOf(req.ctx));

  app.post('/api/customers/:id/verification/confirm', {
    schema: { tags, summary: 'Confirm a file unchanged 核定无误 (the next date moves on)', params: idParam, body: verificationConfirm, response: { 200: verificationRecord } },
    config: { access: 'customer:manage' },
  }, (req) => confirmVerification(req.ctx, req.params.id, req.body));

  app.post('/api/customers/:id/verification/correct', {
    schema: { tags, summary: 'Correct a file and record the verification 核定更正', params: idParam, body: verificationCorrect, response: { 200: verificationRecord } },
    config: { access: 'customer:manage' },
  }, (req) => correctVerification(req.ctx, deps, req.params.id, req.body));

  app.get('/api/customers/:id/verifications', {
    schema: { tags, summary: 'The verification records of a file 核定记录', params: idParam, response: { 200: z.array(verificationRecord) } },
    config: { access: 'customer:read' },
  }, (req) => verificationHistory(req.ctx, req.params.id));
}
