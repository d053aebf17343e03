import { sql } from 'kysely';
import { runCompiled } from '../../../db/compiled.ts';
import type { Tx } from '../../../db/database.ts';
import type { TicketFieldDefinitionTable } from '../../../db/schema.ts';
import { inScope } from '../../platform/actor.ts';

export type FieldDefinitionRow = TicketFieldDefinitionTable;
export type FieldDefinitionView = FieldDefinitionRow & { unit_name: string; unit_path: string };

/** Custom field definitions 自定义字段 (0009); the only SQL about them. */
export const ticketFieldRepository = {
  view(db: Tx) {
    return db
      .selectFrom('ticket_field_definitions as f')
      .innerJoin('org_units as u', 'u.id', 'f.org_unit_id')
      .selectAll('f')
      .select(['u.name as unit_name', 'u.path as unit_path']);
  },

  /** Definitions of units in the scope, by unit, type and position. */
  async list(db: Tx, paths: string[], f: { unitId?: string; type?: FieldDefinitionRow['ticket_type'] }): Promise<FieldDefinitionView[]> {
    let q = this.view(db).where(inScope(sql.ref('u.path'), paths));
    if (f.unitId) q = q.where('f.org_unit_id', '=', f.unitId);
    if (f.type) q = q.where('f.ticket_type', '=', f.type);
    return q.orderBy('u.path').orderBy('f.ticket_type').orderBy('f.position').orderBy('f.id').execute();
  },

  async byIdInScope(db: Tx, id: string, paths: string[]): Promise<FieldDefinitionView | undefined> {
    return this.view(db).where('f.id', '=', id).where(inScope(sql.ref('u.path'), paths)).executeTakeFirst();
  },

  /** What applies to a work order of `type` owned below these units (its chain), enabled or not. */
  async ofUnits(db: Tx, unitIds: string[], type: FieldDefinitionRow['ticket_type']): Promise<FieldDefinitionView[]> {
    if (unitIds.length === 0) return [];
    // Every intake reads them: compiled once per chain length (src/db/compiled.ts).
    const r = await runCompiled(db, `fields.ofUnits:${unitIds.length}`, [...unitIds, type], (d) =>
      this.view(d).where('f.org_unit_id', 'in', unitIds).where('f.ticket_type', '=', type).orderBy('f.position').orderBy('f.id'),
    );
    return r.rows;
  },

  async byKey(db: Tx, unitId: string, type: FieldDefinitionRow['ticket_type'], key: string): Promise<FieldDefinitionRow | undefined> {
    return db.selectFrom('ticket_field_definitions').selectAll().where('org_unit_id', '=', unitId).where('ticket_type', '=', type).where('key', '=', key).executeTakeFirst();
  },

  async countInUnit(db: Tx, unitId: string, type: FieldDefinitionRow['ticket_type']): Promise<{ n: number; maxPosition: number }> {
    const r = await db
      .selectFrom('ticket_field_definitions')
      .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.max('position').as('m')])
      .where('org_unit_id', '=', unitId)
      .where('ticket_type', '=', type)
      .executeTakeFirstOrThrow();
    return { n: Number(r.n), maxPosition: Number(r.m ?? 0) };
  },

  /**
   * Whether a work order of the type, owned in the unit's subtree, stores a value under the key.
   * Keys are a-z0-9_, so the JSON text holds `"key":` literally; `_` is escaped for LIKE.
   * For the form 'customer': whether a customer file of the subtree does.
   */
  async keyUsed(db: Tx, unitPath: string, type: FieldDefinitionRow['ticket_type'], key: string): Promise<boolean> {
    const pattern = `%"${key.replace(/_/g, '\\_')}":%`;
    if (type === 'customer') {
      const c = await db
        .selectFrom('customers as c')
        .innerJoin('org_units as u', 'u.id', 'c.org_unit_id')
        .select('c.id')
        .where(sql.ref('u.path'), 'like', `${unitPath}%`)
        .where(sql<boolean>`c.custom_fields like ${pattern} escape '\\'`)
        .limit(1)
        .executeTakeFirst();
      return !!c;
    }
    const r = await db
      .selectFrom('tickets as t')
      .innerJoin('org_units as u', 'u.id', 't.org_unit_id')
      .select('t.id')
      .where('t.type', '=', type)
      .where(sql.ref('u.path'), 'like', `${unitPath}%`)
      .where(sql<boolean>`t.custom_fields like ${pattern} escape '\\'`)
      .limit(1)
      .executeTakeFirst();
    return !!r;
  },

  async insert(db: Tx, row: FieldDefinitionRow): Promise<void> {
    await db.insertInto('ticket_field_definitions').values(row).execute();
  },

  async update(db: Tx, id: string, expectedVersion: number, patch: Partial<Omit<FieldDefinitionRow, 'id' | 'version'>>): Promise<boolean> {
    const r = await db
      .updateTable('ticket_field_definitions')
      .set((eb) => ({ ...patch, version: eb('version', '+', 1) }))
      .where('id', '=', id)
      .where('version', '=', expectedVersion)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  },

  async delete(db: Tx, id: string): Promise<void> {
    await db.deleteFrom('ticket_field_definitions').where('id', '=', id).execute();
  },

  /** The order is not part of a definition's edit form: versions stay. */
  async setPosition(db: Tx, id: string, position: number, at: string): Promise<void> {
    await db.updateTable('ticket_field_definitions').set({ position, updated_at: at }).where('id', '=', id).execute();
  },
};
