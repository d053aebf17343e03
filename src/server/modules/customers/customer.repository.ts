import { PostgresAdapter, sql, type Expression, type SqlBool } from 'kysely';
import { nameKey } from '../../../contracts/customer-merge.ts';
import type { Tx } from '../../../db/database.ts';
import type { CustomerTable } from '../../../db/schema.ts';
import { inScope } from '../../platform/actor.ts';

export type CustomerRow = CustomerTable;
/** Every optional part of a file, empty: the base of a file opened with a name and a phone, and what a destroyed file (tombstone) keeps of them. */
export const emptyFileFields = {
  gender: null,
  birthday: null,
  birthday_lunar: 0,
  position: null,
  address: null,
  industry: null,
  org_size: null,
  relation_since: null,
  needs: null,
  preferences: null,
  notes: null,
  owner_id: null,
  member_level: null,
  credit_class: null,
  credit_date: null,
  credit_basis: null,
  tags: '[]',
  declassify_on: null,
  custom_fields: '{}',
} as const satisfies Partial<CustomerRow>;
export type CustomerView = CustomerRow & { unit_name: string; unit_path: string; unit_time_zone: string; owner_name: string | null };

/**
 * Where customers are visible: a customer belongs to a company (branch), and everyone whose grant
 * lies in that company — in the company itself or in one of its departments — sees it. So the
 * scope is the grant subtrees (`under`) plus the units above the grants short of the tree root
 * (`above`): group-level customers stay with whole-tree readers.
 */
export interface NearScope {
  under: string[];
  above: string[];
}

export function nearScopeSql(pathColumn: Expression<string>, s: NearScope): Expression<SqlBool> {
  if (s.above.length === 0) return inScope(pathColumn, s.under);
  return sql<SqlBool>`(${inScope(pathColumn, s.under)} or ${pathColumn} in (${sql.join(s.above)}))`;
}

/**
 * A phone prefix as an index range plus the exact LIKE: `phone >= '138' and phone < '139'` uses
 * the plain b-tree index on both engines (LIKE alone does not: SQLite's is case-insensitive and
 * PostgreSQL's needs a C collation), and LIKE keeps it exact under any collation.
 */
export function phonePrefix(column: Expression<string | null>, prefix: string): Expression<SqlBool> {
  const trimmed = prefix.replace(/9+$/, '');
  const upper = trimmed.length === 0 || trimmed.endsWith('+') ? null : trimmed.slice(0, -1) + String(Number(trimmed.at(-1)) + 1);
  const like = sql<SqlBool>`${column} like ${`${prefix}%`}`;
  return upper === null ? sql<SqlBool>`(${column} >= ${prefix} and ${like})` : sql<SqlBool>`(${column} >= ${prefix} and ${column} < ${upper} and ${like})`;
}

