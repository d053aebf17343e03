import type { Tx } from '../../../db/database.ts';

/** Watchers 关注人 of work orders (0009). */
export const watcherRepository = {
  async list(db: Tx, ticketId: string): Promise<{ user_id: string; display_name: string }[]> {
    return db
      .selectFrom('ticket_watchers as w')
      .innerJoin('users as p', 'p.id', 'w.user_id')
      .select(['w.user_id', 'p.display_name'])
      .where('w.ticket_id', '=', ticketId)
      .orderBy('w.created_at')
      .orderBy('w.user_id')
      .execute();
  },

  async count(db: Tx, ticketId: string): Promise<number> {
    const r = await db.selectFrom('ticket_watchers').select((eb) => eb.fn.countAll<number>().as('n')).where('ticket_id', '=', ticketId).executeTakeFirstOrThrow();
    return Number(r.n);
  },

  async has(db: Tx, ticketId: string, userId: string): Promise<boolean> {
    return !!(await db.selectFrom('ticket_watchers').select('user_id').where('ticket_id', '=', ticketId).where('user_id', '=', userId).executeTakeFirst());
  },

  /** Adds unless present (a second "watch" changes nothing, on both engines). */
  async add(db: Tx, row: { ticket_id: string; user_id: string; added_by: string | null; created_at: string }): Promise<void> {
    await db.insertInto('ticket_watchers').values(row).onConflict((oc) => oc.columns(['ticket_id', 'user_id']).doNothing()).execute();
  },

  async remove(db: Tx, ticketId: string, userId: string): Promise<boolean> {
    const r = await db.deleteFrom('ticket_watchers').where('ticket_id', '=', ticketId).where('user_id', '=', userId).executeTakeFirst();
    return Number(r.numDeletedRows) === 1;
  },
};
