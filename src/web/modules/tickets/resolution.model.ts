import type { TimelineEvent } from '../../../contracts/tickets.ts';
import { COMPENSATION_APPROVAL_LIMIT_YUAN } from '../../../contracts/tickets.ts';

/**
 * The console's view of a work order's resolution (处理结果), compensations (补偿) and CAPAs,
 * read from its timeline: `resolution` records them, `compensation.approved|rejected` decide them
 * (rejecting one rejects the rest of that resolution, approving the last pending one lets it stand),
 * `capa.linked|unlinked` tie corrective actions to the order.
 */

/** Root-cause categories offered (根因分类); the API stores the code as free text (≤ 64). */
export const rootCauses = ['facility', 'service', 'process', 'product', 'communication', 'supplier', 'customer', 'other'] as const;
export const compensationKinds = ['refund', 'waiver', 'free_service', 'gift'] as const;
export const MAX_COMPENSATIONS = 5;
export type Decision = 'approved' | 'pending_approval' | 'rejected';

export interface ShownCompensation {
  id: string;
  kind: string;
  amount: number;
  note: string;
  status: Decision;
  decidedBy: string | null;
  decisionNote: string | null;
}
export interface ShownResolution {
  id: string;
  summary: string;
  rootCause: string;
  status: Decision;
  by: string;
  at: string;
  compensations: ShownCompensation[];
}

const str = (v: unknown) => (typeof v === 'string' ? v : '');

/** Sum in fen, so 0.1 + 0.2 is 0.30; amounts typed as yuan with at most 2 decimals. */
export function totalYuan(amounts: readonly (number | null | undefined)[]): number {
  return amounts.reduce<number>((sum, a) => sum + Math.round((typeof a === 'number' && Number.isFinite(a) ? a : 0) * 100), 0) / 100;
}

/** Whether the compensations of one resolution wait for a manager (total strictly above the limit). */
export const needsApproval = (total: number) => total > COMPENSATION_APPROVAL_LIMIT_YUAN;

/** Every resolution of the order, newest first, with each compensation's decision so far. */
export function resolutionsOf(events: readonly TimelineEvent[]): ShownResolution[] {
  const all: ShownResolution[] = [];
  const byComp = new Map<string, ShownResolution>();
  for (const e of events) {
    const d = e.data;
    if (e.kind === 'resolution') {
      const status = (str(d.status) || 'approved') as Decision;
      const r: ShownResolution = {
        id: str(d.resolutionId),
        summary: str(d.summary),
        rootCause: str(d.rootCause),
        status,
        by: e.actorName,
        at: e.at,
        compensations: (Array.isArray(d.compensations) ? d.compensations : []).map((c: Record<string, unknown>) => ({
          id: str(c.id),
          kind: str(c.kind),
          amount: Number(c.amount) || 0,
          note: str(c.note),
          status,
          decidedBy: null,
          decisionNote: null,
        })),
      };
      all.push(r);
      for (const c of r.compensations) byComp.set(c.id, r);
    } else if (e.kind === 'compensation.approved' || e.kind === 'compensation.rejected') {
      const r = byComp.get(str(d.compensationId));
      const c = r?.compensations.find((x) => x.id === d.compensationId);
      if (!r || !c) continue;
      const decision = { decidedBy: e.actorName, decisionNote: str(d.note) || null };
      if (e.kind === 'compensation.approved') {
        Object.assign(c, { status: 'approved' }, decision);
        if (!r.compensations.some((x) => x.status === 'pending_approval')) r.status = 'approved';
      } else {
        Object.assign(c, { status: 'rejected' }, decision);
        for (const x of r.compensations) if (x.status === 'pending_approval') Object.assign(x, { status: 'rejected' }, decision);
        r.status = 'rejected';
      }
    }
  }
  return all.reverse();
}

/** The CAPAs linked to the order and not unlinked since (ids, in the order they were linked). */
export function linkedCapaIds(events: readonly TimelineEvent[]): string[] {
  const ids: string[] = [];
  for (const e of events) {
    const id = str(e.data.capaId);
    if (!id) continue;
    if (e.kind === 'capa.linked' && !ids.includes(id)) ids.push(id);
    if (e.kind === 'capa.unlinked' && ids.includes(id)) ids.splice(ids.indexOf(id), 1);
  }
  return ids;
}

/** "¥1,234.50" */
export const yuan = (n: number) => `¥${n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
