import { PostgresAdapter, sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';
import type { TicketQueue, TicketStatus } from '../../../contracts/tickets.ts';
import { insertRow, runCompiled } from '../../../db/compiled.ts';
import type { Tx } from '../../../db/database.ts';
import type { Database, OrgUnitTable, TicketCategoryTable, TicketEventTable, TicketMessageTable, TicketTable } from '../../../db/schema.ts';
import { liveTicketChanged } from '../../live/live.hub.ts';
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
export type SortColumn = 'created_at' | 'updated_at' | 'due_at' | 'priority' | 'number';
/** A keyset position: the sort value of the previous page's last row (null: an empty due_at) and its id. */
export type After = [string | number | null, string];

/** What a list or a count filters on; every field comes from an allow-listed query parameter. */
export interface TicketFilter {
  paths: string[];
  queue?: TicketQueue;
  /** The caller and their department, for the mine and department queues. */
  me: string | null;
  myDepartmentId: string | null;
  now: string;
  recentSince: string;
  status?: TicketStatus | TicketStatus[];
  type?: TicketRow['type'] | TicketRow['type'][];
  channel?: TicketRow['channel'] | TicketRow['channel'][];
  priority?: number | number[];
  severity?: number;
  /** A category with its sub-categories, resolved by the service. */
  categoryIds?: string[];
  categoryId?: string;
  /** Any of these tags (tags are a JSON list on the row: matched as `"tag"` inside it). */
  tags?: string[];
  /** The owning unit's subtree (a materialised path). */
  unitPath?: string;
  assigneeId?: string | null;
  departmentId?: string;
  customerIds?: string[];
  vip?: boolean;
  created?: [string | undefined, string | undefined];
  updated?: [string | undefined, string | undefined];
  due?: [string | undefined, string | undefined];
  overdue?: boolean;
  q?: string;
}

const oneOrMany = <T>(v: T | T[]): T[] => (Array.isArray(v) ? v : [v]);

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
  // Driven from the (few) departments in scope into ticket_transfers_department: as a join, SQLite
  // scanned every transfer instead (bench/RESULTS.md, work orders).
  const asked = eb
    .selectFrom('ticket_transfers as tt')
    .select('tt.ticket_id')
    .where('tt.to_department_id', 'in', eb.selectFrom('org_units as td').select('td.id').where(inScope(sql.ref('td.path'), paths)))
    .where('tt.status', 'in', ['open', 'answered']);
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
  if (f.status) c.push(eb('t.status', 'in', oneOrMany(f.status)));
  if (f.type) c.push(eb('t.type', 'in', oneOrMany(f.type)));
  if (f.channel) c.push(eb('t.channel', 'in', oneOrMany(f.channel)));
  if (f.priority !== undefined) c.push(eb('t.priority', 'in', oneOrMany(f.priority)));
  if (f.severity !== undefined) c.push(eb('t.severity', '=', f.severity));
  if (f.categoryId) c.push(eb('t.category_id', '=', f.categoryId));
  if (f.categoryIds) c.push(f.categoryIds.length ? eb('t.category_id', 'in', f.categoryIds) : never);
  if (f.tags?.length) {
    // JSON.stringify gives the exact text the list holds for the tag, quotes included.
    c.push(eb.or(f.tags.map((tag) => sql<SqlBool>`lower(t.tags) like ${likeContains(JSON.stringify(tag).toLowerCase())} escape '\\'`)));
  }
  if (f.unitPath) c.push(inScope(eb.ref('u.path'), [f.unitPath]));
  if (f.assigneeId === null) c.push(eb('t.assignee_id', 'is', null));
  else if (f.assigneeId) c.push(eb('t.assignee_id', '=', f.assigneeId));
  if (f.vip !== undefined) {
    const vips = eb.selectFrom('customers as vc').select('vc.id').where('vc.vip', '=', 1);
    c.push(f.vip ? eb('t.customer_id', 'in', vips) : eb.or([eb('t.customer_id', 'is', null), eb('t.customer_id', 'not in', vips)]));
  }
  for (const [col, range] of [['t.created_at', f.created], ['t.updated_at', f.updated], ['t.due_at', f.due]] as const) {
    if (range?.[0]) c.push(eb(col, '>=', range[0]));
    if (range?.[1]) c.push(eb(col, '<', range[1]));
  }
  if (f.overdue === true) c.push(eb('t.due_at', 'is not', null), eb('t.due_at', '<', f.now));
  if (f.overdue === false) c.push(eb.or([eb('t.due_at', 'is', null), eb('t.due_at', '>=', f.now)]));
  if (f.departmentId) c.push(eb('t.department_id', '=', f.departmentId));
  if (f.customerIds) c.push(f.customerIds.length ? eb('t.customer_id', 'in', f.customerIds) : never);
  if (f.q && /^[A-Za-z][A-Za-z0-9_-]*-\d{6,}(-\d*)?$/.test(f.q)) {
    // The start of a work-order number (A-202611…, A-20261125-0001): a range on the unique number index
    // (the LIKE rechecks it); the contains-search below reads every order in scope (bench/README.md, work orders).
    const prefix = f.q.toUpperCase();
    c.push(eb('t.number', '>=', prefix), eb('t.number', '<', `${prefix}\u{10FFFF}`), sql<SqlBool>`t.number like ${`${prefix.replace(/_/g, '\\_')}%`} escape '\\'`);
  } else if (f.q) {
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

  /**
   * One page in (sort, id) order; `after` is the (sort value, id) of the previous page's last row.
   * due_at may be empty: those rows come last in both orders (`due_at is null` sorts first), and a
   * cursor inside that tail carries null.
   */
  async list(db: Tx, f: TicketFilter, sort: SortColumn, order: 'asc' | 'desc', after: After | undefined, limit: number): Promise<TicketView[]> {
    const col = sql.ref(`t.${sort}`);
    const cmp = sql.raw(order === 'asc' ? '>' : '<');
    let q = this.view(db, f);
    if (sort === 'due_at') {
      if (after && after[0] === null) q = q.where((eb) => eb.and([eb('t.due_at', 'is', null), sql<SqlBool>`t.id ${cmp} ${after[1]}`]));
      else if (after) q = q.where((eb) => eb.or([eb('t.due_at', 'is', null), sql<SqlBool>`(t.due_at is not null and (t.due_at, t.id) ${cmp} (${after[0]}, ${after[1]}))`]));
      q = q.orderBy(sql`(case when t.due_at is null then 1 else 0 end)`);
    } else if (after) {
      q = q.where(sql<SqlBool>`(${col}, t.id) ${cmp} (${after[0]}, ${after[1]})`);
    }
    return q.orderBy(col, order).orderBy('t.id', order).limit(limit).execute();
  },

  /**
   * Each customer's newest `perCustomer` work orders (created_at, id descending) under the filter, in one
   * statement, each customer's read bounded (tickets_customer backwards, as a list page): on PostgreSQL a
   * lateral join over the ids, planned once; on SQLite (no LATERAL) a union of one subquery per customer.
   * Ordered by customer, then newest first.
   */
  async latestOfCustomers(db: Tx, f: TicketFilter, customerIds: string[], perCustomer: number): Promise<TicketView[]> {
    if (customerIds.length === 0) return [];
    const newest = (q: ReturnType<typeof this.scoped>) => q.select('t.id').orderBy('t.created_at', 'desc').orderBy('t.id', 'desc').limit(perCustomer);
    let ids: Expression<SqlBool>;
    if (db.getExecutor().adapter instanceof PostgresAdapter) {
      const each = newest(this.scoped(db, f).where(sql<SqlBool>`t.customer_id = k.customer_id`));
      ids = sql<SqlBool>`t.id in (select x.id from unnest(cast(${customerIds} as text[])) as k(customer_id) cross join lateral ${each.as('x')})`;
    } else {
      const tops = customerIds.map((id, k) => db.selectFrom(newest(this.scoped(db, { ...f, customerIds: [id] })).as(`k${k}`)).select(`k${k}.id`));
      ids = sql<SqlBool>`t.id in (${tops.slice(1).reduce((u, q) => u.unionAll(q), tops[0])})`;
    }
    return this.view(db).where(ids).orderBy('t.customer_id').orderBy('t.created_at', 'desc').orderBy('t.id', 'desc').execute();
  },

  async count(db: Tx, f: TicketFilter): Promise<number> {
    const r = await this.scoped(db, f).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(r.n);
  },

  // Every write of a work order goes through insert/update/touch/setEscalationLevel below, and each
  // marks the order changed for live events (heard by consoles after the transaction commits).
  /** `mark: false` when the caller marked the order changed earlier in the transaction (`markChanged`). */
  async insert(db: Tx, row: TicketRow, mark = true): Promise<void> {
    // Compiled once (src/db/compiled.ts): the intake's widest statement.
    await insertRow(db, 'tickets', row as unknown as Record<string, unknown>);
    if (mark) await liveTicketChanged(db, row.id);
  },

  /** Marks an order changed for live consoles (heard after commit). */
  async markChanged(db: Tx, id: string): Promise<void> {
    await liveTicketChanged(db, id);
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
    const done = Number(r.numUpdatedRows) === 1;
    if (done) await liveTicketChanged(db, id);
    return done;
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
    await liveTicketChanged(db, id);
  },

  /** The escalation level (升级) is not an edit of the order either: no version bump. */
  async setEscalationLevel(db: Tx, id: string, level: NonNullable<TicketRow['escalation_level']>, now: string): Promise<void> {
    await db.updateTable('tickets').set({ escalation_level: level, updated_at: now }).where('id', '=', id).execute();
    await liveTicketChanged(db, id);
  },

  /** The next number of the day for a company: one atomic upsert, safe under concurrent intakes on both engines. */
  async nextSequence(db: Tx, scope: string, day: string): Promise<number> {
    const r = await runCompiled(db, 'tickets.nextSequence', [scope, day, 1, 1], (d) =>
      d
        .insertInto('ticket_counters')
        .values({ scope, day, last: 1 })
        .onConflict((oc) => oc.columns(['scope', 'day']).doUpdateSet({ last: (eb) => eb('ticket_counters.last', '+', 1) }))
        .returning('last'),
    );
    return Number(r.rows[0]!.last);
  },

  /**
   * Appends to the timeline. Callers have written the ticket row earlier in the same transaction,
   * which holds its lock (PostgreSQL) or the database (SQLite), so `max(seq) + 1` cannot race.
   */
  async appendEvents(
    db: Tx,
    ticketId: string,
    at: string,
    actor: { id: string | null; name: string },
    events: { kind: string; data: Record<string, unknown> }[],
    /** The timeline's last seq when the caller knows it (0: a work order inserted in this transaction, no events yet). */
    lastSeq?: number,
  ): Promise<void> {
    if (events.length === 0) return;
    let seq =
      lastSeq ?? Number((await db.selectFrom('ticket_events').select((eb) => eb.fn.max('seq').as('m')).where('ticket_id', '=', ticketId).executeTakeFirst())?.m ?? 0);
    const rows = events.map((e) => ({ id: newId(), ticket_id: ticketId, seq: ++seq, at, actor_id: actor.id, actor_name: actor.name, kind: e.kind, data: JSON.stringify(e.data) }));
    // Compiled once per row count (src/db/compiled.ts); the parameters are the rows' values, row by row.
    await runCompiled(
      db,
      `tickets.appendEvents:${rows.length}`,
      rows.flatMap((r) => [r.id, r.ticket_id, r.seq, r.at, r.actor_id, r.actor_name, r.kind, r.data]),
      (d) => d.insertInto('ticket_events').values(rows),
    );
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
    // The intake's unit chain: compiled once per length (src/db/compiled.ts).
    return (await runCompiled(db, `tickets.unitsByIds:${ids.length}`, ids, (d) => d.selectFrom('org_units').selectAll().where('id', 'in', ids))).rows;
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
