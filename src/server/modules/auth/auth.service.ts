import type { z } from 'zod';
import type { ApiToken, Me, apiTokenCreate, passwordChange } from '../../../contracts/api.ts';
import type { Lang } from '../../../contracts/errors.ts';
import type { Db, Tx } from '../../../db/database.ts';
import { systemActor, type Actor, type Grant } from '../../platform/actor.ts';
import { iso, type Clock } from '../../platform/clock.ts';
import type { Ctx } from '../../platform/context.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { newId, newSecret, sha256 } from '../../platform/ids.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { getUser } from '../users/user.service.ts';
import { userRepository, type UserRow } from '../users/user.repository.ts';
import { burnPasswordCheck, checkPasswordPolicy, hashPassword, verifyPassword } from './password.ts';
import { apiTokenRepository, loginAttemptRepository, sessionRepository, type ApiTokenRow } from './session.repository.ts';

export interface SessionPolicy {
  idleMinutes: number;
  maxHours: number;
}

/** Lock-out and throttling (ASVS 2.2.1): per account after repeated failures, per address against spraying. */
export const LOCKOUT = { failures: 5, minutes: 15, ipFailures: 30, ipWindowMinutes: 15 } as const;
const TOKEN_PREFIX = 'kefu_';
const MIN = 60_000;

export async function loadGrants(db: Tx, userId: string): Promise<Grant[]> {
  const rows = await userRepository.grantsOf(db, [userId]);
  return rows.map((g) => ({
    roleKey: g.role_key,
    permissions: new Set(JSON.parse(g.permissions) as string[]),
    unitId: g.org_unit_id,
    unitPath: g.unit_path,
    atRoot: g.unit_parent_id === null,
  }));
}

async function actorFor(db: Tx, user: UserRow, extra: Partial<Actor>): Promise<Actor> {
  return {
    kind: 'user',
    userId: user.id,
    username: user.username,
    displayName: user.display_name,
    orgUnitId: user.org_unit_id,
    mustChangePassword: user.must_change_password === 1,
    grants: await loadGrants(db, user.id),
    ...extra,
  };
}

export interface LoginInput {
  db: Db;
  clock: Clock;
  lang: Lang;
  ip: string;
  userAgent: string | null;
  requestId: string | null;
  policy: SessionPolicy;
  afterCommit: () => void;
  log: Ctx['log'];
}

