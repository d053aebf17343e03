import type { z } from 'zod';
import type { categoryCreate, categoryMove, categoryReorder, categoryUpdate } from '../../../contracts/ticket-settings.ts';
import type { ticketCategory } from '../../../contracts/tickets.ts';
import type { Tx } from '../../../db/database.ts';
import { holdsAtRoot } from '../../platform/actor.ts';
import type { Ctx } from '../../platform/context.ts';
import { AppError, forbidden, invalid, notFound, versionConflict } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { categoryRepository as repo, type CategoryRow } from './category.repository.ts';

/**
 * The category tree 工单分类 stays ONE tree for the whole group: categories are the group's
 * standard for classifying (the weekly and monthly counts "by type and cause" compare companies),
 * existing orders and routing rules keep pointing at the same rows, and a company that needs more
 * detail asks for sub-categories. So writing needs ticket:configure held at the root (a company's
 * manager configures their custom fields, not the shared tree); reading stays ticket:read.
 * At most three levels; sibling names unique; a category in use is disabled, never deleted.
 */
type TicketCategory = z.infer<typeof ticketCategory>;
const MAX_DEPTH = 3;
const MAX_CATEGORIES = 2000;

export const toCategory = (c: CategoryRow): TicketCategory => ({ id: c.id, parentId: c.parent_id, name: c.name, sort: Number(c.sort), enabled: c.enabled === 1, version: Number(c.version) });

function mayConfigure(ctx: Ctx): void {
  if (!holdsAtRoot(ctx.actor, 'ticket:configure')) throw forbidden();
}

/** Depth of a node (1 = first level) and the height of its subtree (1 = a leaf), over the whole tree. */
function shape(all: CategoryRow[]) {
  const byId = new Map(all.map((c) => [c.id, c]));
  const depth = (id: string | null): number => {
    let n = 0;
    for (let cur = id; cur; cur = byId.get(cur)?.parent_id ?? null) n++;
    return n;
  };
  const height = (id: string): number => 1 + Math.max(0, ...all.filter((c) => c.parent_id === id).map((c) => height(c.id)));
  const isUnder = (id: string, ancestor: string): boolean => {
    for (let cur: string | null = id; cur; cur = byId.get(cur)?.parent_id ?? null) if (cur === ancestor) return true;
    return false;
  };
  return { byId, depth, height, isUnder };
}

const sameName = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

function checkSiblingName(all: CategoryRow[], parentId: string | null, name: string, self?: string): void {
  if (all.some((c) => c.parent_id === parentId && c.id !== self && sameName(c.name, name))) throw new AppError('CATEGORY_NAME_TAKEN', 409, { fields: [{ field: 'name', message: name }] });
}

function parentOf(ctx: Ctx, all: ReturnType<typeof shape>, parentId: string | null): CategoryRow | null {
  if (parentId === null) return null;
  const p = all.byId.get(parentId);
  if (!p) throw invalid('parentId', ctx.lang === 'zh' ? '没有这个分类' : 'unknown category');
  return p;
}

async function load(trx: Tx, ctx: Ctx, id: string): Promise<{ all: CategoryRow[]; c: CategoryRow }> {
  mayConfigure(ctx);
  const all = await repo.all(trx);
  const c = all.find((x) => x.id === id);
  if (!c) throw notFound();
  return { all, c };
}

const auditCategory = (trx: Tx, ctx: Ctx, action: string, id: string, before: Record<string, unknown> | undefined, after: Record<string, unknown>) =>
  recordAudit(trx, ctx, { action: `ticket_category.${action}`, entityType: 'ticket_category', entityId: id, orgUnitId: null, before, after });

export async function createCategory(ctx: Ctx, input: z.infer<typeof categoryCreate>): Promise<TicketCategory> {
  return ctx.db.transaction().execute(async (trx) => {
    mayConfigure(ctx);
    const all = await repo.all(trx);
    if (all.length >= MAX_CATEGORIES) throw invalid('parentId', ctx.lang === 'zh' ? `最多 ${MAX_CATEGORIES} 个分类` : `at most ${MAX_CATEGORIES} categories`);
    const s = shape(all);
    parentOf(ctx, s, input.parentId);
    if (s.depth(input.parentId) + 1 > MAX_DEPTH) throw new AppError('CATEGORY_TOO_DEEP', 409);
    checkSiblingName(all, input.parentId, input.name);
    const sort = Math.max(0, ...all.filter((c) => c.parent_id === input.parentId).map((c) => Number(c.sort))) + 10;
    const row: CategoryRow = { id: newId(), parent_id: input.parentId, name: input.name, sort, enabled: 1, version: 1 };
    await repo.insert(trx, row);
    await auditCategory(trx, ctx, 'create', row.id, undefined, { parentId: row.parent_id, name: row.name, sort });
    return toCategory(row);
  });
}

