import { sql } from 'kysely';
import { liveTicketChanged } from '../../live/live.hub.ts';
import { runCompiled } from '../../../db/compiled.ts';
import type { Tx } from '../../../db/database.ts';
import type { SlaClockTable, SlaPolicyTable } from '../../../db/schema.ts';
import { inScope } from '../../platform/actor.ts';

export type SlaPolicyRow = SlaPolicyTable;
export type SlaPolicyView = SlaPolicyRow & { unit_name: string; unit_path: string };
export type SlaClockRow = SlaClockTable;

export const slaRepository = {
  view(db: Tx) {
    return db.selectFrom('sla_policies as p').innerJoin('org_units as u', 'u.id', 'p.org_unit_id').selectAll('p').select(['u.name as unit_name', 'u.path as unit_path']);
  },

  async list(db: Tx, paths: string[], unitId?: string): Promise<SlaPolicyView[]> {
    let q = this.view(db).where(inScope(sql.ref('u.path'), paths));
    if (unitId) q = q.where('p.org_unit_id', '=', unitId);
    return q.orderBy('u.path').orderBy('p.position').orderBy('p.id').execute();
  },

  async byIdInScope(db: Tx, id: string, paths: string[]): Promise<SlaPolicyView | undefined> {
    return this.view(db).where('p.id', '=', id).where(inScope(sql.ref('u.path'), paths)).executeTakeFirst();
  },

  async byId(db: Tx, id: string): Promise<SlaPolicyView | undefined> {
    return this.view(db).where('p.id', '=', id).executeTakeFirst();
  },

  /** The policies of these units (a company and the units above it), each unit's in its order. */
  async ofUnits(db: Tx, unitIds: string[]): Promise<SlaPolicyView[]> {
    if (unitIds.length === 0) return [];
    // Every intake reads them: compiled once per chain length (src/db/compiled.ts).
    return (await runCompiled(db, `sla.ofUnits:${unitIds.length}`, unitIds, (d) => this.view(d).where('p.org_unit_id', 'in', unitIds).orderBy('p.position').orderBy('p.id'))).rows;
  },

  async countInUnit(db: Tx, unitId: string): Promise<{ n: number; maxPosition: number }> {
    const r = await db
      .selectFrom('sla_policies')
      .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.max('position').as('m')])
      .where('org_unit_id', '=', unitId)
      .executeTakeFirstOrThrow();
    return { n: Number(r.n), maxPosition: Number(r.m ?? 0) };
  },

  async insert(db: Tx, row: SlaPolicyRow): Promise<void> {
    await db.insertInto('sla_policies').values(row).execute();
  },

  async update(db: Tx, id: string, expectedVersion: number, patch: Partial<Omit<SlaPolicyRow, 'id' | 'version'>>): Promise<boolean> {
    const r = await db
      .updateTable('sla_policies')
      .set((eb) => ({ ...patch, version: eb('version', '+', 1) }))
      .where('id', '=', id)
      .where('version', '=', expectedVersion)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  },

  async setPosition(db: Tx, id: string, position: number, at: string): Promise<void> {
    await db.updateTable('sla_policies').set({ position, updated_at: at }).where('id', '=', id).execute();
  },

  async delete(db: Tx, id: string): Promise<void> {
    await db.deleteFrom('sla_policies').where('id', '=', id).execute();
  },

  // ---- clocks ----

  async clocksOf(db: Tx, ticketId: string): Promise<SlaClockRow[]> {
    return db.selectFrom('sla_clocks').selectAll().where('ticket_id', '=', ticketId).orderBy('cycle').orderBy('target').execute();
  },

  /** The clocks still counting or paused (at most one per target: the current cycle's). */
  async liveClocks(db: Tx, ticketId: string): Promise<SlaClockRow[]> {
    return db.selectFrom('sla_clocks').selectAll().where('ticket_id', '=', ticketId).where('state', 'in', ['running', 'paused']).execute();
  },

  async insertClock(db: Tx, row: SlaClockRow): Promise<void> {
    await db.insertInto('sla_clocks').values(row).execute();
  },

  async updateClock(db: Tx, id: string, patch: Partial<Omit<SlaClockRow, 'id' | 'ticket_id'>>): Promise<void> {
    await db.updateTable('sla_clocks').set(patch).where('id', '=', id).execute();
  },

  /** Ids of the clocks whose next stage is due, oldest first: an index range on next_check_at. */
  async dueIds(db: Tx, now: string, limit: number): Promise<string[]> {
    const rows = await db.selectFrom('sla_clocks').select('id').where('next_check_at', '<=', now).orderBy('next_check_at').limit(limit).execute();
    return rows.map((r) => r.id);
  },

  /**
   * One due clock, locked for this transaction: PostgreSQL skips a row another instance holds (it
   * is being handled there); SQLite's BEGIN IMMEDIATE already serialises writers. Null when it is
   * no longer due (handled meanwhile) or locked elsewhere.
   */
  async lockDue(db: Tx, id: string, now: string, postgres: boolean): Promise<SlaClockRow | undefined> {
    let q = db.selectFrom('sla_clocks').selectAll().where('id', '=', id).where('next_check_at', '<=', now);
    if (postgres) q = q.forUpdate().skipLocked();
    return q.executeTakeFirst();
  },

  /** The ticket's current due time (the overdue queue's column). Not an edit of the order: no version. */
  async setTicketDue(db: Tx, ticketId: string, dueAt: string | null): Promise<void> {
    await db.updateTable('tickets').set({ due_at: dueAt }).where('id', '=', ticketId).execute();
    await liveTicketChanged(db, ticketId); // the overdue queue changes: consoles refresh after commit
  },

  async setTicketPolicy(db: Tx, ticketId: string, policyId: string | null): Promise<void> {
    await db.updateTable('tickets').set({ sla_policy_id: policyId }).where('id', '=', ticketId).execute();
  },

  async ticketPolicy(db: Tx, ticketId: string): Promise<{ id: string; sla_policy_id: string | null }> {
    return db.selectFrom('tickets').select(['id', 'sla_policy_id']).where('id', '=', ticketId).executeTakeFirstOrThrow();
  },

  /** An escalation level's change of the order (priority raised, reassigned): an edit, so the version moves. */
  async escalateTicket(db: Tx, ticketId: string, patch: { priority?: number; assignee_id?: string; status?: 'assigned'; updated_at?: string }): Promise<void> {
    await db.updateTable('tickets').set((eb) => ({ ...patch, version: eb('version', '+', 1) })).where('id', '=', ticketId).execute();
  },
};
