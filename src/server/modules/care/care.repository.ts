import { sql, type Selectable } from 'kysely';
import type { Tx } from '../../../db/database.ts';
import type { CareRuleTable, CareTaskTable } from '../../../db/schema.ts';
import { nearScopeSql, type NearScope } from '../customers/customer.repository.ts';

export type CareRuleRow = Selectable<CareRuleTable>;
export type CareRuleView = CareRuleRow & { unit_name: string; unit_path: string };
export type CareTaskRow = Selectable<CareTaskTable>;
export type CareTaskView = CareTaskRow & { customer_name: string; customer_unit_id: string; unit_name: string; unit_path: string };
export interface CareCandidate {
  id: string;
  name: string;
  tier: string;
  category: string;
  tags: string;
  birthday: string | null;
  birthday_lunar: number;
  org_unit_id: string;
  phone: string | null;
  email: string | null;
}
/** A customer segment 客户分群 (care rules, surveys): empty lists match everything; tags match when any is held. */
export interface CustomerSegment {
  tiers: string[];
  categories: string[];
  tags: string[];
}

export const careRepository = {
  async ruleInScope(db: Tx, id: string, scope: NearScope): Promise<CareRuleView | undefined> {
    return db
      .selectFrom('care_rules as r')
      .innerJoin('org_units as u', 'u.id', 'r.org_unit_id')
      .selectAll('r')
      .select(['u.name as unit_name', 'u.path as unit_path'])
      .where('r.id', '=', id)
      .where(nearScopeSql(sql.ref('u.path'), scope))
      .executeTakeFirst();
  },

  async rules(db: Tx, scope: NearScope, limit: number): Promise<CareRuleView[]> {
    return db
      .selectFrom('care_rules as r')
      .innerJoin('org_units as u', 'u.id', 'r.org_unit_id')
      .selectAll('r')
      .select(['u.name as unit_name', 'u.path as unit_path'])
      .where(nearScopeSql(sql.ref('u.path'), scope))
      .orderBy('r.created_at', 'desc')
      .orderBy('r.id', 'desc')
      .limit(limit)
      .execute();
  },

  async insertRule(db: Tx, row: CareRuleRow): Promise<void> {
    await db.insertInto('care_rules').values(row).execute();
  },

  async updateRule(db: Tx, id: string, version: number, patch: Partial<CareRuleRow>): Promise<boolean> {
    const r = await db.updateTable('care_rules').set({ ...patch, version: version + 1 }).where('id', '=', id).where('version', '=', version).executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  },

  async deleteRule(db: Tx, id: string): Promise<void> {
    await db.deleteFrom('care_rules').where('id', '=', id).execute();
  },

  /** Live (not archived) person customers at or below the unit path and in the scope, filtered by tier and category. */
  async candidates(db: Tx, unitPath: string, tiers: string[], categories: string[], scope: NearScope): Promise<CareCandidate[]> {
    let q = db
      .selectFrom('customers as c')
      .innerJoin('org_units as u', 'u.id', 'c.org_unit_id')
      .select(['c.id', 'c.name', 'c.tier', 'c.category', 'c.tags', 'c.birthday', 'c.birthday_lunar', 'c.org_unit_id', 'c.phone', 'c.email'])
      .where(sql<boolean>`substr(u.path, 1, ${unitPath.length}) = ${unitPath}`)
      .where('c.archived_at', 'is', null)
      .where('c.kind', '=', 'person')
      .where(nearScopeSql(sql.ref('u.path'), scope));
    if (tiers.length > 0) q = q.where('c.tier', 'in', tiers as never[]);
    if (categories.length > 0) q = q.where('c.category', 'in', categories);
    return q.orderBy('c.id').execute();
  },

  /** The segment's customers at or below the unit path and in the scope (candidates, then any of the tags). */
  async segment(db: Tx, unitPath: string, s: CustomerSegment, scope: NearScope): Promise<CareCandidate[]> {
    const all = await this.candidates(db, unitPath, s.tiers, s.categories, scope);
    if (s.tags.length === 0) return all;
    return all.filter((c) => (JSON.parse(c.tags) as string[]).some((tag) => s.tags.includes(tag)));
  },

  /** Inserts the tasks that do not exist yet (customer, occasion, year); returns how many were new. */
  async insertTasks(db: Tx, rows: CareTaskRow[]): Promise<number> {
    let created = 0;
    for (const row of rows) {
      const r = await db
        .insertInto('care_tasks')
        .values(row)
        .onConflict((oc) => oc.columns(['customer_id', 'occasion', 'year']).doNothing())
        .returning('id')
        .execute();
      created += r.length;
    }
    return created;
  },

  async tasks(db: Tx, f: { scope: NearScope; from?: string; to?: string; status?: string; limit: number }): Promise<CareTaskView[]> {
    let q = db
      .selectFrom('care_tasks as t')
      .innerJoin('customers as c', 'c.id', 't.customer_id')
      .innerJoin('org_units as u', 'u.id', 'c.org_unit_id')
      .selectAll('t')
      .select(['c.name as customer_name', 'c.org_unit_id as customer_unit_id', 'u.name as unit_name', 'u.path as unit_path'])
      .where(nearScopeSql(sql.ref('u.path'), f.scope));
    if (f.from) q = q.where('t.window_end', '>=', f.from);
    if (f.to) q = q.where('t.window_start', '<=', f.to);
    if (f.status) q = q.where('t.status', '=', f.status);
    return q.orderBy('t.window_start').orderBy('t.id').limit(f.limit).execute();
  },

  async taskInScope(db: Tx, id: string, scope: NearScope): Promise<CareTaskView | undefined> {
    return db
      .selectFrom('care_tasks as t')
      .innerJoin('customers as c', 'c.id', 't.customer_id')
      .innerJoin('org_units as u', 'u.id', 'c.org_unit_id')
      .selectAll('t')
      .select(['c.name as customer_name', 'c.org_unit_id as customer_unit_id', 'u.name as unit_name', 'u.path as unit_path'])
      .where('t.id', '=', id)
      .where(nearScopeSql(sql.ref('u.path'), scope))
      .executeTakeFirst();
  },

  async finishTask(db: Tx, id: string, version: number, status: string, at: string, by: string | null): Promise<boolean> {
    const r = await db
      .updateTable('care_tasks')
      .set({ status, done_at: at, done_by: by, version: version + 1 })
      .where('id', '=', id)
      .where('version', '=', version)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  },
};
