import type { Selectable } from 'kysely';
import type { Tx } from '../../../db/database.ts';
import type { CompensationTable, TicketResolutionTable } from '../../../db/schema.ts';
import { inScope } from '../../platform/actor.ts';
import { sql } from 'kysely';

export type ResolutionRow = Selectable<TicketResolutionTable>;
export type CompensationRow = Selectable<CompensationTable>;
export type CompensationView = CompensationRow & {
  ticket_number: string;
  ticket_subject: string;
  customer_name: string | null;
  requested_by_name: string | null;
  unit_path: string;
  org_unit_id: string;
  decided_by_name: string | null;
};

export const resolutionRepository = {
  async insert(db: Tx, row: ResolutionRow, comps: CompensationRow[]): Promise<void> {
    await db.insertInto('ticket_resolutions').values(row).execute();
    if (comps.length) await db.insertInto('compensations').values(comps).execute();
  },

  async hasPending(db: Tx, ticketId: string): Promise<boolean> {
    const r = await db.selectFrom('compensations').select('id').where('ticket_id', '=', ticketId).where('status', '=', 'pending_approval').limit(1).executeTakeFirst();
    return !!r;
  },

  async byId(db: Tx, id: string): Promise<ResolutionRow | undefined> {
    return db.selectFrom('ticket_resolutions').selectAll().where('id', '=', id).executeTakeFirst();
  },

  view(db: Tx) {
    return db
      .selectFrom('compensations as k')
      .innerJoin('tickets as t', 't.id', 'k.ticket_id')
      .innerJoin('org_units as u', 'u.id', 't.org_unit_id')
      .innerJoin('ticket_resolutions as r', 'r.id', 'k.resolution_id')
      .leftJoin('users as d', 'd.id', 'k.decided_by')
      .leftJoin('users as q', 'q.id', 'r.created_by')
      .selectAll('k')
      .select([
        't.number as ticket_number',
        't.subject as ticket_subject',
        't.customer_name as customer_name',
        'q.display_name as requested_by_name',
        'u.path as unit_path',
        't.org_unit_id as org_unit_id',
        'd.display_name as decided_by_name',
      ]);
  },

  async compensationById(db: Tx, id: string): Promise<CompensationView | undefined> {
    return this.view(db).where('k.id', '=', id).executeTakeFirst();
  },

  async ofResolution(db: Tx, resolutionId: string): Promise<CompensationView[]> {
    return this.view(db).where('k.resolution_id', '=', resolutionId).orderBy('k.position').execute();
  },

  /** Compensations over tickets whose unit lies in the paths, oldest first (the approval list). */
  async list(db: Tx, paths: string[], status: string | undefined): Promise<CompensationView[]> {
    let q = this.view(db).where(inScope(sql.ref('u.path'), paths));
    if (status) q = q.where('k.status', '=', status);
    return q.orderBy('k.created_at').orderBy('k.ticket_id').orderBy('k.position').limit(500).execute();
  },

  /** Decides a compensation still pending; false when someone else decided first. */
  async decide(db: Tx, id: string, patch: { status: string; decided_by: string | null; decided_at: string; decision_note: string }): Promise<boolean> {
    const r = await db.updateTable('compensations').set(patch).where('id', '=', id).where('status', '=', 'pending_approval').executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  },

  async rejectPendingOf(db: Tx, resolutionId: string, patch: { decided_by: string | null; decided_at: string; decision_note: string }): Promise<void> {
    await db.updateTable('compensations').set({ ...patch, status: 'rejected' }).where('resolution_id', '=', resolutionId).where('status', '=', 'pending_approval').execute();
  },

  async setStatus(db: Tx, id: string, status: string, at: string): Promise<void> {
    await db.updateTable('ticket_resolutions').set({ status, updated_at: at }).where('id', '=', id).execute();
  },
};
