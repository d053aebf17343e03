import { sql, type SqlBool } from 'kysely';
import type { Tx } from '../../../db/database.ts';
import type { CustomerIdentifierTable, CustomerReadingTable } from '../../../db/schema.ts';
import { nearScopeSql, type NearScope } from './customer.repository.ts';

export type IdentifierRow = CustomerIdentifierTable;
export type ReadingRow = CustomerReadingTable;
export type ReadingView = ReadingRow & { unit_name: string; customer_name: string | null };

/** SQL of the customer file's identifiers and reading log (the `customers` row itself: customer.repository.ts). */
export const customerFileRepository = {
  async identifiersOf(db: Tx, customerIds: string[]): Promise<IdentifierRow[]> {
    if (customerIds.length === 0) return [];
    return db.selectFrom('customer_identifiers').selectAll().where('customer_id', 'in', customerIds).orderBy('customer_id').orderBy('position').execute();
  },

  async replaceIdentifiers(db: Tx, customerId: string, rows: IdentifierRow[]): Promise<void> {
    await db.deleteFrom('customer_identifiers').where('customer_id', '=', customerId).execute();
    if (rows.length > 0) await db.insertInto('customer_identifiers').values(rows).execute();
  },

  /** Customers (ids) holding an identifier exactly equal to one of these (kind, lookup) pairs, in one statement (the list search's exact identifiers); up to `limit` per pair. */
  async customerIdsByIdentifiers(db: Tx, pairs: ReadonlyArray<readonly [string, string]>, limit = 50): Promise<string[]> {
    if (pairs.length === 0) return [];
    const rows = await db
      .selectFrom('customer_identifiers')
      .select('customer_id')
      .where((eb) => eb.or(pairs.map(([kind, lookup]) => eb.and([eb('kind', '=', kind), eb('lookup', '=', lookup)]))))
      .limit(limit * pairs.length)
      .execute();
    return [...new Set(rows.map((r) => r.customer_id))];
  },

  async insertReading(db: Tx, row: ReadingRow): Promise<void> {
    await db.insertInto('customer_readings').values(row).execute();
  },

  /** Newest first, keyset on (at, id), within the units the scope covers. */
  async readings(
    db: Tx,
    f: { scope: NearScope; customerId?: string; userId?: string; from?: string; to?: string; before?: [string, string]; limit: number },
  ): Promise<ReadingView[]> {
    let q = db
      .selectFrom('customer_readings as r')
      .innerJoin('org_units as u', 'u.id', 'r.org_unit_id')
      .leftJoin('customers as c', 'c.id', 'r.customer_id')
      .selectAll('r')
      .select(['u.name as unit_name', 'c.name as customer_name'])
      .where(nearScopeSql(sql.ref('u.path'), f.scope));
    if (f.customerId) q = q.where('r.customer_id', '=', f.customerId);
    if (f.userId) q = q.where('r.user_id', '=', f.userId);
    if (f.from) q = q.where('r.at', '>=', f.from);
    if (f.to) q = q.where('r.at', '<', f.to);
    if (f.before) q = q.where(sql<SqlBool>`(r.at, r.id) < (${f.before[0]}, ${f.before[1]})`);
    return q.orderBy('r.at', 'desc').orderBy('r.id', 'desc').limit(f.limit).execute();
  },

  async ticketCount(db: Tx, customerId: string): Promise<number> {
    const r = await db.selectFrom('tickets').select((eb) => eb.fn.countAll().as('n')).where('customer_id', '=', customerId).executeTakeFirst();
    return Number(r?.n ?? 0);
  },

  async deleteCustomer(db: Tx, id: string, version: number): Promise<number> {
    await db.deleteFrom('customer_identifiers').where('customer_id', '=', id).execute();
    const r = await db.deleteFrom('customers').where('id', '=', id).where('version', '=', version).executeTakeFirst();
    return Number(r.numDeletedRows);
  },
};
