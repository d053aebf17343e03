import type { Kysely } from 'kysely';

/**
 * Outreach 客户触达: the customer message outbox (SMS / e-mail / letter, sent by durable jobs), care
 * gifts handed out, and events 活动 with their invitees and replies. Same file for SQLite and PostgreSQL.
 * No foreign key to customers: the rows outlive a destroyed file (its eraser blanks the personal values).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('customer_messages')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('customer_id', 'text', (c) => c.notNull())
    // The customer's unit at queue time: the list's scope.
    .addColumn('org_unit_id', 'text', (c) => c.notNull().references('org_units.id'))
    .addColumn('channel', 'text', (c) => c.notNull())
    // The phone / e-mail / postal address at queue time (personal data; null once erased).
    .addColumn('recipient', 'text')
    .addColumn('subject', 'text')
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_error', 'text')
    .addColumn('provider', 'text')
    .addColumn('provider_ref', 'text')
    .addColumn('source_kind', 'text', (c) => c.notNull())
    .addColumn('source_id', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'text')
    .addColumn('erased_at', 'text')
    .execute();
  await db.schema.createIndex('customer_messages_unit').on('customer_messages').columns(['org_unit_id', 'id']).execute();
  await db.schema.createIndex('customer_messages_customer').on('customer_messages').columns(['customer_id']).execute();
  await db.schema.createIndex('customer_messages_source').on('customer_messages').columns(['source_kind', 'source_id']).execute();

  await db.schema
    .createTable('care_gifts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('task_id', 'text', (c) => c.notNull().unique())
    .addColumn('customer_id', 'text', (c) => c.notNull())
    .addColumn('org_unit_id', 'text', (c) => c.notNull().references('org_units.id'))
    .addColumn('value', 'integer', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('given_by', 'text')
    .addColumn('given_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('care_gifts_customer').on('care_gifts').columns(['customer_id']).execute();

  await db.schema
    .createTable('customer_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_unit_id', 'text', (c) => c.notNull().references('org_units.id'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('starts_at', 'text', (c) => c.notNull())
    .addColumn('ends_at', 'text', (c) => c.notNull())
    .addColumn('place', 'text', (c) => c.notNull())
    .addColumn('capacity', 'integer', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex('customer_events_unit').on('customer_events').columns(['org_unit_id', 'starts_at']).execute();

  await db.schema
    .createTable('customer_event_invitees')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('event_id', 'text', (c) => c.notNull().references('customer_events.id').onDelete('cascade'))
    .addColumn('customer_id', 'text', (c) => c.notNull())
    // pending (no reply yet) / accepted / declined / no_answer / attended
    .addColumn('reply', 'text', (c) => c.notNull())
    // Staff's note on the reply (personal: erased with the file).
    .addColumn('note', 'text')
    .addColumn('message_id', 'text')
    .addColumn('invited_by', 'text')
    .addColumn('invited_at', 'text', (c) => c.notNull())
    .addColumn('replied_by', 'text')
    .addColumn('replied_at', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex('customer_event_invitees_one').on('customer_event_invitees').columns(['event_id', 'customer_id']).unique().execute();
  await db.schema.createIndex('customer_event_invitees_customer').on('customer_event_invitees').columns(['customer_id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('customer_event_invitees').execute();
  await db.schema.dropTable('customer_events').execute();
  await db.schema.dropTable('care_gifts').execute();
  await db.schema.dropTable('customer_messages').execute();
}
