import { sql, type Kysely } from 'kysely';

/**
 * Destruction 销毁 of customer files (customer-file issue §5): a request names a file and a reason and
 * goes through three approvals in order — records officer 客户信息主管, service manager 客服部经理,
 * general manager 总经理 — each step one row. The customers row gains `destroyed_at`: a destroyed file
 * stays as a tombstone (id, unit, kind, category, dates, a pseudonym). Existing databases' built-in roles
 * get the new step permissions (the records officer gives step 1 instead of holding the manager's step).
 * Same file for SQLite and PostgreSQL.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('customers').addColumn('destroyed_at', 'text').execute();

  await db.schema
    .createTable('customer_destructions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    // The file stays (as a tombstone) after destruction; deleting a file (never category A) takes its requests along.
    .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id').onDelete('cascade'))
    // The file's unit when requested: the request's scope.
    .addColumn('org_unit_id', 'text', (c) => c.notNull().references('org_units.id'))
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull()) // pending | rejected | destroyed
    // The step waiting for a decision (1..3) while pending; null once ended.
    .addColumn('current_step', 'integer')
    .addColumn('requested_by', 'text')
    .addColumn('requested_by_name', 'text', (c) => c.notNull())
    .addColumn('requested_at', 'text', (c) => c.notNull())
    .addColumn('ended_at', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex('customer_destructions_customer').on('customer_destructions').columns(['customer_id', 'status']).execute();
  // At most one request in approval per file, also between concurrent writers.
  await db.schema.createIndex('customer_destructions_one_pending').on('customer_destructions').column('customer_id').unique().where(sql.ref('status'), '=', 'pending').execute();
  await db.schema.createIndex('customer_destructions_status').on('customer_destructions').columns(['status', 'requested_at']).execute();

  await db.schema
    .createTable('customer_destruction_steps')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('destruction_id', 'text', (c) => c.notNull().references('customer_destructions.id').onDelete('cascade'))
    .addColumn('step', 'integer', (c) => c.notNull())
    .addColumn('decision', 'text', (c) => c.notNull()) // approve | reject
    .addColumn('comment', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('user_id', 'text')
    .addColumn('user_name', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();
  // One decision per step: a second approver of the same step loses the race.
  await db.schema.createIndex('customer_destruction_steps_once').on('customer_destruction_steps').columns(['destruction_id', 'step']).unique().execute();

  // Built-in roles of an existing database (a fresh one gets them from the catalog at start).
  const roles = await db.selectFrom('roles').select(['id', 'key', 'permissions']).where('built_in', '=', 1).where('key', 'in', ['records_officer', 'director']).execute();
  for (const r of roles as { id: string; key: string; permissions: string }[]) {
    const set = new Set(JSON.parse(r.permissions) as string[]);
    if (r.key === 'records_officer') {
      set.delete('customer:approve_destruction');
      set.add('customer:destruction_review');
    } else {
      set.add('customer:destruction_final');
    }
    await db.updateTable('roles').set({ permissions: JSON.stringify([...set].sort()) }).where('id', '=', r.id).execute();
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('customer_destruction_steps').execute();
  await db.schema.dropTable('customer_destructions').execute();
  await db.schema.alterTable('customers').dropColumn('destroyed_at').execute();
}
