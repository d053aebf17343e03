import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPermission } from '../../src/contracts/permissions.ts';
import { createTestApp, type TestApp } from '../utils/app.ts';

describe('every route declares its access', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('has no API route without a declared permission', () => {
    const undeclared = t.routes.filter((r) => !r.access).map((r) => `${r.method} ${r.url}`);
    expect(undeclared).toEqual([]);
    for (const r of t.routes) expect(r.access === 'public' || r.access === 'self' || r.access === 'authenticated' || isPermission(r.access!)).toBe(true);
  });

  it('keeps the list of public routes short and known', () => {
    const publicApi = t.routes.filter((r) => r.access === 'public' && !r.url.startsWith('/api/docs')).map((r) => `${r.method} ${r.url}`).sort();
    // The customer's rating and survey links (a 256-bit one-use token is the credential) and the basics.
    expect(publicApi).toEqual(['GET /api/health', 'GET /api/openapi.json', 'GET /api/public/ratings/:token', 'GET /api/public/surveys/:token', 'POST /api/auth/login', 'POST /api/public/ratings/:token', 'POST /api/public/surveys/:token']);
  });

  it('lists each route with its permission (a new route shows up here for review)', () => {
    const table = t.routes
      .filter((r) => !r.url.startsWith('/api/docs'))
      .map((r) => `${r.method} ${r.url} ${r.access}`)
      .sort();
    expect(table).toMatchInlineSnapshot(`
      [
        "DELETE /api/attachments/:id ticket:read",
        "DELETE /api/auth/tokens/:id authenticated",
        "DELETE /api/capas/:id/links/:ticketId ticket:assign",
        "DELETE /api/care-rules/:id customer:manage",
        "DELETE /api/customer-events/:id customer:manage",
        "DELETE /api/customers/:id customer:manage",
        "DELETE /api/customers/:id/contacts/:contactId customer:manage",
        "DELETE /api/org-units/:id org:manage",
        "DELETE /api/org-units/:id/calendar sla:manage",
        "DELETE /api/roles/:id role:manage",
        "DELETE /api/routing-rules/:id routing:manage",
        "DELETE /api/saved-filters/:id ticket:read",
        "DELETE /api/sla-policies/:id sla:manage",
        "DELETE /api/surveys/:id customer:manage",
        "DELETE /api/ticket-categories/:id ticket:configure",
        "DELETE /api/ticket-fields/:id ticket:configure",
        "DELETE /api/tickets/:id/links/:linkId ticket:update",
        "DELETE /api/tickets/:id/watchers/:userId ticket:read",
        "GET /api/attachments/:id/content ticket:read",
        "GET /api/audit audit:read",
        "GET /api/auth/me self",
        "GET /api/auth/tokens authenticated",
        "GET /api/calendar/deadline org:read",
        "GET /api/callbacks callback:perform",
        "GET /api/callbacks/:id/rating-link callback:perform",
        "GET /api/capas ticket:read",
        "GET /api/capas/:id ticket:read",
        "GET /api/care-rules customer:manage",
        "GET /api/care-tasks customer:manage",
        "GET /api/compensations ticket:approve_compensation",
        "GET /api/customer-access-requests customer:read",
        "GET /api/customer-access-requests/:id customer:read",
        "GET /api/customer-destructions authenticated",
        "GET /api/customer-destructions/:id authenticated",
        "GET /api/customer-duplicates customer:manage",
        "GET /api/customer-events customer:manage",
        "GET /api/customer-events/:id customer:manage",
        "GET /api/customer-fields customer:read",
        "GET /api/customer-imports customer:manage",
        "GET /api/customer-imports/:id customer:manage",
        "GET /api/customer-imports/:id/errors customer:manage",
        "GET /api/customer-imports/:id/errors/csv customer:manage",
        "GET /api/customer-messages customer:manage",
        "GET /api/customer-reading-log authenticated",
        "GET /api/customer-readings/export authenticated",
        "GET /api/customer-verifications/dashboard customer:manage",
        "GET /api/customer-verifications/due customer:manage",
        "GET /api/customers customer:read",
        "GET /api/customers/:id customer:read",
        "GET /api/customers/:id/contacts customer:read",
        "GET /api/customers/:id/merge-preview customer:manage",
        "GET /api/customers/:id/merges customer:read",
        "GET /api/customers/:id/notes customer:read",
        "GET /api/customers/:id/survey-invitations customer:read",
        "GET /api/customers/:id/timeline customer:read",
        "GET /api/customers/:id/verifications customer:read",
        "GET /api/customers/export customer:read",
        "GET /api/customers/lookup customer:read",
        "GET /api/email-outbox system:jobs",
        "GET /api/events authenticated",
        "GET /api/health public",
        "GET /api/jobs system:jobs",
        "GET /api/jobs/:id system:jobs",
        "GET /api/me/notification-preferences authenticated",
        "GET /api/notifications authenticated",
        "GET /api/openapi.json public",
        "GET /api/org-units org:read",
        "GET /api/org-units/:id org:read",
        "GET /api/org-units/:id/calendar org:read",
        "GET /api/org-units/:id/calendar/ics org:read",
        "GET /api/permissions authenticated",
        "GET /api/public/ratings/:token public",
        "GET /api/public/surveys/:token public",
        "GET /api/reports/sla report:read",
        "GET /api/reports/sla.xlsx report:read",
        "GET /api/reports/sla/breaches report:read",
        "GET /api/roles role:read",
        "GET /api/roles/:id role:read",
        "GET /api/routing-rules routing:manage",
        "GET /api/saved-filters ticket:read",
        "GET /api/saved-filters/:id ticket:read",
        "GET /api/sla-policies sla:manage",
        "GET /api/survey-invitations/:id/answers customer:read",
        "GET /api/surveys customer:read",
        "GET /api/surveys/:id customer:read",
        "GET /api/surveys/:id/invitations customer:read",
        "GET /api/surveys/:id/results customer:manage",
        "GET /api/ticket-categories ticket:read",
        "GET /api/ticket-fields ticket:configure",
        "GET /api/ticket-fields/applicable ticket:read",
        "GET /api/tickets ticket:read",
        "GET /api/tickets/:id ticket:read",
        "GET /api/tickets/:id/attachments ticket:read",
        "GET /api/tickets/:id/links ticket:read",
        "GET /api/tickets/:id/messages ticket:read",
        "GET /api/tickets/:id/routing ticket:read",
        "GET /api/tickets/:id/sla ticket:read",
        "GET /api/tickets/:id/timeline ticket:read",
        "GET /api/tickets/counts ticket:read",
        "GET /api/transfers ticket:read",
        "GET /api/users user:read",
        "GET /api/users/:id user:read",
        "PATCH /api/capas/:id ticket:assign",
        "PATCH /api/customers/:id customer:manage",
        "PATCH /api/customers/:id/contacts/:contactId customer:manage",
        "PATCH /api/org-units/:id org:manage",
        "PATCH /api/roles/:id role:manage",
        "PATCH /api/routing-rules/:id routing:manage",
        "PATCH /api/saved-filters/:id ticket:read",
        "PATCH /api/sla-policies/:id sla:manage",
        "PATCH /api/ticket-categories/:id ticket:configure",
        "PATCH /api/ticket-fields/:id ticket:configure",
        "PATCH /api/tickets/:id ticket:update",
        "PATCH /api/users/:id user:manage",
        "POST /api/audit/verify audit:read",
        "POST /api/auth/login public",
        "POST /api/auth/logout self",
        "POST /api/auth/password self",
        "POST /api/auth/tokens authenticated",
        "POST /api/callbacks/:id/attempt callback:perform",
        "POST /api/callbacks/:id/complete callback:perform",
        "POST /api/callbacks/:id/rating-link callback:perform",
        "POST /api/capas ticket:assign",
        "POST /api/capas/:id/complete ticket:read",
        "POST /api/capas/:id/links ticket:assign",
        "POST /api/capas/:id/verify ticket:approve_compensation",
        "POST /api/care-rules customer:manage",
        "POST /api/care-rules/:id/generate customer:manage",
        "POST /api/care-tasks/:id/done customer:manage",
        "POST /api/care-tasks/:id/send customer:manage",
        "POST /api/care-tasks/bulk-send customer:manage",
        "POST /api/compensations/:id/approve ticket:approve_compensation",
        "POST /api/compensations/:id/reject ticket:approve_compensation",
        "POST /api/customer-access-requests customer:read",
        "POST /api/customer-access-requests/:id/approve customer:read",
        "POST /api/customer-access-requests/:id/reject customer:read",
        "POST /api/customer-access-requests/:id/withdraw customer:read",
        "POST /api/customer-destructions customer:destruction_review",
        "POST /api/customer-destructions/:id/decisions authenticated",
        "POST /api/customer-duplicates/dismiss customer:manage",
        "POST /api/customer-events customer:manage",
        "POST /api/customer-events/:id/invitees customer:manage",
        "POST /api/customer-events/:id/invitees/:inviteeId/reply customer:manage",
        "POST /api/customer-imports customer:manage",
        "POST /api/customer-imports/:id/run customer:manage",
        "POST /api/customer-messages/:id/retry customer:manage",
        "POST /api/customers authenticated",
        "POST /api/customers/:id/archive customer:manage",
        "POST /api/customers/:id/contacts customer:manage",
        "POST /api/customers/:id/merge customer:manage",
        "POST /api/customers/:id/notes customer:manage",
        "POST /api/customers/:id/open customer:read",
        "POST /api/customers/:id/verification/confirm customer:manage",
        "POST /api/customers/:id/verification/correct customer:manage",
        "POST /api/jobs/:id/retry system:jobs",
        "POST /api/notifications/:id/read authenticated",
        "POST /api/org-units org:manage",
        "POST /api/org-units/:id/calendar/ics sla:manage",
        "POST /api/public/ratings/:token public",
        "POST /api/public/surveys/:token public",
        "POST /api/roles role:manage",
        "POST /api/routing-rules routing:manage",
        "POST /api/routing-rules/reorder routing:manage",
        "POST /api/routing-rules/test routing:manage",
        "POST /api/saved-filters ticket:read",
        "POST /api/sla-policies sla:manage",
        "POST /api/sla-policies/reorder sla:manage",
        "POST /api/survey-invitations/:id/answers customer:read",
        "POST /api/survey-invitations/:id/link customer:manage",
        "POST /api/surveys customer:manage",
        "POST /api/surveys/:id/send customer:manage",
        "POST /api/surveys/:id/status customer:manage",
        "POST /api/ticket-categories ticket:configure",
        "POST /api/ticket-categories/:id/move ticket:configure",
        "POST /api/ticket-categories/reorder ticket:configure",
        "POST /api/ticket-fields ticket:configure",
        "POST /api/ticket-fields/reorder ticket:configure",
        "POST /api/tickets ticket:create",
        "POST /api/tickets/:id/assign ticket:assign",
        "POST /api/tickets/:id/attachments ticket:update",
        "POST /api/tickets/:id/escalations ticket:update",
        "POST /api/tickets/:id/links ticket:update",
        "POST /api/tickets/:id/merge ticket:update",
        "POST /api/tickets/:id/messages ticket:update",
        "POST /api/tickets/:id/resolution ticket:update",
        "POST /api/tickets/:id/take ticket:update",
        "POST /api/tickets/:id/transfers ticket:assign",
        "POST /api/tickets/:id/transitions ticket:update",
        "POST /api/tickets/:id/watchers ticket:read",
        "POST /api/tickets/bulk ticket:update",
        "POST /api/transfers/:id/answer ticket:update",
        "POST /api/transfers/:id/cancel ticket:assign",
        "POST /api/users user:manage",
        "POST /api/users/:id/reset-password user:manage",
        "PUT /api/care-rules/:id customer:manage",
        "PUT /api/customer-events/:id customer:manage",
        "PUT /api/me/notification-preferences authenticated",
        "PUT /api/org-units/:id/calendar sla:manage",
        "PUT /api/surveys/:id customer:manage",
        "PUT /api/users/:id/grants user:manage",
      ]
    `);
  });

  it('publishes OpenAPI 3.1 with every route and a readable reference', async () => {
    const spec = (await t.anonymous().get('/api/openapi.json')).json();
    expect(spec.openapi).toBe('3.1.0');
    for (const r of t.routes.filter((x) => !x.url.startsWith('/api/docs') && x.url !== '/api/openapi.json')) {
      const path = r.url.replace(/:(\w+)/g, '{$1}');
      expect(spec.paths[path]?.[r.method.toLowerCase()], `${r.method} ${r.url}`).toBeDefined();
    }
    expect(spec.paths['/api/users'].post.requestBody.content['application/json'].schema.properties.username).toBeDefined();
    const docs = await t.anonymous().get('/api/docs/');
    expect(docs.statusCode).toBe(200);
    expect(docs.headers['content-type']).toContain('text/html');
  });

  it('answers unknown API paths with a problem, not the console', async () => {
    const res = await t.anonymous().get('/api/nothing-here');
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json().code).toBe('NOT_FOUND');
    // A missing console asset is not answered with the console's HTML either.
    const asset = await t.anonymous().get('/assets/missing.js');
    expect(asset.statusCode).toBe(404);
    expect(asset.headers['content-type']).not.toContain('text/html');
  });
});
