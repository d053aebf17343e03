import type { z } from 'zod';
import type { Role, roleCreate, roleUpdate } from '../../../contracts/api.ts';
import { builtInRoles } from '../../../contracts/permissions.ts';
import type { Tx } from '../../../db/database.ts';
import { iso } from '../../platform/clock.ts';
import type { Ctx } from '../../platform/context.ts';
import { AppError, notFound, versionConflict } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { roleRepository as repo, type RoleRow } from './role.repository.ts';

export function toRole(r: RoleRow): Role {
  return {
    id: r.id,
    key: r.key,
    nameZh: r.name_zh,
    nameEn: r.name_en,
    description: r.description,
    permissions: JSON.parse(r.permissions),
    builtIn: r.built_in === 1,
    version: Number(r.version),
  };
}
const audited = (r: Pick<RoleRow, 'key' | 'name_zh' | 'name_en' | 'description' | 'permissions'>) => ({
  key: r.key,
  nameZh: r.name_zh,
  nameEn: r.name_en,
  description: r.description,
  permissions: JSON.parse(r.permissions),
});

export const listRoles = async (ctx: Ctx): Promise<Role[]> => (await repo.list(ctx.db)).map(toRole);

export async function getRole(ctx: Ctx, id: string): Promise<Role> {
  const row = await repo.byId(ctx.db, id);
  if (!row) throw notFound();
  return toRole(row);
}

export async function createRole(ctx: Ctx, input: z.infer<typeof roleCreate>): Promise<Role> {
  return ctx.db.transaction().execute(async (trx) => {
    if (await repo.byKey(trx, input.key)) throw new AppError('ROLE_KEY_TAKEN', 409, { fields: [{ field: 'key', message: 'taken' }] });
    const now = iso(ctx.clock.now());
    const row: RoleRow = {
      id: newId(),
      key: input.key,
      name_zh: input.nameZh,
      name_en: input.nameEn,
      description: input.description,
      permissions: JSON.stringify([...new Set(input.permissions)].sort()),
      built_in: 0,
      created_at: now,
      updated_at: now,
      version: 1,
    };
    await repo.insert(trx, row);
    await recordAudit(trx, ctx, { action: 'role.create', entityType: 'role', entityId: row.id, orgUnitId: null, after: audited(row) });
    return toRole(row);
  });
}

export async function updateRole(ctx: Ctx, id: string, input: z.infer<typeof roleUpdate>): Promise<Role> {
  return ctx.db.transaction().execute(async (trx) => {
    const row = await repo.byId(trx, id);
    if (!row) throw notFound();
    if (Number(row.version) !== input.version) throw versionConflict();
    if (row.built_in === 1 && (input.nameZh !== undefined || input.nameEn !== undefined)) throw new AppError('ROLE_BUILT_IN', 400);
    const patch: Partial<RoleRow> = { updated_at: iso(ctx.clock.now()) };
    if (input.nameZh !== undefined) patch.name_zh = input.nameZh;
    if (input.nameEn !== undefined) patch.name_en = input.nameEn;
    if (input.description !== undefined) patch.description = input.description;
    if (input.permissions !== undefined) patch.permissions = JSON.stringify([...new Set(input.permissions)].sort());
    if (!(await repo.update(trx, id, input.version, patch))) throw versionConflict();
    const after = { ...row, ...patch, version: Number(row.version) + 1 };
    await recordAudit(trx, ctx, { action: 'role.update', entityType: 'role', entityId: id, orgUnitId: null, before: audited(row), after: audited(after) });
    return toRole(after);
  });
}

export async function deleteRole(ctx: Ctx, id: string): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    const row = await repo.byId(trx, id);
    if (!row) throw notFound();
    if (row.built_in === 1) throw new AppError('ROLE_BUILT_IN', 400);
    if (await repo.isGranted(trx, id)) throw new AppError('ROLE_IN_USE', 409);
    await repo.delete(trx, id);
    await recordAudit(trx, ctx, { action: 'role.delete', entityType: 'role', entityId: id, orgUnitId: null, before: audited(row) });
  });
}

/** Inserts missing built-in roles; adds catalog permissions that a newer release gives them. Safe to run at every start. */
export async function ensureBuiltInRoles(trx: Tx, now: string): Promise<void> {
  for (const b of builtInRoles) {
    const existing = await repo.byKey(trx, b.key);
    if (!existing) {
      await repo.insert(trx, {
        id: newId(),
        key: b.key,
        name_zh: b.zh,
        name_en: b.en,
        description: '',
        permissions: JSON.stringify([...b.permissions].sort()),
        built_in: 1,
        created_at: now,
        updated_at: now,
        version: 1,
      });
    } else if (b.key === 'admin') {
      // The administrator always holds the whole catalog.
      const perms = JSON.stringify([...b.permissions].sort());
      if (existing.permissions !== perms) await repo.update(trx, existing.id, Number(existing.version), { permissions: perms, updated_at: now });
    }
  }
}
