import type { Kysely } from 'kysely';

/**
 * Resolutions (处理结果) of work orders and the compensations they grant (补偿). A compensation
 * above the approval limit waits for a manager (pending_approval) and holds the ticket unresolved.
 * Amounts are stored in fen (分, integer). Same file for SQLite and PostgreSQL.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('ticket_resolutions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('ticket_id', 'text', (c) => c.notNull().references('tickets.id').onDelete('cascade'))
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('root_cause', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('ticket_resolutions_ticket').on('ticket_resolutions').columns(['ticket_id', 'created_at']).execute();
  await db.schema
    .createTable('compensations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('resolution_id', 'text', (c) => c.notNull().references('ticket_resolutions.id').onDelete('cascade'))
    .addColumn('ticket_id', 'text', (c) => c.notNull().references('tickets.id').onDelete('cascade'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('amount_fen', 'integer', (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('decided_by', 'text', (c) => c.references('users.id'))
    .addColumn('decided_at', 'text')
    .addColumn('decision_note', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('compensations_ticket').on('compensations').columns(['ticket_id', 'status']).execute();
  await db.schema.createIndex('compensations_status').on('compensations').columns(['status', 'created_at']).execute();
  // Corrective and preventive actions (纠正预防措施, CAPA), linkable to many work orders of their company.
  await db.schema
    .createTable('capas')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_unit_id', 'text', (c) => c.notNull().references('org_units.id'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('owner_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('due_date', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('verification_result', 'text')
    .addColumn('verification_note', 'text')
    .addColumn('verified_by', 'text', (c) => c.references('users.id'))
    .addColumn('verified_at', 'text')
    .addColumn('completed_at', 'text')
    .addColumn('created_by', 'text', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex('capas_due').on('capas').columns(['status', 'due_date']).execute();
  await db.schema
    .createTable('capa_tickets')
    .addColumn('capa_id', 'text', (c) => c.notNull().references('capas.id').onDelete('cascade'))
    .addColumn('ticket_id', 'text', (c) => c.notNull().references('tickets.id').onDelete('cascade'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('capa_tickets_pk', ['capa_id', 'ticket_id'])
    .execute();
  await db.schema.createIndex('capa_tickets_ticket').on('capa_tickets').columns(['ticket_id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('capa_tickets').execute();
  await db.schema.dropTable('capas').execute();
  await db.schema.dropTable('compensations').execute();
  await db.schema.dropTable('ticket_resolutions').execute();
}
