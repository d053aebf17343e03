import { sql } from 'kysely';
import { nameKey } from '../../../contracts/customer-merge.ts';
import type { Tx } from '../../../db/database.ts';
import type { CustomerIdentifierTable, CustomerImportErrorTable, CustomerImportTable, CustomerTable } from '../../../db/schema.ts';
import { customerRepository, nearScopeSql, type CustomerView, type NearScope } from '../customers/customer.repository.ts';

export type ImportRow = CustomerImportTable;
export type ImportView = ImportRow & { unit_name: string; unit_path: string };
export type ImportErrorRow = CustomerImportErrorTable;

/** Rows per multi-row INSERT (well under both engines' bound-parameter limits at ~35 columns). */
const INSERT_CHUNK = 200;

/** SQL of import runs, their row errors, and the bulk reads and writes of customer files an import makes. */
export const customerImportRepository = {
  async insert(db: Tx, row: ImportRow): Promise<void> {
    await db.insertInto('customer_imports').values(row).execute();
  },

  async update(db: Tx, id: string, patch: Partial<ImportRow>): Promise<void> {
    await db.updateTable('customer_imports').set(patch).where('id', '=', id).execute();
  },

  /** Moves a run from one of `from` statuses; false when it was in none of them (someone else moved it). */
  async transition(db: Tx, id: string, from: string[], patch: Partial<ImportRow>): Promise<boolean> {
    const r = await db.updateTable('customer_imports').set(patch).where('id', '=', id).where('status', 'in', from).executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  },

  base(db: Tx) {
    return db.selectFrom('customer_imports as i').innerJoin('org_units as u', 'u.id', 'i.org_unit_id').selectAll('i').select(['u.name as unit_name', 'u.path as unit_path']);
  },

  async byId(db: Tx, id: string): Promise<ImportView | undefined> {
    return this.base(db).where('i.id', '=', id).executeTakeFirst();
  },

  async byIdInScope(db: Tx, id: string, scope: NearScope): Promise<ImportView | undefined> {
    return this.base(db).where('i.id', '=', id).where(nearScopeSql(sql.ref('u.path'), scope)).executeTakeFirst();
  },

  /** The newest runs in the scope. */
  async list(db: Tx, scope: NearScope, limit: number): Promise<ImportView[]> {
    return this.base(db).where(nearScopeSql(sql.ref('u.path'), scope)).orderBy('i.created_at', 'desc').orderBy('i.id', 'desc').limit(limit).execute();
  },

  /** Runs still holding an uploaded file, untouched since `before` (their files are swept). */
  async staleFiles(db: Tx, before: string, limit: number): Promise<{ id: string; file_key: string }[]> {
    const rows = await db.selectFrom('customer_imports').select(['id', 'file_key']).where('file_key', 'is not', null).where('updated_at', '<', before).where('status', 'not in', ['queued', 'running']).limit(limit).execute();
    return rows as { id: string; file_key: string }[];
  },

  async clearErrors(db: Tx, importId: string): Promise<void> {
    await db.deleteFrom('customer_import_errors').where('import_id', '=', importId).execute();
  },

  async insertErrors(db: Tx, rows: ImportErrorRow[]): Promise<void> {
    for (let i = 0; i < rows.length; i += INSERT_CHUNK) await db.insertInto('customer_import_errors').values(rows.slice(i, i + INSERT_CHUNK)).execute();
  },

  async errors(db: Tx, importId: string, offset: number, limit: number): Promise<ImportErrorRow[]> {
    return db.selectFrom('customer_import_errors').selectAll().where('import_id', '=', importId).orderBy('seq').offset(offset).limit(limit).execute();
  },

  async errorCount(db: Tx, importId: string): Promise<number> {
    const r = await db.selectFrom('customer_import_errors').select((eb) => eb.fn.countAll().as('n')).where('import_id', '=', importId).executeTakeFirst();
    return Number(r?.n ?? 0);
  },

  /** Files of these companies whose phone is one of `phones`. */
  async byPhones(db: Tx, companyIds: string[], phones: string[]): Promise<CustomerView[]> {
    if (companyIds.length === 0 || phones.length === 0) return [];
    return customerRepository.base(db).where('c.org_unit_id', 'in', companyIds).where('c.phone', 'in', phones).where('c.merged_into_id', 'is', null).where('c.destroyed_at', 'is', null).execute();
  },

  /** Files of these companies holding an identifier of `kind` with one of these lookup values; with the value matched. */
  async byIdentifiers(db: Tx, companyIds: string[], kind: string, lookups: string[]): Promise<(CustomerView & { matched: string })[]> {
    if (companyIds.length === 0 || lookups.length === 0) return [];
    return customerRepository
      .base(db)
      .innerJoin('customer_identifiers as k', 'k.customer_id', 'c.id')
      .select('k.lookup as matched')
      .where('c.org_unit_id', 'in', companyIds)
      .where('k.kind', '=', kind)
      .where('k.lookup', 'in', lookups)
      .where('c.merged_into_id', 'is', null)
      .where('c.destroyed_at', 'is', null)
      .execute();
  },

  async identifiersOf(db: Tx, customerIds: string[]): Promise<CustomerIdentifierTable[]> {
    if (customerIds.length === 0) return [];
    return db.selectFrom('customer_identifiers').selectAll().where('customer_id', 'in', customerIds).orderBy('customer_id').orderBy('position').execute();
  },

  async insertCustomers(db: Tx, rows: CustomerTable[]): Promise<void> {
    // name_key as customerRepository.insert keeps it (duplicate detection groups by it).
    for (let i = 0; i < rows.length; i += INSERT_CHUNK) await db.insertInto('customers').values(rows.slice(i, i + INSERT_CHUNK).map((r) => ({ ...r, name_key: nameKey(r.name) }))).execute();
  },

  async insertIdentifiers(db: Tx, rows: CustomerIdentifierTable[]): Promise<void> {
    for (let i = 0; i < rows.length; i += INSERT_CHUNK) await db.insertInto('customer_identifiers').values(rows.slice(i, i + INSERT_CHUNK)).execute();
  },

  /** Optimistic update of a file: 0 when its version moved on meanwhile. */
  async updateCustomer(db: Tx, id: string, version: number, patch: Partial<CustomerTable>): Promise<number> {
    return customerRepository.update(db, id, version, patch);
  },
};
