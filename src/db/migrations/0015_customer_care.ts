import type { Kysely } from 'kysely';

/**
 * Customer care 客户关怀: care rules (occasion, days-before window, segment, channel, template, gift) and
 * the care tasks they generate — one per customer per occasion per year (unique), with the window to act in.
 * Same file for SQLite and PostgreSQL.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('care_rules')
    .addColumn('id', 'text', (c) => c.primaryKey())
    // The branch (or any unit) whose customers the rule covers: customers at or below it.
    .addColumn('org_unit_id', 'text', (c) => c.notNull().references('org_units.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('occasion', 'text', (c) => c.notNull()) // festival | birthday
    .addColumn('festival', 'text')
    .addColumn('days_min', 'integer', (c) => c.notNull())
    .addColumn('days_max', 'integer', (c) => c.notNull())
    .addColumn('tiers', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('categories', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('tags', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('template', 'text', (c) => c.notNull())
    .addColumn('gift_value', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex('care_rules_unit').on('care_rules').columns(['org_unit_id', 'created_at']).execute();

  await db.schema
    .createTable('care_tasks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    // No foreign key to the rule: deleting a rule keeps the tasks already generated.
    .addColumn('rule_id', 'text', (c) => c.notNull())
    .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id').onDelete('cascade'))
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('occasion', 'text', (c) => c.notNull()) // festival key or 'birthday'
    .addColumn('occasion_date', 'text', (c) => c.notNull())
    .addColumn('window_start', 'text', (c) => c.notNull())
    .addColumn('window_end', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('gift_value', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull()) // pending | sent | skipped
    .addColumn('done_at', 'text')
    .addColumn('done_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex('care_tasks_once').on('care_tasks').columns(['customer_id', 'occasion', 'year']).unique().execute();
  await db.schema.createIndex('care_tasks_window').on('care_tasks').columns(['window_start', 'id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('care_tasks').execute();
  await db.schema.dropTable('care_rules').execute();
}
