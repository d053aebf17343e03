import type { z } from 'zod';
import type { User, grantsReplace, userCreate, userQuery, userUpdate } from '../../../contracts/api.ts';
import { isPermission } from '../../../contracts/permissions.ts';
import type { Tx } from '../../../db/database.ts';
import { holdsIn, scopePaths } from '../../platform/actor.ts';
import { iso } from '../../platform/clock.ts';
import type { Ctx } from '../../platform/context.ts';
import { AppError, forbidden, invalid, notFound, versionConflict } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { checkPasswordPolicy, generatePassword, hashPassword } from '../auth/password.ts';
import { sessionRepository } from '../auth/session.repository.ts';
import { orgUnitRepository } from '../org/org-unit.repository.ts';
import { roleRepository } from './role.repository.ts';
import { userRepository as repo, type GrantRow, type UserRow, type UserWithUnit } from './user.repository.ts';

/** Staff contact data is personal: sealed in audit entries with the person's key. */
const personal = (id: string) => ({ subjectType: 'user', subjectId: id, fields: ['phone', 'email'] as const });
const audited = (r: Pick<UserRow, 'username' | 'display_name' | 'phone' | 'email' | 'employee_no' | 'org_unit_id' | 'status'>) => ({
  username: r.username,
  displayName: r.display_name,
  phone: r.phone,
  email: r.email,
  employeeNo: r.employee_no,
  orgUnitId: r.org_unit_id,
  status: r.status,
});
const grantLabel = (g: GrantRow) => `${g.role_key}@${g.org_unit_id}`;

