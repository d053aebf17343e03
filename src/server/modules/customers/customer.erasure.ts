import type { Tx } from '../../../db/database.ts';
import type { Ctx } from '../../platform/context.ts';

/**
 * Erasure of a customer's personal data (销毁, customer-file issue §5) reaches every table that holds
 * some: each module owning such a table registers an eraser at start-up (beside its routes), and the
 * destruction service runs them all in the one transaction that destroys the file. An eraser deletes
 * or pseudonymises its rows for that customer and must be idempotent. Non-personal facts (counts,
 * dates, statuses, the pseudonymous id) may stay.
 */
export type CustomerEraser = (trx: Tx, ctx: Ctx, customerId: string) => Promise<void>;

const erasers = new Map<string, CustomerEraser>();

/** Registers (or replaces, by name) the eraser of one module's personal data. */
export function registerCustomerEraser(name: string, eraser: CustomerEraser): void {
  erasers.set(name, eraser);
}

/** Runs every registered eraser for the customer, in registration order, inside the caller's transaction. */
export async function runCustomerErasers(trx: Tx, ctx: Ctx, customerId: string): Promise<string[]> {
  for (const eraser of erasers.values()) await eraser(trx, ctx, customerId);
  return [...erasers.keys()];
}
