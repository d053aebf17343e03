import type { Kysely } from 'kysely';

/**
 * Service time limits (服务时限): policies and the clocks they start on work orders. A clock row
 * keeps what the interval arithmetic needs (target, time used before the running segment, the
 * segment's start) plus the next escalation stage and its instant; the sweep reads
 * `sla_clocks_due` (next_check_at) so its cost follows what is due, not what is open.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('sla_policies')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_unit_id', 'text', (c) => c.notNull().references('org_units.id'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('conditions', 'text', (c) => c.notNull())
    .addColumn('targets', 'text', (c) => c.notNull())
    .addColumn('escalation', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex('sla_policies_unit').on('sla_policies').columns(['org_unit_id', 'position']).execute();

  await db.schema.alterTable('tickets').addColumn('sla_policy_id', 'text', (c) => c.references('sla_policies.id').onDelete('set null')).execute();

  await db.schema
    .createTable('sla_clocks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('ticket_id', 'text', (c) => c.notNull().references('tickets.id').onDelete('cascade'))
    .addColumn('policy_id', 'text', (c) => c.references('sla_policies.id').onDelete('set null'))
    .addColumn('target', 'text', (c) => c.notNull())
    .addColumn('cycle', 'integer', (c) => c.notNull())
    .addColumn('mode', 'text', (c) => c.notNull())
    .addColumn('target_ms', 'integer', (c) => c.notNull())
    .addColumn('consumed_ms', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('segment_start', 'text')
    .addColumn('due_at', 'text')
    .addColumn('warn_at', 'text')
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('plan', 'text', (c) => c.notNull())
    .addColumn('last_stage', 'text')
    .addColumn('next_stage', 'text')
    .addColumn('next_check_at', 'text')
    .addColumn('stopped_at', 'text')
    .addColumn('breached_at', 'text')
    .addColumn('breach_status', 'text')
    .addColumn('calendar_unit_id', 'text', (c) => c.notNull().references('org_units.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('sla_clocks_ticket_target_cycle', ['ticket_id', 'target', 'cycle'])
    .execute();
  await db.schema.createIndex('sla_clocks_due').on('sla_clocks').columns(['next_check_at']).execute();
  await db.schema.createIndex('sla_clocks_report').on('sla_clocks').columns(['target', 'stopped_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('sla_clocks').execute();
  await db.schema.alterTable('tickets').dropColumn('sla_policy_id').execute();
  await db.schema.dropTable('sla_policies').execute();
}
