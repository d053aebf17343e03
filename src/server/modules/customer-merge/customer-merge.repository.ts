import { sql } from 'kysely';
import { nameKey } from '../../../contracts/customer-merge.ts';
import type { Tx } from '../../../db/database.ts';
import type { CustomerIdentifierTable, CustomerMergeTable } from '../../../db/schema.ts';
import { customerRepository, nearScopeSql, type CustomerView, type NearScope } from '../customers/customer.repository.ts';

export type MergeRow = CustomerMergeTable;

/** A live file holding a key shared with another live file of its company. */
export interface DuplicateMember {
  unit: string;
  kind: string;
  key: string;
  customer_id: string;
  birthday: string | null;
}

/** SQL of duplicate detection, dismissals, merge history and the relinking of the core tables. */
export const customerMergeRepository = {
  /**
   * The holders of every key held by two or more files, in scope, live (not merged, not destroyed). Keys:
   * the identifiers' lookup values (ID numbers as their HMAC), the file's own phone and lower-cased e-mail,
   * and the normalised name. First the duplicated keys, each source grouped on its own index — (kind,
   * lookup), customers_phone, (name_key, org_unit_id) — plus a phone or e-mail of the file held as another
   * file's identifier (an index probe each); then their holders. Never a comparison of every file with
   * every other. The caller groups by company (a key shared across companies is no pair).
   */
  async duplicateMembers(db: Tx, scope: NearScope): Promise<DuplicateMember[]> {
    const inScope = nearScopeSql(sql.ref('u.path'), scope);
    const d = sql`
      select i.kind as kind, i.lookup as k from customer_identifiers i where i.kind in ('phone', 'email', 'id_number', 'member_card')
        group by i.kind, i.lookup having count(distinct i.customer_id) > 1
      union select 'phone', c.phone from customers c where c.phone is not null group by c.phone having count(*) > 1
      union select 'phone', c.phone from customers c where c.phone is not null
        and exists (select 1 from customer_identifiers i where i.kind = 'phone' and i.lookup = c.phone and i.customer_id <> c.id)
      union select 'email', lower(trim(c.email)) from customers c where c.email is not null group by lower(trim(c.email)) having count(*) > 1
      union select 'email', lower(trim(c.email)) from customers c where c.email is not null
        and exists (select 1 from customer_identifiers i where i.kind = 'email' and i.lookup = lower(trim(c.email)) and i.customer_id <> c.id)
      union select 'name', c.name_key from customers c where c.name_key is not null and c.name_key <> '' group by c.name_key, c.org_unit_id having count(*) > 1`;
    const r = await sql<DuplicateMember>`
      with d as (${d})
      select c.org_unit_id as unit, m.kind as kind, m.k as key, m.cid as customer_id, c.birthday as birthday
      from (
        select i.customer_id as cid, i.kind as kind, i.lookup as k from customer_identifiers i join d on d.kind = i.kind and d.k = i.lookup
        union select c.id, 'phone', c.phone from d join customers c on c.phone = d.k where d.kind = 'phone'
        union select c.id, 'email', lower(trim(c.email)) from customers c where c.email is not null and lower(trim(c.email)) in (select k from d where kind = 'email')
        union select c.id, 'name', c.name_key from d join customers c on c.name_key = d.k where d.kind = 'name'
      ) m
      join customers c on c.id = m.cid
      join org_units u on u.id = c.org_unit_id
      where ${inScope} and c.merged_into_id is null and c.destroyed_at is null
      order by c.org_unit_id, m.kind, m.k, m.cid`.execute(db);
    return r.rows;
  },

  /** Files whose name has no key yet: written by other paths than customerRepository (bulk import). */
  async namesWithoutKey(db: Tx, limit: number): Promise<{ id: string; name: string }[]> {
    return db.selectFrom('customers').select(['id', 'name']).where('name_key', 'is', null).where('merged_into_id', 'is', null).where('destroyed_at', 'is', null).limit(limit).execute();
  },

  async setNameKeys(db: Tx, rows: { id: string; name: string }[]): Promise<void> {
    for (const r of rows) await db.updateTable('customers').set({ name_key: nameKey(r.name) }).where('id', '=', r.id).execute();
  },

  async dismissedPairs(db: Tx, units: string[]): Promise<Set<string>> {
    if (units.length === 0) return new Set();
    const rows = await db.selectFrom('customer_duplicate_dismissals').select(['customer_a', 'customer_b']).where('org_unit_id', 'in', units).execute();
    return new Set(rows.map((r) => `${r.customer_a}|${r.customer_b}`));
  },

  async dismiss(db: Tx, row: { id: string; org_unit_id: string; customer_a: string; customer_b: string; dismissed_by: string | null; dismissed_at: string }): Promise<boolean> {
    const r = await db.insertInto('customer_duplicate_dismissals').values(row).onConflict((oc) => oc.columns(['customer_a', 'customer_b']).doNothing()).returning('id').executeTakeFirst();
    return r !== undefined;
  },

  async views(db: Tx, ids: string[]): Promise<CustomerView[]> {
    if (ids.length === 0) return [];
    return customerRepository.base(db).where('c.id', 'in', ids).execute();
  },

  async insertMerge(db: Tx, row: MergeRow): Promise<void> {
    await db.insertInto('customer_merges').values(row).execute();
  },

  /** The merges a file took part in, as survivor or as the merged-away file, newest first. */
  async mergesOf(db: Tx, customerId: string): Promise<MergeRow[]> {
    return db
      .selectFrom('customer_merges')
      .selectAll()
      .where((eb) => eb.or([eb('survivor_id', '=', customerId), eb('merged_id', '=', customerId)]))
      .orderBy('merged_at', 'desc')
      .orderBy('id', 'desc')
      .limit(100)
      .execute();
  },

  /** Adds identifiers to a file unless it already holds the same (kind, lookup). */
  async addIdentifiers(db: Tx, customerId: string, rows: Omit<CustomerIdentifierTable, 'customer_id' | 'position'>[]): Promise<void> {
    for (const r of rows) {
      const have = await db.selectFrom('customer_identifiers').select('id').where('customer_id', '=', customerId).where('kind', '=', r.kind).where('lookup', '=', r.lookup).executeTakeFirst();
      if (have) continue;
      const last = await db.selectFrom('customer_identifiers').select((eb) => eb.fn.max('position').as('p')).where('customer_id', '=', customerId).executeTakeFirst();
      await db.insertInto('customer_identifiers').values({ ...r, customer_id: customerId, position: Number(last?.p ?? -1) + 1 }).execute();
    }
  },

  /** Identifiers as audit entries show them: `kind:masked` only, per file. */
  async maskedIdentifiers(db: Tx, ids: string[]): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>();
    const rows = await db.selectFrom('customer_identifiers').select(['customer_id', 'kind', 'masked']).where('customer_id', 'in', ids).orderBy('position').execute();
    for (const r of rows) out.set(r.customer_id, [...(out.get(r.customer_id) ?? []), `${r.kind}:${r.masked}`]);
    return out;
  },

  // ---- relinkers of the core tables (registered in customer-merge.routes.ts) ----

  /** Work orders keep their copied name and phone; only the link moves. */
  async relinkTickets(db: Tx, fromId: string, toId: string): Promise<void> {
    await db.updateTable('tickets').set({ customer_id: toId }).where('customer_id', '=', fromId).execute();
  },

  /** care_tasks is unique per (customer, occasion, year): a task the survivor already has for the same occasion wins. */
  async relinkCareTasks(db: Tx, fromId: string, toId: string): Promise<void> {
    await db
      .deleteFrom('care_tasks')
      .where('customer_id', '=', fromId)
      .where(({ exists, selectFrom }) =>
        exists(selectFrom('care_tasks as t2').select('t2.id').where('t2.customer_id', '=', toId).whereRef('t2.occasion', '=', 'care_tasks.occasion').whereRef('t2.year', '=', 'care_tasks.year')),
      )
      .execute();
    await db.updateTable('care_tasks').set({ customer_id: toId }).where('customer_id', '=', fromId).execute();
  },

  /** Identifiers are united: the survivor keeps its own, gains the others' that it lacks (ID numbers compared by their HMAC). */
  async relinkIdentifiers(db: Tx, fromId: string, toId: string): Promise<void> {
    await db
      .deleteFrom('customer_identifiers')
      .where('customer_id', '=', fromId)
      .where(({ exists, selectFrom }) =>
        exists(selectFrom('customer_identifiers as i2').select('i2.id').where('i2.customer_id', '=', toId).whereRef('i2.kind', '=', 'customer_identifiers.kind').whereRef('i2.lookup', '=', 'customer_identifiers.lookup')),
      )
      .execute();
    const last = await db.selectFrom('customer_identifiers').select((eb) => eb.fn.max('position').as('p')).where('customer_id', '=', toId).executeTakeFirst();
    const offset = Number(last?.p ?? -1) + 1;
    await db.updateTable('customer_identifiers').set((eb) => ({ customer_id: toId, position: eb('position', '+', offset) })).where('customer_id', '=', fromId).execute();
  },

  /** Files merged earlier into the merged-away file now point at the survivor (no chains of pointers); its dismissals are moot. */
  async relinkPointers(db: Tx, fromId: string, toId: string): Promise<void> {
    await db.updateTable('customers').set({ merged_into_id: toId }).where('merged_into_id', '=', fromId).execute();
    await db.deleteFrom('customer_duplicate_dismissals').where((eb) => eb.or([eb('customer_a', '=', fromId), eb('customer_b', '=', fromId)])).execute();
  },

  /** The files merged into this one (pointers). */
  async pointersOf(db: Tx, customerId: string): Promise<string[]> {
    const rows = await db.selectFrom('customers').select('id').where('merged_into_id', '=', customerId).execute();
    return rows.map((r) => r.id);
  },

  /** The normalised name is personal data too: erasure empties it (the tombstone is never suggested again). */
  async clearNameKey(db: Tx, id: string): Promise<void> {
    await db.updateTable('customers').set({ name_key: null }).where('id', '=', id).execute();
  },

  async renamePointer(db: Tx, id: string, pseudonym: string): Promise<void> {
    await db.updateTable('customers').set({ name: pseudonym, name_key: null }).where('id', '=', id).execute();
  },
};
