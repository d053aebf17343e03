import { sql, type SqlBool } from 'kysely';
import type { Tx } from '../../../db/database.ts';
import type { CustomerContactTable, CustomerNoteTable, CustomerReadingTable } from '../../../db/schema.ts';

export type ContactRow = CustomerContactTable;
export type ContactView = ContactRow & { person_name: string | null };
export type NoteRow = CustomerNoteTable;

/** SQL of an organisation's contacts 联系人, the customer notes 跟进记录 and the reading a caller reveals them with. */
export const contactRepository = {
  async contactsOf(db: Tx, customerId: string, limit: number): Promise<ContactView[]> {
    return db
      .selectFrom('customer_contacts as k')
      .leftJoin('customers as p', 'p.id', 'k.person_id')
      .selectAll('k')
      .select('p.name as person_name')
      .where('k.customer_id', '=', customerId)
      // Key people first, then in the order they were added.
      .orderBy('k.key_person', 'desc')
      .orderBy('k.created_at')
      .orderBy('k.id')
      .limit(limit)
      .execute();
  },

  async contact(db: Tx, customerId: string, id: string): Promise<ContactView | undefined> {
    return db
      .selectFrom('customer_contacts as k')
      .leftJoin('customers as p', 'p.id', 'k.person_id')
      .selectAll('k')
      .select('p.name as person_name')
      .where('k.customer_id', '=', customerId)
      .where('k.id', '=', id)
      .executeTakeFirst();
  },

  async countOf(db: Tx, customerId: string): Promise<number> {
    const r = await db.selectFrom('customer_contacts').select((eb) => eb.fn.countAll().as('n')).where('customer_id', '=', customerId).executeTakeFirst();
    return Number(r?.n ?? 0);
  },

  async insertContact(db: Tx, row: ContactRow): Promise<void> {
    await db.insertInto('customer_contacts').values(row).execute();
  },

  /** Optimistic update: false when the version moved on. */
  async updateContact(db: Tx, id: string, version: number, patch: Partial<ContactRow>): Promise<boolean> {
    const r = await db.updateTable('customer_contacts').set({ ...patch, version: version + 1 }).where('id', '=', id).where('version', '=', version).executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  },

  async deleteContact(db: Tx, id: string, version: number): Promise<boolean> {
    const r = await db.deleteFrom('customer_contacts').where('id', '=', id).where('version', '=', version).executeTakeFirst();
    return Number(r.numDeletedRows) === 1;
  },

  async insertNote(db: Tx, row: NoteRow): Promise<void> {
    await db.insertInto('customer_notes').values(row).execute();
  },

  /** Newest first, keyset on (at, id). */
  async notesOf(db: Tx, customerId: string, before: [string, string] | undefined, limit: number): Promise<NoteRow[]> {
    let q = db.selectFrom('customer_notes as n').selectAll('n').where('n.customer_id', '=', customerId);
    if (before) q = q.where(sql<SqlBool>`(n.at, n.id) < (${before[0]}, ${before[1]})`);
    return q.orderBy('n.at', 'desc').orderBy('n.id', 'desc').limit(limit).execute();
  },

  /** The caller's own reading record of this file, made at or after `since`, with the access request it was made under (if any). */
  async readingOf(
    db: Tx,
    id: string,
    customerId: string,
    userId: string,
    since: string,
  ): Promise<(CustomerReadingTable & { request_status: string | null; request_expires_at: string | null }) | undefined> {
    return db
      .selectFrom('customer_readings as r')
      .leftJoin('customer_access_requests as ar', 'ar.id', 'r.access_request_id')
      .selectAll('r')
      .select(['ar.status as request_status', 'ar.expires_at as request_expires_at'])
      .where('r.id', '=', id)
      .where('r.customer_id', '=', customerId)
      .where('r.user_id', '=', userId)
      .where('r.at', '>=', since)
      .executeTakeFirst();
  },

  /** Merge 合并: the duplicate's contacts and notes, and links to it as a person, go to the surviving file. */
  async relink(db: Tx, fromId: string, toId: string): Promise<void> {
    await db.updateTable('customer_contacts').set({ customer_id: toId }).where('customer_id', '=', fromId).execute();
    await db.updateTable('customer_contacts').set({ person_id: toId }).where('person_id', '=', fromId).execute();
    await db.updateTable('customer_notes').set({ customer_id: toId }).where('customer_id', '=', fromId).execute();
  },

  /** Erasure: the customer's contacts and notes go; contacts elsewhere keep their entry but lose the link to this person's file. */
  async erase(db: Tx, customerId: string): Promise<void> {
    await db.deleteFrom('customer_contacts').where('customer_id', '=', customerId).execute();
    await db.deleteFrom('customer_notes').where('customer_id', '=', customerId).execute();
    await db.updateTable('customer_contacts').set({ person_id: null }).where('person_id', '=', customerId).execute();
  },
};
