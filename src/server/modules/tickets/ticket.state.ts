import type { Lang } from '../../../contracts/errors.ts';
import { ticketStatuses, type TicketStatus } from '../../../contracts/tickets.ts';

/**
 * The life cycle of a work order, enforced by the server. Each legal move names how it happens:
 * - `assign`: only by assigning or taking (it needs an assignee);
 * - `user`: through `POST /tickets/:id/transitions` (closing by hand needs `ticket:close`);
 * - `system`: only as a consequence (resolving schedules the callback and waits for it);
 * - `reopen`: back to work with a reason, from resolved, awaiting callback or closed.
 * Every pair that is not listed is illegal.
 */
export type Via = 'assign' | 'user' | 'system' | 'reopen';

const edges: Record<TicketStatus, Partial<Record<TicketStatus, Via>>> = {
  new: { assigned: 'assign' },
  assigned: { in_progress: 'user' },
  in_progress: { waiting_customer: 'user', waiting_department: 'user', resolved: 'user' },
  waiting_customer: { in_progress: 'user', resolved: 'user' },
  waiting_department: { in_progress: 'user', resolved: 'user' },
  resolved: { awaiting_callback: 'system', in_progress: 'reopen' },
  awaiting_callback: { closed: 'user', in_progress: 'reopen' },
  closed: { in_progress: 'reopen' },
};

/** How `from → to` may happen, or null when it may not. */
export function edgeOf(from: TicketStatus, to: TicketStatus): Via | null {
  return edges[from][to] ?? null;
}

/** Statuses in which someone works on the order; a (re)assignment is possible in them. */
export const workingStatuses: readonly TicketStatus[] = ['new', 'assigned', 'in_progress', 'waiting_customer', 'waiting_department'];
/** Statuses of the work queues (mine, department, unassigned): not yet handed to the callback loop. */
export const openStatuses: readonly TicketStatus[] = [...workingStatuses, 'resolved'];

export const statusLabels: Record<TicketStatus, Record<Lang, string>> = {
  new: { zh: '新建', en: 'new' },
  assigned: { zh: '已分派', en: 'assigned' },
  in_progress: { zh: '处理中', en: 'in progress' },
  waiting_customer: { zh: '待客户反馈', en: 'waiting for the customer' },
  waiting_department: { zh: '待部门处理', en: 'waiting for a department' },
  resolved: { zh: '已解决', en: 'resolved' },
  awaiting_callback: { zh: '待回访', en: 'awaiting callback' },
  closed: { zh: '已关闭', en: 'closed' },
};

/** The message for an illegal move, naming both statuses. */
export function transitionMessage(from: TicketStatus, to: TicketStatus, lang: Lang): string {
  return lang === 'zh'
    ? `工单不能从「${statusLabels[from].zh}」变为「${statusLabels[to].zh}」`
    : `A work order cannot move from ${statusLabels[from].en} to ${statusLabels[to].en}`;
}

export { ticketStatuses };
