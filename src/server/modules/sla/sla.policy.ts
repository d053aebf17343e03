import type { SlaConditions, SlaEscalation, SlaTargets } from '../../../contracts/sla.ts';
import { ticketPriorities } from '../../../contracts/tickets.ts';
import type { SlaPolicyRow } from './sla.repository.ts';

/** What a policy looks at on a work order (the pure part; facts are gathered by the service). */
export interface SlaFacts {
  type: string;
  /** 0 low … 3 urgent, as stored. */
  priority: number;
  severity: number | null;
  channel: string;
  /** The category and its ancestors. */
  categoryIds: string[];
  customer: { tier: string; vip: boolean } | null;
  companyId: string;
}

export interface StoredTargets {
  firstResponse: { minutes: number; mode: 'working' | 'calendar' } | null;
  resolution: { minutes: number; mode: 'working' | 'calendar' } | null;
  handoff: { minutes: number; mode: 'working' | 'calendar' } | null;
  callback: { minutes: number; mode: 'working' | 'calendar' } | null;
}
export interface StoredEscalation {
  warnPercent: number | null;
  levels: { afterMinutes: number; notify: 'assignee' | 'shift_lead' | 'supervisor' | 'manager' | 'director'; raisePriority: boolean; reassign: boolean }[];
}

export const parsePolicy = (r: Pick<SlaPolicyRow, 'conditions' | 'targets' | 'escalation'>) => ({
  conditions: JSON.parse(r.conditions) as SlaConditions,
  targets: JSON.parse(r.targets) as StoredTargets,
  escalation: JSON.parse(r.escalation) as StoredEscalation,
});

export const storedTargets = (t: SlaTargets): StoredTargets => ({
  firstResponse: t.firstResponse ?? null,
  resolution: t.resolution ?? null,
  handoff: t.handoff ?? null,
  callback: t.callback ?? null,
});
export const storedEscalation = (e: SlaEscalation): StoredEscalation => ({ warnPercent: e.warnPercent, levels: e.levels });

/** The conditions that do not hold; AND across conditions, OR within a list, empty = no condition. */
export function failedSlaConditions(c: SlaConditions, f: SlaFacts): (keyof SlaConditions)[] {
  const failed: (keyof SlaConditions)[] = [];
  const has = <T>(l: readonly T[] | undefined): l is readonly T[] => !!l && l.length > 0;
  if (has(c.types) && !c.types.includes(f.type as never)) failed.push('types');
  if (has(c.priorities) && !c.priorities.some((p) => ticketPriorities.indexOf(p) === f.priority)) failed.push('priorities');
  if (has(c.severities) && !(f.severity !== null && c.severities.includes(f.severity))) failed.push('severities');
  if (has(c.categoryIds) && !c.categoryIds.some((id) => f.categoryIds.includes(id))) failed.push('categoryIds');
  if (has(c.channels) && !c.channels.includes(f.channel as never)) failed.push('channels');
  if (has(c.customerTiers) && !(f.customer && c.customerTiers.includes(f.customer.tier as never))) failed.push('customerTiers');
  if (c.vipOnly && !f.customer?.vip) failed.push('vipOnly');
  if (has(c.branchIds) && !c.branchIds.includes(f.companyId)) failed.push('branchIds');
  return failed;
}

export function normaliseSlaConditions(c: SlaConditions): SlaConditions {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(c)) {
    if (Array.isArray(v) ? v.length > 0 : v === true) out[k] = Array.isArray(v) ? [...new Set<unknown>(v)] : v;
  }
  return out as SlaConditions;
}

/**
 * The first enabled policy whose conditions hold. `policies` come ordered nearest unit first
 * (the company's, then the group's), each unit's in its own order.
 */
export function firstMatch<P extends Pick<SlaPolicyRow, 'enabled' | 'conditions' | 'targets' | 'escalation'>>(policies: P[], f: SlaFacts): P | undefined {
  return policies.find((p) => p.enabled === 1 && failedSlaConditions(parsePolicy(p).conditions, f).length === 0);
}
