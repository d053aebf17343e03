import type { Kysely } from 'kysely';

/**
 * Duplicates and merge of customer files 疑似重复 / 合并 (customer-file issue §6): a merged-away file
 * stays as a pointer (`merged_into_id`, `merged_at`) to the file that survived; `name_key` is the
 * normalised name (NFKC, no spaces, lower case) that duplicate detection groups by; pairs judged "not
 * duplicates" are remembered; every merge is a history row. Same file for SQLite and PostgreSQL.
 */
/** Kept here (not imported) so the migration stays as it ran: the same rule as contracts/customer-merge.ts nameKey. */
const nameKey = (name: string) => name.normalize('NFKC').replace(/\s+/gu, '').toLowerCase();

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('customers').addColumn('merged_into_id', 'text').execute();
  await db.schema.alterTable('customers').addColumn('merged_at', 'text').execute();
  await db.schema.alterTable('customers').addColumn('name_key', 'text').execute();
  // NFKC is not SQL: existing names get their key here, new ones from the repository.
  let after = '';
  for (;;) {
    const rows: { id: string; name: string }[] = await db.selectFrom('customers').select(['id', 'name']).where('id', '>', after).orderBy('id').limit(1000).execute();
    if (rows.length === 0) break;
    for (const r of rows) await db.updateTable('customers').set({ name_key: nameKey(r.name) }).where('id', '=', r.id).execute();
    after = rows.at(-1)!.id;
  }
  await db.schema.createIndex('customers_name_key').on('customers').columns(['name_key', 'org_unit_id']).execute();
  await db.schema.createIndex('customers_merged_into').on('customers').column('merged_into_id').execute();

  await db.schema
    .createTable('customer_duplicate_dismissals')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_unit_id', 'text', (c) => c.notNull().references('org_units.id'))
    // The pair in id order (customer_a < customer_b).
    .addColumn('customer_a', 'text', (c) => c.notNull().references('customers.id').onDelete('cascade'))
    .addColumn('customer_b', 'text', (c) => c.notNull().references('customers.id').onDelete('cascade'))
    .addColumn('dismissed_by', 'text')
    .addColumn('dismissed_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('customer_duplicate_dismissals_pair').on('customer_duplicate_dismissals').columns(['customer_a', 'customer_b']).unique().execute();
  await db.schema.createIndex('customer_duplicate_dismissals_b').on('customer_duplicate_dismissals').column('customer_b').execute();

  await db.schema
    .createTable('customer_merges')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_unit_id', 'text', (c) => c.notNull().references('org_units.id'))
    .addColumn('survivor_id', 'text', (c) => c.notNull().references('customers.id'))
    .addColumn('merged_id', 'text', (c) => c.notNull().references('customers.id'))
    .addColumn('merged_by', 'text')
    .addColumn('merged_by_name', 'text', (c) => c.notNull())
    .addColumn('merged_at', 'text', (c) => c.notNull())
    // JSON {field: 'survivor' | 'merged'} for each field whose values differed; no values (those are sealed in the audit entry).
    .addColumn('fields', 'text', (c) => c.notNull())
    // JSON {relinker name: true} of what was moved over.
    .addColumn('relinked', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('customer_merges_survivor').on('customer_merges').columns(['survivor_id', 'merged_at']).execute();
  await db.schema.createIndex('customer_merges_merged').on('customer_merges').column('merged_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('customer_merges').execute();
  await db.schema.dropTable('customer_duplicate_dismissals').execute();
}
