import type { Tx } from '../../../db/database.ts';
import type { CallbackTable, RatingLinkTable, TicketTable } from '../../../db/schema.ts';

export type RatingLinkRow = RatingLinkTable;
export type RatingLinkView = RatingLinkRow & {
  callback_status: CallbackTable['status'];
  ticket_number: string;
  ticket_subject: string;
  ticket_channel: TicketTable['channel'];
  unit_path: string;
};

/** The customer's rating links (满意度评价链接); looked up by the SHA-256 of the token only. */
export const ratingRepository = {
  view(db: Tx) {
    return db
      .selectFrom('rating_links as r')
      .innerJoin('callbacks as cb', 'cb.id', 'r.callback_id')
      .innerJoin('tickets as t', 't.id', 'r.ticket_id')
      .innerJoin('org_units as u', 'u.id', 't.org_unit_id')
      .selectAll('r')
      .select(['cb.status as callback_status', 't.number as ticket_number', 't.subject as ticket_subject', 't.channel as ticket_channel', 'u.path as unit_path']);
  },

  async byHash(db: Tx, hash: string): Promise<RatingLinkView | undefined> {
    return this.view(db).where('r.token_hash', '=', hash).executeTakeFirst();
  },

  /** The newest link of a callback (older ones are revoked when a new one is issued). */
  async latestOf(db: Tx, callbackId: string): Promise<RatingLinkView | undefined> {
    return this.view(db).where('r.callback_id', '=', callbackId).orderBy('r.created_at', 'desc').orderBy('r.id', 'desc').limit(1).executeTakeFirst();
  },

  async insert(db: Tx, row: RatingLinkRow): Promise<void> {
    await db.insertInto('rating_links').values(row).execute();
  },

  /** Revokes the callback's links that are neither used nor revoked. */
  async revokeActive(db: Tx, callbackId: string, at: string): Promise<void> {
    await db.updateTable('rating_links').set({ revoked_at: at }).where('callback_id', '=', callbackId).where('used_at', 'is', null).where('revoked_at', 'is', null).execute();
  },

  /** Marks a link used once: false when it was used, revoked or expired in the meantime. */
  async markUsed(db: Tx, id: string, at: string): Promise<boolean> {
    const r = await db
      .updateTable('rating_links')
      .set({ used_at: at })
      .where('id', '=', id)
      .where('used_at', 'is', null)
      .where('revoked_at', 'is', null)
      .where('expires_at', '>', at)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  },
};
