import type { Tx } from '../../../db/database.ts';
import type { WorkingCalendarTable } from '../../../db/schema.ts';

export type CalendarRow = WorkingCalendarTable;

export const calendarRepository = {
  async byUnit(db: Tx, unitId: string): Promise<CalendarRow | undefined> {
    return db.selectFrom('working_calendars').selectAll().where('org_unit_id', '=', unitId).executeTakeFirst();
  },

  /** The rows of a unit and its ancestors (ids taken from its materialised path), any order. */
  async alongPath(db: Tx, path: string): Promise<CalendarRow[]> {
    const ids = path.split('/').filter(Boolean);
    if (ids.length === 0) return [];
    return db.selectFrom('working_calendars').selectAll().where('org_unit_id', 'in', ids).execute();
  },

  async insert(db: Tx, row: CalendarRow): Promise<void> {
    await db.insertInto('working_calendars').values(row).execute();
  },

  /** Replaces when the version still matches; false means someone else changed it first. */
  async update(db: Tx, id: string, expectedVersion: number, patch: Partial<Omit<CalendarRow, 'id' | 'org_unit_id' | 'version'>>): Promise<boolean> {
    const r = await db
      .updateTable('working_calendars')
      .set((eb) => ({ ...patch, version: eb('version', '+', 1) }))
      .where('id', '=', id)
      .where('version', '=', expectedVersion)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  },

  async delete(db: Tx, id: string): Promise<void> {
    await db.deleteFrom('working_calendars').where('id', '=', id).execute();
  },
};
