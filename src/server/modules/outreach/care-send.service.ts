import type { z } from 'zod';
import { CARE_GIFT_LIMIT } from '../../../contracts/care.ts';
import type { careBulkSend, careSend, careSent } from '../../../contracts/outreach.ts';
import type { Tx } from '../../../db/database.ts';
import { iso } from '../../platform/clock.ts';
import type { Ctx } from '../../platform/context.ts';
import { AppError, forbidden, notFound, versionConflict } from '../../platform/errors.ts';
import { message } from '../../platform/i18n.ts';
import { newId } from '../../platform/ids.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { careRepository } from '../care/care.repository.ts';
import { customerRepository } from '../customers/customer.repository.ts';
import { holdsNear, nearScope } from '../customers/customer.scope.ts';
import { pokeJobRunners } from '../jobs/jobs.ts';
import { outreachRepository as repo } from './outreach.repository.ts';
import { queueCustomerMessage, type MessageChannel } from './outreach.service.ts';
import { chineseDay, honorific, OCCASION_NAMES, renderTemplate } from './outreach.template.ts';

type Sent = z.infer<typeof careSent>;
const ALL = { under: ['/'], above: [] };

/**
 * Sends one pending care task inside the caller's transaction: renders the rule's template for the
 * task's customer now ({{name}} {{title}} {{festival}} {{date}} {{unit}}; the task's own text when the
 * rule is gone), queues it through the outbox (not for gift-only tasks), records the gift — at most the
 * rule's gift value (the rule's limit; ¥200 when the rule names none) — and marks the task sent.
 */
async function sendIn(trx: Tx, ctx: Ctx, id: string, input: { version: number; giftValue?: number; giftNote?: string }): Promise<Sent> {
  const t = await careRepository.taskInScope(trx, id, nearScope(ctx.actor, 'customer:read'));
  if (!t) throw notFound();
  if (!holdsNear(ctx.actor, 'customer:manage', t.unit_path)) throw forbidden();
  if (t.status !== 'pending') throw new AppError('CARE_TASK_DONE', 409);
  if (Number(t.version) !== input.version) throw versionConflict();
  const rule = await careRepository.ruleInScope(trx, t.rule_id, ALL);
  const limit = rule && Number(rule.gift_value) > 0 ? Number(rule.gift_value) : CARE_GIFT_LIMIT;
  const gift = input.giftValue ?? Number(t.gift_value);
  if (gift > limit) throw new AppError('OUTREACH_GIFT_OVER_LIMIT', 422, { extensions: { limit } });
  const customer = (await customerRepository.byId(trx, t.customer_id))!;
  const occasion = OCCASION_NAMES[t.occasion] ?? t.occasion;
  const text = rule
    ? renderTemplate(rule.template, { name: customer.name, title: honorific(customer.gender), festival: occasion, date: chineseDay(t.occasion_date), unit: customer.unit_name })
    : t.message;
  let messageId: string | null = null;
  if (t.channel !== 'gift') {
    const subject = t.occasion === 'birthday' ? '生日祝福' : `${occasion}问候`;
    messageId = await queueCustomerMessage(trx, ctx, { customerId: t.customer_id, channel: t.channel as MessageChannel, subject, body: text, source: { kind: 'care_task', id } });
  }
  const now = ctx.clock.now();
  const at = iso(now);
  if (gift > 0) {
    await repo.insertGift(trx, { id: newId(now.getTime()), task_id: id, customer_id: t.customer_id, org_unit_id: t.customer_unit_id, value: gift, description: input.giftNote || null, given_by: ctx.actor.userId, given_at: at });
  }
  if (!(await careRepository.finishTask(trx, id, input.version, 'sent', at, ctx.actor.userId))) throw versionConflict();
  await recordAudit(trx, ctx, {
    action: 'care_task.send',
    entityType: 'care_task',
    entityId: id,
    orgUnitId: t.customer_unit_id,
    before: { status: t.status },
    after: { status: 'sent', channel: t.channel, messageId, giftValue: gift, giftNote: input.giftNote || null },
    personal: { subjectType: 'customer', subjectId: t.customer_id, fields: ['giftNote'] },
  });
  return { taskId: id, status: 'sent', version: input.version + 1, messageId, giftValue: gift };
}

export async function sendCareTask(ctx: Ctx, id: string, input: z.infer<typeof careSend>): Promise<Sent> {
  const out = await ctx.db.transaction().execute((trx) => sendIn(trx, ctx, id, input));
  pokeJobRunners();
  return out;
}

interface Refusal {
  id: string;
  code: string;
  status: number;
  message: string;
}
class Refused extends Error {
  constructor(readonly refused: Refusal[]) {
    super('bulk refused');
  }
}

/**
 * Sends the selected tasks (each at the version the caller read, with its own gift value), all or
 * nothing in ONE transaction: any refusal (out of scope = not found, already done, stale, no contact,
 * over the gift limit) rolls everything back and the answer lists each refused id with its reason.
 */
export async function bulkSendCareTasks(ctx: Ctx, input: z.infer<typeof careBulkSend>): Promise<{ items: Sent[] }> {
  const seen = new Set<string>();
  const items = input.items.filter((i) => !seen.has(i.id) && seen.add(i.id));
  let out: Sent[];
  try {
    out = await ctx.db.transaction().execute(async (trx) => {
      const sent: Sent[] = [];
      const refused: Refusal[] = [];
      for (const item of items) {
        try {
          sent.push(await sendIn(trx, ctx, item.id, { version: item.version, giftNote: input.giftNote }));
        } catch (err) {
          if (!(err instanceof AppError)) throw err;
          refused.push({ id: item.id, code: err.code, status: err.status, message: message(err.code, ctx.lang) });
        }
      }
      if (refused.length > 0) throw new Refused(refused);
      return sent;
    });
  } catch (err) {
    if (!(err instanceof Refused)) throw err;
    const status = err.refused.every((r) => r.status === 404) ? 404 : err.refused.every((r) => r.status === 409) ? 409 : 422;
    throw new AppError('OUTREACH_BULK_REFUSED', status, { extensions: { refused: err.refused } });
  }
  pokeJobRunners();
  return { items: out };
}
