import { PostgresAdapter, sql, type Kysely } from 'kysely';
import { nameKey } from '../../../contracts/customer-merge.ts';
import type { Tx } from '../../../db/database.ts';
import type { AuditSubjectKeyTable, CustomerIdentifierTable, CustomerImportErrorTable, CustomerImportTable, CustomerTable } from '../../../db/schema.ts';
import type { AuditEntryRow } from '../audit/audit.service.ts';
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

/**
 * Staging of an all-or-nothing import: temporary tables (per connection, per run) shaped like the
 * real ones, filled batch by batch outside any long transaction, then applied by a few set-based
 * statements in one short transaction (applyStage). On SQLite, writes to TEMP tables take no lock
 * on the main database, so the server's other writers go on while the file is read and checked.
 */
export interface Stage {
  names: { customers: string; identifiers: string; keys: string; entries: string; updates: string };
  /** Columns written to each table (the staging tables have all the real ones; only these are copied). */
  columns: { customers: Set<string>; identifiers: Set<string>; keys: Set<string>; entries: Set<string> };
  updates: number;
}

const anyDb = (db: Tx) => db as unknown as Kysely<Record<string, Record<string, unknown>>>;
const isPostgres = (db: Tx) => db.getExecutor().adapter instanceof PostgresAdapter;
const cols = (c: Set<string>) => sql.join([...c].map((x) => sql.ref(x)));

async function stageInsert(db: Tx, table: string, columns: Set<string>, rows: object[]): Promise<void> {
  for (const r of rows) for (const k of Object.keys(r)) columns.add(k);
  for (let i = 0; i < rows.length; i += INSERT_CHUNK) await anyDb(db).insertInto(table).values(rows.slice(i, i + INSERT_CHUNK) as Record<string, unknown>[]).execute();
}

