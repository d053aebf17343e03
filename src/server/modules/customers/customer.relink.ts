import type { Tx } from '../../../db/database.ts';
import type { Ctx } from '../../platform/context.ts';

/**
 * Relinking on a merge of customer files (合并, customer-file issue §6): when file `fromId` is merged into
 * `toId`, every table pointing at `fromId` must point at `toId` afterwards. Each module owning such a
 * table registers a relinker at start-up (beside its routes), and the merge service runs them all in the
 * one transaction that merges — the mirror of customer.erasure.ts. A relinker moves its rows, resolving
 * its own unique keys (drop or fold the duplicate row), and must be idempotent. Logs about the file
 * itself (the reading log 借阅记录) stay with the file that was read.
 */
export type CustomerRelinker = (trx: Tx, ctx: Ctx, fromId: string, toId: string) => Promise<void>;

const relinkers = new Map<string, CustomerRelinker>();

/** Registers (or replaces, by name) the relinker of one module's rows. */
export function registerCustomerRelinker(name: string, relinker: CustomerRelinker): void {
  relinkers.set(name, relinker);
}

/** Runs every registered relinker, in registration order, inside the caller's transaction; answers their names. */
export async function runCustomerRelinkers(trx: Tx, ctx: Ctx, fromId: string, toId: string): Promise<string[]> {
  for (const relinker of relinkers.values()) await relinker(trx, ctx, fromId, toId);
  return [...relinkers.keys()];
}
