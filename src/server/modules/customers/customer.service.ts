import type { z } from 'zod';
import type { customerLookup } from '../../../contracts/tickets.ts';
import type { Ctx } from '../../platform/context.ts';
import { ticketsOfCustomers } from '../tickets/ticket.service.ts';
import { customerRepository as repo } from './customer.repository.ts';
import { nearScope } from './customer.scope.ts';
import { toMaskedCustomer } from './customer-file.service.ts';

/* The customer file itself (create, read, change, open, reading log): customer-file.service.ts. */

/** Phone intake (来电弹屏): the customers whose number starts so, each with their open and latest work orders; protected contact data masked. */
export async function lookupCustomers(ctx: Ctx, phone: string): Promise<z.infer<typeof customerLookup>> {
  const rows = await repo.list(ctx.db, { scope: nearScope(ctx.actor, 'customer:read'), phone, limit: 10 });
  const tickets = await ticketsOfCustomers(ctx, rows.map((r) => r.id));
  const now = ctx.clock.now();
  return {
    customers: rows.map((r) => ({ ...toMaskedCustomer(r, ctx.actor, now), openTickets: tickets.get(r.id)?.open ?? [], recentTickets: tickets.get(r.id)?.recent ?? [] })),
  };
}
