import type { Tx } from '../../../db/database.ts';
import type { TicketAttachmentTable } from '../../../db/schema.ts';

export type AttachmentRow = TicketAttachmentTable;

export const attachmentRepository = {
  async byId(db: Tx, id: string): Promise<AttachmentRow | undefined> {
    return db.selectFrom('ticket_attachments').selectAll().where('id', '=', id).executeTakeFirst();
  },

  async ofTicket(db: Tx, ticketId: string): Promise<AttachmentRow[]> {
    return db.selectFrom('ticket_attachments').selectAll().where('ticket_id', '=', ticketId).orderBy('created_at').orderBy('id').execute();
  },

  async count(db: Tx, ticketId: string): Promise<number> {
    const r = await db.selectFrom('ticket_attachments').select((eb) => eb.fn.countAll().as('n')).where('ticket_id', '=', ticketId).executeTakeFirst();
    return Number(r?.n ?? 0);
  },

  async insert(db: Tx, row: AttachmentRow): Promise<void> {
    await db.insertInto('ticket_attachments').values(row).execute();
  },

  async remove(db: Tx, id: string): Promise<boolean> {
    const r = await db.deleteFrom('ticket_attachments').where('id', '=', id).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  },
};
