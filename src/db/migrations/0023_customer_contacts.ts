import type { Kysely } from 'kysely';

/**
 * An organisation's contacts 联系人 and key people 关键人 (decision makers), and the customer notes
 * 跟进记录 (dated follow-up notes by staff). Both hold personal data of the customer: the customer
 * erasure deletes them (customer-relations/relations.routes.ts). Same file for SQLite and PostgreSQL.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('customer_contacts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('title', 'text')
    .addColumn('phones', 'text', (c) => c.notNull().defaultTo('[]')) // JSON list of normalised numbers
    .addColumn('email', 'text')
    .addColumn('role', 'text', (c) => c.notNull()) // decision_maker | influencer | user | other
    .addColumn('key_person', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('notes', 'text')
    // The contact's own person file, when there is one.
    .addColumn('person_id', 'text', (c) => c.references('customers.id').onDelete('set null'))
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex('customer_contacts_customer').on('customer_contacts').columns(['customer_id', 'created_at', 'id']).execute();
  await db.schema.createIndex('customer_contacts_person').on('customer_contacts').column('person_id').execute();

  await db.schema
    .createTable('customer_notes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id').onDelete('cascade'))
    .addColumn('at', 'text', (c) => c.notNull()) // when the follow-up happened (defaults to the writing)
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('author_id', 'text')
    .addColumn('author_name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('customer_notes_customer').on('customer_notes').columns(['customer_id', 'at', 'id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('customer_notes').execute();
  await db.schema.dropTable('customer_contacts').execute();
}