export function toUser(r: UserWithUnit, grants: GrantRow[]): User {
  return {
    id: r.id,
    username: r.username,
    displayName: r.display_name,
    phone: r.phone,
    email: r.email,
    employeeNo: r.employee_no,
    orgUnitId: r.org_unit_id,
    orgUnitName: r.unit_name,
    status: r.status,
    mustChangePassword: r.must_change_password === 1,
    lockedUntil: r.locked_until,
    lastLoginAt: r.last_login_at,
    grants: grants
      .filter((g) => g.user_id === r.id)
      .map((g) => ({ id: g.id, roleId: g.role_id, roleKey: g.role_key, orgUnitId: g.org_unit_id, orgUnitName: g.unit_name })),
    version: Number(r.version),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

async function loadInScope(trx: Tx, ctx: Ctx, id: string): Promise<UserWithUnit> {
  const row = await repo.byIdInScope(trx, id, scopePaths(ctx.actor, 'user:read'));
  if (!row) throw notFound();
  return row;
}

async function manageableUnit(trx: Tx, ctx: Ctx, unitId: string) {
  const unit = await orgUnitRepository.byIdInScope(trx, unitId, scopePaths(ctx.actor, 'user:manage'));
  if (!unit) throw notFound();
  return unit;
}

export async function listUsers(ctx: Ctx, q: z.infer<typeof userQuery>): Promise<{ items: User[]; nextCursor: string | null }> {
  let underPath: string | undefined;
  if (q.orgUnitId) {
    const unit = await orgUnitRepository.byIdInScope(ctx.db, q.orgUnitId, scopePaths(ctx.actor, 'user:read'));
    if (!unit) throw notFound();
    underPath = unit.path;
  }
  const rows = await repo.list(ctx.db, {
    paths: scopePaths(ctx.actor, 'user:read'),
    q: q.q,
    underPath,
    status: q.status,
    after: q.cursor,
    limit: q.limit + 1,
  });
  const page = rows.slice(0, q.limit);
  const grants = await repo.grantsOf(ctx.db, page.map((r) => r.id));
  return { items: page.map((r) => toUser(r, grants)), nextCursor: rows.length > q.limit ? page[page.length - 1].username : null };
}

export async function getUser(ctx: Ctx, id: string, db: Tx = ctx.db): Promise<User> {
  const row = await loadInScope(db, ctx, id);
  return toUser(row, await repo.grantsOf(db, [id]));
}

/**
 * Checks a set of requested grants: each unit must lie in the actor's `user:manage` scope, and the
 * actor must hold every permission of the role there — nobody hands out more than they hold.
 */
async function checkGrants(trx: Tx, ctx: Ctx, grants: { roleId: string; orgUnitId: string }[]) {
  const roles = new Map((await roleRepository.byIds(trx, [...new Set(grants.map((g) => g.roleId))])).map((r) => [r.id, r]));
  const out: { role_id: string; org_unit_id: string }[] = [];
  for (const [i, g] of grants.entries()) {
    const role = roles.get(g.roleId);
    if (!role) throw new AppError('VALIDATION_FAILED', 400, { fields: [{ field: `grants.${i}.roleId`, message: 'unknown role' }] });
    const unit = await manageableUnit(trx, ctx, g.orgUnitId);
    const perms = (JSON.parse(role.permissions) as string[]).filter(isPermission);
    if (!perms.every((p) => holdsIn(ctx.actor, p, unit.path))) throw forbidden();
    if (!out.some((o) => o.role_id === g.roleId && o.org_unit_id === g.orgUnitId)) out.push({ role_id: g.roleId, org_unit_id: g.orgUnitId });
  }
  return out;
}

export async function createUser(ctx: Ctx, input: z.infer<typeof userCreate>): Promise<{ user: User; initialPassword: string | null }> {
  const generated = input.password ? null : generatePassword();
  const password = input.password ?? generated!;
  checkPasswordPolicy(password, input.username, 'password', ctx.lang);
  const passwordHash = await hashPassword(password);
  const user = await ctx.db.transaction().execute(async (trx) => {
    await manageableUnit(trx, ctx, input.orgUnitId);
    if (await repo.byUsername(trx, input.username)) {
      throw new AppError('USERNAME_TAKEN', 409, { fields: [{ field: 'username', message: 'taken' }] });
    }
    const grants = await checkGrants(trx, ctx, input.grants);
    const now = iso(ctx.clock.now());
    const id = newId();
    const row: UserRow = {
      id,
      username: input.username,
      display_name: input.displayName,
      phone: input.phone ?? null,
      email: input.email ?? null,
      employee_no: input.employeeNo ?? null,
      org_unit_id: input.orgUnitId,
      status: 'active',
      password_hash: passwordHash,
      must_change_password: 1,
      password_changed_at: null,
      failed_logins: 0,
      locked_until: null,
      last_login_at: null,
      created_at: now,
      updated_at: now,
      version: 1,
    };
    await repo.insert(trx, row);
    await repo.replaceGrants(trx, id, grants.map((g) => ({ ...g, id: newId(), created_at: now })));
    const granted = await repo.grantsOf(trx, [id]);
    await recordAudit(trx, ctx, {
      action: 'user.create',
      entityType: 'user',
      entityId: id,
      orgUnitId: input.orgUnitId,
      after: { ...audited(row), grants: granted.map(grantLabel) },
      personal: personal(id),
    });
    return toUser((await repo.byId(trx, id))!, granted);
  });
  return { user, initialPassword: generated };
}

export async function updateUser(ctx: Ctx, id: string, input: z.infer<typeof userUpdate>): Promise<User> {
  return ctx.db.transaction().execute(async (trx) => {
    const row = await loadInScope(trx, ctx, id);
    if (!holdsIn(ctx.actor, 'user:manage', row.unit_path)) throw forbidden();
    if (Number(row.version) !== input.version) throw versionConflict();
    const patch: Partial<UserRow> = { updated_at: iso(ctx.clock.now()) };
    if (input.displayName !== undefined) patch.display_name = input.displayName;
    if (input.phone !== undefined) patch.phone = input.phone;
    if (input.email !== undefined) patch.email = input.email;
    if (input.employeeNo !== undefined) patch.employee_no = input.employeeNo;
    if (input.orgUnitId !== undefined && input.orgUnitId !== row.org_unit_id) {
      await manageableUnit(trx, ctx, input.orgUnitId);
      patch.org_unit_id = input.orgUnitId;
    }
    if (input.status !== undefined && input.status !== row.status) {
      if (id === ctx.actor.userId && input.status === 'disabled') throw new AppError('CANNOT_DISABLE_SELF', 400);
      patch.status = input.status;
      // A disabled person is signed out everywhere at once.
      if (input.status === 'disabled') await sessionRepository.deleteForUser(trx, id);
    }
    if (!(await repo.update(trx, id, input.version, patch))) throw versionConflict();
    const after = { ...row, ...patch };
    await recordAudit(trx, ctx, {
      action: input.status === 'disabled' && row.status !== 'disabled' ? 'user.disable' : 'user.update',
      entityType: 'user',
      entityId: id,
      orgUnitId: after.org_unit_id,
      before: audited(row),
      after: audited(after),
      personal: personal(id),
    });
    return getUser(ctx, id, trx);
  });
}

export async function replaceUserGrants(ctx: Ctx, id: string, input: z.infer<typeof grantsReplace>): Promise<User> {
  return ctx.db.transaction().execute(async (trx) => {
    const row = await loadInScope(trx, ctx, id);
    if (!holdsIn(ctx.actor, 'user:manage', row.unit_path)) throw forbidden();
    if (Number(row.version) !== input.version) throw versionConflict();
    const requested = await checkGrants(trx, ctx, input.grants);
    const existing = await repo.grantsOf(trx, [id]);
    // Grants in units the actor does not manage are kept as they are: nobody removes what they could not give.
    const kept = existing.filter((g) => !holdsIn(ctx.actor, 'user:manage', g.unit_path)).map((g) => ({ role_id: g.role_id, org_unit_id: g.org_unit_id }));
    const merged = [...kept, ...requested.filter((r) => !kept.some((k) => k.role_id === r.role_id && k.org_unit_id === r.org_unit_id))];
    const now = iso(ctx.clock.now());
    await repo.replaceGrants(trx, id, merged.map((g) => ({ ...g, id: newId(), created_at: now })));
    if (!(await repo.update(trx, id, input.version, { updated_at: now }))) throw versionConflict();
    const after = await repo.grantsOf(trx, [id]);
    await recordAudit(trx, ctx, {
      action: 'user.grants',
      entityType: 'user',
      entityId: id,
      orgUnitId: row.org_unit_id,
      before: { grants: existing.map(grantLabel) },
      after: { grants: after.map(grantLabel) },
    });
    return getUser(ctx, id, trx);
  });
}

/** An administrator sets a new one-time password; the person must change it at the next sign-in. */
export async function resetPassword(ctx: Ctx, id: string, password?: string): Promise<{ initialPassword: string | null }> {
  const generated = password ? null : generatePassword();
  const hash = await hashPassword(password ?? generated!);
  await ctx.db.transaction().execute(async (trx) => {
    const row = await loadInScope(trx, ctx, id);
    if (!holdsIn(ctx.actor, 'user:manage', row.unit_path)) throw forbidden();
    checkPasswordPolicy(password ?? generated!, row.username, 'password', ctx.lang);
    await repo.update(trx, id, null, {
      password_hash: hash,
      must_change_password: 1,
      failed_logins: 0,
      locked_until: null,
      updated_at: iso(ctx.clock.now()),
    });
    await sessionRepository.deleteForUser(trx, id);
    await recordAudit(trx, ctx, { action: 'user.reset_password', entityType: 'user', entityId: id, orgUnitId: row.org_unit_id, after: { passwordReset: true } });
  });
  return { initialPassword: generated };
}

/** The unit a person acts for when a request names none: the one given, else their own (primary) unit. */
export async function actingUnitId(trx: Tx, ctx: Ctx, given: string | undefined | null): Promise<string> {
  if (given) return given;
  // The unit was read with the session's user for this request; no need to read it again.
  if (ctx.actor.userId && ctx.actor.orgUnitId) return ctx.actor.orgUnitId;
  const me = ctx.actor.userId ? await repo.byId(trx, ctx.actor.userId) : undefined;
  if (!me) throw invalid('orgUnitId', ctx.lang === 'zh' ? '请指定所属单位' : 'required');
  return me.org_unit_id;
}
