import { sql, type Expression, type SqlBool } from 'kysely';
import type { Tx } from '../../../db/database.ts';
import type { CustomerTable } from '../../../db/schema.ts';
import { inScope } from '../../platform/actor.ts';

export type CustomerRow = CustomerTable;
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
    if (f.archived !== undefined) q = q.where('c.archived_at', f.archived ? 'is not' : 'is', null);
    const byIdentifierPhone = (p: string) =>
      sql<SqlBool>`c.id in (select i.customer_id from customer_identifiers i where i.kind = 'phone' and ${phonePrefix(sql.ref('i.lookup'), p)})`;
    if (f.phone) q = q.where((eb) => eb.or([phonePrefix(sql.ref('c.phone'), f.phone!), byIdentifierPhone(f.phone!)]));
    if (f.q) {
      const text = f.q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`);
      const digits = f.q.replace(/[^\d+]/g, '');
      q = q.where((eb) =>
        eb.or([
          sql<SqlBool>`lower(c.name) like ${`${text}%`} escape '\\'`,
          ...(digits.length >= 3 && /^\+?[\d\s()-]+$/.test(f.q!) ? [phonePrefix(sql.ref('c.phone'), digits), byIdentifierPhone(digits)] : []),
          ...(f.ids && f.ids.length > 0 ? [eb('c.id', 'in', f.ids)] : []),
        ]),
      );
    }
    if (f.after) q = q.where(sql<SqlBool>`(c.name, c.id) > (${f.after[0]}, ${f.after[1]})`);
    return q.orderBy('c.name').orderBy('c.id').limit(f.limit).execute();
  },

  async byPhoneInUnit(db: Tx, unitId: string, phone: string): Promise<CustomerRow | undefined> {
    return db.selectFrom('customers').selectAll().where('org_unit_id', '=', unitId).where('phone', '=', phone).executeTakeFirst();
  },

  async insert(db: Tx, row: CustomerRow): Promise<void> {
    await db.insertInto('customers').values(row).execute();
  },

  /** Optimistic update: 0 when the version moved on. */
  async update(db: Tx, id: string, version: number, patch: Partial<CustomerRow>): Promise<number> {
    const r = await db.updateTable('customers').set({ ...patch, version: version + 1 }).where('id', '=', id).where('version', '=', version).executeTakeFirst();
    return Number(r.numUpdatedRows);
  },
};
