import { sql, type Kysely } from 'kysely';

/**
 * Indexes for the work-order queues and their counts at 1,000,000 orders (bench/RESULTS.md, work
 * orders). Every queue query also checks the reader's scope, which needs `org_unit_id` (the owning
 * unit's path) and `id` (transfers to a department in scope); carrying both in the queue's index lets
 * a COUNT run on the index alone and a page read only the rows it returns.
 * - mine / unassigned / department: (assignee or department, status, …) — the open statuses are a
 *   handful of index ranges instead of the person's or department's whole history.
 * - awaiting_callback / status filter, recent, overdue: the landed (status | updated_at | due_at,
 *   created_at?, id) indexes, widened to cover the scope; the narrower ones are dropped, so a new
 *   order maintains no more of them than before.
 * Same file for SQLite and PostgreSQL.
 */
export async function up(db: Kysely<any>): Promise<void> {
  // Replaces tickets_assignee (assignee_id, created_at, id): with it SQLite preferred walking a person's whole history in date order.
  await db.schema.createIndex('tickets_queue_assignee').on('tickets').columns(['assignee_id', 'status', 'created_at', 'id', 'org_unit_id']).execute();
  await db.schema.dropIndex('tickets_assignee').execute();
  await db.schema.createIndex('tickets_queue_department').on('tickets').columns(['department_id', 'status', 'org_unit_id', 'id']).execute();
  await db.schema.createIndex('tickets_queue_status').on('tickets').columns(['status', 'created_at', 'id', 'org_unit_id']).execute();
  await db.schema.dropIndex('tickets_status').execute();
  await db.schema.createIndex('tickets_queue_updated').on('tickets').columns(['updated_at', 'id', 'org_unit_id']).execute();
  await db.schema.dropIndex('tickets_updated').execute();
  await db.schema
    .createIndex('tickets_queue_due')
    .on('tickets')
    .columns(['due_at', 'id', 'org_unit_id', 'created_at'])
    .where(sql.ref('due_at'), 'is not', null)
    .execute();
  await db.schema.dropIndex('tickets_due').execute();
}

export async function down(): Promise<void> {
  throw new Error('Migrations are append-only: restore a backup to go back.');
}
