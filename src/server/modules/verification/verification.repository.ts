import { sql, type Expression, type Selectable, type SqlBool } from 'kysely';
import type { Tx } from '../../../db/database.ts';
import type { CustomerVerificationTable } from '../../../db/schema.ts';
import { nearScopeSql, type NearScope } from '../customers/customer.repository.ts';

export type VerificationRow = Selectable<CustomerVerificationTable>;
export interface DueRow {
  id: string;
  name: string;
  org_unit_id: string;
  unit_name: string;
  time_zone: string;
  confidentiality: string;
  next_verification_on: string | null;
  verification_months: number;
  version: number;
}
/** "Today" per time zone: files of companies in `zone` compare their dates with `day`. */
export interface ZoneDay {
  zone: string;
  day: string;
}
export interface DashboardCount {
  org_unit_id: string;
  unit_name: string;
  overdue: number;
  due_today: number;
  due_week: number;
  total: number;
}

/** A never-scheduled file sorts (and counts) as due before every dated one. */
const nextKey = sql<string>`coalesce(c.next_verification_on, '')`;

function dueSql(zones: ZoneDay[]): Expression<SqlBool> {
  if (zones.length === 0) return sql<SqlBool>`1 = 0`;
  return sql<SqlBool>`(${sql.join(zones.map((z) => sql`(u.time_zone = ${z.zone} and ${nextKey} <= ${z.day})`), sql` or `)})`;
}

/** SQL of re-verification 定期核定: the due list, the per-branch counts, the verification records. */
export const verificationRepository = {
  /** The time zones of the units in scope (to know "today" for each; usually one). */
  async zones(db: Tx, scope: NearScope): Promise<string[]> {
    const rows = await db.selectFrom('org_units as u').select('u.time_zone').distinct().where(nearScopeSql(sql.ref('u.path'), scope)).execute();
    return rows.map((r) => r.time_zone);
  },

  /** Files due (next date ≤ their today), not archived, oldest date first; keyset on (date, id). */
  async due(db: Tx, f: { scope: NearScope; zones: ZoneDay[]; orgUnitId?: string; after?: [string, string]; limit: number }): Promise<DueRow[]> {
    let q = db
      .selectFrom('customers as c')
      .innerJoin('org_units as u', 'u.id', 'c.org_unit_id')
      .select(['c.id', 'c.name', 'c.org_unit_id', 'u.name as unit_name', 'u.time_zone', 'c.confidentiality', 'c.next_verification_on', 'c.verification_months', 'c.version'])
      .where(nearScopeSql(sql.ref('u.path'), f.scope))
      .where('c.archived_at', 'is', null)
      .where(dueSql(f.zones));
    if (f.orgUnitId) q = q.where('c.org_unit_id', '=', f.orgUnitId);
    if (f.after) q = q.where(sql<SqlBool>`(${nextKey}, c.id) > (${f.after[0]}, ${f.after[1]})`);
    const rows = await q.orderBy(nextKey).orderBy('c.id').limit(f.limit).execute();
    return rows.map((r) => ({ ...r, next_verification_on: r.next_verification_on ?? null, verification_months: Number(r.verification_months ?? 3), version: Number(r.version) }));
  },

  /** Per company of the zone: overdue (date < today), due today, due within [today, weekEnd], all files (not archived). */
  async counts(db: Tx, scope: NearScope, z: ZoneDay, weekEnd: string): Promise<DashboardCount[]> {
    const n = (cond: Expression<SqlBool>) => sql<number>`sum(case when ${cond} then 1 else 0 end)`;
    const rows = await db
      .selectFrom('customers as c')
      .innerJoin('org_units as u', 'u.id', 'c.org_unit_id')
      .select([
        'c.org_unit_id',
        'u.name as unit_name',
        n(sql<SqlBool>`${nextKey} < ${z.day}`).as('overdue'),
        n(sql<SqlBool>`c.next_verification_on = ${z.day}`).as('due_today'),
        n(sql<SqlBool>`c.next_verification_on >= ${z.day} and c.next_verification_on <= ${weekEnd}`).as('due_week'),
        sql<number>`count(*)`.as('total'),
      ])
      .where(nearScopeSql(sql.ref('u.path'), scope))
      .where('u.time_zone', '=', z.zone)
      .where('c.archived_at', 'is', null)
      .groupBy(['c.org_unit_id', 'u.name'])
      .execute();
    return rows.map((r) => ({ ...r, overdue: Number(r.overdue), due_today: Number(r.due_today), due_week: Number(r.due_week), total: Number(r.total) }));
  },

  /** Moves the file's next date (and period); not a change of the file's content, so its version stays. */
  async schedule(db: Tx, customerId: string, nextOn: string, months: number): Promise<void> {
    await db.updateTable('customers').set({ next_verification_on: nextOn, verification_months: months }).where('id', '=', customerId).execute();
  },

  async insert(db: Tx, row: VerificationRow): Promise<void> {
    await db.insertInto('customer_verifications').values(row).execute();
  },

  async history(db: Tx, customerId: string, limit: number): Promise<VerificationRow[]> {
    return db.selectFrom('customer_verifications').selectAll().where('customer_id', '=', customerId).orderBy('at', 'desc').orderBy('id', 'desc').limit(limit).execute();
  },

  /** Erasure: the notes may hold personal data; the records go with the file. */
  async deleteForCustomer(db: Tx, customerId: string): Promise<void> {
    await db.deleteFrom('customer_verifications').where('customer_id', '=', customerId).execute();
  },

  /** On a merge the verification history moves to the surviving file. */
  async relink(db: Tx, fromId: string, toId: string): Promise<void> {
    await db.updateTable('customer_verifications').set({ customer_id: toId }).where('customer_id', '=', fromId).execute();
  },
};