export async function login(
  env: LoginInput,
  input: { username: string; password: string },
): Promise<{ sessionToken: string; csrfToken: string; expiresAt: string }> {
  const now = env.clock.now();
  const username = input.username.toLowerCase();
  const since = iso(new Date(now.getTime() - LOCKOUT.ipWindowMinutes * MIN));
  if ((await loginAttemptRepository.failuresFromIpSince(env.db, env.ip, since)) >= LOCKOUT.ipFailures) {
    throw new AppError('TOO_MANY_REQUESTS', 429, { headers: { 'retry-after': String(LOCKOUT.ipWindowMinutes * 60) } });
  }
  const user = await userRepository.byUsername(env.db, username);
  const attempt = (success: boolean) => ({ id: newId(), username, ip: env.ip, at: iso(now), success: success ? 1 : 0 });
  const ctxFor = (u: UserRow): Ctx => ({
    actor: { kind: 'user', userId: u.id, username: u.username, displayName: u.display_name, mustChangePassword: false, grants: [] },
    db: env.db,
    clock: env.clock,
    log: env.log,
    lang: env.lang,
    requestId: env.requestId,
    ip: env.ip,
    afterCommit: env.afterCommit,
  });

  if (!user) {
    await burnPasswordCheck(input.password);
    await loginAttemptRepository.insert(env.db, attempt(false));
    throw new AppError('LOGIN_FAILED', 401);
  }
  if (user.locked_until && user.locked_until > iso(now)) {
    await loginAttemptRepository.insert(env.db, attempt(false));
    const seconds = Math.ceil((new Date(user.locked_until).getTime() - now.getTime()) / 1000);
    throw new AppError('ACCOUNT_LOCKED', 423, { headers: { 'retry-after': String(seconds) } });
  }
  if (!(await verifyPassword(user.password_hash, input.password))) {
    const failures = user.failed_logins + 1;
    const locks = failures >= LOCKOUT.failures;
    await env.db.transaction().execute(async (trx) => {
      await loginAttemptRepository.insert(trx, attempt(false));
      await userRepository.setLoginState(trx, user.id, {
        failed_logins: locks ? 0 : failures,
        locked_until: locks ? iso(new Date(now.getTime() + LOCKOUT.minutes * MIN)) : user.locked_until,
      });
      if (locks) {
        await recordAudit(trx, ctxFor(user), { action: 'user.lock', entityType: 'user', entityId: user.id, orgUnitId: user.org_unit_id, after: { lockedMinutes: LOCKOUT.minutes } });
      }
    });
    throw locks ? new AppError('ACCOUNT_LOCKED', 423, { headers: { 'retry-after': String(LOCKOUT.minutes * 60) } }) : new AppError('LOGIN_FAILED', 401);
  }
  if (user.status !== 'active') {
    await loginAttemptRepository.insert(env.db, attempt(false));
    throw new AppError('ACCOUNT_DISABLED', 403);
  }
  const sessionToken = newSecret();
  const csrfToken = newSecret(24);
  const expiresAt = iso(new Date(now.getTime() + Math.min(env.policy.idleMinutes * MIN, env.policy.maxHours * 60 * MIN)));
  await env.db.transaction().execute(async (trx) => {
    await loginAttemptRepository.insert(trx, attempt(true));
    await userRepository.setLoginState(trx, user.id, { failed_logins: 0, locked_until: null, last_login_at: iso(now) });
    await sessionRepository.insert(trx, {
      id: sha256(sessionToken),
      user_id: user.id,
      csrf_token: csrfToken,
      created_at: iso(now),
      last_seen_at: iso(now),
      expires_at: expiresAt,
      ip: env.ip,
      user_agent: env.userAgent?.slice(0, 300) ?? null,
    });
    await recordAudit(trx, ctxFor(user), { action: 'session.login', entityType: 'user', entityId: user.id, orgUnitId: user.org_unit_id, after: { ip: env.ip } });
  });
  return { sessionToken, csrfToken, expiresAt };
}

/** The actor behind a session cookie, or null when it is unknown, expired or its user is disabled. Slides the idle expiry. */
export async function actorFromSession(
  db: Db,
  clock: Clock,
  policy: SessionPolicy,
  token: string,
): Promise<{ actor: Actor; csrfToken: string } | null> {
  const id = sha256(token);
  // The session and its user in one query (users are never deleted while they have sessions: cascade).
  const found = await sessionRepository.byIdWithUser(db, id);
  const now = clock.now();
  if (!found) return null;
  const { session, user } = found;
  if (session.expires_at <= iso(now)) {
    await sessionRepository.delete(db, id);
    return null;
  }
  if (user.status !== 'active') return null;
  if (now.getTime() - new Date(session.last_seen_at).getTime() > MIN) {
    const hardEnd = new Date(session.created_at).getTime() + policy.maxHours * 60 * MIN;
    const next = Math.min(now.getTime() + policy.idleMinutes * MIN, hardEnd);
    await sessionRepository.touch(db, id, iso(now), iso(new Date(next)));
  }
  return { actor: await actorFor(db, user, { sessionId: id }), csrfToken: session.csrf_token };
}

/** The actor behind a personal API token: the owner's current grants, never more. */
export async function actorFromToken(db: Db, clock: Clock, token: string): Promise<Actor | null> {
  if (!token.startsWith(TOKEN_PREFIX)) return null;
  const row = await apiTokenRepository.byHash(db, sha256(token));
  const now = iso(clock.now());
  if (!row || row.revoked_at || (row.expires_at && row.expires_at <= now)) return null;
  const user = await userRepository.byId(db, row.user_id);
  if (!user || user.status !== 'active') return null;
  if (!row.last_used_at || new Date(now).getTime() - new Date(row.last_used_at).getTime() > MIN) await apiTokenRepository.markUsed(db, row.id, now);
  // A token cannot be used to change a password that was never set by its owner.
  return actorFor(db, user, { kind: 'token', tokenId: row.id, mustChangePassword: false });
}

export async function logout(ctx: Ctx): Promise<void> {
  if (!ctx.actor.sessionId) return;
  await ctx.db.transaction().execute(async (trx) => {
    await sessionRepository.delete(trx, ctx.actor.sessionId!);
    const user = await userRepository.byId(trx, ctx.actor.userId!);
    await recordAudit(trx, ctx, { action: 'session.logout', entityType: 'user', entityId: ctx.actor.userId!, orgUnitId: user?.org_unit_id ?? null });
  });
}

