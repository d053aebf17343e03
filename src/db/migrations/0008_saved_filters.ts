import type { Kysely } from 'kysely';

/**
 * Saved filters (保存的筛选) of the work-order queues: a person's named filter, optionally shared
 * with the owner's department; plus the one index a common queue filter lacked (category). Same file
 * for SQLite and PostgreSQL.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('saved_filters')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('owner_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('query', 'text', (c) => c.notNull())
    // The owner's department when shared (its people see it), else null.
    .addColumn('department_id', 'text', (c) => c.references('org_units.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex('saved_filters_owner').on('saved_filters').columns(['owner_id', 'name']).execute();
  await db.schema.createIndex('saved_filters_department').on('saved_filters').columns(['department_id', 'name']).execute();
  // Filtering a queue by category (with its sub-categories) in the default order.
  await db.schema.createIndex('tickets_category').on('tickets').columns(['category_id', 'created_at', 'id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('tickets_category').execute();
  await db.schema.dropTable('saved_filters').execute();
}
