import { sql } from 'kysely';
import type { Tx } from '../../../db/database.ts';
import type { CareGiftTable, CustomerMessageTable } from '../../../db/schema.ts';
import { nearScopeSql, type NearScope } from '../customers/customer.repository.ts';

export type CustomerMessageRow = CustomerMessageTable;
export type CareGiftRow = CareGiftTable;
/** A message with what its list needs to mask the recipient as the customer file does. */
export type CustomerMessageView = CustomerMessageRow & {
  customer_name: string | null;
  confidentiality: string | null;
  declassify_on: string | null;
  protected_sections: string | null;
  unit_time_zone: string;
  unit_path: string;
};

/** The outbox of customer messages and the care gifts (the only SQL of the outreach module besides events). */
export const outreachRepository = {
  async insertMessage(db: Tx, row: CustomerMessageRow): Promise<void> {
    await db.insertInto('customer_messages').values(row).execute();
  },

  async messageById(db: Tx, id: string): Promise<CustomerMessageRow | undefined> {
    return db.selectFrom('customer_messages').selectAll().where('id', '=', id).executeTakeFirst();
  },

  listBase(db: Tx) {
    return db
      .selectFrom('customer_messages as m')
      .innerJoin('org_units as u', 'u.id', 'm.org_unit_id')
      .leftJoin('customers as c', 'c.id', 'm.customer_id')
      .selectAll('m')
      .select(['c.name as customer_name', 'c.confidentiality', 'c.declassify_on', 'c.protected_sections', 'u.time_zone as unit_time_zone', 'u.path as unit_path']);
  },

  async messageInScope(db: Tx, id: string, scope: NearScope): Promise<CustomerMessageView | undefined> {
    return this.listBase(db).where('m.id', '=', id).where(nearScopeSql(sql.ref('u.path'), scope)).executeTakeFirst();
  },

  /** Newest first; `before` is the last id of the previous page. */
  async messages(
    db: Tx,
    q: { scope: NearScope; status?: string; channel?: string; sourceKind?: string; sourceId?: string; customerId?: string; before?: string; limit: number },
  ): Promise<CustomerMessageView[]> {
    let s = this.listBase(db).where(nearScopeSql(sql.ref('u.path'), q.scope));
    if (q.status) s = s.where('m.status', '=', q.status);
    if (q.channel) s = s.where('m.channel', '=', q.channel);
    if (q.sourceKind) s = s.where('m.source_kind', '=', q.sourceKind);
    if (q.sourceId) s = s.where('m.source_id', '=', q.sourceId);
    if (q.customerId) s = s.where('m.customer_id', '=', q.customerId);
    if (q.before) s = s.where('m.id', '<', q.before);
    return s.orderBy('m.id', 'desc').limit(q.limit).execute();
  },

  async countByStatus(db: Tx, scope: NearScope): Promise<Record<string, number>> {
    const rows = await db
      .selectFrom('customer_messages as m')
      .innerJoin('org_units as u', 'u.id', 'm.org_unit_id')
      .where(nearScopeSql(sql.ref('u.path'), scope))
      .select(['m.status', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('m.status')
      .execute();
    return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
  },

  /** Final states are written only over a row not already final (a job run twice records once). */
  async markDone(db: Tx, id: string, p: { status: 'sent' | 'recorded'; provider: string; ref: string | null; at: string }): Promise<boolean> {
    const r = await db
      .updateTable('customer_messages')
      .set((eb) => ({ status: p.status, provider: p.provider, provider_ref: p.ref, sent_at: p.at, updated_at: p.at, last_error: null, attempts: eb('attempts', '+', 1) }))
      .where('id', '=', id)
      .where('status', 'in', ['queued', 'failed'])
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  },

  async markAttemptFailed(db: Tx, id: string, at: string, error: string, final: boolean): Promise<void> {
    await db
      .updateTable('customer_messages')
      .set((eb) => ({ status: final ? 'failed' : 'queued', last_error: error.slice(0, 1000), updated_at: at, attempts: eb('attempts', '+', 1) }))
      .where('id', '=', id)
      .where('status', 'in', ['queued', 'failed'])
      .execute();
  },

  async markWaiting(db: Tx, id: string, at: string, reason: string): Promise<void> {
    await db.updateTable('customer_messages').set({ last_error: reason, updated_at: at }).where('id', '=', id).where('status', '=', 'queued').execute();
  },

  /** Messages waiting for a configuration (SMTP) to appear: queued e-mail with that reason. */
  async waitingIds(db: Tx, reason: string, limit: number): Promise<string[]> {
    const rows = await db.selectFrom('customer_messages').select('id').where('status', '=', 'queued').where('channel', '=', 'email').where('last_error', '=', reason).orderBy('id').limit(limit).execute();
    return rows.map((r) => r.id);
  },

  async requeue(db: Tx, id: string, at: string): Promise<boolean> {
    const r = await db.updateTable('customer_messages').set({ status: 'queued', updated_at: at, last_error: null }).where('id', '=', id).where('status', '=', 'failed').executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  },

  /** Erasure: the recipient, subject and body of the customer's messages are blanked; unsent ones fail. */
  async eraseMessagesOf(db: Tx, customerId: string, at: string): Promise<void> {
    await db
      .updateTable('customer_messages')
      .set({ status: 'failed', last_error: 'erased 已销毁', updated_at: at })
      .where('customer_id', '=', customerId)
      .where('status', '=', 'queued')
      .execute();
    await db
      .updateTable('customer_messages')
      .set({ recipient: null, subject: null, body: '', erased_at: at })
      .where('customer_id', '=', customerId)
      .where('erased_at', 'is', null)
      .execute();
  },

  /** Merge of customer files: the merged file's messages and gifts belong to the survivor. */
  async relink(db: Tx, fromId: string, toId: string): Promise<void> {
    await db.updateTable('customer_messages').set({ customer_id: toId }).where('customer_id', '=', fromId).execute();
    await db.updateTable('care_gifts').set({ customer_id: toId }).where('customer_id', '=', fromId).execute();
  },

  async insertGift(db: Tx, row: CareGiftRow): Promise<void> {
    await db.insertInto('care_gifts').values(row).execute();
  },

  async giftOfTask(db: Tx, taskId: string): Promise<CareGiftRow | undefined> {
    return db.selectFrom('care_gifts').selectAll().where('task_id', '=', taskId).executeTakeFirst();
  },

  async eraseGiftsOf(db: Tx, customerId: string): Promise<void> {
    await db.updateTable('care_gifts').set({ description: null }).where('customer_id', '=', customerId).execute();
  },
};
