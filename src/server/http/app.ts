import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyCookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance, type RawReplyDefaultExpression, type RawRequestDefaultExpression, type RawServerDefault, type FastifyBaseLogger } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import { z } from 'zod';
import { newId } from '../platform/ids.ts';
import { auditRoutes } from '../modules/audit/audit.routes.ts';
import { calendarRoutes } from '../modules/calendar/calendar.routes.ts';
import { jobRoutes } from '../modules/jobs/job.routes.ts';
import { slaRoutes } from '../modules/sla/sla.routes.ts';
import { slaReportRoutes } from '../modules/reports/sla-report.routes.ts';
import { customerRoutes } from '../modules/customers/customer.routes.ts';
import { customerExportRoutes } from '../modules/customers/customer-export.routes.ts';
import { careRoutes } from '../modules/care/care.routes.ts';
import { customerImportRoutes } from '../modules/customer-import/customer-import.routes.ts';
import { customerMergeRoutes } from '../modules/customer-merge/customer-merge.routes.ts';
import { outreachRoutes } from '../modules/outreach/outreach.routes.ts';
import { destructionRoutes } from '../modules/destruction/destruction.routes.ts';
import { customerRelationRoutes } from '../modules/customer-relations/relations.routes.ts';
import { surveyRoutes } from '../modules/surveys/survey.routes.ts';
import { customerAccessRoutes } from '../modules/customer-access/access-request.routes.ts';
import { verificationRoutes } from '../modules/verification/verification.routes.ts';
import { callbackRoutes } from '../modules/tickets/callback.routes.ts';
import { resolutionRoutes } from '../modules/tickets/resolution.routes.ts';
import { capaRoutes } from '../modules/tickets/capa.routes.ts';
import { mergeRoutes } from '../modules/tickets/merge.routes.ts';
import { attachmentRoutes } from '../modules/attachments/attachment.routes.ts';
import { notificationRoutes } from '../modules/tickets/notification.routes.ts';
import { deliveryRoutes } from '../modules/notifications/delivery.routes.ts';
import { registerEmailJob } from '../modules/notifications/email.job.ts';
import { configureMail } from '../modules/notifications/mail.ts';
import { ticketRoutes } from '../modules/tickets/ticket.routes.ts';
import { ticketSettingsRoutes } from '../modules/tickets/ticket-settings.routes.ts';
import { routingRoutes } from '../modules/tickets/routing.routes.ts';
import { transferRoutes } from '../modules/tickets/transfer.routes.ts';
import { LiveHub } from '../live/live.hub.ts';
import { liveRoutes } from '../live/live.routes.ts';
import { savedFilterRoutes } from '../modules/tickets/saved-filter.routes.ts';
import { bulkRoutes } from '../modules/tickets/ticket-bulk.routes.ts';
import { authRoutes } from '../modules/auth/auth.routes.ts';
import { orgUnitRoutes } from '../modules/org/org-unit.routes.ts';
import { userRoutes } from '../modules/users/user.routes.ts';
import { registerAccessControl, type Access } from './access.ts';
import type { Kefu } from './kefu.ts';
import { errorHandler, problem, sendProblem, validatorCompiler } from './problem.ts';

export type KefuApp = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, ZodTypeProvider>;

export const webRoot = fileURLToPath(new URL('../../../dist/web/', import.meta.url));
const version = '0.1.0';

export interface RouteInfo {
  method: string;
  url: string;
  access: Access | undefined;
}

