import type { Kysely } from 'kysely';

/**
 * Phone-prefix lookup 来电识别 and the list's phone search at 1,000,000 customer files (bench/RESULTS.md,
 * customer lookup). A reader sees the files of a few companies, so the search starts from their units
 * and reads only the entries of those files whose number starts so — (org_unit_id, phone) — instead of
 * every file in the tree with that prefix (a 3-digit prefix is 1 in 70 of all files), each read from
 * the table to check the scope and sort by name. archived_at, name and id ride along, so a page's
 * first N by (name, id) comes from the index alone. A phone identifier's prefix is answered from
 * (kind, lookup, customer_id) alone too (it replaces customer_identifiers_lookup, which it covers).
 * Same file for SQLite and PostgreSQL.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('customers_unit_phone').on('customers').columns(['org_unit_id', 'phone', 'archived_at', 'name', 'id']).execute();
  await db.schema.createIndex('customer_identifiers_lookup_customer').on('customer_identifiers').columns(['kind', 'lookup', 'customer_id']).execute();
  await db.schema.dropIndex('customer_identifiers_lookup').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('customer_identifiers_lookup').on('customer_identifiers').columns(['kind', 'lookup']).execute();
  await db.schema.dropIndex('customer_identifiers_lookup_customer').execute();
  await db.schema.dropIndex('customers_unit_phone').execute();
}