export const customerRepository = {
  base(db: Tx) {
    return db
      .selectFrom('customers as c')
      .innerJoin('org_units as u', 'u.id', 'c.org_unit_id')
      .leftJoin('users as o', 'o.id', 'c.owner_id')
      .selectAll('c')
      .select(['u.name as unit_name', 'u.path as unit_path', 'u.time_zone as unit_time_zone', 'o.display_name as owner_name']);
  },

  async byId(db: Tx, id: string): Promise<CustomerView | undefined> {
    return this.base(db).where('c.id', '=', id).executeTakeFirst();
  },

  async byIdInScope(db: Tx, id: string, scope: NearScope): Promise<CustomerView | undefined> {
    return this.base(db).where('c.id', '=', id).where(nearScopeSql(sql.ref('u.path'), scope)).executeTakeFirst();
  },

  /** Name or phone from the start, in name order; `after` is the last (name, id) of the previous page. */
  /**
   * `phone` matches the file's phone or any of its phone identifiers from the start; `ids` adds files
   * found by an exact identifier (ID number, member card, e-mail) to a `q` search; `archived` filters.
   */
  async list(
    db: Tx,
    f: { scope: NearScope; q?: string; phone?: string; ids?: string[]; archived?: boolean; after?: [string, string]; limit: number },
  ): Promise<CustomerView[]> {
    let q = this.base(db).where(nearScopeSql(sql.ref('u.path'), f.scope));
    // A merged-away file (a pointer to its survivor) is no longer a customer of its own.
    q = q.where('c.merged_into_id', 'is', null);
    if (f.archived !== undefined) q = q.where('c.archived_at', f.archived ? 'is not' : 'is', null);
    if (f.after) q = q.where(sql<SqlBool>`(c.name, c.id) > (${f.after[0]}, ${f.after[1]})`);
    /*
     * A search is a union of branches (phone, a phone identifier, name, exact ids), each answering its
     * own first `limit` files in (name, id) order under all the list's filters, from its own index; the
     * page is the first `limit` of their union — the same rows as one OR over the table, without reading
     * every file a short prefix matches (1 in 70 of them for 3 digits) to sort them by name. Each
     * branch starts from the units in scope: customers_unit_phone (org_unit_id, phone, archived_at,
     * name, id) answers the phone branch from the index alone, reading only the reader's companies.
     * The phone branches leave merged_into_id to the outer query: a merged-away file has no phone and
     * no identifiers (the merge empties and moves them), so it cannot match there anyway.
     */
    /*
     * The units in scope, as a set each branch filters on. On PostgreSQL an `in (select …)` here became a
     * join that the planner, estimating one unit and a handful of identifier matches (the LIKE recheck
     * multiplies the range's estimate by its own), put outside: the identifier branch then ran once per
     * unit in scope (2 × 1,377 customer probes for 3 digits). `= any(array(select …))` is computed once
     * (an InitPlan) and is a plain filter, so each branch is driven from its own index. SQLite plans the
     * subquery that way by itself.
     */
    const units = sql`select su.id from org_units su where ${nearScopeSql(sql.ref('su.path'), f.scope)}`;
    const pg = db.getExecutor().adapter instanceof PostgresAdapter;
    const filters = (a: string, merged = true): Expression<SqlBool>[] => [
      pg ? sql<SqlBool>`${sql.ref(`${a}.org_unit_id`)} = any(array(${units}))` : sql<SqlBool>`${sql.ref(`${a}.org_unit_id`)} in (${units})`,
      ...(merged ? [sql<SqlBool>`${sql.ref(`${a}.merged_into_id`)} is null`] : []),
      ...(f.archived === undefined ? [] : [f.archived ? sql<SqlBool>`${sql.ref(`${a}.archived_at`)} is not null` : sql<SqlBool>`${sql.ref(`${a}.archived_at`)} is null`]),
      ...(f.after ? [sql<SqlBool>`(${sql.ref(`${a}.name`)}, ${sql.ref(`${a}.id`)}) > (${f.after[0]}, ${f.after[1]})`] : []),
    ];
    const branch = (a: string, match: (a: string) => Expression<SqlBool>, identifier = false, merged = true) => {
      const found = identifier ? sql<SqlBool>`${sql.ref(`${a}.id`)} in (select ${sql.ref(`${a}_i.customer_id`)} from customer_identifiers ${sql.raw(`${a}_i`)} where ${match(a)})` : match(a);
      return sql`select id from (select ${sql.ref(`${a}.id`)} as id from customers ${sql.raw(a)} where ${sql.join([...filters(a, merged), found], sql` and `)} order by ${sql.ref(`${a}.name`)}, ${sql.ref(`${a}.id`)} limit ${f.limit}) ${sql.raw(`${a}_top`)}`;
    };
    const anyOf = (branches: ReturnType<typeof branch>[]) => sql<SqlBool>`c.id in (${sql.join(branches, sql` union all `)})`;
    const byPhone = (p: string, k: string) => [
      branch(`${k}p`, (a) => phonePrefix(sql.ref(`${a}.phone`), p), false, false),
      branch(`${k}i`, (a) => sql<SqlBool>`${sql.ref(`${a}_i.kind`)} = 'phone' and ${phonePrefix(sql.ref(`${a}_i.lookup`), p)}`, true, false),
    ];
    if (f.phone) q = q.where(anyOf(byPhone(f.phone, 'ph')));
    if (f.q) {
      const text = f.q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`);
      const digits = f.q.replace(/[^\d+]/g, '');
      const phoneLike = digits.length >= 3 && /^\+?[\d\s()-]+$/.test(f.q);
      // A name starting with digits: digits have no case, so the plain index range on name finds it.
      const byName = /^\d+$/.test(f.q) ? (a: string) => phonePrefix(sql.ref(`${a}.name`), f.q!) : (a: string) => sql<SqlBool>`lower(${sql.ref(`${a}.name`)}) like ${`${text}%`} escape '\\'`;
      const ids = f.ids ?? [];
      q = q.where(
        anyOf([
          branch('qn', byName),
          ...(phoneLike ? byPhone(digits, 'q') : []),
          ...(ids.length > 0 ? [branch('qk', (a) => sql<SqlBool>`${sql.ref(`${a}.id`)} in (${sql.join(ids)})`)] : []),
        ]),
      );
    }
    return q.orderBy('c.name').orderBy('c.id').limit(f.limit).execute();
  },

  async byPhoneInUnit(db: Tx, unitId: string, phone: string): Promise<CustomerRow | undefined> {
    return db.selectFrom('customers').selectAll().where('org_unit_id', '=', unitId).where('phone', '=', phone).executeTakeFirst();
  },

  async insert(db: Tx, row: CustomerRow): Promise<void> {
    await db.insertInto('customers').values({ ...row, name_key: nameKey(row.name) }).execute();
  },

  /** Optimistic update: 0 when the version moved on. */
  async update(db: Tx, id: string, version: number, patch: Partial<CustomerRow>): Promise<number> {
    const r = await db.updateTable('customers').set({ ...patch, ...(patch.name !== undefined ? { name_key: nameKey(patch.name) } : {}), version: version + 1 }).where('id', '=', id).where('version', '=', version).executeTakeFirst();
    return Number(r.numUpdatedRows);
  },
};
