import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';
import type { TicketQueue, TicketStatus } from '../../../contracts/tickets.ts';
import type { Tx } from '../../../db/database.ts';
import type { Database, OrgUnitTable, TicketCategoryTable, TicketEventTable, TicketMessageTable, TicketTable } from '../../../db/schema.ts';
import { inScope } from '../../platform/actor.ts';
import { newId } from '../../platform/ids.ts';
import type { OrgUnitRow } from '../org/org-unit.repository.ts';
import { likeContains } from '../users/user.repository.ts';
import { openStatuses } from './ticket.state.ts';

export type TicketRow = TicketTable;
export type TicketView = TicketRow & {
  unit_name: string;
  unit_path: string;
  department_name: string | null;
  department_path: string | null;
  assignee_name: string | null;
  category_name: string | null;
  created_by_name: string | null;
};
export type SortColumn = 'created_at' | 'updated_at' | 'priority';

/** What a list or a count filters on; every field comes from an allow-listed query parameter. */
export interface TicketFilter {
  paths: string[];
  queue?: TicketQueue;
  /** The caller and their department, for the mine and department queues. */
  me: string | null;
  myDepartmentId: string | null;
  now: string;
  recentSince: string;
  status?: TicketStatus;
  type?: TicketRow['type'];
  channel?: TicketRow['channel'];
  priority?: number;
  categoryId?: string;
  assigneeId?: string;
  departmentId?: string;
  customerIds?: string[];
  q?: string;
}

type Scoped = ExpressionBuilder<Database & { t: TicketTable } & { u: OrgUnitTable }, 't' | 'u'>;

/**
 * The read scope of work orders: the owning unit lies in one of the subtrees, or a department in
 * one of them was asked to help (a transfer 转派 that is open or answered). The second part is one
 * uncorrelated subquery over the transfers to those departments (index ticket_transfers_department),
 * so the planner builds its id set once instead of probing per row.
 */
export function readableTicket(eb: Scoped, paths: string[]): Expression<SqlBool> {
  const own = inScope(eb.ref('u.path'), paths);
  if (paths.length === 0 || paths.includes('/')) return own;
  const asked = eb
    .selectFrom('ticket_transfers as tt')
    .innerJoin('org_units as td', 'td.id', 'tt.to_department_id')
    .select('tt.ticket_id')
    .where('tt.status', 'in', ['open', 'answered'])
    .where(inScope(sql.ref('td.path'), paths));
  return eb.or([own, eb('t.id', 'in', asked)]);
}

function ticketWhere(eb: Scoped, f: TicketFilter): Expression<SqlBool> {
  const c: Expression<SqlBool>[] = [readableTicket(eb, f.paths)];
  const never = sql<SqlBool>`1 = 0`;
  switch (f.queue) {
    case 'mine':
      c.push(f.me ? eb('t.assignee_id', '=', f.me) : never, eb('t.status', 'in', openStatuses));
      break;
    case 'department':
      c.push(f.myDepartmentId ? eb('t.department_id', '=', f.myDepartmentId) : never, eb('t.status', 'in', openStatuses));
      break;
    case 'unassigned':
      c.push(eb('t.assignee_id', 'is', null), eb('t.status', 'in', openStatuses));
      break;
    case 'overdue':
      // due_at is the deadline of the current phase and is cleared when the order closes.
      c.push(eb('t.due_at', 'is not', null), eb('t.due_at', '<', f.now));
      break;
    case 'awaiting_callback':
      c.push(eb('t.status', '=', 'awaiting_callback'));
      break;
    case 'recent':
      c.push(eb('t.updated_at', '>=', f.recentSince));
      break;
  }
  if (f.status) c.push(eb('t.status', '=', f.status));
  if (f.type) c.push(eb('t.type', '=', f.type));
  if (f.channel) c.push(eb('t.channel', '=', f.channel));
  if (f.priority !== undefined) c.push(eb('t.priority', '=', f.priority));
  if (f.categoryId) c.push(eb('t.category_id', '=', f.categoryId));
  if (f.assigneeId) c.push(eb('t.assignee_id', '=', f.assigneeId));
  if (f.departmentId) c.push(eb('t.department_id', '=', f.departmentId));
  if (f.customerIds) c.push(f.customerIds.length ? eb('t.customer_id', 'in', f.customerIds) : never);
  if (f.q) {
    // lower() on both sides: SQLite's LIKE ignores ASCII case and PostgreSQL's does not.
    const pattern = likeContains(f.q.toLowerCase());
    c.push(
      eb.or(
        (['t.number', 't.subject', 't.customer_name', 't.customer_phone'] as const).map(
          (col) => sql<SqlBool>`lower(${sql.ref(col)}) like ${pattern} escape '\\'`,
        ),
      ),
    );
  }
  return eb.and(c);
}

