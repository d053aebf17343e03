import { describe, expect, it } from 'vitest';
import type { TimelineEvent } from '../../../contracts/tickets.ts';
import { linkedCapaIds, needsApproval, resolutionsOf, totalYuan } from './resolution.model.ts';

let seq = 0;
const ev = (kind: string, data: Record<string, unknown>, actorName = '王芳'): TimelineEvent => ({
  id: `00000000-0000-7000-8000-${String(++seq).padStart(12, '0')}`,
  seq,
  at: `2026-11-25T0${seq % 10}:00:00.000Z`,
  actorId: null,
  actorName,
  kind,
  data,
});
const resolution = (id: string, status: string, comps: [string, string, number][]) =>
  ev('resolution', { resolutionId: id, summary: `summary ${id}`, rootCause: 'facility', status, compensations: comps.map(([cid, kind, amount]) => ({ id: cid, kind, amount, note: '' })) });

describe('resolution read from the timeline', () => {
  it('adds amounts in fen and knows the approval limit', () => {
    expect(totalYuan([0.1, 0.2, null, undefined])).toBe(0.3);
    expect(needsApproval(500)).toBe(false);
    expect(needsApproval(500.01)).toBe(true);
  });

  it('shows a resolution pending until its last compensation is approved', () => {
    const events = [resolution('r1', 'pending_approval', [['k1', 'refund', 400], ['k2', 'waiver', 400]]), ev('compensation.approved', { compensationId: 'k1', note: '同意' }, '李经理')];
    let [r] = resolutionsOf(events);
    expect(r.status).toBe('pending_approval');
    expect(r.compensations.map((c) => c.status)).toEqual(['approved', 'pending_approval']);
    expect(r.compensations[0]).toMatchObject({ decidedBy: '李经理', decisionNote: '同意' });
    [r] = resolutionsOf([...events, ev('compensation.approved', { compensationId: 'k2', note: '' }, '李经理')]);
    expect(r.status).toBe('approved');
  });

  it('rejects the whole resolution when one compensation is rejected, newest resolution first', () => {
    const events = [
      resolution('r1', 'pending_approval', [['k1', 'refund', 400], ['k2', 'gift', 200]]),
      ev('compensation.rejected', { compensationId: 'k2', note: '过高' }),
      resolution('r2', 'approved', [['k3', 'gift', 100]]),
    ];
    const [newest, old] = resolutionsOf(events);
    expect(newest).toMatchObject({ id: 'r2', status: 'approved' });
    expect(old.status).toBe('rejected');
    expect(old.compensations.map((c) => [c.status, c.decisionNote])).toEqual([['rejected', '过高'], ['rejected', '过高']]);
  });

  it('lists the CAPAs still linked', () => {
    expect(linkedCapaIds([ev('capa.linked', { capaId: 'a' }), ev('capa.linked', { capaId: 'b' }), ev('capa.unlinked', { capaId: 'a' }), ev('capa.unlinked', { capaId: 'x' })])).toEqual(['b']);
  });
});
