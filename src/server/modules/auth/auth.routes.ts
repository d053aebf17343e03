import { z } from 'zod';
import { apiToken, apiTokenCreate, apiTokenCreated, idParam, login as loginBody, me as meSchema, passwordChange } from '../../../contracts/api.ts';
import { SESSION_COOKIE, makeCtx } from '../../http/access.ts';
import type { KefuApp } from '../../http/app.ts';
import type { Kefu } from '../../http/kefu.ts';
import { actorFromSession, changePassword, createToken, listTokens, login, logout, me, revokeToken } from './auth.service.ts';

const tags = ['auth 登录与令牌'];

export function authRoutes(app: KefuApp, kefu: Kefu): void {
  const secure = (proto: string) => kefu.config.secureCookies === 'true' || (kefu.config.secureCookies === 'auto' && proto === 'https');

  app.post('/api/auth/login', {
    schema: { tags, summary: 'Sign in 登录', body: loginBody, response: { 200: meSchema } },
    config: { access: 'public' },
  }, async (req, reply) => {
    const ctx = req.ctx;
    const s = await login(
      { db: kefu.db, clock: kefu.clock, lang: ctx.lang, ip: req.ip, userAgent: req.headers['user-agent'] ?? null, requestId: req.id, policy: kefu.sessionPolicy, afterCommit: kefu.sealer.poke, log: ctx.log },
      req.body,
    );
    reply.setCookie(SESSION_COOKIE, s.sessionToken, {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure: secure(req.protocol),
      maxAge: kefu.config.sessionMaxHours * 3600,
    });
    const found = await actorFromSession(kefu.db, kefu.clock, kefu.sessionPolicy, s.sessionToken);
    return me(makeCtx(kefu, req, found!.actor), s.csrfToken);
  });

  app.post('/api/auth/logout', {
    schema: { tags, summary: 'Sign out 退出' },
    config: { access: 'self' },
  }, async (req, reply) => {
    await logout(req.ctx);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.code(204).send();
  });

  app.get('/api/auth/me', {
    schema: { tags, summary: 'Who am I, what may I do 当前用户', response: { 200: meSchema } },
    config: { access: 'self' },
  }, (req) => me(req.ctx, req.csrfToken));

  app.post('/api/auth/password', {
    schema: { tags, summary: 'Change my password 修改密码', body: passwordChange },
    config: { access: 'self' },
  }, async (req, reply) => {
    await changePassword(req.ctx, req.body);
    return reply.code(204).send();
  });

  app.get('/api/auth/tokens', {
    schema: { tags, summary: 'My API tokens 我的令牌', response: { 200: z.array(apiToken) } },
    config: { access: 'authenticated' },
  }, (req) => listTokens(req.ctx));

  app.post('/api/auth/tokens', {
    schema: { tags, body: apiTokenCreate, response: { 201: apiTokenCreated } },
    config: { access: 'authenticated' },
  }, async (req, reply) => reply.code(201).send(await createToken(req.ctx, req.body)));

  app.delete('/api/auth/tokens/:id', {
    schema: { tags, params: idParam },
    config: { access: 'authenticated' },
  }, async (req, reply) => {
    await revokeToken(req.ctx, req.params.id);
    return reply.code(204).send();
  });
}
