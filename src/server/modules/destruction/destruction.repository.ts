import { sql } from 'kysely';
import type { Tx } from '../../../db/database.ts';
import type { CustomerDestructionStepTable, CustomerDestructionTable } from '../../../db/schema.ts';
import { nearScopeSql, type NearScope } from '../customers/customer.repository.ts';

export type DestructionRow = CustomerDestructionTable;
export type DestructionStepRow = CustomerDestructionStepTable;
export type DestructionView = DestructionRow & { customer_name: string; customer_kind: string; customer_category: string; unit_name: string; unit_path: string };

/**
 * SQL of destruction requests 销毁申请 and of the erasers they end in (registered in destruction.routes.ts):
 * identifiers, work-order copies and care greetings. The file's tombstone goes through customerRepository.update.
 */
export const destructionRepository = {
  base(db: Tx) {
    return db
      .selectFrom('customer_destructions as d')
      .innerJoin('customers as c', 'c.id', 'd.customer_id')
      .innerJoin('org_units as u', 'u.id', 'd.org_unit_id')
      .selectAll('d')
      .select(['c.name as customer_name', 'c.kind as customer_kind', 'c.category as customer_category', 'u.name as unit_name', 'u.path as unit_path']);
  },

  async byIdInScope(db: Tx, id: string, scope: NearScope): Promise<DestructionView | undefined> {
    return this.base(db).where('d.id', '=', id).where(nearScopeSql(sql.ref('u.path'), scope)).executeTakeFirst();
  },

  /** Newest first, within the scope. */
  async list(db: Tx, f: { scope: NearScope; status?: string; customerId?: string; limit: number }): Promise<DestructionView[]> {
    let q = this.base(db).where(nearScopeSql(sql.ref('u.path'), f.scope));
    if (f.status) q = q.where('d.status', '=', f.status as DestructionRow['status']);
    if (f.customerId) q = q.where('d.customer_id', '=', f.customerId);
    return q.orderBy('d.requested_at', 'desc').orderBy('d.id', 'desc').limit(f.limit).execute();
  },

  async pendingFor(db: Tx, customerId: string): Promise<DestructionRow | undefined> {
    return db.selectFrom('customer_destructions').selectAll().where('customer_id', '=', customerId).where('status', '=', 'pending').executeTakeFirst();
  },

  /** A new request in approval; a second pending one for the same file breaks the unique index (customer_destructions_one_pending). */
  async insertPending(db: Tx, row: DestructionRow): Promise<void> {
    await db.insertInto('customer_destructions').values(row).execute();
  },

  /** Moves a pending request on from `step` (false when someone else decided it first). */
  async advance(db: Tx, id: string, step: number, patch: Pick<DestructionRow, 'status' | 'current_step' | 'ended_at'>): Promise<boolean> {
    const r = await db
      .updateTable('customer_destructions')
      .set((eb) => ({ ...patch, version: eb('version', '+', 1) }))
      .where('id', '=', id)
      .where('status', '=', 'pending')
      .where('current_step', '=', step)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  },

  async stepsOf(db: Tx, ids: string[]): Promise<DestructionStepRow[]> {
    if (ids.length === 0) return [];
    return db.selectFrom('customer_destruction_steps').selectAll().where('destruction_id', 'in', ids).orderBy('destruction_id').orderBy('step').execute();
  },

  async insertStep(db: Tx, row: DestructionStepRow): Promise<void> {
    await db.insertInto('customer_destruction_steps').values(row).execute();
  },

  async deleteIdentifiers(db: Tx, customerId: string): Promise<void> {
    await db.deleteFrom('customer_identifiers').where('customer_id', '=', customerId).execute();
  },

  /** Work orders keep the customer id (a pseudonymous reference); their copied name becomes the pseudonym, the phone goes. */
  async pseudonymiseTickets(db: Tx, customerId: string, pseudonym: string): Promise<void> {
    await db.updateTable('tickets').set({ customer_name: pseudonym, customer_phone: null }).where('customer_id', '=', customerId).execute();
  },

  /** Care tasks stay as facts (occasion, channel, gift value); their greeting, which names the customer, goes. */
  async eraseCareTasks(db: Tx, customerId: string): Promise<void> {
    await db.updateTable('care_tasks').set({ message: '' }).where('customer_id', '=', customerId).execute();
  },
};
