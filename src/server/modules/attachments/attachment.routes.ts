import { z } from 'zod';
import { idParam } from '../../../contracts/api.ts';
import { attachment, attachmentContentQuery, FILE_NAME_HEADER } from '../../../contracts/attachments.ts';
import type { KefuApp } from '../../http/app.ts';
import type { Kefu } from '../../http/kefu.ts';
import { errorHandler } from '../../http/problem.ts';
import { langOf } from '../../platform/i18n.ts';
import { deleteAttachment, listAttachments, openAttachment, tooLarge, uploadAttachment, type AttachmentDeps } from './attachment.service.ts';
import { localDiskStore } from './attachment.store.ts';

const tags = ['tickets 工单'];

/** RFC 6266/8187: an ASCII fallback for old clients and the exact UTF-8 name in filename*. */
export function contentDisposition(kind: 'attachment' | 'inline', name: string): string {
  const fallback = name.replace(/[^\x20-\x7e]|["\\%;]/g, '_');
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${kind}; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

export function attachmentRoutes(app: KefuApp, kefu: Kefu): void {
  const deps: AttachmentDeps = { store: localDiskStore(kefu.config.attachmentsDir), maxBytes: kefu.config.attachmentMaxBytes };

  // The upload is the one route taking raw bytes: only application/octet-stream is parsed here (no
  // JSON, no form posts), and the body limit is the attachment limit.
  void app.register(async (scope: KefuApp) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('application/octet-stream', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
    scope.post('/api/tickets/:id/attachments', {
      schema: {
        tags,
        summary: 'Attach a file 上传附件 (raw bytes as application/octet-stream; name in X-File-Name, percent-encoded UTF-8)',
        params: idParam,
        response: { 201: attachment },
      },
      config: { access: 'ticket:update' },
      bodyLimit: deps.maxBytes,
      errorHandler: (err, req, reply) => {
        if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') err = tooLarge(langOf(req.headers['accept-language']), deps.maxBytes) as unknown as typeof err;
        return errorHandler(err, req, reply);
      },
    }, async (req, reply) => {
      const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      return reply.code(201).send(await uploadAttachment(req.ctx, deps, req.params.id, req.headers[FILE_NAME_HEADER], body));
    });
  });

  app.get('/api/tickets/:id/attachments', {
    schema: { tags, summary: 'Attachments of a work order 附件列表', params: idParam, response: { 200: z.array(attachment) } },
    config: { access: 'ticket:read' },
  }, (req) => listAttachments(req.ctx, req.params.id));

  app.get('/api/attachments/:id/content', {
    schema: { tags, summary: 'Download an attachment 下载附件 (inline=1 shows raster images only)', params: idParam, querystring: attachmentContentQuery },
    config: { access: 'ticket:read' },
  }, async (req, reply) => {
    const { attachment: a, inline, stream } = await openAttachment(req.ctx, deps, req.params.id, req.query.inline === '1');
    return reply
      .header('content-type', a.contentType)
      .header('content-length', String(a.size))
      .header('content-disposition', contentDisposition(inline ? 'inline' : 'attachment', a.name))
      .header('x-content-type-options', 'nosniff')
      .header('content-security-policy', "sandbox; default-src 'none'")
      .header('cache-control', 'private, no-cache')
      .send(stream);
  });

  app.delete('/api/attachments/:id', {
    schema: { tags, summary: 'Remove an attachment 删除附件 (the uploader, or who may assign the order)', params: idParam },
    config: { access: 'ticket:read' },
  }, async (req, reply) => {
    await deleteAttachment(req.ctx, deps, req.params.id);
    return reply.code(204).send();
  });
}
