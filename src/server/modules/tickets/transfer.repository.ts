import { sql, type Expression, type SqlBool } from 'kysely';
import type { Tx } from '../../../db/database.ts';
import type { TicketTable, TicketTransferTable } from '../../../db/schema.ts';
import { inScope } from '../../platform/actor.ts';

export type TransferRow = TicketTransferTable;
export type TransferView = TransferRow & {
  ticket_number: string;
  ticket_subject: string;
  ticket_status: TicketTable['status'];
  ticket_org_unit_id: string;
  ticket_unit_path: string;
  from_unit_name: string;
  to_department_name: string;
  to_department_path: string;
  answered_by_name: string | null;
  created_by_name: string | null;
};

/** Who sees a transfer: the asked department's people (ticket:update there) or the readers of its work order's owning unit. */
export interface TransferScope {
  /** ticket:update subtrees: the departments' side. */
  handle: string[];
  /** ticket:read subtrees: the side that keeps the case. Omitted for the inbox (mine=true). */
  read?: string[];
}

export interface TransferFilter {
  scope: TransferScope;
  status?: TransferRow['status'];
  /** Past due and still open (is) or not (!is), at the instant. */
  overdue?: { at: string; is: boolean };
  ticketId?: string;
  after?: [string, string];
  limit: number;
}

export const transferRepository = {
  view(db: Tx) {
    return db
      .selectFrom('ticket_transfers as x')
      .innerJoin('tickets as t', 't.id', 'x.ticket_id')
      .innerJoin('org_units as tu', 'tu.id', 't.org_unit_id')
      .innerJoin('org_units as fu', 'fu.id', 'x.from_unit_id')
      .innerJoin('org_units as td', 'td.id', 'x.to_department_id')
      .leftJoin('users as ab', 'ab.id', 'x.answered_by')
      .leftJoin('users as cb', 'cb.id', 'x.created_by')
      .selectAll('x')
      .select([
        't.number as ticket_number',
        't.subject as ticket_subject',
        't.status as ticket_status',
        't.org_unit_id as ticket_org_unit_id',
        'tu.path as ticket_unit_path',
        'fu.name as from_unit_name',
        'td.name as to_department_name',
        'td.path as to_department_path',
        'ab.display_name as answered_by_name',
        'cb.display_name as created_by_name',
      ]);
  },

  scopeSql(s: TransferScope): Expression<SqlBool> {
    const handle = inScope(sql.ref('td.path'), s.handle);
    return s.read ? sql<SqlBool>`(${handle} or ${inScope(sql.ref('tu.path'), s.read)})` : handle;
  },

  async byIdInScope(db: Tx, id: string, s: TransferScope): Promise<TransferView | undefined> {
    return this.view(db).where('x.id', '=', id).where(this.scopeSql(s)).executeTakeFirst();
  },

  async byIds(db: Tx, ids: string[]): Promise<TransferView[]> {
    if (ids.length === 0) return [];
    return this.view(db).where('x.id', 'in', ids).orderBy('x.created_at').orderBy('x.id').execute();
  },

  /** Due first; `after` is the (due_at, id) of the previous page's last row. */
  async list(db: Tx, f: TransferFilter): Promise<TransferView[]> {
    let q = this.view(db).where(this.scopeSql(f.scope));
    if (f.status) q = q.where('x.status', '=', f.status);
    if (f.overdue) {
      const late = sql<SqlBool>`(x.status = 'open' and x.due_at < ${f.overdue.at})`;
      q = q.where(f.overdue.is ? late : sql<SqlBool>`not ${late}`);
    }
    if (f.ticketId) q = q.where('x.ticket_id', '=', f.ticketId);
    if (f.after) q = q.where(sql<SqlBool>`(x.due_at, x.id) > (${f.after[0]}, ${f.after[1]})`);
    return q.orderBy('x.due_at').orderBy('x.id').limit(f.limit).execute();
  },

  async ofTicket(db: Tx, ticketId: string): Promise<TransferView[]> {
    return this.view(db).where('x.ticket_id', '=', ticketId).orderBy('x.created_at').orderBy('x.id').execute();
  },

  async openDepartments(db: Tx, ticketId: string): Promise<string[]> {
    const rows = await db.selectFrom('ticket_transfers').select('to_department_id').where('ticket_id', '=', ticketId).where('status', '=', 'open').execute();
    return rows.map((r) => r.to_department_id);
  },

  async insertMany(db: Tx, rows: TransferRow[]): Promise<void> {
    if (rows.length > 0) await db.insertInto('ticket_transfers').values(rows).execute();
  },

  /** Closes an open transfer; false when someone else answered or cancelled it first. */
  async finish(db: Tx, id: string, patch: Pick<Partial<TransferRow>, 'status' | 'answer' | 'answered_by' | 'answered_at' | 'cancelled_by' | 'cancelled_at'>): Promise<boolean> {
    const r = await db.updateTable('ticket_transfers').set(patch).where('id', '=', id).where('status', '=', 'open').executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  },

  /** Cancels every open transfer of a work order (it closed); returns their ids. */
  async cancelOpen(db: Tx, ticketId: string, at: string, by: string | null): Promise<string[]> {
    const ids = await this.openIds(db, ticketId);
    if (ids.length > 0) {
      await db.updateTable('ticket_transfers').set({ status: 'cancelled', cancelled_at: at, cancelled_by: by }).where('id', 'in', ids).where('status', '=', 'open').execute();
    }
    return ids;
  },

  async openIds(db: Tx, ticketId: string): Promise<string[]> {
    return (await db.selectFrom('ticket_transfers').select('id').where('ticket_id', '=', ticketId).where('status', '=', 'open').execute()).map((r) => r.id);
  },
};
