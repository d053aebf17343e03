import { sql } from 'kysely';
import type { Tx } from '../../../db/database.ts';
import type { TicketLinkTable, TicketMessageTable } from '../../../db/schema.ts';
import { ticketRepository } from './ticket.repository.ts';

export type TicketLinkRow = TicketLinkTable;
export type LinkView = TicketLinkRow & { other_ticket_id: string; direction: 'outgoing' | 'incoming' };

/** Merges (合并) and links (关联) of work orders: the only SQL of this feature. */
export const mergeRepository = {
  /**
   * Takes the row locks of both work orders in id order (PostgreSQL; SQLite is serial anyway), so that
   * two merges or links of the same pair in opposite directions wait for each other instead of deadlocking.
   */
  async lockPair(db: Tx, a: string, b: string, at: string): Promise<void> {
    for (const id of [a, b].sort()) await ticketRepository.touch(db, id, at, false);
  },

  /** The order a merged one points at (合并到), with its number only when it lies in `paths` (the caller may read it). */
  async mergedInto(db: Tx, targetId: string | null, paths: string[]): Promise<{ id: string; number: string | null } | null> {
    if (!targetId) return null;
    const target = await ticketRepository.byIdInScope(db, targetId, paths);
    return { id: targetId, number: target?.number ?? null };
  },

  /** The orders merged into `id`, directly or through an order that was itself merged into it later. */
  async mergedSources(db: Tx, id: string): Promise<{ id: string; number: string }[]> {
    const out: { id: string; number: string }[] = [];
    let frontier = [id];
    for (let depth = 0; depth < 20 && frontier.length > 0; depth++) {
      const rows = await db.selectFrom('tickets').select(['id', 'number']).where('merged_into_id', 'in', frontier).orderBy('id').limit(1000).execute();
      out.push(...rows);
      frontier = rows.map((r) => r.id);
    }
    return out;
  },

  async messagesOf(db: Tx, ticketIds: string[]): Promise<TicketMessageTable[]> {
    if (ticketIds.length === 0) return [];
    return db.selectFrom('ticket_messages').selectAll().where('ticket_id', 'in', ticketIds).orderBy('created_at').orderBy('id').limit(5000).execute();
  },

  async linkBetween(db: Tx, a: string, b: string): Promise<TicketLinkRow | undefined> {
    return db
      .selectFrom('ticket_links')
      .selectAll()
      .where((eb) => eb.or([eb.and([eb('ticket_id', '=', a), eb('other_id', '=', b)]), eb.and([eb('ticket_id', '=', b), eb('other_id', '=', a)])]))
      .executeTakeFirst();
  },

  async linkById(db: Tx, linkId: string): Promise<TicketLinkRow | undefined> {
    return db.selectFrom('ticket_links').selectAll().where('id', '=', linkId).executeTakeFirst();
  },

  async insertLink(db: Tx, row: TicketLinkRow): Promise<void> {
    await db.insertInto('ticket_links').values(row).execute();
  },

  async deleteLink(db: Tx, linkId: string): Promise<void> {
    await db.deleteFrom('ticket_links').where('id', '=', linkId).execute();
  },

  /** The links of a work order, whichever side they were made on, oldest first (at most 200). */
  async linksOf(db: Tx, ticketId: string): Promise<LinkView[]> {
    const rows = await db
      .selectFrom('ticket_links')
      .selectAll()
      .select([
        sql<string>`case when ticket_id = ${ticketId} then other_id else ticket_id end`.as('other_ticket_id'),
        sql<'outgoing' | 'incoming'>`case when ticket_id = ${ticketId} then 'outgoing' else 'incoming' end`.as('direction'),
      ])
      .where((eb) => eb.or([eb('ticket_id', '=', ticketId), eb('other_id', '=', ticketId)]))
      .orderBy('created_at')
      .orderBy('id')
      .limit(200)
      .execute();
    return rows;
  },

  async countLinks(db: Tx, ticketId: string): Promise<number> {
    const r = await db
      .selectFrom('ticket_links')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where((eb) => eb.or([eb('ticket_id', '=', ticketId), eb('other_id', '=', ticketId)]))
      .executeTakeFirstOrThrow();
    return Number(r.n);
  },
};
