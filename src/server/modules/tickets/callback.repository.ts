import { sql, type SqlBool } from 'kysely';
import type { Tx } from '../../../db/database.ts';
import type { CallbackTable, TicketTable } from '../../../db/schema.ts';
import { inScope } from '../../platform/actor.ts';

export type CallbackRow = CallbackTable;
export type CallbackView = CallbackRow & {
  ticket_number: string;
  ticket_subject: string;
  ticket_type: TicketTable['type'];
  customer_name: string | null;
  customer_phone: string | null;
  org_unit_id: string;
  unit_path: string;
  assignee_name: string | null;
};

export const callbackRepository = {
  /** Callbacks are scoped through their work order's owning unit. */
  view(db: Tx) {
    return db
      .selectFrom('callbacks as cb')
      .innerJoin('tickets as t', 't.id', 'cb.ticket_id')
      .innerJoin('org_units as u', 'u.id', 't.org_unit_id')
      .leftJoin('users as a', 'a.id', 't.assignee_id')
      .selectAll('cb')
      .select([
        't.number as ticket_number',
        't.subject as ticket_subject',
        't.type as ticket_type',
        't.customer_name',
        't.customer_phone',
        't.org_unit_id',
        'u.path as unit_path',
        'a.display_name as assignee_name',
      ]);
  },

  async byIdInScope(db: Tx, id: string, paths: string[]): Promise<CallbackView | undefined> {
    return this.view(db).where('cb.id', '=', id).where(inScope(sql.ref('u.path'), paths)).executeTakeFirst();
  },

  /** Due first; `after` is the (due_at, id) of the previous page's last row. */
  async list(db: Tx, f: { paths: string[]; status: CallbackRow['status']; dueBefore?: string; after?: [string, string]; limit: number }): Promise<CallbackView[]> {
    let q = this.view(db).where(inScope(sql.ref('u.path'), f.paths)).where('cb.status', '=', f.status);
    if (f.dueBefore) q = q.where('cb.due_at', '<', f.dueBefore);
    if (f.after) q = q.where(sql<SqlBool>`(cb.due_at, cb.id) > (${f.after[0]}, ${f.after[1]})`);
    return q.orderBy('cb.due_at').orderBy('cb.id').limit(f.limit).execute();
  },

  async insert(db: Tx, row: CallbackRow): Promise<void> {
    await db.insertInto('callbacks').values(row).execute();
  },

  /** Updates a callback that is still pending after exactly `attempts` tries; false when someone else got there first. */
  async updatePending(db: Tx, id: string, attempts: number, patch: Partial<Omit<CallbackRow, 'id' | 'version'>>): Promise<boolean> {
    const r = await db
      .updateTable('callbacks')
      .set((eb) => ({ ...patch, version: eb('version', '+', 1) }))
      .where('id', '=', id)
      .where('status', '=', 'pending')
      .where('attempts', '=', attempts)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  },

  /** Cancels the pending callbacks of a work order (it was reopened or closed by hand); returns their ids. */
  async cancelPending(db: Tx, ticketId: string, at: string): Promise<string[]> {
    const ids = (await db.selectFrom('callbacks').select('id').where('ticket_id', '=', ticketId).where('status', '=', 'pending').execute()).map((r) => r.id);
    if (ids.length > 0) {
      await db
        .updateTable('callbacks')
        .set((eb) => ({ status: 'cancelled' as const, updated_at: at, version: eb('version', '+', 1) }))
        .where('id', 'in', ids)
        .execute();
    }
    return ids;
  },
};
