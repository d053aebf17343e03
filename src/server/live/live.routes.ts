import { scopePaths } from '../platform/actor.ts';
import { AppError } from '../platform/errors.ts';
import type { KefuApp } from '../http/app.ts';
import { LIVE_PER_USER, type LiveHub } from './live.hub.ts';

/**
 * `GET /api/events`: Server-Sent Events for the console (one EventSource per tab). Events are
 * `data: {"type":"ticket",…}` / `{"type":"notification"}` / `{"type":"ready"}`; `: heartbeat`
 * comments every 25 s. The stream is filtered by the caller's ticket:read scope as it was at
 * connection, and ends after 15 minutes (EventSource reconnects) or when the server shuts down.
 */
export function liveRoutes(app: KefuApp, hub: LiveHub): void {
  app.get('/api/events', {
    schema: { tags: ['live 实时'], summary: 'Live events of work orders and notifications (text/event-stream) 实时推送' },
    config: { access: 'authenticated' },
  }, async (req, reply) => {
    const userId = req.ctx.actor.userId;
    if (!userId) throw new AppError('UNAUTHENTICATED', 401);
    if (hub.countFor(userId) >= LIVE_PER_USER) throw new AppError('TOO_MANY_REQUESTS', 429);
    await hub.ready();
    reply.hijack();
    hub.open(reply.raw, userId, scopePaths(req.ctx.actor, 'ticket:read'));
  });
}
