import type { z } from 'zod';
import type { TicketMessage, messageCreate } from '../../../contracts/tickets.ts';
import { iso } from '../../platform/clock.ts';
import type { Ctx } from '../../platform/context.ts';
import { newId } from '../../platform/ids.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { userRepository } from '../users/user.repository.ts';
import { slaAfterFirstResponse } from '../sla/sla.service.ts';
import { parseMentions } from './mentions.ts';
import { notificationText, notify } from './notification.service.ts';
import { eventActor, grantsHold, loadForChange } from './ticket.service.ts';
import { ticketRepository as repo } from './ticket.repository.ts';
import { notifyWatchers } from './watcher.service.ts';

/**
 * A reply to the customer (recorded as sent; the first one stamps first_response_at) or an
 * internal note. Mentioned people are notified when they may read the work order; others are
 * skipped silently, so a note cannot tell its writer who exists elsewhere.
 */
export async function addMessage(ctx: Ctx, id: string, input: z.infer<typeof messageCreate>): Promise<TicketMessage> {
  return ctx.db.transaction().execute(async (trx) => {
    const t = await loadForChange(trx, ctx, id, 'ticket:update');
    const at = iso(ctx.clock.now());
    const message = { id: newId(), ticket_id: id, kind: input.kind, body: input.body, author_id: ctx.actor.userId, author_name: ctx.actor.displayName, created_at: at };
    await repo.touch(trx, id, at, input.kind === 'reply');
    if (input.kind === 'reply') await slaAfterFirstResponse(trx, ctx, id); // the first reply meets the first-response target
    await repo.insertMessage(trx, message);

    const mentioned: string[] = [];
    if (input.kind === 'note') {
      for (const username of parseMentions(input.body)) {
        const person = await userRepository.byUsername(trx, username);
        if (!person || person.status !== 'active' || person.id === ctx.actor.userId) continue;
        if (!grantsHold(await userRepository.grantsOf(trx, [person.id]), 'ticket:read', t.unit_path)) continue;
        mentioned.push(person.id);
      }
      await notify(trx, ctx, {
        userIds: mentioned,
        ticketId: id,
        kind: 'mention',
        text: (lang) => notificationText.mention({ actor: ctx.actor.displayName, number: t.number, subject: t.subject, body: input.body }, lang),
      });
    }
    if (input.kind === 'reply') await notifyWatchers(trx, ctx, t, { kind: 'reply', body: input.body });
    await repo.appendEvents(trx, id, at, eventActor(ctx), [{ kind: input.kind, data: { messageId: message.id, ...(mentioned.length ? { mentioned } : {}) } }]);
    await recordAudit(trx, ctx, {
      action: `ticket.${input.kind}`,
      entityType: 'ticket',
      entityId: id,
      orgUnitId: t.org_unit_id,
      after: { messageId: message.id, kind: input.kind, length: input.body.length, mentioned },
    });
    return { id: message.id, ticketId: id, kind: message.kind, body: message.body, authorId: message.author_id, authorName: message.author_name, createdAt: at };
  });
}