export const ticketRepository = {
  scoped(db: Tx, f: TicketFilter) {
    return db
      .selectFrom('tickets as t')
      .innerJoin('org_units as u', 'u.id', 't.org_unit_id')
      .where((eb) => ticketWhere(eb, f));
  },

  /** Tickets with the names a reader needs; filtered when a filter is given. */
  view(db: Tx, f?: TicketFilter) {
    let q = db.selectFrom('tickets as t').innerJoin('org_units as u', 'u.id', 't.org_unit_id');
    if (f) q = q.where((eb) => ticketWhere(eb, f));
    return q
      .leftJoin('org_units as d', 'd.id', 't.department_id')
      .leftJoin('users as a', 'a.id', 't.assignee_id')
      .leftJoin('users as cb', 'cb.id', 't.created_by')
      .leftJoin('ticket_categories as c', 'c.id', 't.category_id')
      .selectAll('t')
      .select([
        'u.name as unit_name',
        'u.path as unit_path',
        'd.name as department_name',
        'd.path as department_path',
        'a.display_name as assignee_name',
        'cb.display_name as created_by_name',
        'c.name as category_name',
      ]);
  },

  async byIdInScope(db: Tx, id: string, paths: string[]): Promise<TicketView | undefined> {
    return this.view(db).where('t.id', '=', id).where((eb) => readableTicket(eb, paths)).executeTakeFirst();
  },

  async byId(db: Tx, id: string): Promise<TicketView | undefined> {
    return this.view(db).where('t.id', '=', id).executeTakeFirst();
  },

  /** One page in (sort, id) order; `after` is the (sort value, id) of the previous page's last row. */
  async list(db: Tx, f: TicketFilter, sort: SortColumn, order: 'asc' | 'desc', after: [string | number, string] | undefined, limit: number): Promise<TicketView[]> {
    const col = sql.ref(`t.${sort}`);
    let q = this.view(db, f);
    if (after) q = q.where(sql<SqlBool>`(${col}, t.id) ${sql.raw(order === 'asc' ? '>' : '<')} (${after[0]}, ${after[1]})`);
    return q.orderBy(col, order).orderBy('t.id', order).limit(limit).execute();
  },

  async count(db: Tx, f: TicketFilter): Promise<number> {
    const r = await this.scoped(db, f).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(r.n);
  },

  async insert(db: Tx, row: TicketRow): Promise<void> {
    await db.insertInto('tickets').values(row).execute();
  },

  /**
   * Updates when the version (if given) and the status still match; false means someone else changed
   * it first. Checking the status as well keeps the state machine sound without a version.
   */
  async update(db: Tx, id: string, expect: { version: number | null; status?: TicketStatus; unassigned?: boolean }, patch: Partial<Omit<TicketRow, 'id' | 'version'>>): Promise<boolean> {
    let q = db
      .updateTable('tickets')
      .set((eb) => ({ ...patch, version: eb('version', '+', 1) }))
      .where('id', '=', id);
    if (expect.version !== null) q = q.where('version', '=', expect.version);
    if (expect.status) q = q.where('status', '=', expect.status);
    if (expect.unassigned) q = q.where('assignee_id', 'is', null);
    const r = await q.executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  },

  /**
   * Activity that is not an edit of the order (a message): no version bump, so nobody's open form
   * goes stale, but the row is written first so that the timeline append below is serialised.
   */
  async touch(db: Tx, id: string, now: string, firstResponse: boolean): Promise<void> {
    await db
      .updateTable('tickets')
      .set({ updated_at: now, ...(firstResponse ? { first_response_at: sql<string>`coalesce(first_response_at, ${now})` } : {}) })
      .where('id', '=', id)
      .execute();
  },

  /** The escalation level (升级) is not an edit of the order either: no version bump. */
  async setEscalationLevel(db: Tx, id: string, level: NonNullable<TicketRow['escalation_level']>, now: string): Promise<void> {
    await db.updateTable('tickets').set({ escalation_level: level, updated_at: now }).where('id', '=', id).execute();
  },

  /** The next number of the day for a company: one atomic upsert, safe under concurrent intakes on both engines. */
  async nextSequence(db: Tx, scope: string, day: string): Promise<number> {
    const r = await db
      .insertInto('ticket_counters')
      .values({ scope, day, last: 1 })
      .onConflict((oc) => oc.columns(['scope', 'day']).doUpdateSet({ last: (eb) => eb('ticket_counters.last', '+', 1) }))
      .returning('last')
      .executeTakeFirstOrThrow();
    return Number(r.last);
  },

  /**
   * Appends to the timeline. Callers have written the ticket row earlier in the same transaction,
   * which holds its lock (PostgreSQL) or the database (SQLite), so `max(seq) + 1` cannot race.
   */
  async appendEvents(db: Tx, ticketId: string, at: string, actor: { id: string | null; name: string }, events: { kind: string; data: Record<string, unknown> }[]): Promise<void> {
    if (events.length === 0) return;
    const r = await db.selectFrom('ticket_events').select((eb) => eb.fn.max('seq').as('m')).where('ticket_id', '=', ticketId).executeTakeFirst();
    let seq = Number(r?.m ?? 0);
    await db
      .insertInto('ticket_events')
      .values(events.map((e) => ({ id: newId(), ticket_id: ticketId, seq: ++seq, at, actor_id: actor.id, actor_name: actor.name, kind: e.kind, data: JSON.stringify(e.data) })))
      .execute();
  },

  async events(db: Tx, ticketId: string): Promise<TicketEventTable[]> {
    return db.selectFrom('ticket_events').selectAll().where('ticket_id', '=', ticketId).orderBy('seq').execute();
  },

  async insertMessage(db: Tx, row: TicketMessageTable): Promise<void> {
    await db.insertInto('ticket_messages').values(row).execute();
  },

  async messages(db: Tx, ticketId: string): Promise<TicketMessageTable[]> {
    return db.selectFrom('ticket_messages').selectAll().where('ticket_id', '=', ticketId).execute();
  },

  async categories(db: Tx): Promise<TicketCategoryTable[]> {
    return db.selectFrom('ticket_categories').selectAll().orderBy('sort').orderBy('name').execute();
  },

  async categoryById(db: Tx, id: string): Promise<TicketCategoryTable | undefined> {
    return db.selectFrom('ticket_categories').selectAll().where('id', '=', id).executeTakeFirst();
  },

  async unitsByIds(db: Tx, ids: string[]): Promise<OrgUnitRow[]> {
    if (ids.length === 0) return [];
    return db.selectFrom('org_units').selectAll().where('id', 'in', ids).execute();
  },

  /** Active people holding a role (by key) granted in one of the units. */
  async holdersOfRole(db: Tx, roleKey: string, unitIds: string[]): Promise<{ id: string; username: string; display_name: string }[]> {
    if (unitIds.length === 0) return [];
    return db
      .selectFrom('role_grants as g')
      .innerJoin('roles as r', 'r.id', 'g.role_id')
      .innerJoin('users as p', 'p.id', 'g.user_id')
      .select(['p.id', 'p.username', 'p.display_name'])
      .distinct()
      .where('r.key', '=', roleKey)
      .where('g.org_unit_id', 'in', unitIds)
      .where('p.status', '=', 'active')
      .orderBy('p.username')
      .execute();
  },
};
