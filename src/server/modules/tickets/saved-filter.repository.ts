import type { Tx } from '../../../db/database.ts';
import type { SavedFilterTable } from '../../../db/schema.ts';

export type SavedFilterRow = SavedFilterTable;
export type SavedFilterView = SavedFilterRow & { owner_name: string; department_name: string | null };

export const savedFilterRepository = {
  view(db: Tx) {
    return db
      .selectFrom('saved_filters as f')
      .innerJoin('users as o', 'o.id', 'f.owner_id')
      .leftJoin('org_units as d', 'd.id', 'f.department_id')
      .selectAll('f')
      .select(['o.display_name as owner_name', 'd.name as department_name']);
  },

  /** Someone's own filters and those shared with their department, by name. */
  async visible(db: Tx, userId: string, departmentId: string | null): Promise<SavedFilterView[]> {
    return this.view(db)
      .where((eb) => eb.or([eb('f.owner_id', '=', userId), ...(departmentId ? [eb('f.department_id', '=', departmentId)] : [])]))
      .orderBy('f.name')
      .orderBy('f.id')
      .execute();
  },

  async byId(db: Tx, id: string): Promise<SavedFilterView | undefined> {
    return this.view(db).where('f.id', '=', id).executeTakeFirst();
  },

  async countOwned(db: Tx, userId: string): Promise<number> {
    const r = await db.selectFrom('saved_filters').select((eb) => eb.fn.countAll<number>().as('n')).where('owner_id', '=', userId).executeTakeFirstOrThrow();
    return Number(r.n);
  },

  async insert(db: Tx, row: SavedFilterRow): Promise<void> {
    await db.insertInto('saved_filters').values(row).execute();
  },

  /** False when the version no longer matches (someone changed it first). */
  async update(db: Tx, id: string, version: number, patch: Partial<Pick<SavedFilterRow, 'name' | 'query' | 'department_id' | 'updated_at'>>): Promise<boolean> {
    const r = await db
      .updateTable('saved_filters')
      .set((eb) => ({ ...patch, version: eb('version', '+', 1) }))
      .where('id', '=', id)
      .where('version', '=', version)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  },

  async delete(db: Tx, id: string): Promise<void> {
    await db.deleteFrom('saved_filters').where('id', '=', id).execute();
  },
};
