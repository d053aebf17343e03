import type { z } from 'zod';
import type { OrgUnit, orgUnitCreate, orgUnitUpdate } from '../../../contracts/api.ts';
import { holdsAtRoot, holdsIn, scopePaths } from '../../platform/actor.ts';
import { iso } from '../../platform/clock.ts';
import type { Ctx } from '../../platform/context.ts';
import { AppError, forbidden, invalid, isForeignKeyViolation, notFound, versionConflict } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { orgUnitRepository as repo, type OrgUnitRow } from './org-unit.repository.ts';

const rank = { group: 0, company: 1, department: 2, team: 3 } as const;

export function toOrgUnit(r: OrgUnitRow): OrgUnit {
  return {
    id: r.id,
    parentId: r.parent_id,
    path: r.path,
    kind: r.kind,
    name: r.name,
    code: r.code,
    timeZone: r.time_zone,
    version: Number(r.version),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

const audited = (r: OrgUnitRow) => ({ parentId: r.parent_id, kind: r.kind, name: r.name, code: r.code, timeZone: r.time_zone });

export async function listOrgUnits(ctx: Ctx): Promise<OrgUnit[]> {
  return (await repo.listInScope(ctx.db, scopePaths(ctx.actor, 'org:read'))).map(toOrgUnit);
}

export async function getOrgUnit(ctx: Ctx, id: string): Promise<OrgUnit> {
  const row = await repo.byIdInScope(ctx.db, id, scopePaths(ctx.actor, 'org:read'));
  if (!row) throw notFound();
  return toOrgUnit(row);
}

function checkKindUnder(kind: OrgUnitRow['kind'], parent: OrgUnitRow | undefined) {
  if (!parent) {
    if (kind !== 'group' && kind !== 'company') throw invalid('kind', 'a top-level unit is a group or a company');
    return;
  }
  if (rank[kind] <= rank[parent.kind]) throw invalid('kind', `a ${kind} cannot sit under a ${parent.kind}`);
}

export async function createOrgUnit(ctx: Ctx, input: z.infer<typeof orgUnitCreate>): Promise<OrgUnit> {
  return ctx.db.transaction().execute(async (trx) => {
    let parent: OrgUnitRow | undefined;
    if (input.parentId) {
      parent = await repo.byIdInScope(trx, input.parentId, scopePaths(ctx.actor, 'org:read'));
      if (!parent) throw notFound();
      if (!holdsIn(ctx.actor, 'org:manage', parent.path)) throw forbidden();
    } else {
      if (!holdsAtRoot(ctx.actor, 'org:manage')) throw forbidden();
      // One organisation, one tree: the root is made at first start, and everything else sits under it.
      if ((await repo.countRoots(trx)) > 0) throw invalid('parentId', ctx.lang === 'zh' ? '必须指定上级单元' : 'required: the organisation has one root');
    }
    checkKindUnder(input.kind, parent);
    if (await repo.byCode(trx, input.code)) throw new AppError('CODE_TAKEN', 409, { fields: [{ field: 'code', message: 'taken' }] });
    const now = iso(ctx.clock.now());
    const id = newId();
    const row: OrgUnitRow = {
      id,
      parent_id: parent?.id ?? null,
      path: `${parent?.path ?? '/'}${id}/`,
      kind: input.kind,
      name: input.name,
      code: input.code,
      time_zone: input.timeZone,
      created_at: now,
      updated_at: now,
      version: 1,
    };
    await repo.insert(trx, row);
    await recordAudit(trx, ctx, { action: 'org_unit.create', entityType: 'org_unit', entityId: id, orgUnitId: id, after: audited(row) });
    return toOrgUnit(row);
  });
}

export async function updateOrgUnit(ctx: Ctx, id: string, input: z.infer<typeof orgUnitUpdate>): Promise<OrgUnit> {
  return ctx.db.transaction().execute(async (trx) => {
    const row = await repo.byIdInScope(trx, id, scopePaths(ctx.actor, 'org:read'));
    if (!row) throw notFound();
    if (!holdsIn(ctx.actor, 'org:manage', row.path)) throw forbidden();
    if (Number(row.version) !== input.version) throw versionConflict();
    const patch: Partial<OrgUnitRow> = { updated_at: iso(ctx.clock.now()) };
    if (input.name !== undefined) patch.name = input.name;
    if (input.timeZone !== undefined) patch.time_zone = input.timeZone;
    if (input.code !== undefined && input.code !== row.code) {
      if (await repo.byCode(trx, input.code)) throw new AppError('CODE_TAKEN', 409, { fields: [{ field: 'code', message: 'taken' }] });
      patch.code = input.code;
    }
    if (input.parentId !== undefined && input.parentId !== row.parent_id) {
      const parent = await repo.byIdInScope(trx, input.parentId, scopePaths(ctx.actor, 'org:read'));
      if (!parent) throw notFound();
      if (!holdsIn(ctx.actor, 'org:manage', parent.path)) throw forbidden();
      if (parent.path.startsWith(row.path)) throw new AppError('UNIT_MOVE_INVALID', 400, { fields: [{ field: 'parentId', message: 'inside the unit itself' }] });
      checkKindUnder(row.kind, parent);
      patch.parent_id = parent.id;
      patch.path = `${parent.path}${row.id}/`;
      await repo.rewriteSubtreePaths(trx, row.path, patch.path);
    }
    if (!(await repo.update(trx, id, input.version, patch))) throw versionConflict();
    const after = { ...row, ...patch, version: Number(row.version) + 1 };
    await recordAudit(trx, ctx, { action: 'org_unit.update', entityType: 'org_unit', entityId: id, orgUnitId: id, before: audited(row), after: audited(after) });
    return toOrgUnit(after);
  });
}

export async function deleteOrgUnit(ctx: Ctx, id: string): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    const row = await repo.byIdInScope(trx, id, scopePaths(ctx.actor, 'org:read'));
    if (!row) throw notFound();
    if (!holdsIn(ctx.actor, 'org:manage', row.path)) throw forbidden();
    if (await repo.hasChildrenOrMembers(trx, id)) throw new AppError('UNIT_NOT_EMPTY', 409);
    // Work orders, rules and other records of later modules point at units too; the database knows them all.
    await repo.delete(trx, id).catch((err) => {
      throw isForeignKeyViolation(err) ? new AppError('UNIT_NOT_EMPTY', 409) : err;
    });
    await recordAudit(trx, ctx, { action: 'org_unit.delete', entityType: 'org_unit', entityId: id, orgUnitId: row.parent_id, before: audited(row) });
  });
}
