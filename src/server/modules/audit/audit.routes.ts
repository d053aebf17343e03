import { z } from 'zod';
import { auditEntry, auditQuery, page } from '../../../contracts/api.ts';
import type { KefuApp } from '../../http/app.ts';
import { holdsAtRoot } from '../../platform/actor.ts';
import { forbidden } from '../../platform/errors.ts';
import type { Kefu } from '../../http/kefu.ts';
import { listAudit, verifyAuditChain } from './audit.service.ts';

const tags = ['audit 审计'];

export function auditRoutes(app: KefuApp, kefu: Kefu): void {
  app.get('/api/audit', {
    schema: { tags, summary: 'Audit trail in your scope 审计日志', querystring: auditQuery, response: { 200: page(auditEntry) } },
    config: { access: 'audit:read' },
  }, (req) => listAudit(req.ctx, req.query));

  app.post('/api/audit/verify', {
    schema: {
      tags,
      summary: 'Verify the hash chain 校验审计链 (whole-tree readers only)',
      response: {
        200: z.object({
          ok: z.boolean(),
          entries: z.number(),
          unsealed: z.number().optional(),
          brokenAt: z.object({ seq: z.number(), id: z.string().nullable(), reason: z.string() }).optional(),
        }),
      },
    },
    config: { access: 'audit:read' },
  }, async (req) => {
    if (!holdsAtRoot(req.ctx.actor, 'audit:read')) throw forbidden();
    await kefu.sealer.flush();
    return verifyAuditChain(kefu.db);
  });
}
