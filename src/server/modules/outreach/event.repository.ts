import { sql } from 'kysely';
import type { Tx } from '../../../db/database.ts';
import type { CustomerEventInviteeTable, CustomerEventTable } from '../../../db/schema.ts';
import { nearScopeSql, type NearScope } from '../customers/customer.repository.ts';

export type CustomerEventRow = CustomerEventTable;
export type CustomerEventView = CustomerEventRow & { unit_name: string; unit_path: string; unit_time_zone: string };
export type InviteeRow = CustomerEventInviteeTable;
export type InviteeView = InviteeRow & { customer_name: string | null; tier: string | null; message_status: string | null };

/** Events 活动 and their invitees: the only SQL on those tables. */
export const eventRepository = {
  base(db: Tx) {
    return db
      .selectFrom('customer_events as e')
      .innerJoin('org_units as u', 'u.id', 'e.org_unit_id')
      .selectAll('e')
      .select(['u.name as unit_name', 'u.path as unit_path', 'u.time_zone as unit_time_zone']);
  },

  async inScope(db: Tx, id: string, scope: NearScope): Promise<CustomerEventView | undefined> {
    return this.base(db).where('e.id', '=', id).where(nearScopeSql(sql.ref('u.path'), scope)).executeTakeFirst();
  },

  /** Newest start first. */
  async list(db: Tx, f: { scope: NearScope; from?: string; to?: string; limit: number }): Promise<CustomerEventView[]> {
    let q = this.base(db).where(nearScopeSql(sql.ref('u.path'), f.scope));
    if (f.from) q = q.where('e.ends_at', '>=', f.from);
    if (f.to) q = q.where('e.starts_at', '<', f.to);
    return q.orderBy('e.starts_at', 'desc').orderBy('e.id', 'desc').limit(f.limit).execute();
  },

  async insert(db: Tx, row: CustomerEventRow): Promise<void> {
    await db.insertInto('customer_events').values(row).execute();
  },

  async update(db: Tx, id: string, version: number, patch: Partial<CustomerEventRow>): Promise<boolean> {
    const r = await db.updateTable('customer_events').set({ ...patch, version: version + 1 }).where('id', '=', id).where('version', '=', version).executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  },

  async delete(db: Tx, id: string): Promise<void> {
    await db.deleteFrom('customer_event_invitees').where('event_id', '=', id).execute();
    await db.deleteFrom('customer_events').where('id', '=', id).execute();
  },

  /**
   * Takes the event's row lock for the rest of the transaction (PostgreSQL; SQLite transactions are
   * already exclusive): replies that take a seat are counted and written one after the other.
   */
  async lock(db: Tx, id: string): Promise<void> {
    await db.updateTable('customer_events').set({ capacity: sql`capacity` }).where('id', '=', id).execute();
  },

  /** Invitees per reply for the events. */
  async counts(db: Tx, eventIds: string[]): Promise<{ event_id: string; reply: string; n: number }[]> {
    if (eventIds.length === 0) return [];
    const rows = await db
      .selectFrom('customer_event_invitees')
      .select(['event_id', 'reply', (eb) => eb.fn.countAll<number>().as('n')])
      .where('event_id', 'in', eventIds)
      .groupBy(['event_id', 'reply'])
      .execute();
    return rows.map((r) => ({ ...r, n: Number(r.n) }));
  },

  async seats(db: Tx, eventId: string): Promise<number> {
    const r = await db
      .selectFrom('customer_event_invitees')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('event_id', '=', eventId)
      .where('reply', 'in', ['accepted', 'attended'])
      .executeTakeFirstOrThrow();
    return Number(r.n);
  },

  async invitees(db: Tx, eventId: string, limit: number): Promise<InviteeView[]> {
    return db
      .selectFrom('customer_event_invitees as i')
      .leftJoin('customers as c', 'c.id', 'i.customer_id')
      .leftJoin('customer_messages as m', 'm.id', 'i.message_id')
      .selectAll('i')
      .select(['c.name as customer_name', 'c.tier', 'm.status as message_status'])
      .where('i.event_id', '=', eventId)
      .orderBy('i.invited_at')
      .orderBy('i.id')
      .limit(limit)
      .execute();
  },

  async invitee(db: Tx, eventId: string, inviteeId: string): Promise<InviteeView | undefined> {
    return db
      .selectFrom('customer_event_invitees as i')
      .leftJoin('customers as c', 'c.id', 'i.customer_id')
      .leftJoin('customer_messages as m', 'm.id', 'i.message_id')
      .selectAll('i')
      .select(['c.name as customer_name', 'c.tier', 'm.status as message_status'])
      .where('i.event_id', '=', eventId)
      .where('i.id', '=', inviteeId)
      .executeTakeFirst();
  },

  async invitedCustomerIds(db: Tx, eventId: string): Promise<string[]> {
    return (await db.selectFrom('customer_event_invitees').select('customer_id').where('event_id', '=', eventId).execute()).map((r) => r.customer_id);
  },

  async insertInvitee(db: Tx, row: InviteeRow): Promise<void> {
    await db.insertInto('customer_event_invitees').values(row).execute();
  },

  async updateInvitee(db: Tx, id: string, version: number, patch: Partial<InviteeRow>): Promise<boolean> {
    const r = await db.updateTable('customer_event_invitees').set({ ...patch, version: version + 1 }).where('id', '=', id).where('version', '=', version).executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  },

  /**
   * Merge of customer files: the merged file's invitations move to the survivor. Where both were invited
   * to the same event, the survivor's row stays, taking the merged one's reply when it had none yet.
   */
  async relink(db: Tx, fromId: string, toId: string): Promise<void> {
    const dupes = await db
      .selectFrom('customer_event_invitees as f')
      .innerJoin('customer_event_invitees as s', (j) => j.onRef('s.event_id', '=', 'f.event_id').on('s.customer_id', '=', toId))
      .select(['f.id as from_id', 'f.reply', 'f.note', 'f.replied_by', 'f.replied_at', 's.id as to_id', 's.reply as to_reply'])
      .where('f.customer_id', '=', fromId)
      .execute();
    for (const d of dupes) {
      if (d.to_reply === 'pending' && d.reply !== 'pending') {
        await db.updateTable('customer_event_invitees').set({ reply: d.reply, note: d.note, replied_by: d.replied_by, replied_at: d.replied_at }).where('id', '=', d.to_id).execute();
      }
      await db.deleteFrom('customer_event_invitees').where('id', '=', d.from_id).execute();
    }
    await db.updateTable('customer_event_invitees').set({ customer_id: toId }).where('customer_id', '=', fromId).execute();
  },

  /** Erasure: the staff's notes on the customer's replies go; the reply itself (a fact, no personal value) stays. */
  async eraseInviteesOf(db: Tx, customerId: string): Promise<void> {
    await db.updateTable('customer_event_invitees').set({ note: null }).where('customer_id', '=', customerId).execute();
  },
};
