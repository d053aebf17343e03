import type { Tx } from '../../../db/database.ts';
import type { RoleTable } from '../../../db/schema.ts';

export type RoleRow = RoleTable;

export const roleRepository = {
  async list(db: Tx): Promise<RoleRow[]> {
    return db.selectFrom('roles').selectAll().orderBy('built_in', 'desc').orderBy('key').execute();
  },
  async byId(db: Tx, id: string): Promise<RoleRow | undefined> {
    return db.selectFrom('roles').selectAll().where('id', '=', id).executeTakeFirst();
  },
  async byIds(db: Tx, ids: string[]): Promise<RoleRow[]> {
    if (ids.length === 0) return [];
    return db.selectFrom('roles').selectAll().where('id', 'in', ids).execute();
  },
  async byKey(db: Tx, key: string): Promise<RoleRow | undefined> {
    return db.selectFrom('roles').selectAll().where('key', '=', key).executeTakeFirst();
  },
  async insert(db: Tx, row: RoleRow): Promise<void> {
    await db.insertInto('roles').values(row).execute();
  },
  async update(db: Tx, id: string, expectedVersion: number, patch: Partial<Omit<RoleRow, 'id' | 'version'>>): Promise<boolean> {
    const r = await db
      .updateTable('roles')
      .set((eb) => ({ ...patch, version: eb('version', '+', 1) }))
      .where('id', '=', id)
      .where('version', '=', expectedVersion)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  },
  async isGranted(db: Tx, id: string): Promise<boolean> {
    return !!(await db.selectFrom('role_grants').select('id').where('role_id', '=', id).limit(1).executeTakeFirst());
  },
  async delete(db: Tx, id: string): Promise<void> {
    await db.deleteFrom('roles').where('id', '=', id).execute();
  },
};
