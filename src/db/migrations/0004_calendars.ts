import type { Kysely } from 'kysely';

/**
 * Working calendars (工作日历) per org unit: a unit without a row inherits its nearest ancestor's,
 * else the built-in default (Asia/Shanghai, Mon–Fri 09:00–18:00, official China holidays).
 * Same file for SQLite and PostgreSQL.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('working_calendars')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_unit_id', 'text', (c) => c.notNull().unique().references('org_units.id').onDelete('cascade'))
    .addColumn('time_zone', 'text', (c) => c.notNull())
    .addColumn('week', 'text', (c) => c.notNull())
    .addColumn('make_up_day_hours', 'text')
    .addColumn('holiday_set', 'text', (c) => c.notNull())
    .addColumn('extra_holidays', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('extra_workdays', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('working_calendars').execute();
}
