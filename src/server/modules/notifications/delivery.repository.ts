import type { Selectable } from 'kysely';
import type { Tx } from '../../../db/database.ts';
import type { EmailOutboxTable, NotificationPreferenceTable, NotificationSettingsTable } from '../../../db/schema.ts';

export type EmailOutboxRow = Selectable<EmailOutboxTable>;
export type PreferenceRow = Selectable<NotificationPreferenceTable>;
export type SettingsRow = Selectable<NotificationSettingsTable>;
export interface RecipientRow {
  id: string;
  email: string | null;
  status: string;
  email_lang: string | null;
}

/** All SQL of notification delivery: preferences, settings, the e-mail outbox. */
export const deliveryRepository = {
  /** The recipients' address, status and e-mail language (null: never saved settings). */
  async recipients(db: Tx, userIds: string[]): Promise<RecipientRow[]> {
    if (userIds.length === 0) return [];
    return db
      .selectFrom('users')
      .leftJoin('notification_settings', 'notification_settings.user_id', 'users.id')
      .select(['users.id', 'users.email', 'users.status', 'notification_settings.email_lang'])
      .where('users.id', 'in', userIds)
      .execute();
  },

  async preferencesFor(db: Tx, userIds: string[], kind: string): Promise<PreferenceRow[]> {
    if (userIds.length === 0) return [];
    return db.selectFrom('notification_preferences').selectAll().where('user_id', 'in', userIds).where('kind', '=', kind).execute();
  },

  async preferencesOf(db: Tx, userId: string): Promise<PreferenceRow[]> {
    return db.selectFrom('notification_preferences').selectAll().where('user_id', '=', userId).execute();
  },

  async settingsOf(db: Tx, userId: string): Promise<SettingsRow | undefined> {
    return db.selectFrom('notification_settings').selectAll().where('user_id', '=', userId).executeTakeFirst();
  },

  /** Version 0 → insert (refused when a row appeared meanwhile); else update at that version. True when written. */
  async saveSettings(db: Tx, userId: string, expectedVersion: number, emailLang: string, at: string): Promise<boolean> {
    if (expectedVersion === 0) {
      const r = await db
        .insertInto('notification_settings')
        .values({ user_id: userId, email_lang: emailLang, version: 1, updated_at: at })
        .onConflict((oc) => oc.column('user_id').doNothing())
        .returning('user_id')
        .executeTakeFirst();
      return r !== undefined;
    }
    const r = await db
      .updateTable('notification_settings')
      .set((eb) => ({ email_lang: emailLang, updated_at: at, version: eb('version', '+', 1) }))
      .where('user_id', '=', userId)
      .where('version', '=', expectedVersion)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  },

  async replacePreferences(db: Tx, userId: string, rows: PreferenceRow[]): Promise<void> {
    await db.deleteFrom('notification_preferences').where('user_id', '=', userId).execute();
    if (rows.length) await db.insertInto('notification_preferences').values(rows).execute();
  },

  async insertOutbox(db: Tx, rows: EmailOutboxRow[]): Promise<void> {
    if (rows.length) await db.insertInto('email_outbox').values(rows).execute();
  },

  async outboxById(db: Tx, id: string): Promise<EmailOutboxRow | undefined> {
    return db.selectFrom('email_outbox').selectAll().where('id', '=', id).executeTakeFirst();
  },

  /** Marks a message sent unless it already was (a second run of the job changes nothing). True when this call marked it. */
  async markSent(db: Tx, id: string, at: string): Promise<boolean> {
    const r = await db
      .updateTable('email_outbox')
      .set((eb) => ({ status: 'sent', sent_at: at, updated_at: at, last_error: null, attempts: eb('attempts', '+', 1) }))
      .where('id', '=', id)
      .where('status', '!=', 'sent')
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  },

  /** Records a failed attempt (still queued while retries remain, else failed); never touches a sent message. */
  async markAttemptFailed(db: Tx, id: string, at: string, error: string, final: boolean): Promise<void> {
    await db
      .updateTable('email_outbox')
      .set((eb) => ({ status: final ? 'failed' : 'queued', last_error: error, updated_at: at, attempts: eb('attempts', '+', 1) }))
      .where('id', '=', id)
      .where('status', '!=', 'sent')
      .execute();
  },

  /** The message waits for SMTP to be configured: stays queued with the reason. */
  async markWaiting(db: Tx, id: string, at: string, reason: string): Promise<void> {
    await db.updateTable('email_outbox').set({ last_error: reason, updated_at: at }).where('id', '=', id).where('status', '=', 'queued').execute();
  },

  /** Newest first, keyset on id (UUIDv7: time order). */
  async list(db: Tx, f: { status?: EmailOutboxRow['status'] }, before: string | undefined, limit: number): Promise<EmailOutboxRow[]> {
    let q = db.selectFrom('email_outbox').selectAll();
    if (f.status) q = q.where('status', '=', f.status);
    if (before) q = q.where('id', '<', before);
    return q.orderBy('id', 'desc').limit(limit).execute();
  },

  async countByStatus(db: Tx): Promise<Record<EmailOutboxRow['status'], number>> {
    const counts: Record<EmailOutboxRow['status'], number> = { queued: 0, sent: 0, failed: 0 };
    const rows = await db.selectFrom('email_outbox').select(['status', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('status').execute();
    for (const r of rows) if (r.status in counts) counts[r.status] = Number(r.n);
    return counts;
  },

  /** Queued messages that waited for SMTP to be configured (oldest first). */
  async waitingIds(db: Tx, reason: string, limit: number): Promise<string[]> {
    const rows = await db.selectFrom('email_outbox').select('id').where('status', '=', 'queued').where('last_error', '=', reason).orderBy('id').limit(limit).execute();
    return rows.map((r) => r.id);
  },
};
