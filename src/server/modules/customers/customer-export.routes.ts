import type { FastifyReply } from 'fastify';
import { customerExportQuery, readingLogExportQuery } from '../../../contracts/customer-export.ts';
import type { KefuApp } from '../../http/app.ts';
import type { Kefu } from '../../http/kefu.ts';
import { contentDisposition } from '../attachments/attachment.routes.ts';
import { dataCipher, loadDataKey } from './customer.crypto.ts';
import { exportCustomerFiles, exportReadingLog, type ExportFile } from './customer-export.service.ts';
import type { CustomerFileDeps } from './customer-file.service.ts';

const tags = ['customers 客户'];

function send(reply: FastifyReply, file: ExportFile) {
  return reply
    .header('content-type', file.contentType)
    .header('content-disposition', contentDisposition('attachment', file.fileName))
    .header('x-content-type-options', 'nosniff')
    .header('cache-control', 'private, no-store')
    .send(file.body);
}

export function customerExportRoutes(app: KefuApp, kefu: Kefu): void {
  const deps: CustomerFileDeps = { cipher: dataCipher(loadDataKey(kefu.config.dataKey)) };

  app.get('/api/customers/export', {
    schema: { tags, summary: 'Export the filtered customer list as CSV or XLSX 导出客户档案 (masked as the list shows it; no reading record)', querystring: customerExportQuery },
    config: { access: 'customer:read' },
  }, async (req, reply) => send(reply, await exportCustomerFiles(req.ctx, deps, req.query)));

  // customer:manage or audit:read: checked in the service (as the reading log itself).
  app.get('/api/customer-readings/export', {
    schema: { tags, summary: 'Export the reading log 导出借阅记录 as CSV or XLSX (customer:manage or audit:read)', querystring: readingLogExportQuery },
    config: { access: 'authenticated' },
  }, async (req, reply) => send(reply, await exportReadingLog(req.ctx, req.query)));
}