/** Builds the HTTP app: every route of every module, the docs, and the console's files. */
export async function buildApp(kefu: Kefu): Promise<{ app: KefuApp; routes: RouteInfo[] }> {
  const app = Fastify({
    loggerInstance: kefu.log as FastifyBaseLogger,
    genReqId: () => newId(),
    trustProxy: kefu.config.trustProxy,
    bodyLimit: kefu.config.bodyLimit,
    return503OnClosing: true,
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(errorHandler);

  const routes: RouteInfo[] = [];
  app.addHook('onRoute', (r) => {
    // The API reference is public reading by design.
    if (r.url.startsWith('/api/docs') || r.url === '/api/openapi.json') r.config = { ...r.config, access: r.config?.access ?? 'public' };
    if (r.url.startsWith('/api/')) {
      for (const m of [r.method].flat()) if (m !== 'HEAD') routes.push({ method: m, url: r.url, access: r.config?.access });
    }
  });

  await app.register(fastifyCookie);
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Kefu 客服 API', version, description: 'Customer service management system 客户服务管理系统' },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'kefu_session' },
          token: { type: 'http', scheme: 'bearer' },
        },
      },
      security: [{ session: [] }, { token: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs' });
  app.get('/api/openapi.json', { schema: { hide: true }, config: { access: 'public' } }, () => app.swagger());

  registerAccessControl(app, kefu);

  app.get('/api/health', {
    schema: {
      tags: ['system'],
      response: { 200: z.object({ status: z.literal('ok'), db: z.enum(['sqlite', 'postgres']), version: z.string(), time: z.string() }) },
    },
    config: { access: 'public' },
  }, async () => {
    await sql`select 1`.execute(kefu.db);
    return { status: 'ok' as const, db: kefu.dialect, version, time: kefu.clock.now().toISOString() };
  });

  authRoutes(app, kefu);
  orgUnitRoutes(app);
  userRoutes(app);
  auditRoutes(app, kefu);
  customerRoutes(app, kefu);
  customerExportRoutes(app, kefu);
  careRoutes(app);
  customerImportRoutes(app, kefu);
  customerMergeRoutes(app, kefu);
  outreachRoutes(app);
  destructionRoutes(app);
  customerRelationRoutes(app);
  surveyRoutes(app);
  customerAccessRoutes(app);
  verificationRoutes(app, kefu);
  ticketRoutes(app);
  ticketSettingsRoutes(app);
  callbackRoutes(app);
  resolutionRoutes(app);
  capaRoutes(app);
  mergeRoutes(app);
  attachmentRoutes(app, kefu);
  notificationRoutes(app);
  // Notification e-mail: settings from the configuration, the `notification.email` job handler, preferences and outbox.
  configureMail(kefu.config.mail);
  registerEmailJob();
  deliveryRoutes(app);
  routingRoutes(app);
  transferRoutes(app);
  calendarRoutes(app);
  // Live events: open streams end before the server waits for in-flight requests (graceful shutdown).
  const live = new LiveHub(kefu.db, kefu.log, kefu.dialect === 'postgres' ? kefu.config.databaseUrl : undefined);
  app.addHook('preClose', (done) => (live.endAll(), done()));
  app.addHook('onClose', () => live.close());
  liveRoutes(app, live);
  savedFilterRoutes(app);
  bulkRoutes(app);
  jobRoutes(app);
  slaRoutes(app, kefu);
  slaReportRoutes(app);

  const hasWeb = existsSync(`${webRoot}index.html`);
  // wildcard: files are looked up per request, so a rebuilt console is served without a restart.
  if (hasWeb) await app.register(fastifyStatic, { root: webRoot, prefix: '/', wildcard: true, index: ['index.html'] });

  app.setNotFoundHandler((req, reply) => {
    // A missing asset is a 404, not the console's page (a stale tab must not get HTML for a script).
    if (req.url.startsWith('/api/') || req.url.startsWith('/assets/') || req.method !== 'GET') return sendProblem(req, reply, problem(req, 404, 'NOT_FOUND'));
    if (!hasWeb) return reply.code(503).type('text/plain; charset=utf-8').send('The console is not built: run `npm run build:web` (npm start does it).\n控制台尚未构建：请运行 npm run build:web。');
    return reply.type('text/html; charset=utf-8').sendFile('index.html');
  });

  app.addHook('onSend', async (_req, reply, payload) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'same-origin');
    reply.header('x-frame-options', 'DENY');
    return payload;
  });

  await app.ready();
  return { app, routes };
}
