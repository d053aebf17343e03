import { sql } from 'kysely';
import type { Tx } from '../../../db/database.ts';
import type { TicketCategoryTable } from '../../../db/schema.ts';

export type CategoryRow = TicketCategoryTable;

/** The category tree 工单分类 editor's SQL (reads for intake stay in ticket.repository.ts). */
export const categoryRepository = {
  async all(db: Tx): Promise<CategoryRow[]> {
    return db.selectFrom('ticket_categories').selectAll().orderBy('sort').orderBy('name').execute();
  },

  async children(db: Tx, parentId: string | null): Promise<CategoryRow[]> {
    const q = db.selectFrom('ticket_categories').selectAll();
    return (parentId === null ? q.where('parent_id', 'is', null) : q.where('parent_id', '=', parentId)).orderBy('sort').orderBy('name').execute();
  },

  async insert(db: Tx, row: CategoryRow): Promise<void> {
    await db.insertInto('ticket_categories').values(row).execute();
  },

  async update(db: Tx, id: string, expectedVersion: number, patch: Partial<Omit<CategoryRow, 'id' | 'version'>>): Promise<boolean> {
    const r = await db
      .updateTable('ticket_categories')
      .set((eb) => ({ ...patch, version: eb('version', '+', 1) }))
      .where('id', '=', id)
      .where('version', '=', expectedVersion)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  },

  /** Sibling order is not part of a category's edit: versions stay. */
  async setSort(db: Tx, id: string, sort: number): Promise<void> {
    await db.updateTable('ticket_categories').set({ sort }).where('id', '=', id).execute();
  },

  /** Work orders, sub-categories or routing rules (their JSON conditions) that point at the category. */
  async inUse(db: Tx, id: string): Promise<boolean> {
    const t = await db.selectFrom('tickets').select('id').where('category_id', '=', id).limit(1).executeTakeFirst();
    if (t) return true;
    const c = await db.selectFrom('ticket_categories').select('id').where('parent_id', '=', id).limit(1).executeTakeFirst();
    if (c) return true;
    const r = await db.selectFrom('routing_rules').select('id').where(sql<boolean>`conditions like ${`%"${id}"%`}`).limit(1).executeTakeFirst();
    return !!r;
  },

  async delete(db: Tx, id: string): Promise<void> {
    await db.deleteFrom('ticket_categories').where('id', '=', id).execute();
  },
};
