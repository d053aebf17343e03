import { sql, type Kysely } from 'kysely';
import { newId } from '../../server/platform/ids.ts';

/**
 * Work orders (工单) and the complaint closed loop: customers (minimal), categories, numbering
 * counters, tickets, their timeline and conversation, callbacks (回访), notifications.
 * Same file for SQLite and PostgreSQL.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('customers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_unit_id', 'text', (c) => c.notNull().references('org_units.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('phone', 'text')
    .addColumn('email', 'text')
    .addColumn('vip', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('tier', 'text', (c) => c.notNull().defaultTo('ordinary'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex('customers_phone').on('customers').column('phone').execute();
  await db.schema.createIndex('customers_name').on('customers').column('name').execute();
  await db.schema.createIndex('customers_unit').on('customers').column('org_unit_id').execute();

  await db.schema
    .createTable('ticket_categories')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('parent_id', 'text', (c) => c.references('ticket_categories.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('sort', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex('ticket_categories_parent').on('ticket_categories').columns(['parent_id', 'sort']).execute();
  // A hotel's first-level categories; an administrator's editor comes later.
  const categories = ['客房', '餐饮', '设施设备', '账单', '服务态度', '安全', '其他'];
  await db
    .insertInto('ticket_categories')
    .values(categories.map((name, i) => ({ id: newId(), parent_id: null, name, sort: (i + 1) * 10 })))
    .execute();

  // One row per numbering scope (a company) and local day; `last` is bumped by an upsert in the intake transaction.
  await db.schema
    .createTable('ticket_counters')
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('last', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('ticket_counters_pk', ['scope', 'day'])
    .execute();

  await db.schema
    .createTable('tickets')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('number', 'text', (c) => c.notNull().unique())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('customer_id', 'text', (c) => c.references('customers.id'))
    .addColumn('customer_name', 'text')
    .addColumn('customer_phone', 'text')
    .addColumn('category_id', 'text', (c) => c.references('ticket_categories.id'))
    .addColumn('priority', 'integer', (c) => c.notNull())
    .addColumn('severity', 'integer')
    .addColumn('tags', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('org_unit_id', 'text', (c) => c.notNull().references('org_units.id'))
    .addColumn('department_id', 'text', (c) => c.references('org_units.id'))
    .addColumn('assignee_id', 'text', (c) => c.references('users.id'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('due_at', 'text')
    .addColumn('first_response_at', 'text')
    .addColumn('resolved_at', 'text')
    .addColumn('closed_at', 'text')
    .addColumn('close_reason', 'text')
    .addColumn('reopen_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_by', 'text', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  // One index per queue's where + default order (created_at, id), the scope join, and the lookups.
  await db.schema.createIndex('tickets_unit').on('tickets').columns(['org_unit_id', 'created_at', 'id']).execute();
  await db.schema.createIndex('tickets_created').on('tickets').columns(['created_at', 'id']).execute();
  await db.schema.createIndex('tickets_updated').on('tickets').columns(['updated_at', 'id']).execute();
  await db.schema.createIndex('tickets_assignee').on('tickets').columns(['assignee_id', 'created_at', 'id']).execute();
  await db.schema.createIndex('tickets_department').on('tickets').columns(['department_id', 'created_at', 'id']).execute();
  await db.schema.createIndex('tickets_status').on('tickets').columns(['status', 'created_at', 'id']).execute();
  await db.schema
    .createIndex('tickets_unassigned')
    .on('tickets')
    .columns(['created_at', 'id'])
    .where(sql.ref('assignee_id'), 'is', null)
    .execute();
  await db.schema
    .createIndex('tickets_due')
    .on('tickets')
    .columns(['due_at', 'id'])
    .where(sql.ref('due_at'), 'is not', null)
    .execute();
  await db.schema.createIndex('tickets_customer').on('tickets').columns(['customer_id', 'created_at']).execute();
  await db.schema.createIndex('tickets_customer_phone').on('tickets').column('customer_phone').execute();

  await db.schema
    .createTable('ticket_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('ticket_id', 'text', (c) => c.notNull().references('tickets.id'))
    // Position in the ticket's timeline: ids made in the same millisecond do not order themselves.
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('actor_name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    .addUniqueConstraint('ticket_events_seq', ['ticket_id', 'seq'])
    .execute();

  await db.schema
    .createTable('ticket_messages')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('ticket_id', 'text', (c) => c.notNull().references('tickets.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('author_id', 'text', (c) => c.references('users.id'))
    .addColumn('author_name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('ticket_messages_ticket').on('ticket_messages').columns(['ticket_id', 'created_at']).execute();

  await db.schema
    .createTable('callbacks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('ticket_id', 'text', (c) => c.notNull().references('tickets.id'))
    .addColumn('due_at', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('max_attempts', 'integer', (c) => c.notNull().defaultTo(3))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('performed_by', 'text', (c) => c.references('users.id'))
    .addColumn('performed_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex('callbacks_status_due').on('callbacks').columns(['status', 'due_at', 'id']).execute();
  await db.schema.createIndex('callbacks_ticket').on('callbacks').column('ticket_id').execute();

  await db.schema
    .createTable('notifications')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('ticket_id', 'text', (c) => c.references('tickets.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('read_at', 'text')
    .execute();
  await db.schema.createIndex('notifications_user').on('notifications').columns(['user_id', 'created_at', 'id']).execute();
}

export async function down(): Promise<void> {
  throw new Error('Migrations are append-only: restore a backup to go back.');
}
