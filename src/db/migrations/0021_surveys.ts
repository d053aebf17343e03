import type { Kysely } from 'kysely';

/**
 * Satisfaction surveys 满意度调查 (customer-file issue §9): surveys of a company unit (questions as JSON),
 * one invitation per survey × customer (the link token kept only as its SHA-256; the segment
 * classification snapshotted for the results), and one answer row per question of an answered invitation.
 * Same file for SQLite and PostgreSQL.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('surveys')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_unit_id', 'text', (c) => c.notNull().references('org_units.id'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('intro', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('questions', 'text', (c) => c.notNull()) // JSON: SurveyQuestion[]
    .addColumn('status', 'text', (c) => c.notNull()) // draft | open | closed
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('opened_at', 'text')
    .addColumn('closed_at', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex('surveys_unit').on('surveys').columns(['org_unit_id', 'created_at']).execute();

  await db.schema
    .createTable('survey_invitations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('survey_id', 'text', (c) => c.notNull().references('surveys.id').onDelete('cascade'))
    // No foreign key to customers: answers count in the results after a file is destroyed (its eraser blanks the personal values).
    .addColumn('customer_id', 'text', (c) => c.notNull())
    // The customer's branch, tier and category when invited: the results' segments.
    .addColumn('org_unit_id', 'text', (c) => c.notNull())
    .addColumn('tier', 'text', (c) => c.notNull())
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull()) // sms | email | none
    .addColumn('contact', 'text') // the phone or e-mail it went to (personal: erased)
    .addColumn('token_hash', 'text')
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull()) // pending | answered
    .addColumn('answered_at', 'text')
    .addColumn('answered_via', 'text') // link | staff
    .addColumn('answered_by', 'text')
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex('survey_invitations_once').on('survey_invitations').columns(['survey_id', 'customer_id']).unique().execute();
  await db.schema.createIndex('survey_invitations_token').on('survey_invitations').column('token_hash').unique().execute();
  await db.schema.createIndex('survey_invitations_customer').on('survey_invitations').columns(['customer_id', 'created_at']).execute();

  await db.schema
    .createTable('survey_answers')
    .addColumn('invitation_id', 'text', (c) => c.notNull().references('survey_invitations.id').onDelete('cascade'))
    .addColumn('question_no', 'integer', (c) => c.notNull())
    .addColumn('number_value', 'integer') // scale: the point; choice: the option's index
    .addColumn('text_value', 'text') // text questions (personal: erased)
    .addPrimaryKeyConstraint('survey_answers_pk', ['invitation_id', 'question_no'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('survey_answers').execute();
  await db.schema.dropTable('survey_invitations').execute();
  await db.schema.dropTable('surveys').execute();
}
