import { sql, type Selectable, type SqlBool } from 'kysely';
import type { Tx } from '../../../db/database.ts';
import type { CapaTable } from '../../../db/schema.ts';
import { inScope } from '../../platform/actor.ts';

export type CapaRow = Selectable<CapaTable>;
export type CapaView = CapaRow & { unit_path: string; unit_name: string; owner_name: string; verified_by_name: string | null };
export interface CapaFilter {
  paths: string[];
  status?: string;
  overdueBefore?: string;
  notOverdueFrom?: string;
}

export const capaRepository = {
  view(db: Tx) {
    return db
      .selectFrom('capas as k')
      .innerJoin('org_units as u', 'u.id', 'k.org_unit_id')
      .innerJoin('users as o', 'o.id', 'k.owner_id')
      .leftJoin('users as v', 'v.id', 'k.verified_by')
      .selectAll('k')
      .select(['u.path as unit_path', 'u.name as unit_name', 'o.display_name as owner_name', 'v.display_name as verified_by_name']);
  },

  async byIdInScope(db: Tx, id: string, paths: string[]): Promise<CapaView | undefined> {
    return this.view(db).where('k.id', '=', id).where(inScope(sql.ref('u.path'), paths)).executeTakeFirst();
  },

  /** One page in (due_date, id) order; `after` is the previous page's last (due_date, id). */
  async list(db: Tx, f: CapaFilter, after: [string, string] | undefined, limit: number): Promise<CapaView[]> {
    let q = this.view(db).where(inScope(sql.ref('u.path'), f.paths));
    if (f.status) q = q.where('k.status', '=', f.status);
    if (f.overdueBefore) q = q.where('k.status', '=', 'open').where('k.due_date', '<', f.overdueBefore);
    if (f.notOverdueFrom) q = q.where((eb) => eb.or([eb('k.status', '!=', 'open'), eb('k.due_date', '>=', f.notOverdueFrom!)]));
    if (after) q = q.where(sql<SqlBool>`(k.due_date, k.id) > (${after[0]}, ${after[1]})`);
    return q.orderBy('k.due_date').orderBy('k.id').limit(limit).execute();
  },

  async insert(db: Tx, row: CapaRow): Promise<void> {
    await db.insertInto('capas').values(row).execute();
  },

  async update(db: Tx, id: string, version: number, patch: Partial<Omit<CapaRow, 'id' | 'version'>>): Promise<boolean> {
    const r = await db
      .updateTable('capas')
      .set((eb) => ({ ...patch, version: eb('version', '+', 1) }))
      .where('id', '=', id)
      .where('version', '=', version)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  },

  /** The linked work orders the reader may see. */
  async tickets(db: Tx, capaId: string, paths: string[]): Promise<{ id: string; number: string; subject: string }[]> {
    return db
      .selectFrom('capa_tickets as l')
      .innerJoin('tickets as t', 't.id', 'l.ticket_id')
      .innerJoin('org_units as u', 'u.id', 't.org_unit_id')
      .select(['t.id', 't.number', 't.subject'])
      .where('l.capa_id', '=', capaId)
      .where(inScope(sql.ref('u.path'), paths))
      .orderBy('t.number')
      .execute();
  },

  async linked(db: Tx, capaId: string, ticketIds: string[]): Promise<Set<string>> {
    if (ticketIds.length === 0) return new Set();
    const rows = await db.selectFrom('capa_tickets').select('ticket_id').where('capa_id', '=', capaId).where('ticket_id', 'in', ticketIds).execute();
    return new Set(rows.map((r) => r.ticket_id));
  },

  async link(db: Tx, capaId: string, ticketIds: string[], at: string): Promise<void> {
    if (ticketIds.length) await db.insertInto('capa_tickets').values(ticketIds.map((ticket_id) => ({ capa_id: capaId, ticket_id, created_at: at }))).execute();
  },

  async unlink(db: Tx, capaId: string, ticketId: string): Promise<boolean> {
    const r = await db.deleteFrom('capa_tickets').where('capa_id', '=', capaId).where('ticket_id', '=', ticketId).executeTakeFirst();
    return Number(r.numDeletedRows) === 1;
  },
};
