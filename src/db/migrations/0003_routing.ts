import { sql, type Kysely } from 'kysely';

/**
 * Routing rules (分流), department transfers (转派 / 部门回复) and manual escalation (升级).
 * Same file for SQLite and PostgreSQL.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('routing_rules')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_unit_id', 'text', (c) => c.notNull().references('org_units.id'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('conditions', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('actions', 'text', (c) => c.notNull())
    .addColumn('rr_last_user_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  // Intake reads the rules of a company and its ancestors in order.
  await db.schema.createIndex('routing_rules_unit').on('routing_rules').columns(['org_unit_id', 'position', 'id']).execute();

  // SQLite allows a REFERENCES clause on an added column whose default is NULL.
  await db.schema
    .alterTable('tickets')
    .addColumn('routing_rule_id', 'text', (c) => c.references('routing_rules.id').onDelete('set null'))
    .execute();
  await db.schema.alterTable('tickets').addColumn('escalation_level', 'text').execute();
  // Deleting a rule clears its references; reports will count work orders per rule.
  await db.schema
    .createIndex('tickets_routing_rule')
    .on('tickets')
    .column('routing_rule_id')
    .where(sql.ref('routing_rule_id'), 'is not', null)
    .execute();

  await db.schema
    .createTable('ticket_transfers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('ticket_id', 'text', (c) => c.notNull().references('tickets.id'))
    .addColumn('from_unit_id', 'text', (c) => c.notNull().references('org_units.id'))
    .addColumn('to_department_id', 'text', (c) => c.notNull().references('org_units.id'))
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('time_limit_minutes', 'integer', (c) => c.notNull())
    .addColumn('due_at', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('answer', 'text')
    .addColumn('answered_by', 'text', (c) => c.references('users.id'))
    .addColumn('answered_at', 'text')
    .addColumn('cancelled_by', 'text', (c) => c.references('users.id'))
    .addColumn('cancelled_at', 'text')
    .addColumn('routing_rule_id', 'text', (c) => c.references('routing_rules.id').onDelete('set null'))
    .addColumn('created_by', 'text', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  // The department's inbox (and the read-scope subquery): by department and status, due first.
  await db.schema.createIndex('ticket_transfers_department').on('ticket_transfers').columns(['to_department_id', 'status', 'due_at', 'id']).execute();
  // A work order's transfers (open ones decide when it returns to in_progress).
  await db.schema.createIndex('ticket_transfers_ticket').on('ticket_transfers').columns(['ticket_id', 'status']).execute();
  await db.schema.createIndex('ticket_transfers_rule').on('ticket_transfers').column('routing_rule_id').where(sql.ref('routing_rule_id'), 'is not', null).execute();

  // Built-in roles of an existing database get the new permission (a fresh one gets it from the catalog).
  const roles = await db.selectFrom('roles').select(['id', 'permissions']).where('built_in', '=', 1).where('key', 'in', ['manager', 'director']).execute();
  for (const r of roles as { id: string; permissions: string }[]) {
    const perms = new Set(JSON.parse(r.permissions) as string[]);
    if (perms.has('routing:manage')) continue;
    perms.add('routing:manage');
    await db.updateTable('roles').set({ permissions: JSON.stringify([...perms].sort()) }).where('id', '=', r.id).execute();
  }
}

export async function down(): Promise<void> {
  throw new Error('Migrations are append-only: restore a backup to go back.');
}
