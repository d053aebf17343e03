import type { RoutingConditions, TicketType } from '../../../contracts/tickets.ts';
import type { TicketTable } from '../../../db/schema.ts';

/**
 * Routing rules, the pure part: does a work order meet a rule's conditions? Conditions are AND-ed;
 * the values of one list are OR-ed; an absent or empty list is no condition.
 */
export interface RoutingFacts {
  type: TicketType;
  channel: TicketTable['channel'];
  subject: string;
  description: string;
  /** The category and its ancestors (a rule naming a parent category matches its sub-categories). */
  categoryIds: string[];
  /** The customer's tier and VIP flag; null when no customer file is linked. */
  customer: { tier: 'strategic' | 'key' | 'ordinary'; vip: boolean } | null;
  /** The owning company of the work order. */
  companyId: string;
}

export type ConditionName = keyof RoutingConditions;

/** The conditions that do not hold (an empty list: the rule matches). */
export function failedConditions(c: RoutingConditions, f: RoutingFacts): ConditionName[] {
  const failed: ConditionName[] = [];
  const has = <T>(list: readonly T[] | undefined): list is readonly T[] => !!list && list.length > 0;
  if (has(c.types) && !c.types.includes(f.type)) failed.push('types');
  if (has(c.categoryIds) && !c.categoryIds.some((id) => f.categoryIds.includes(id))) failed.push('categoryIds');
  if (has(c.channels) && !c.channels.includes(f.channel)) failed.push('channels');
  if (has(c.keywords)) {
    const text = `${f.subject}\n${f.description}`.toLowerCase();
    if (!c.keywords.some((k) => text.includes(k.toLowerCase()))) failed.push('keywords');
  }
  if (has(c.customerTiers) && !(f.customer && c.customerTiers.includes(f.customer.tier))) failed.push('customerTiers');
  if (c.vipOnly && !f.customer?.vip) failed.push('vipOnly');
  if (has(c.branchIds) && !c.branchIds.includes(f.companyId)) failed.push('branchIds');
  return failed;
}

/** Stored conditions without empty lists and false flags: what is kept is what is checked. */
export function normaliseConditions(c: RoutingConditions): RoutingConditions {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(c)) {
    if (Array.isArray(v) ? v.length > 0 : v === true) out[k] = Array.isArray(v) ? [...new Set(v)] : v;
  }
  return out as RoutingConditions;
}

/**
 * Round robin: the next person after the last one, in the candidates' order, wrapping around; the
 * first when the last one is unknown or no longer a candidate's predecessor.
 */
export function nextInTurn<T extends { id: string; username: string }>(candidates: T[], lastUserId: string | null, lastUsername: string | null): T | undefined {
  if (candidates.length === 0) return undefined;
  if (lastUserId) {
    const i = candidates.findIndex((c) => c.id === lastUserId);
    if (i >= 0) return candidates[(i + 1) % candidates.length];
  }
  // The last one left the rota: continue with whoever follows them by name.
  if (lastUsername) return candidates.find((c) => c.username > lastUsername) ?? candidates[0];
  return candidates[0];
}

/** Least open work: the fewest open work orders, ties by name. */
export function leastOpen<T extends { username: string; openTickets: number }>(candidates: T[]): T | undefined {
  return [...candidates].sort((a, b) => a.openTickets - b.openTickets || (a.username < b.username ? -1 : a.username > b.username ? 1 : 0))[0];
}
