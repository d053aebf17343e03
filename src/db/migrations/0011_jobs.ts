import type { Kysely } from 'kysely';

/**
 * Durable jobs (后台任务): work scheduled for later or done outside a request — SLA escalation,
 * callbacks due, mail fetching, reports. Same file for SQLite and PostgreSQL.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('jobs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('dedupe_key', 'text')
    .addColumn('run_at', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('max_attempts', 'integer', (c) => c.notNull())
    .addColumn('locked_by', 'text')
    .addColumn('locked_until', 'text')
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .execute();
  // Scheduling the same thing twice is a no-op (NULL keys never collide, on both engines).
  await db.schema.createIndex('jobs_dedupe').on('jobs').columns(['kind', 'dedupe_key']).unique().execute();
  // The claim: queued and due (status, run_at), or running with an expired lease (status = 'running' is a short range).
  await db.schema.createIndex('jobs_due').on('jobs').columns(['status', 'run_at']).execute();
  // Housekeeping deletes old done jobs by finished_at.
  await db.schema.createIndex('jobs_finished').on('jobs').columns(['status', 'finished_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('jobs').execute();
}
