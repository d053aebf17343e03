import type { Kysely } from 'kysely';

/**
 * Merging duplicate work orders (合并), links between work orders (关联工单) and the customer's
 * rating link (满意度评价链接). Same file for SQLite and PostgreSQL.
 */
export async function up(db: Kysely<any>): Promise<void> {
  // The survivor a duplicate was merged into; null for orders never merged.
  await db.schema.alterTable('tickets').addColumn('merged_into_id', 'text', (c) => c.references('tickets.id')).execute();
  await db.schema.createIndex('tickets_merged_into').on('tickets').columns(['merged_into_id']).execute();
  // One row per pair: `ticket_id` is the order the link was made on, `other_id` the one it points at.
  await db.schema
    .createTable('ticket_links')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('ticket_id', 'text', (c) => c.notNull().references('tickets.id').onDelete('cascade'))
    .addColumn('other_id', 'text', (c) => c.notNull().references('tickets.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('ticket_links_pair').on('ticket_links').columns(['ticket_id', 'other_id']).unique().execute();
  await db.schema.createIndex('ticket_links_other').on('ticket_links').columns(['other_id']).execute();
  // Only the SHA-256 of the token is stored; the token itself is shown once when issued.
  await db.schema
    .createTable('rating_links')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('callback_id', 'text', (c) => c.notNull().references('callbacks.id').onDelete('cascade'))
    .addColumn('ticket_id', 'text', (c) => c.notNull().references('tickets.id').onDelete('cascade'))
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('used_at', 'text')
    .addColumn('revoked_at', 'text')
    .addColumn('created_by', 'text', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('rating_links_callback').on('rating_links').columns(['callback_id', 'created_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('rating_links').execute();
  await db.schema.dropTable('ticket_links').execute();
  await db.schema.dropIndex('tickets_merged_into').execute();
  await db.schema.alterTable('tickets').dropColumn('merged_into_id').execute();
}
