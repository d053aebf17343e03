import { idParam } from '../../../contracts/api.ts';
import { jobDetail, jobPage, jobQuery } from '../../../contracts/jobs.ts';
import type { KefuApp } from '../../http/app.ts';
import { getJob, listJobs, retryJob } from './job.service.ts';

const tags = ['system'];

export function jobRoutes(app: KefuApp): void {
  app.get('/api/jobs', {
    schema: { tags, summary: 'Background jobs, newest first, with counts per status 后台任务', querystring: jobQuery, response: { 200: jobPage } },
    config: { access: 'system:jobs' },
  }, (req) => listJobs(req.ctx, req.query));

  app.get('/api/jobs/:id', {
    schema: { tags, summary: 'One job with its payload and last error 任务详情', params: idParam, response: { 200: jobDetail } },
    config: { access: 'system:jobs' },
  }, (req) => getJob(req.ctx, req.params.id));

  app.post('/api/jobs/:id/retry', {
    schema: { tags, summary: 'Run a failed job again now 重试失败的任务', params: idParam, response: { 200: jobDetail } },
    config: { access: 'system:jobs' },
  }, (req) => retryJob(req.ctx, req.params.id));
}
