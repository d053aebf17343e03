import { sql, type Kysely } from 'kysely';

/**
 * Access requests 申请查阅 and re-verification 定期核定 of customer files (customer-file issue §3, §4).
 * - `customer_access_requests`: staff of another department ask to read a file's sections for a number
 *   of days; their manager AND the service department approve (either rejects); in force from the second
 *   approval until `expires_at`. A reading record made under a request names it (`access_request_id`).
 * - `customers.next_verification_on` (YYYY-MM-DD, the company's day) and `verification_months` (the
 *   file's period, default 3 = a quarter); existing files are back-filled to their creation day + 3
 *   months. `customer_verifications` records each confirmation or correction.
 * Same file for SQLite and PostgreSQL.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('customer_access_requests')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id').onDelete('cascade'))
    // The file's company when asked (the service department's approval is over it).
    .addColumn('customer_unit_id', 'text', (c) => c.notNull().references('org_units.id'))
    .addColumn('requester_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('requester_name', 'text', (c) => c.notNull())
    // The requester's own unit when asked (their manager's approval is over it).
    .addColumn('requester_unit_id', 'text', (c) => c.notNull().references('org_units.id'))
    .addColumn('sections', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('days', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull()) // pending | approved | rejected | withdrawn
    .addColumn('manager_id', 'text')
    .addColumn('manager_name', 'text')
    .addColumn('manager_at', 'text')
    .addColumn('service_id', 'text')
    .addColumn('service_name', 'text')
    .addColumn('service_at', 'text')
    .addColumn('rejected_by', 'text')
    .addColumn('rejected_by_name', 'text')
    .addColumn('rejected_at', 'text')
    .addColumn('decision_note', 'text')
    .addColumn('expires_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex('customer_access_requests_requester').on('customer_access_requests').columns(['requester_id', 'created_at']).execute();
  await db.schema.createIndex('customer_access_requests_status').on('customer_access_requests').columns(['status', 'created_at']).execute();
  await db.schema.createIndex('customer_access_requests_grant').on('customer_access_requests').columns(['customer_id', 'requester_id', 'status']).execute();

  await db.schema.alterTable('customer_readings').addColumn('access_request_id', 'text').execute();

  await db.schema.alterTable('customers').addColumn('next_verification_on', 'text').execute();
  await db.schema.alterTable('customers').addColumn('verification_months', 'integer', (c) => c.notNull().defaultTo(3)).execute();
  await db.schema.createIndex('customers_next_verification').on('customers').columns(['next_verification_on', 'id']).execute();

  // Back-fill: creation day (UTC) + 3 months, clamped to the month's end; one update per distinct day.
  const days = await db.selectFrom('customers').select(sql<string>`substr(created_at, 1, 10)`.as('d')).distinct().execute();
  for (const { d } of days) {
    await db
      .updateTable('customers')
      .set({ next_verification_on: addMonthsDay(d, 3) })
      .where(sql`substr(created_at, 1, 10)`, '=', d)
      .where('next_verification_on', 'is', null)
      .execute();
  }

  await db.schema
    .createTable('customer_verifications')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id').onDelete('cascade'))
    .addColumn('org_unit_id', 'text', (c) => c.notNull().references('org_units.id'))
    .addColumn('user_id', 'text')
    .addColumn('user_name', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('result', 'text', (c) => c.notNull()) // confirmed | corrected
    .addColumn('note', 'text')
    .addColumn('due_on', 'text')
    .addColumn('next_on', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('customer_verifications_customer').on('customer_verifications').columns(['customer_id', 'at']).execute();
}

/** YYYY-MM-DD plus n months, clamped to the last day of the month (kept here: migrations do not import code). */
function addMonthsDay(day: string, n: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const first = new Date(Date.UTC(y, m - 1 + n, 1));
  const last = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
  return new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth(), Math.min(d, last))).toISOString().slice(0, 10);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('customer_verifications').execute();
  await db.schema.dropIndex('customers_next_verification').execute();
  await db.schema.alterTable('customers').dropColumn('verification_months').execute();
  await db.schema.alterTable('customers').dropColumn('next_verification_on').execute();
  await db.schema.alterTable('customer_readings').dropColumn('access_request_id').execute();
  await db.schema.dropTable('customer_access_requests').execute();
}
