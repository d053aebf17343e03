import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { z } from 'zod';
import { idParam } from '../../../contracts/api.ts';
import { FILE_NAME_HEADER } from '../../../contracts/attachments.ts';
import { importErrorPage, importErrorQuery, importRun, importRunRequest, importUploadQuery } from '../../../contracts/customer-import.ts';
import type { KefuApp } from '../../http/app.ts';
import type { Kefu } from '../../http/kefu.ts';
import { AppError } from '../../platform/errors.ts';
import { safeCell } from '../../platform/spreadsheet.ts';
import { contentDisposition } from '../attachments/attachment.routes.ts';
import { dataCipher, loadDataKey } from '../customers/customer.crypto.ts';
import { registerJob } from '../jobs/jobs.ts';
import { abandonImport, allImportErrors, executeImport, getImport, IMPORT_JOB, importerActor, importErrors, listImports, startImport, uploadImport, type ImportDeps } from './customer-import.service.ts';

const tags = ['customers 客户档案'];

export function importDeps(kefu: Pick<Kefu, 'config'>): ImportDeps {
  return { cipher: dataCipher(loadDataKey(kefu.config.dataKey)), dir: join(kefu.config.dataDir, 'imports'), maxBytes: kefu.config.importMaxBytes };
}

/** The `customer.import` job: runs the queued pass as the person who started it, with their current grants. */
export function registerImportJob(deps: ImportDeps): void {
  registerJob<{ importId?: string; userId?: string | null }>(IMPORT_JOB, async ({ job, db, ctx, complete }) => {
    const importId = String(job.payload?.importId ?? '');
    const actor = await importerActor(db, job.payload?.userId ?? null);
    if (!actor) {
      await db.transaction().execute(async (trx) => {
        await abandonImport(trx, ctx, importId);
        await complete(trx);
      });
      return;
    }
    try {
      await executeImport({ ...ctx, actor }, deps, importId, { complete });
    } catch (err) {
      // A failure that is not the file's (the database, a bug): retried; after the last attempt the run says so.
      if (job.attempt >= job.maxAttempts) await abandonImport(db, ctx, importId, { zh: '导入因系统错误中止（全部导入模式下未写入任何数据）', en: 'the import stopped on a system error (in import-all mode nothing was written)' });
      throw err;
    }
  });
}

/** RFC 4180 line of safe cells (formula starts neutralised). */
const csvLine = (cells: (string | number | null)[]) =>
  cells.map((c) => {
    const s = c === null ? '' : String(safeCell(typeof c === 'string' ? c : String(c)));
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  }).join(',');

export function customerImportRoutes(app: KefuApp, kefu: Kefu): void {
  const deps = importDeps(kefu);
  registerImportJob(deps);

  // The upload takes raw bytes, streamed to a temp file (never held in memory); the limit is checked while streaming.
  void app.register(async (scope: KefuApp) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('application/octet-stream', (_req, payload, done) => done(null, payload));
    scope.post('/api/customer-imports', {
      schema: {
        tags,
        summary: 'Upload a CSV or XLSX of customer files 上传导入文件 (raw bytes as application/octet-stream; name in X-File-Name): header read, mapping suggested',
        querystring: importUploadQuery,
        response: { 201: importRun },
      },
      config: { access: 'customer:manage' },
    }, async (req, reply) => {
      // An honest client says its size: refused before a byte is stored.
      if (Number(req.headers['content-length'] ?? 0) > deps.maxBytes) throw new AppError('IMPORT_TOO_LARGE', 413);
      const raw = req.headers[FILE_NAME_HEADER];
      let name = 'import';
      try {
        if (typeof raw === 'string' && raw) name = decodeURIComponent(raw).normalize('NFC').trim().slice(0, 200) || name;
      } catch {
        /* a malformed name: keep the default */
      }
      return reply.code(201).send(await uploadImport(req.ctx, deps, name, req.body as Readable, req.query.unitId));
    });
  });

  app.get('/api/customer-imports', {
    schema: { tags, summary: 'Recent import runs in your scope 导入记录', response: { 200: z.array(importRun) } },
    config: { access: 'customer:manage' },
  }, (req) => listImports(req.ctx));

  app.get('/api/customer-imports/:id', {
    schema: { tags, summary: 'An import run: status, progress and counts 导入进度', params: idParam, response: { 200: importRun } },
    config: { access: 'customer:manage' },
  }, (req) => getImport(req.ctx, req.params.id));

  app.post('/api/customer-imports/:id/run', {
    schema: { tags, summary: 'Start a pass 试导入 / 全部导入 / 只导入正确的行 (a job; poll the run)', params: idParam, body: importRunRequest, response: { 202: importRun } },
    config: { access: 'customer:manage' },
  }, async (req, reply) => reply.code(202).send(await startImport(req.ctx, req.params.id, req.body)));

  app.get('/api/customer-imports/:id/errors', {
    schema: { tags, summary: 'Row errors of the last pass 错误行 (line, column, field, reason)', params: idParam, querystring: importErrorQuery, response: { 200: importErrorPage } },
    config: { access: 'customer:manage' },
  }, (req) => importErrors(req.ctx, req.params.id, req.query.offset, req.query.limit));

  app.get('/api/customer-imports/:id/errors/csv', {
    schema: { tags, summary: 'Row errors as CSV 下载错误行', params: idParam },
    config: { access: 'customer:manage' },
  }, async (req, reply) => {
    const { run, errors } = await allImportErrors(req.ctx, req.params.id);
    const zh = req.ctx.lang === 'zh';
    const lines = [csvLine(zh ? ['行号', '列', '字段', '代码', '原因'] : ['line', 'column', 'field', 'code', 'reason']), ...errors.map((e) => csvLine([e.line, e.column, e.field, e.code, e.message]))];
    const base = run.fileName.replace(/\.[^.]*$/, '');
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', contentDisposition('attachment', `${base}-${zh ? '错误行' : 'errors'}.csv`))
      .header('cache-control', 'private, no-cache')
      .send(`\uFEFF${lines.join('\r\n')}\r\n`);
  });
}
