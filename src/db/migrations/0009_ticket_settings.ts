import { sql, type Kysely } from 'kysely';

/**
 * Work-order settings 工单设置: custom fields per unit and type (自定义字段), the category tree's
 * editor (工单分类: enabled flag, version, sibling names unique) and watchers (关注人).
 * Same file for SQLite and PostgreSQL.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('ticket_field_definitions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_unit_id', 'text', (c) => c.notNull().references('org_units.id'))
    .addColumn('ticket_type', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('label_zh', 'text', (c) => c.notNull())
    .addColumn('label_en', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    // JSON: { maxLength?, min?, max?, options?: [{ value, zh, en }] }
    .addColumn('config', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('required', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  // One key per unit and type; intake reads a chain of units for one type, in order.
  await db.schema.createIndex('ticket_field_definitions_key').on('ticket_field_definitions').columns(['org_unit_id', 'ticket_type', 'key']).unique().execute();
  await db.schema.createIndex('ticket_field_definitions_order').on('ticket_field_definitions').columns(['org_unit_id', 'ticket_type', 'position', 'id']).execute();

  // Values of a work order's custom fields: a JSON object { key: value }.
  await db.schema.alterTable('tickets').addColumn('custom_fields', 'text', (c) => c.notNull().defaultTo('{}')).execute();

  // The category editor: existing categories stay (enabled, version 1), so existing orders stay valid.
  await db.schema.alterTable('ticket_categories').addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1)).execute();
  await db.schema.alterTable('ticket_categories').addColumn('version', 'integer', (c) => c.notNull().defaultTo(1)).execute();
  // Sibling names are unique (the service says so first; this is the backstop under concurrency).
  await sql`create unique index ticket_categories_sibling_name on ticket_categories (coalesce(parent_id, ''), name)`.execute(db);
  // "In use" asks whether any work order points at a category: served by 0008's tickets_category (category_id first).

  await db.schema
    .createTable('ticket_watchers')
    .addColumn('ticket_id', 'text', (c) => c.notNull().references('tickets.id'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('added_by', 'text', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('ticket_watchers_pk', ['ticket_id', 'user_id'])
    .execute();
  await db.schema.createIndex('ticket_watchers_user').on('ticket_watchers').column('user_id').execute();

  // Built-in roles of an existing database get the new permission (a fresh one gets it from the catalog).
  const roles = await db.selectFrom('roles').select(['id', 'permissions']).where('built_in', '=', 1).where('key', 'in', ['manager', 'director']).execute();
  for (const r of roles as { id: string; permissions: string }[]) {
    const perms = new Set(JSON.parse(r.permissions) as string[]);
    if (perms.has('ticket:configure')) continue;
    perms.add('ticket:configure');
    await db.updateTable('roles').set({ permissions: JSON.stringify([...perms].sort()) }).where('id', '=', r.id).execute();
  }
}

export async function down(): Promise<void> {
  throw new Error('Migrations are append-only: restore a backup to go back.');
}