/** Rename, enable or disable (disabled: not offered at intake, still shown on the orders that have it). */
export async function updateCategory(ctx: Ctx, id: string, input: z.infer<typeof categoryUpdate>): Promise<TicketCategory> {
  return ctx.db.transaction().execute(async (trx) => {
    const { all, c } = await load(trx, ctx, id);
    if (Number(c.version) !== input.version) throw versionConflict();
    if (input.name !== undefined) checkSiblingName(all, c.parent_id, input.name, c.id);
    const patch = { name: input.name ?? c.name, enabled: input.enabled === undefined ? c.enabled : input.enabled ? 1 : 0 };
    if (!(await repo.update(trx, id, input.version, patch))) throw versionConflict();
    await auditCategory(trx, ctx, 'update', id, { name: c.name, enabled: c.enabled === 1 }, { name: patch.name, enabled: patch.enabled === 1 });
    return toCategory({ ...c, ...patch, version: Number(c.version) + 1 });
  });
}

/** Moves a category (with its sub-categories) under another parent, at a place among the new siblings. */
export async function moveCategory(ctx: Ctx, id: string, input: z.infer<typeof categoryMove>): Promise<TicketCategory> {
  return ctx.db.transaction().execute(async (trx) => {
    const { all, c } = await load(trx, ctx, id);
    if (Number(c.version) !== input.version) throw versionConflict();
    const s = shape(all);
    parentOf(ctx, s, input.parentId);
    if (input.parentId && s.isUnder(input.parentId, id)) throw new AppError('CATEGORY_MOVE_INVALID', 409);
    if (s.depth(input.parentId) + s.height(id) > MAX_DEPTH) throw new AppError('CATEGORY_TOO_DEEP', 409);
    checkSiblingName(all, input.parentId, c.name, c.id);
    if (!(await repo.update(trx, id, input.version, { parent_id: input.parentId }))) throw versionConflict();
    const siblings = all.filter((x) => x.parent_id === input.parentId && x.id !== id);
    const index = Math.min(input.index ?? siblings.length, siblings.length);
    const order = [...siblings.slice(0, index), c, ...siblings.slice(index)];
    for (const [i, x] of order.entries()) await repo.setSort(trx, x.id, (i + 1) * 10);
    await auditCategory(trx, ctx, 'move', id, { parentId: c.parent_id }, { parentId: input.parentId, index });
    return toCategory({ ...c, parent_id: input.parentId, sort: (index + 1) * 10, version: Number(c.version) + 1 });
  });
}

/** Puts all children of one parent in the order given. */
export async function reorderCategories(ctx: Ctx, input: z.infer<typeof categoryReorder>): Promise<TicketCategory[]> {
  return ctx.db.transaction().execute(async (trx) => {
    mayConfigure(ctx);
    const siblings = await repo.children(trx, input.parentId);
    const ids = new Set(siblings.map((x) => x.id));
    if (input.ids.length !== ids.size || new Set(input.ids).size !== ids.size || !input.ids.every((x) => ids.has(x))) {
      throw invalid('ids', ctx.lang === 'zh' ? '须列出该级的全部分类，各一次' : 'must list every category of that level, once each');
    }
    for (const [i, x] of input.ids.entries()) await repo.setSort(trx, x, (i + 1) * 10);
    await auditCategory(trx, ctx, 'reorder', input.parentId ?? input.ids[0], { ids: siblings.map((x) => x.id) }, { parentId: input.parentId, ids: input.ids });
    return (await repo.children(trx, input.parentId)).map(toCategory);
  });
}

/** Only a category nobody uses (no work order, routing rule or sub-category) can be deleted. */
export async function deleteCategory(ctx: Ctx, id: string): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    const { c } = await load(trx, ctx, id);
    if (await repo.inUse(trx, id)) throw new AppError('CATEGORY_IN_USE', 409);
    await repo.delete(trx, id);
    await auditCategory(trx, ctx, 'delete', id, { parentId: c.parent_id, name: c.name }, {});
  });
}
