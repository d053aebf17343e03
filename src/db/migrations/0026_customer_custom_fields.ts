import type { Kysely } from 'kysely';

/**
 * Custom fields 自定义字段 on the customer file: the work-order field definitions (0009) also serve the
 * form `customer` (ticket_field_definitions.ticket_type = 'customer'); a file keeps its values as a JSON
 * object { key: value }. Personal data: emptied with the file's other personal columns on destruction
 * and on merge. Same file for SQLite and PostgreSQL.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('customers').addColumn('custom_fields', 'text', (c) => c.notNull().defaultTo('{}')).execute();
}

export async function down(): Promise<void> {
  throw new Error('Migrations are append-only: restore a backup to go back.');
}