export async function me(ctx: Ctx, csrfToken: string | null): Promise<Me> {
  // One's own record is always readable, whatever one's grants.
  const user = await getUser({ ...ctx, actor: systemActor('self') }, ctx.actor.userId!);
  const permissions = [...new Set(ctx.actor.grants.flatMap((g) => [...g.permissions]))].sort();
  return { user, permissions, csrfToken };
}

/** Changing one's own password signs out every other session of that person. */
export async function changePassword(ctx: Ctx, input: z.infer<typeof passwordChange>): Promise<void> {
  const user = await userRepository.byId(ctx.db, ctx.actor.userId!);
  if (!user) throw notFound();
  if (!(await verifyPassword(user.password_hash, input.currentPassword))) {
    throw new AppError('PASSWORD_WRONG', 400, { fields: [{ field: 'currentPassword', message: ctx.lang === 'zh' ? '当前密码不正确' : 'wrong' }] });
  }
  checkPasswordPolicy(input.newPassword, user.username, 'newPassword', ctx.lang);
  if (input.newPassword === input.currentPassword) {
    throw new AppError('PASSWORD_POLICY', 400, { fields: [{ field: 'newPassword', message: ctx.lang === 'zh' ? '新密码不能与当前密码相同' : 'must differ from the current one' }] });
  }
  const hash = await hashPassword(input.newPassword);
  await ctx.db.transaction().execute(async (trx) => {
    const now = iso(ctx.clock.now());
    await userRepository.update(trx, user.id, null, { password_hash: hash, must_change_password: 0, password_changed_at: now, updated_at: now });
    await sessionRepository.deleteForUser(trx, user.id, ctx.actor.sessionId);
    await recordAudit(trx, ctx, { action: 'user.change_password', entityType: 'user', entityId: user.id, orgUnitId: user.org_unit_id, after: { passwordChanged: true } });
  });
}

function toToken(r: ApiTokenRow): ApiToken {
  return { id: r.id, name: r.name, prefix: r.prefix, createdAt: r.created_at, lastUsedAt: r.last_used_at, expiresAt: r.expires_at, revokedAt: r.revoked_at };
}

export async function listTokens(ctx: Ctx): Promise<ApiToken[]> {
  return (await apiTokenRepository.listForUser(ctx.db, ctx.actor.userId!)).map(toToken);
}

/** The token is shown once; only its SHA-256 is kept (it has 256 random bits, so a slow hash adds nothing). */
export async function createToken(ctx: Ctx, input: z.infer<typeof apiTokenCreate>): Promise<ApiToken & { token: string }> {
  const token = TOKEN_PREFIX + newSecret();
  const now = ctx.clock.now();
  const row: ApiTokenRow = {
    id: newId(),
    user_id: ctx.actor.userId!,
    name: input.name,
    token_hash: sha256(token),
    prefix: token.slice(0, TOKEN_PREFIX.length + 6),
    created_at: iso(now),
    last_used_at: null,
    expires_at: input.expiresInDays ? iso(new Date(now.getTime() + input.expiresInDays * 24 * 60 * MIN)) : null,
    revoked_at: null,
  };
  await ctx.db.transaction().execute(async (trx) => {
    await apiTokenRepository.insert(trx, row);
    const user = await userRepository.byId(trx, row.user_id);
    await recordAudit(trx, ctx, { action: 'api_token.create', entityType: 'api_token', entityId: row.id, orgUnitId: user?.org_unit_id ?? null, after: { name: row.name, prefix: row.prefix, expiresAt: row.expires_at } });
  });
  return { ...toToken(row), token };
}

export async function revokeToken(ctx: Ctx, id: string): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    const row = await apiTokenRepository.byIdForUser(trx, id, ctx.actor.userId!);
    if (!row) throw notFound();
    if (row.revoked_at) return;
    await apiTokenRepository.revoke(trx, id, iso(ctx.clock.now()));
    const user = await userRepository.byId(trx, row.user_id);
    await recordAudit(trx, ctx, { action: 'api_token.revoke', entityType: 'api_token', entityId: id, orgUnitId: user?.org_unit_id ?? null, after: { revoked: true } });
  });
}
