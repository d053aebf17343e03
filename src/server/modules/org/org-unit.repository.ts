import { sql } from 'kysely';
import type { Tx } from '../../../db/database.ts';
import type { OrgUnitTable } from '../../../db/schema.ts';
import { inScope } from '../../platform/actor.ts';

export type OrgUnitRow = OrgUnitTable;

export const orgUnitRepository = {
  async byId(db: Tx, id: string): Promise<OrgUnitRow | undefined> {
    return db.selectFrom('org_units').selectAll().where('id', '=', id).executeTakeFirst();
  },

  async byIdInScope(db: Tx, id: string, paths: string[]): Promise<OrgUnitRow | undefined> {
    return db.selectFrom('org_units').selectAll().where('id', '=', id).where(inScope(sql.ref('path'), paths)).executeTakeFirst();
  },

  async listInScope(db: Tx, paths: string[]): Promise<OrgUnitRow[]> {
    return db.selectFrom('org_units').selectAll().where(inScope(sql.ref('path'), paths)).orderBy('path').execute();
  },

  async byCode(db: Tx, code: string): Promise<OrgUnitRow | undefined> {
    return db.selectFrom('org_units').selectAll().where('code', '=', code).executeTakeFirst();
  },

  async countRoots(db: Tx): Promise<number> {
    const r = await db.selectFrom('org_units').select((eb) => eb.fn.countAll<number>().as('n')).where('parent_id', 'is', null).executeTakeFirstOrThrow();
    return Number(r.n);
  },

  async insert(db: Tx, row: OrgUnitRow): Promise<void> {
    await db.insertInto('org_units').values(row).execute();
  },

  /** Updates when the version still matches; false means someone else changed it first. */
  async update(db: Tx, id: string, expectedVersion: number, patch: Partial<Omit<OrgUnitRow, 'id' | 'version'>>): Promise<boolean> {
    const r = await db
      .updateTable('org_units')
      .set((eb) => ({ ...patch, version: eb('version', '+', 1) }))
      .where('id', '=', id)
      .where('version', '=', expectedVersion)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  },

  /** Moves a whole subtree: every path under `oldPrefix` gets `newPrefix` instead. */
  async rewriteSubtreePaths(db: Tx, oldPrefix: string, newPrefix: string): Promise<void> {
    await db
      .updateTable('org_units')
      .set({ path: sql<string>`${newPrefix} || substr(path, ${oldPrefix.length + 1})` })
      .where('path', 'like', `${oldPrefix}%`)
      .where('path', '!=', oldPrefix)
      .execute();
  },

  async hasChildrenOrMembers(db: Tx, id: string): Promise<boolean> {
    const child = await db.selectFrom('org_units').select('id').where('parent_id', '=', id).limit(1).executeTakeFirst();
    if (child) return true;
    const member = await db.selectFrom('users').select('id').where('org_unit_id', '=', id).limit(1).executeTakeFirst();
    if (member) return true;
    const grant = await db.selectFrom('role_grants').select('id').where('org_unit_id', '=', id).limit(1).executeTakeFirst();
    return !!grant;
  },

  async delete(db: Tx, id: string): Promise<void> {
    await db.deleteFrom('org_units').where('id', '=', id).execute();
  },
};
