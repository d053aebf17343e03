import type { Kysely } from 'kysely';

/**
 * Customer files 客户档案 under confidentiality: the minimal `customers` row of 0002 gains the file's
 * fields (kind, person / organisation data, needs, owner, classifications, confidentiality level and
 * period); identifiers get their own table (phone, email, member card — indexed for lookup; ID number
 * encrypted with a keyed hash for exact lookup); every opening of a file is a reading record 借阅记录.
 * Same file for SQLite and PostgreSQL.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const add = async (name: string, type: 'text' | 'integer', dflt?: string | number) => {
    await db.schema
      .alterTable('customers')
      .addColumn(name, type, (c) => (dflt === undefined ? c : c.notNull().defaultTo(dflt)))
      .execute();
  };
  await add('kind', 'text', 'person');
  await add('gender', 'text');
  await add('birthday', 'text');
  await add('birthday_lunar', 'integer', 0);
  await add('position', 'text');
  await add('address', 'text');
  await add('industry', 'text');
  await add('org_size', 'text');
  await add('relation_since', 'text');
  await add('needs', 'text');
  await add('preferences', 'text');
  await add('notes', 'text');
  await add('owner_id', 'text');
  await add('category', 'text', 'A');
  await add('member_level', 'text');
  await add('credit_class', 'text');
  await add('credit_date', 'text');
  await add('credit_basis', 'text');
  await add('tags', 'text', '[]');
  await add('confidentiality', 'text', 'ordinary');
  await add('declassify_on', 'text');
  await add('protected_sections', 'text', '[]');
  await add('archived_at', 'text');

  await db.schema
    .createTable('customer_identifiers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    // The normalised value for phone / email / member card; for an ID number: the HMAC (hex) only.
    .addColumn('lookup', 'text', (c) => c.notNull())
    // AES-256-GCM ciphertext of an ID number (null for the other kinds).
    .addColumn('sealed', 'text')
    // The masked form shown below the file's level (138****5678), computed at write time.
    .addColumn('masked', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('customer_identifiers_lookup').on('customer_identifiers').columns(['kind', 'lookup']).execute();
  await db.schema.createIndex('customer_identifiers_customer').on('customer_identifiers').columns(['customer_id', 'position']).execute();

  await db.schema
    .createTable('customer_readings')
    .addColumn('id', 'text', (c) => c.primaryKey())
    // No foreign key: the log outlives a deleted file.
    .addColumn('customer_id', 'text', (c) => c.notNull())
    .addColumn('org_unit_id', 'text', (c) => c.notNull().references('org_units.id'))
    .addColumn('user_id', 'text')
    .addColumn('user_name', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('level', 'text', (c) => c.notNull())
    .addColumn('sections', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('customer_readings_unit').on('customer_readings').columns(['org_unit_id', 'at', 'id']).execute();
  await db.schema.createIndex('customer_readings_customer').on('customer_readings').columns(['customer_id', 'at']).execute();
  await db.schema.createIndex('customer_readings_user').on('customer_readings').columns(['user_id', 'at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('customer_readings').execute();
  await db.schema.dropTable('customer_identifiers').execute();
}
