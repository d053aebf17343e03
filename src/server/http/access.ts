import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Permission } from '../../contracts/permissions.ts';
import { holdsAnywhere, type Actor } from '../platform/actor.ts';
import type { Ctx } from '../platform/context.ts';
import { AppError } from '../platform/errors.ts';
import { langOf } from '../platform/i18n.ts';
import { actorFromSession, actorFromToken } from '../modules/auth/auth.service.ts';
import type { Kefu } from './kefu.ts';

/**
 * What a route requires, declared on every route (`config.access`):
 * - a Permission: a signed-in person (password changed) who holds it somewhere; records are then scoped in the service;
 * - 'authenticated': any signed-in person whose password is changed;
 * - 'self': any signed-in person, even one who must still change the initial password;
 * - 'public': anybody.
 * A route that declares nothing is refused (deny by default), and a test lists them.
 */
export type Access = Permission | 'authenticated' | 'self' | 'public';

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
  interface FastifyRequest {
    ctx: Ctx;
    csrfToken: string | null;
  }
}

export const SESSION_COOKIE = 'kefu_session';
const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

export function registerAccessControl(app: FastifyInstance, kefu: Kefu): void {
  app.decorateRequest('ctx', null as unknown as Ctx);
  app.decorateRequest('csrfToken', null);

  app.addHook('onRequest', async (req) => {
    const access = req.routeOptions.config?.access;
    // Only the API touches data; the console's static files and the not-found page are open.
    if (!req.routeOptions.url?.startsWith('/api/')) return;
    if (!access) throw new AppError('FORBIDDEN', 403, { detail: 'route declares no access' });

    let actor: Actor | null = null;
    let viaCookie = false;
    const auth = req.headers.authorization;
    if (auth?.startsWith('Bearer ')) {
      actor = await actorFromToken(kefu.db, kefu.clock, auth.slice(7).trim());
      if (!actor && access !== 'public') throw new AppError('UNAUTHENTICATED', 401);
    } else {
      const cookie = req.cookies[SESSION_COOKIE];
      if (cookie) {
        const found = await actorFromSession(kefu.db, kefu.clock, kefu.sessionPolicy, cookie);
        if (found) {
          actor = found.actor;
          req.csrfToken = found.csrfToken;
          viaCookie = true;
        }
      }
    }
    req.ctx = makeCtx(kefu, req, actor);
    if (access === 'public') return;
    if (!actor) throw new AppError('UNAUTHENTICATED', 401);
    // Cookies ride along on cross-site requests; a write must also carry the token only our own page can read.
    if (viaCookie && !SAFE.has(req.method) && req.headers['x-csrf-token'] !== req.csrfToken) {
      throw new AppError('CSRF_FAILED', 403);
    }
    if (access === 'self') return;
    if (actor.mustChangePassword) throw new AppError('PASSWORD_CHANGE_REQUIRED', 403);
    if (access === 'authenticated') return;
    if (!holdsAnywhere(actor, access)) throw new AppError('FORBIDDEN', 403);
  });
}

const anonymous: Actor = { kind: 'user', userId: null, username: 'anonymous', displayName: 'anonymous', mustChangePassword: false, grants: [] };

export function makeCtx(kefu: Kefu, req: FastifyRequest, actor: Actor | null): Ctx {
  return {
    actor: actor ?? anonymous,
    db: kefu.db,
    clock: kefu.clock,
    log: req.log as Ctx['log'],
    lang: langOf(req.headers['accept-language']),
    requestId: req.id,
    ip: req.ip,
    afterCommit: kefu.sealer.poke,
  };
}
