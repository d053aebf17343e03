import { sql, type SqlBool } from 'kysely';
import type { Tx } from '../../../db/database.ts';
import { liveNotified } from '../../live/live.hub.ts';
import type { NotificationTable } from '../../../db/schema.ts';

export type NotificationRow = NotificationTable;

export const notificationRepository = {
  async insertMany(db: Tx, rows: NotificationRow[]): Promise<void> {
    if (rows.length === 0) return;
    await db.insertInto('notifications').values(rows).execute();
    await liveNotified(db, rows.map((r) => r.user_id)); // the bell updates after commit
  },

  /** A person's own notifications, newest first; `after` is the (created_at, id) of the previous page's last row. */
  async listForUser(db: Tx, userId: string, f: { unread?: boolean; after?: [string, string]; limit: number }): Promise<NotificationRow[]> {
    let q = db.selectFrom('notifications').selectAll().where('user_id', '=', userId);
    if (f.unread === true) q = q.where('read_at', 'is', null);
    if (f.unread === false) q = q.where('read_at', 'is not', null);
    if (f.after) q = q.where(sql<SqlBool>`(created_at, id) < (${f.after[0]}, ${f.after[1]})`);
    return q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(f.limit).execute();
  },

  async byIdForUser(db: Tx, id: string, userId: string): Promise<NotificationRow | undefined> {
    return db.selectFrom('notifications').selectAll().where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
  },

  async markRead(db: Tx, id: string, userId: string, at: string): Promise<void> {
    await db.updateTable('notifications').set({ read_at: at }).where('id', '=', id).where('user_id', '=', userId).where('read_at', 'is', null).execute();
    await liveNotified(db, [userId]); // the person's other tabs update their bell
  },
};
