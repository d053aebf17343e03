import { sql, type SelectQueryBuilder, type SqlBool } from 'kysely';
import type { Tx } from '../../../db/database.ts';
import { readableTicket } from '../tickets/ticket.repository.ts';

/** A keyset position: the (at, key) of the previous page's last item; every source reads strictly before it. */
export type Before = [string, string] | undefined;

const before = (at: string, key: string, b: Before) => (b ? sql<SqlBool>`(${sql.ref(at)}, ${sql.ref(key)}) < (${b[0]}, ${b[1]})` : sql<SqlBool>`1 = 1`);
/** One page of a source: strictly before the position, newest first, at most `limit` rows. */
const newestBefore =
  (at: string, key: string, b: Before, limit: number) =>
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any select over any tables: only the named columns are used
  <QB extends SelectQueryBuilder<any, any, any>>(qb: QB): QB =>
    qb.where(before(at, key, b)).orderBy(sql.ref(at), 'desc').orderBy(sql.ref(key), 'desc').limit(limit) as QB;
type ScopeArg = Parameters<typeof readableTicket>[0];

/**
 * The sources of a customer's timeline 时间线: one query each, newest first, at most `limit` rows, all
 * keyed by (at, key) so the service merges them into one keyset page. Work orders and their callbacks
 * only within the caller's work-order read scope (`paths`).
 */
export const timelineRepository = {
  /** Registration and status changes of the customer's work orders. */
  async ticketEvents(db: Tx, customerId: string, paths: string[], b: Before, limit: number) {
    return db
      .selectFrom('ticket_events as e')
      .innerJoin('tickets as t', 't.id', 'e.ticket_id')
      .innerJoin('org_units as u', 'u.id', 't.org_unit_id')
      .select(['e.id as key', 'e.at', 'e.kind', 'e.data', 'e.actor_name', 't.id as ticket_id', 't.number', 't.subject'])
      .where('t.customer_id', '=', customerId)
      .where('e.kind', 'in', ['created', 'status'])
      .where((eb) => readableTicket(eb as unknown as ScopeArg, paths))
      .$call(newestBefore('e.at', 'e.id', b, limit))
      .execute();
  },

  /** Callbacks 回访 performed (done or unreachable) on the customer's work orders. */
  async callbacks(db: Tx, customerId: string, paths: string[], b: Before, limit: number) {
    return db
      .selectFrom('callbacks as cb')
      .innerJoin('tickets as t', 't.id', 'cb.ticket_id')
      .innerJoin('org_units as u', 'u.id', 't.org_unit_id')
      .leftJoin('users as p', 'p.id', 'cb.performed_by')
      .select(['cb.id as key', 'cb.performed_at as at', 'cb.status', 'cb.outcome', 'p.display_name as actor_name', 't.id as ticket_id', 't.number', 't.subject'])
      .where('t.customer_id', '=', customerId)
      .where('cb.status', 'in', ['done', 'unreachable'])
      .where('cb.performed_at', 'is not', null)
      .where((eb) => readableTicket(eb as unknown as ScopeArg, paths))
      .$call(newestBefore('cb.performed_at', 'cb.id', b, limit))
      .execute();
  },

  /** Care tasks 关怀任务 as generated. */
  async careGenerated(db: Tx, customerId: string, b: Before, limit: number) {
    return db
      .selectFrom('care_tasks as c')
      .select(['c.id as key', 'c.created_at as at', 'c.occasion', 'c.occasion_date', 'c.channel', 'c.message'])
      .where('c.customer_id', '=', customerId)
      .$call(newestBefore('c.created_at', 'c.id', b, limit))
      .execute();
  },

  /** Care tasks done (sent or skipped); keyed `<id>:done` apart from their generation. */
  async careDone(db: Tx, customerId: string, b: Before, limit: number) {
    const key = sql<string>`c.id || ':done'`;
    return db
      .selectFrom('care_tasks as c')
      .leftJoin('users as p', 'p.id', 'c.done_by')
      .select([key.as('key'), 'c.done_at as at', 'c.status', 'c.occasion', 'c.channel', 'c.message', 'p.display_name as actor_name'])
      .where('c.customer_id', '=', customerId)
      .where('c.done_at', 'is not', null)
      .where(b ? sql<SqlBool>`(c.done_at, ${key}) < (${b[0]}, ${b[1]})` : sql<SqlBool>`1 = 1`)
      .orderBy('c.done_at', 'desc')
      .orderBy(key, 'desc')
      .limit(limit)
      .execute();
  },

  async notes(db: Tx, customerId: string, b: Before, limit: number) {
    return db
      .selectFrom('customer_notes as n')
      .select(['n.id as key', 'n.at', 'n.body', 'n.author_name'])
      .where('n.customer_id', '=', customerId)
      .$call(newestBefore('n.at', 'n.id', b, limit))
      .execute();
  },

  /** The file's own audit entries (created, changed, archived, …), the openings excepted (readings are their own source). */
  async fileChanges(db: Tx, customerId: string, b: Before, limit: number) {
    return db
      .selectFrom('audit_entries as a')
      .leftJoin('users as p', 'p.id', 'a.actor_id')
      .select(['a.id as key', 'a.at', 'a.action', 'a.changes', sql<string>`coalesce(p.display_name, a.actor_name)`.as('actor_name')])
      .where('a.entity_type', '=', 'customer')
      .where('a.entity_id', '=', customerId)
      .where('a.action', '!=', 'customer.open')
      .$call(newestBefore('a.at', 'a.id', b, limit))
      .execute();
  },

  async readings(db: Tx, customerId: string, b: Before, limit: number) {
    return db
      .selectFrom('customer_readings as r')
      .select(['r.id as key', 'r.at', 'r.user_name', 'r.sections', 'r.reason'])
      .where('r.customer_id', '=', customerId)
      .$call(newestBefore('r.at', 'r.id', b, limit))
      .execute();
  },
};