export const importStaging = {
  isPostgres,

  async create(db: Tx, importId: string): Promise<Stage> {
    const tag = importId.replace(/[^0-9a-f]/gi, '').slice(-20);
    const names = { customers: `import_stage_${tag}_c`, identifiers: `import_stage_${tag}_i`, keys: `import_stage_${tag}_k`, entries: `import_stage_${tag}_a`, updates: `import_stage_${tag}_u` };
    const st: Stage = { names, columns: { customers: new Set(), identifiers: new Set(), keys: new Set(), entries: new Set() }, updates: 0 };
    await this.drop(db, st);
    const like = async (name: string, of: string) => sql`create temporary table ${sql.table(name)} as select * from ${sql.table(of)} where 1 = 0`.execute(db);
    await like(names.customers, 'customers');
    await like(names.identifiers, 'customer_identifiers');
    await like(names.keys, 'audit_subject_keys');
    await like(names.entries, 'audit_entries');
    await sql`create temporary table ${sql.table(names.updates)} (seq integer primary key, id text not null, version integer not null, patch text not null)`.execute(db);
    return st;
  },

  async drop(db: Tx, st: Stage): Promise<void> {
    for (const n of Object.values(st.names)) await sql`drop table if exists ${sql.table(n)}`.execute(db);
  },

  customers: (db: Tx, st: Stage, rows: CustomerTable[]) => stageInsert(db, st.names.customers, st.columns.customers, rows.map((r) => ({ ...r, name_key: nameKey(r.name) }))),
  identifiers: (db: Tx, st: Stage, rows: CustomerIdentifierTable[]) => stageInsert(db, st.names.identifiers, st.columns.identifiers, rows),
  keys: (db: Tx, st: Stage, rows: AuditSubjectKeyTable[]) => stageInsert(db, st.names.keys, st.columns.keys, rows),
  entries: (db: Tx, st: Stage, rows: AuditEntryRow[]) => stageInsert(db, st.names.entries, st.columns.entries, rows),
  async update(db: Tx, st: Stage, row: { id: string; version: number; patch: Partial<CustomerTable> }): Promise<void> {
    await anyDb(db).insertInto(st.names.updates).values({ seq: ++st.updates, id: row.id, version: row.version, patch: JSON.stringify(row.patch) }).execute();
  },

  /**
   * Whether the database moved on since the rows were checked: a staged new file whose phone (or, for
   * another key, whose key identifier) a live file of its company now holds; an updated file at another
   * version; a subject that got an audit key meanwhile.
   */
  async conflicts(trx: Tx, st: Stage, key: string): Promise<boolean> {
    const n = st.names;
    // Each staged row probes the live files by index, whatever the planners believe: on SQLite a correlated
    // EXISTS per row, with "live" as ONE expression (as two IS NULL tests SQLite walked customers_merged_into —
    // every live file — and scanned the staging table for each: minutes at 100,000 rows); on PostgreSQL a
    // LATERAL … LIMIT 1 per row (an EXISTS becomes a semi-join, planned as a nested loop over all customers
    // when their statistics lag behind a large insert).
    const live = sql`coalesce(c.merged_into_id, c.destroyed_at) is null`;
    const probe = (from: ReturnType<typeof sql>, where: ReturnType<typeof sql>, inner: ReturnType<typeof sql>) =>
      isPostgres(trx)
        ? sql<{ n: number }>`select count(*) as n from ${from} cross join lateral (${inner} limit 1) m where ${where}`
        : sql<{ n: number }>`select count(*) as n from ${from} where ${where} and exists (${inner})`;
    const phone = await probe(
      sql`${sql.table(n.customers)} s`,
      sql`s.phone is not null`,
      sql`select 1 from customers c where c.org_unit_id = s.org_unit_id and c.phone = s.phone and ${live}`,
    ).execute(trx);
    if (Number(phone.rows[0]?.n ?? 0) > 0) return true;
    if (key !== 'phone') {
      const k = await probe(
        sql`${sql.table(n.identifiers)} si join ${sql.table(n.customers)} s on s.id = si.customer_id`,
        sql`si.kind = ${key}`,
        sql`select 1 from customer_identifiers k join customers c on c.id = k.customer_id where k.kind = si.kind and k.lookup = si.lookup and c.org_unit_id = s.org_unit_id and ${live}`,
      ).execute(trx);
      if (Number(k.rows[0]?.n ?? 0) > 0) return true;
    }
    const moved = await sql<{ x: number }>`select 1 as x from ${sql.table(n.updates)} u left join customers c on c.id = u.id and c.version = u.version and ${live} where c.id is null limit 1`.execute(trx);
    if (moved.rows.length) return true;
    const keyed = await probe(sql`${sql.table(n.keys)} s`, sql`1 = 1`, sql`select 1 from audit_subject_keys a where a.subject_type = s.subject_type and a.subject_id = s.subject_id`).execute(trx);
    return Number(keyed.rows[0]?.n ?? 0) > 0;
  },

  /** Copies the staged rows into the real tables (call in one transaction, after `conflicts`). */
  async apply(trx: Tx, st: Stage, updatedAt: string): Promise<void> {
    const n = st.names;
    const copy = async (to: string, from: string, c: Set<string>) => {
      if (c.size) await sql`insert into ${sql.table(to)} (${cols(c)}) select ${cols(c)} from ${sql.table(from)}`.execute(trx);
    };
    await copy('customers', n.customers, st.columns.customers);
    await copy('customer_identifiers', n.identifiers, st.columns.identifiers);
    await copy('audit_subject_keys', n.keys, st.columns.keys);
    // Updated files one by one, at their version (they are few next to new ones in a large import).
    for (let after = 0; after < st.updates; after += INSERT_CHUNK) {
      const rows = await sql<{ id: string; version: number; patch: string }>`select id, version, patch from ${sql.table(n.updates)} where seq > ${after} and seq <= ${after + INSERT_CHUNK} order by seq`.execute(trx);
      for (const u of rows.rows) {
        if ((await customerRepository.update(trx, u.id, Number(u.version), { ...(JSON.parse(u.patch) as Partial<CustomerTable>), updated_at: updatedAt })) === 0) throw new Error(`customer ${u.id} moved on during the import`);
      }
    }
    await copy('audit_entries', n.entries, st.columns.entries);
  },
};
