import { page } from '../../../contracts/api.ts';
import { slaBreach, slaBreachQuery, slaReport, slaReportQuery } from '../../../contracts/reports.ts';
import type { KefuApp } from '../../http/app.ts';
import { contentDisposition } from '../attachments/attachment.routes.ts';
import { slaBreaches, slaReport as buildSlaReport, slaReportXlsx } from './sla-report.service.ts';

const tags = ['reports 报表'];

export function slaReportRoutes(app: KefuApp): void {
  app.get('/api/reports/sla', {
    schema: { tags, summary: 'Service-time compliance by department, branch, type or period 服务时限达标率', querystring: slaReportQuery, response: { 200: slaReport } },
    config: { access: 'report:read' },
  }, (req) => buildSlaReport(req.ctx, req.query));

  app.get('/api/reports/sla/breaches', {
    schema: { tags, summary: 'Breached service-time targets with their cause 超时明细', querystring: slaBreachQuery, response: { 200: page(slaBreach) } },
    config: { access: 'report:read' },
  }, (req) => slaBreaches(req.ctx, req.query));

  app.get('/api/reports/sla.xlsx', {
    schema: { tags, summary: 'The report and its breaches as an Excel workbook 导出 XLSX', querystring: slaReportQuery },
    config: { access: 'report:read' },
  }, async (req, reply) => {
    const file = await slaReportXlsx(req.ctx, req.query);
    return reply
      .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .header('content-disposition', contentDisposition('attachment', file.fileName))
      .header('x-content-type-options', 'nosniff')
      .header('cache-control', 'private, no-store')
      .send(file.body);
  });
}
