import { sql } from 'kysely';
import { runCompiled } from '../../../db/compiled.ts';
import type { Tx } from '../../../db/database.ts';
import type { RoutingRuleTable } from '../../../db/schema.ts';
import { inScope } from '../../platform/actor.ts';
import { openStatuses } from './ticket.state.ts';

export type RoutingRuleRow = RoutingRuleTable;
export type RoutingRuleView = RoutingRuleRow & { unit_name: string; unit_path: string };

export const routingRepository = {
  view(db: Tx) {
    return db.selectFrom('routing_rules as r').innerJoin('org_units as u', 'u.id', 'r.org_unit_id').selectAll('r').select(['u.name as unit_name', 'u.path as unit_path']);
  },

  /** Rules of units in the scope, by unit then position. */
  async list(db: Tx, paths: string[], unitId?: string): Promise<RoutingRuleView[]> {
    let q = this.view(db).where(inScope(sql.ref('u.path'), paths));
    if (unitId) q = q.where('r.org_unit_id', '=', unitId);
    return q.orderBy('u.path').orderBy('r.position').orderBy('r.id').execute();
  },

  async byIdInScope(db: Tx, id: string, paths: string[]): Promise<RoutingRuleView | undefined> {
    return this.view(db).where('r.id', '=', id).where(inScope(sql.ref('u.path'), paths)).executeTakeFirst();
  },

  async byId(db: Tx, id: string): Promise<RoutingRuleRow | undefined> {
    return db.selectFrom('routing_rules').selectAll().where('id', '=', id).executeTakeFirst();
  },

  /** The rules that apply to work orders of these units (a company and its ancestors), every one, in each unit's order. */
  async ofUnits(db: Tx, unitIds: string[]): Promise<RoutingRuleView[]> {
    if (unitIds.length === 0) return [];
    // Every intake reads them: compiled once per chain length (src/db/compiled.ts).
    return (await runCompiled(db, `routing.ofUnits:${unitIds.length}`, unitIds, (d) => this.view(d).where('r.org_unit_id', 'in', unitIds).orderBy('r.position').orderBy('r.id'))).rows;
  },

  async countInUnit(db: Tx, unitId: string): Promise<{ n: number; maxPosition: number }> {
    const r = await db
      .selectFrom('routing_rules')
      .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.max('position').as('m')])
      .where('org_unit_id', '=', unitId)
      .executeTakeFirstOrThrow();
    return { n: Number(r.n), maxPosition: Number(r.m ?? 0) };
  },

  async insert(db: Tx, row: RoutingRuleRow): Promise<void> {
    await db.insertInto('routing_rules').values(row).execute();
  },

  async update(db: Tx, id: string, expectedVersion: number, patch: Partial<Omit<RoutingRuleRow, 'id' | 'version'>>): Promise<boolean> {
    const r = await db
      .updateTable('routing_rules')
      .set((eb) => ({ ...patch, version: eb('version', '+', 1) }))
      .where('id', '=', id)
      .where('version', '=', expectedVersion)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  },

  /** The order within a unit is not part of a rule's edit form: the versions stay. */
  async setPosition(db: Tx, id: string, position: number, at: string): Promise<void> {
    await db.updateTable('routing_rules').set({ position, updated_at: at }).where('id', '=', id).execute();
  },

  async delete(db: Tx, id: string): Promise<void> {
    await db.deleteFrom('routing_rules').where('id', '=', id).execute();
  },

  /**
   * Reads the round-robin state under a write lock: a no-op update first, so that a concurrent
   * intake routed by the same rule waits for this transaction (PostgreSQL: the row lock; its
   * re-read sees the committed turn) — SQLite transactions are serial anyway.
   */
  async lockTurn(db: Tx, ruleId: string): Promise<{ last_user_id: string | null; last_username: string | null }> {
    const r = await db
      .updateTable('routing_rules')
      .set((eb) => ({ rr_last_user_id: eb.ref('rr_last_user_id') }))
      .where('id', '=', ruleId)
      .returning('rr_last_user_id')
      .executeTakeFirst();
    const last = r?.rr_last_user_id ?? null;
    const u = last ? await db.selectFrom('users').select('username').where('id', '=', last).executeTakeFirst() : undefined;
    return { last_user_id: last, last_username: u?.username ?? null };
  },

  async setTurn(db: Tx, ruleId: string, userId: string): Promise<void> {
    await db.updateTable('routing_rules').set({ rr_last_user_id: userId }).where('id', '=', ruleId).execute();
  },

  /** Active people with a grant in the unit's subtree (the team or department a rule names), by username. */
  async peopleGrantedUnder(db: Tx, unitPath: string): Promise<{ id: string; username: string; display_name: string }[]> {
    return db
      .selectFrom('users as p')
      .innerJoin('role_grants as g', 'g.user_id', 'p.id')
      .innerJoin('org_units as u', 'u.id', 'g.org_unit_id')
      .select(['p.id', 'p.username', 'p.display_name'])
      .distinct()
      .where('p.status', '=', 'active')
      .where('u.path', 'like', `${unitPath}%`)
      .orderBy('p.username')
      .execute();
  },

  /** Open work orders per person (the "mine" queue's statuses). */
  async openCounts(db: Tx, userIds: string[]): Promise<Map<string, number>> {
    if (userIds.length === 0) return new Map();
    const rows = await db
      .selectFrom('tickets')
      .select((eb) => ['assignee_id', eb.fn.countAll<number>().as('n')])
      .where('assignee_id', 'in', userIds)
      .where('status', 'in', openStatuses)
      .groupBy('assignee_id')
      .execute();
    return new Map(rows.map((r) => [r.assignee_id!, Number(r.n)]));
  },
};
