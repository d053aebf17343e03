import type { z } from 'zod';
import { SAVED_FILTER_LIMIT, type SavedFilter, type savedFilterCreate, type savedFilterUpdate } from '../../../contracts/queues.ts';
import type { Tx } from '../../../db/database.ts';
import { iso } from '../../platform/clock.ts';
import type { Ctx } from '../../platform/context.ts';
import { AppError, forbidden, invalid, notFound, versionConflict } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { userRepository } from '../users/user.repository.ts';
import { departmentOf, unitChain } from './org-chain.ts';
import { savedFilterRepository as repo, type SavedFilterView } from './saved-filter.repository.ts';

/**
 * Saved filters (保存的筛选): a person's named queue filter, validated by the same allow-list as
 * GET /api/tickets and stored in that query form, so choosing one is just sending it again. Shared
 * ones are visible to the people of the owner's department (the nearest department at or above their
 * unit); only the owner changes or deletes a filter. At most 50 per person.
 */
type Query = Record<string, unknown>;

/** The parsed filter back in query-string form (lists comma-joined), so GET /api/tickets takes it as is. */
function queryForm(q: Query): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(q)) {
    if (v === undefined || v === null) continue;
    out[k] = Array.isArray(v) ? v.join(',') : String(v);
  }
  return out;
}

function toSavedFilter(ctx: Ctx, r: SavedFilterView): SavedFilter {
  return {
    id: r.id,
    name: r.name,
    query: JSON.parse(r.query) as Record<string, string>,
    ownerId: r.owner_id,
    ownerName: r.owner_name,
    mine: r.owner_id === ctx.actor.userId,
    departmentId: r.department_id,
    departmentName: r.department_name,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    version: Number(r.version),
  };
}

async function me(db: Tx, ctx: Ctx): Promise<{ id: string; unitId: string; departmentId: string | null }> {
  const u = ctx.actor.userId ? await userRepository.byId(db, ctx.actor.userId) : undefined;
  if (!u) throw forbidden();
  return { id: u.id, unitId: u.org_unit_id, departmentId: departmentOf(await unitChain(db, u.unit_path))?.id ?? null };
}

async function departmentToShare(ctx: Ctx, my: { departmentId: string | null }): Promise<string> {
  if (!my.departmentId) throw invalid('shared', ctx.lang === 'zh' ? '你不属于任何部门，不能共享' : 'you belong to no department to share with');
  return my.departmentId;
}

/** A filter the caller may see (else 404) and, for changes, owns (else 403). */
async function load(db: Tx, ctx: Ctx, id: string, my: { id: string; departmentId: string | null }, forChange: boolean): Promise<SavedFilterView> {
  const f = await repo.byId(db, id);
  if (!f || (f.owner_id !== my.id && (!f.department_id || f.department_id !== my.departmentId))) throw notFound();
  if (forChange && f.owner_id !== my.id) throw forbidden();
  return f;
}

export async function listSavedFilters(ctx: Ctx): Promise<SavedFilter[]> {
  const my = await me(ctx.db, ctx);
  return (await repo.visible(ctx.db, my.id, my.departmentId)).map((r) => toSavedFilter(ctx, r));
}

export async function getSavedFilter(ctx: Ctx, id: string): Promise<SavedFilter> {
  const my = await me(ctx.db, ctx);
  return toSavedFilter(ctx, await load(ctx.db, ctx, id, my, false));
}

export async function createSavedFilter(ctx: Ctx, input: z.infer<typeof savedFilterCreate>): Promise<SavedFilter> {
  return ctx.db.transaction().execute(async (trx) => {
    const my = await me(trx, ctx);
    if ((await repo.countOwned(trx, my.id)) >= SAVED_FILTER_LIMIT) throw new AppError('SAVED_FILTER_LIMIT', 409);
    const at = iso(ctx.clock.now());
    const row = {
      id: newId(),
      owner_id: my.id,
      name: input.name,
      query: JSON.stringify(queryForm(input.query)),
      department_id: input.shared ? await departmentToShare(ctx, my) : null,
      created_at: at,
      updated_at: at,
      version: 1,
    };
    await repo.insert(trx, row);
    await recordAudit(trx, ctx, { action: 'saved_filter.create', entityType: 'saved_filter', entityId: row.id, orgUnitId: my.unitId, after: { name: row.name, query: JSON.parse(row.query), departmentId: row.department_id } });
    return toSavedFilter(ctx, (await repo.byId(trx, row.id))!);
  });
}

export async function updateSavedFilter(ctx: Ctx, id: string, input: z.infer<typeof savedFilterUpdate>): Promise<SavedFilter> {
  return ctx.db.transaction().execute(async (trx) => {
    const my = await me(trx, ctx);
    const f = await load(trx, ctx, id, my, true);
    if (Number(f.version) !== input.version) throw versionConflict();
    const patch: { name?: string; query?: string; department_id?: string | null } = {};
    if (input.name !== undefined) patch.name = input.name;
    if (input.query !== undefined) patch.query = JSON.stringify(queryForm(input.query));
    if (input.shared !== undefined) patch.department_id = input.shared ? await departmentToShare(ctx, my) : null;
    if (!(await repo.update(trx, id, input.version, { ...patch, updated_at: iso(ctx.clock.now()) }))) throw versionConflict();
    await recordAudit(trx, ctx, {
      action: 'saved_filter.update',
      entityType: 'saved_filter',
      entityId: id,
      orgUnitId: my.unitId,
      before: { name: f.name, query: JSON.parse(f.query), departmentId: f.department_id },
      after: { name: patch.name ?? f.name, query: JSON.parse(patch.query ?? f.query), departmentId: patch.department_id === undefined ? f.department_id : patch.department_id },
    });
    return toSavedFilter(ctx, (await repo.byId(trx, id))!);
  });
}

export async function deleteSavedFilter(ctx: Ctx, id: string): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    const my = await me(trx, ctx);
    const f = await load(trx, ctx, id, my, true);
    await repo.delete(trx, id);
    await recordAudit(trx, ctx, { action: 'saved_filter.delete', entityType: 'saved_filter', entityId: id, orgUnitId: my.unitId, before: { name: f.name, query: JSON.parse(f.query), departmentId: f.department_id } });
  });
}
