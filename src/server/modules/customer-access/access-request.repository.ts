import { sql, type Expression, type Selectable, type SqlBool } from 'kysely';
import type { Tx } from '../../../db/database.ts';
import type { CustomerAccessRequestTable } from '../../../db/schema.ts';
import { inScope } from '../../platform/actor.ts';
import { nearScopeSql, type NearScope } from '../customers/customer.repository.ts';

export type AccessRequestRow = Selectable<CustomerAccessRequestTable>;
export type AccessRequestView = AccessRequestRow & {
  customer_name: string;
  customer_unit_name: string;
  customer_unit_path: string;
  requester_unit_name: string;
  requester_unit_path: string;
};

/** Who may see a request: the requester, or someone who may give one of its two approvals. */
export interface AccessAudience {
  userId: string | null;
  /** user:manage subtrees (the requester's manager). */
  managerPaths: string[];
  /** customer:manage near scope (the service department). */
  service: NearScope;
}

function audienceSql(a: AccessAudience): Expression<SqlBool> {
  return sql<SqlBool>`(r.requester_id = ${a.userId ?? ''} or ${inScope(sql.ref('ru.path'), a.managerPaths)} or ${nearScopeSql(sql.ref('cu.path'), a.service)})`;
}

/** SQL of access requests 申请查阅. */
export const accessRequestRepository = {
  base(db: Tx) {
    return db
      .selectFrom('customer_access_requests as r')
      .innerJoin('customers as c', 'c.id', 'r.customer_id')
      .innerJoin('org_units as cu', 'cu.id', 'r.customer_unit_id')
      .innerJoin('org_units as ru', 'ru.id', 'r.requester_unit_id')
      .selectAll('r')
      .select(['c.name as customer_name', 'cu.name as customer_unit_name', 'cu.path as customer_unit_path', 'ru.name as requester_unit_name', 'ru.path as requester_unit_path']);
  },

  async byIdFor(db: Tx, id: string, a: AccessAudience): Promise<AccessRequestView | undefined> {
    return this.base(db).where('r.id', '=', id).where(audienceSql(a)).executeTakeFirst();
  },

  /** The caller's own requests, newest first; keyset on (created_at, id). */
  async mine(db: Tx, userId: string, before: [string, string] | undefined, limit: number): Promise<AccessRequestView[]> {
    let q = this.base(db).where('r.requester_id', '=', userId);
    if (before) q = q.where(sql<SqlBool>`(r.created_at, r.id) < (${before[0]}, ${before[1]})`);
    return q.orderBy('r.created_at', 'desc').orderBy('r.id', 'desc').limit(limit).execute();
  },

  /** Pending requests with an approval still open that the caller may give (not their own), oldest first. */
  async toApprove(db: Tx, a: AccessAudience, after: [string, string] | undefined, limit: number): Promise<AccessRequestView[]> {
    const me = a.userId ?? '';
    let q = this.base(db)
      .where('r.status', '=', 'pending')
      .where('r.requester_id', '!=', me)
      .where(
        sql<SqlBool>`((r.manager_id is null and coalesce(r.service_id, '') <> ${me} and ${inScope(sql.ref('ru.path'), a.managerPaths)}) or (r.service_id is null and coalesce(r.manager_id, '') <> ${me} and ${nearScopeSql(sql.ref('cu.path'), a.service)}))`,
      );
    if (after) q = q.where(sql<SqlBool>`(r.created_at, r.id) > (${after[0]}, ${after[1]})`);
    return q.orderBy('r.created_at').orderBy('r.id').limit(limit).execute();
  },

  /** The request in force for this reader and file now (approved, not expired), the latest expiring first. */
  async inForce(db: Tx, customerId: string, userId: string, nowIso: string): Promise<AccessRequestRow | undefined> {
    return db
      .selectFrom('customer_access_requests')
      .selectAll()
      .where('customer_id', '=', customerId)
      .where('requester_id', '=', userId)
      .where('status', '=', 'approved')
      .where('expires_at', '>', nowIso)
      .orderBy('expires_at', 'desc')
      .executeTakeFirst();
  },

  /** A pending request of this reader for this file (one at a time). */
  async pendingOf(db: Tx, customerId: string, userId: string): Promise<AccessRequestRow | undefined> {
    return db.selectFrom('customer_access_requests').selectAll().where('customer_id', '=', customerId).where('requester_id', '=', userId).where('status', '=', 'pending').executeTakeFirst();
  },

  async insert(db: Tx, row: AccessRequestRow): Promise<void> {
    await db.insertInto('customer_access_requests').values(row).execute();
  },

  /** Optimistic update: false when the version moved on. */
  async update(db: Tx, id: string, version: number, patch: Partial<AccessRequestRow>): Promise<boolean> {
    const r = await db.updateTable('customer_access_requests').set({ ...patch, version: version + 1 }).where('id', '=', id).where('version', '=', version).executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  },

  /** Erasure: a customer's requests go (their reasons may name the customer). */
  async deleteForCustomer(db: Tx, customerId: string): Promise<void> {
    await db.deleteFrom('customer_access_requests').where('customer_id', '=', customerId).execute();
  },
};
