import { describe, expect, it } from 'vitest';
import type { TicketStatus } from '../../../contracts/tickets.ts';
import { edgeOf, statusLabels, ticketStatuses, transitionMessage } from './ticket.state.ts';

/**
 * The whole table, written out: rows are `from`, columns `to` in the order of ticketStatuses
 * (new, assigned, in_progress, waiting_customer, waiting_department, resolved, awaiting_callback, closed).
 * `.` illegal · A assign/take · U user · S system consequence · R reopen (with a reason).
 */
const table: Record<TicketStatus, string> = {
  new: '. A . . . . . .',
  assigned: '. . U . . . . .',
  in_progress: '. . . U U U . .',
  waiting_customer: '. . U . . U . .',
  waiting_department: '. . U . . U . .',
  resolved: '. . R . . . S .',
  awaiting_callback: '. . R . . . . U',
  closed: '. . R . . . . .',
};
const via = { '.': null, A: 'assign', U: 'user', S: 'system', R: 'reopen' } as const;

describe('work order life cycle', () => {
  it('allows exactly the moves of the table, for all 64 pairs', () => {
    let legal = 0;
    for (const from of ticketStatuses) {
      const row = table[from].split(' ') as (keyof typeof via)[];
      expect(row).toHaveLength(ticketStatuses.length);
      ticketStatuses.forEach((to, i) => {
        expect(edgeOf(from, to), `${from} → ${to}`).toBe(via[row[i]]);
        if (via[row[i]]) legal++;
      });
    }
    expect(legal).toBe(14);
  });

  it('never moves a status onto itself', () => {
    for (const s of ticketStatuses) expect(edgeOf(s, s)).toBeNull();
  });

  it('reopens only into work, and closes only after the callback wait', () => {
    for (const from of ticketStatuses) {
      for (const to of ticketStatuses) {
        const e = edgeOf(from, to);
        if (e === 'reopen') expect(to).toBe('in_progress');
        if (to === 'closed' && e) expect(from).toBe('awaiting_callback');
      }
    }
  });

  it('names both statuses in either language', () => {
    expect(transitionMessage('closed', 'assigned', 'zh')).toBe('工单不能从「已关闭」变为「已分派」');
    expect(transitionMessage('new', 'resolved', 'en')).toBe('A work order cannot move from new to resolved');
    for (const s of ticketStatuses) expect(statusLabels[s].zh).toMatch(/[\u4e00-\u9fff]/);
  });
});
