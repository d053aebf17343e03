import type { TFunction } from 'i18next';
import type { Permission } from '../../../contracts/permissions.ts';
import type { Ticket, TicketPriority, TicketQueue, TicketStatus, TicketType, TimelineEvent } from '../../../contracts/tickets.ts';

/**
 * What the work-order pages know about work orders: the values of each enumeration (as the keys of
 * complete records, so the compiler notices a new one, without bundling the zod schemas), their
 * colours, and the life cycle (the server's ticket.state.ts decides; this only offers).
 */
type TicketChannel = Ticket['channel'];
const keys = <K extends string>(r: Record<K, unknown>) => Object.keys(r) as K[];

export const statusColors: Record<TicketStatus, string> = {
  new: 'magenta',
  assigned: 'purple',
  in_progress: 'blue',
  waiting_customer: 'gold',
  waiting_department: 'orange',
  resolved: 'cyan',
  awaiting_callback: 'geekblue',
  closed: 'default',
};
export const priorityColors: Record<TicketPriority, string> = { low: 'default', normal: 'blue', high: 'orange', urgent: 'red' };
export const typeColors: Record<TicketType, string> = {
  complaint: 'red',
  inquiry: 'default',
  repair: 'orange',
  request: 'default',
  suggestion: 'default',
  praise: 'green',
  incident: 'volcano',
};
const channelSet: Record<TicketChannel, true> = { phone: true, walk_in: true, chat: true, app: true, email: true, web: true, letter: true, regulator: true };
const queueSet: Record<TicketQueue, true> = { mine: true, unassigned: true, department: true, overdue: true, awaiting_callback: true, recent: true };
export const statuses = keys(statusColors);
export const types = keys(typeColors);
export const channels = keys(channelSet);
export const priorities = keys(priorityColors);
export const queues = keys(queueSet);
export const severities = [1, 2, 3] as const;

/** As the server stores a phone number: digits only, a leading + kept (contracts' normalisePhone). */
export function normalisePhone(raw: string): string {
  const s = raw.trim();
  return (s.startsWith('+') ? '+' : '') + s.replace(/\D/g, '');
}
export const severityColors: Record<number, string> = { 1: 'red', 2: 'volcano', 3: 'gold' };

export const workingStatuses: readonly TicketStatus[] = ['new', 'assigned', 'in_progress', 'waiting_customer', 'waiting_department'];

export type TicketAction = 'take' | 'assign' | 'start' | 'resume' | 'waitCustomer' | 'waitDepartment' | 'resolve' | 'close' | 'reopen';

/** The transition each hand-made move asks for (take and assign have their own endpoints). */
export const actionTarget: Record<Exclude<TicketAction, 'take' | 'assign'>, TicketStatus> = {
  start: 'in_progress',
  resume: 'in_progress',
  waitCustomer: 'waiting_customer',
  waitDepartment: 'waiting_department',
  resolve: 'resolved',
  close: 'closed',
  reopen: 'in_progress',
};

/** The moves the state machine allows from the ticket's status that the person's permissions allow, in button order. */
export function availableActions(t: Pick<Ticket, 'status' | 'assigneeId'>, can: (p: Permission) => boolean): TicketAction[] {
  const out: TicketAction[] = [];
  const update = can('ticket:update');
  const s = t.status;
  if (update && s === 'new' && !t.assigneeId) out.push('take');
  if (can('ticket:assign') && workingStatuses.includes(s)) out.push('assign');
  if (update) {
    if (s === 'assigned') out.push('start');
    if (s === 'waiting_customer' || s === 'waiting_department') out.push('resume');
    if (s === 'in_progress') out.push('waitCustomer', 'waitDepartment');
    if (s === 'in_progress' || s === 'waiting_customer' || s === 'waiting_department') out.push('resolve');
  }
  if (can('ticket:close') && s === 'awaiting_callback') out.push('close');
  if (update && (s === 'resolved' || s === 'awaiting_callback' || s === 'closed')) out.push('reopen');
  return out;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');
const personName = (v: unknown): string => (v && typeof v === 'object' && 'name' in v ? str((v as { name: unknown }).name) : '');

/** The i18n key of a timeline event's kind (`callback.attempt` → `callback_attempt`). */
export const eventKey = (kind: string) => kind.replace(/\./g, '_');

/** One line saying what happened, in the UI's language; message texts and free notes are shown beside it, not in it. */
export function describeEvent(e: TimelineEvent, t: TFunction, formatTime: (iso: string) => string): string {
  const d = e.data;
  const status = (v: unknown) => t(`tickets.statuses.${str(v)}`, { defaultValue: str(v) });
  switch (e.kind) {
    case 'created':
      return t('tickets.events.created', { type: t(`tickets.types.${str(d.type)}`), channel: t(`tickets.channels.${str(d.channel)}`) });
    case 'status':
      if (typeof d.reopenCount === 'number') return t('tickets.events.reopened', { n: d.reopenCount, from: status(d.from) });
      return t('tickets.events.status', { from: status(d.from), to: status(d.to) });
    case 'assigned':
      if (d.taken) return t('tickets.events.taken');
      if (d.from) return t('tickets.events.reassigned', { from: personName(d.from), to: personName(d.to) });
      return t('tickets.events.assigned', { to: personName(d.to) });
    case 'updated': {
      const changes = (d.changes as Record<string, { from?: unknown; to?: unknown }> | undefined) ?? {};
      const fields = Object.entries(changes).map(([f, c]) => {
        const label = f === 'customFields' ? t('ticketSettings.fields.onTicket') : t(`tickets.fields.${f}`, { defaultValue: f });
        // Values of the enumerations say themselves; free text and ids are in the audit trail.
        const value = f === 'type' ? (v: unknown) => t(`tickets.types.${str(v)}`) : f === 'priority' ? (v: unknown) => t(`tickets.priorities.${str(v)}`) : f === 'severity' ? (v: unknown) => (v ? t(`tickets.severities.${str(v)}`) : t('common.none')) : null;
        return value ? t('tickets.events.changedValue', { field: label, from: value(c?.from), to: value(c?.to) }) : label;
      });
      return t('tickets.events.updated', { fields: fields.join(t('tickets.listSeparator')) });
    }
    case 'callback.scheduled':
      return t('tickets.events.callback_scheduled', { due: formatTime(str(d.dueAt)) });
    case 'callback.attempt':
      return t('tickets.events.callback_attempt', { attempt: str(d.attempt), max: str(d.maxAttempts) });
    case 'callback.unreachable':
      return t('tickets.events.callback_unreachable', { attempts: str(d.attempts) });
    case 'callback.completed':
      return t('tickets.events.callback_completed', {
        satisfaction: t(`callbacks.satisfaction.${str(d.satisfaction)}`),
        solved: d.solved ? t('callbacks.solvedState.yes') : t('callbacks.solvedState.no'),
      });
    case 'escalated':
      return t('tickets.events.escalated', {
        to: Array.isArray(d.to) && d.to.length ? d.to.map(personName).join(t('tickets.listSeparator')) : t('tickets.nobody'),
        role: t(`tickets.roles.${str(d.role)}`, { defaultValue: str(d.role) }),
      });
    // Routing and department transfers (分流 / 转派), written by the routing module.
    case 'routed':
      return t('tickets.events.routed', { rule: str(d.ruleName), department: str(d.departmentName) || t('common.none') });
    case 'transferred': {
      const to = Array.isArray(d.transfers) ? d.transfers.map((x) => str((x as { departmentName?: unknown }).departmentName)).filter(Boolean) : [];
      return t('tickets.events.transferred', { to: to.join(t('tickets.listSeparator')) || t('common.none') });
    }
    case 'department_answered':
      return t('tickets.events.department_answered', { department: str(d.departmentName) || t('common.none') });
    // Resolution, compensation approval and CAPA (处理结果 / 补偿 / 纠正预防措施).
    case 'resolution': {
      const comps = Array.isArray(d.compensations) ? (d.compensations as { kind?: unknown; amount?: unknown }[]) : [];
      const items = comps.map((c) => `${t(`resolution.kinds.${str(c.kind)}`, { defaultValue: str(c.kind) })} ¥${Number(c.amount).toFixed(2)}`).join(t('tickets.listSeparator'));
      const cause = t(`resolution.rootCauses.${str(d.rootCause)}`, { defaultValue: str(d.rootCause) });
      if (!items) return t('resolution.events.resolution', { cause });
      return t(d.status === 'pending_approval' ? 'resolution.events.resolutionPending' : 'resolution.events.resolutionWith', { cause, items });
    }
    case 'compensation.approved':
    case 'compensation.rejected':
      return t(e.kind === 'compensation.approved' ? 'resolution.events.approved' : 'resolution.events.rejected', {
        kind: t(`resolution.kinds.${str(d.kind)}`, { defaultValue: str(d.kind) }),
        amount: `¥${Number(d.amount).toFixed(2)}`,
      });
    case 'capa.linked':
    case 'capa.unlinked':
      return t(e.kind === 'capa.linked' ? 'resolution.events.capaLinked' : 'resolution.events.capaUnlinked', { title: str(d.title) });
    case 'attachment.added':
      return t('attachments.events.added', { name: str(d.name) });
    case 'attachment.removed':
      return t('attachments.events.removed', { name: str(d.name) });
    case 'transfer.cancelled':
    case 'reply':
    case 'note':
    case 'callback.cancelled':
      return t(`tickets.events.${eventKey(e.kind)}`);
    // Merges and links (合并 / 关联), written by the merge module; texts in its namespace.
    case 'merged':
      return t(d.role === 'survivor' ? 'merge.events.mergedFrom' : 'merge.events.mergedInto', { number: str(d.number) });
    case 'linked':
      return t('merge.events.linked', { kind: t(`merge.kinds.${str(d.kind)}.${d.direction === 'incoming' ? 'incoming' : 'outgoing'}`, { defaultValue: str(d.kind) }) });
    case 'unlinked':
      return t('merge.events.unlinked');
    // Service time limits (服务时限), written by the SLA module; texts in its namespace.
    case 'sla.applied':
      return t('sla.events.applied', { policy: str(d.policy) });
    case 'sla.recomputed':
      return d.policy ? t('sla.events.recomputed', { policy: str(d.policy) }) : t('sla.events.recomputedNone');
    case 'sla.restarted':
      return t('sla.events.restarted', { due: formatTime(str(d.resolutionDue)) });
    case 'sla.warning':
    case 'sla.breached':
      return t(`sla.events.${e.kind === 'sla.warning' ? 'warning' : 'breached'}`, { target: t(`sla.targets.${str(d.target)}`), due: d.dueAt ? formatTime(str(d.dueAt)) : '' });
    case 'sla.escalated':
      return t('sla.events.escalated', { target: t(`sla.targets.${str(d.target)}`), n: str(d.stage).replace('level', ''), who: t(`sla.notify.${str(d.notify)}`, { defaultValue: str(d.notify) }) });
    default:
      return t('tickets.events.other', { kind: e.kind });
  }
}

/** Free text an event carries (a reason, a call note, a callback comment, a message), shown under its line. */
export function eventDetail(e: TimelineEvent): string | null {
  const d = e.data;
  for (const k of ['body', 'reason', 'note', 'comment', 'answer'] as const) if (typeof d[k] === 'string' && d[k]) return d[k];
  if (e.kind === 'resolution' && typeof d.summary === 'string' && d.summary) return d.summary;
  return null;
}

/** Colour of an event's dot: reopening and escalation red, closing and satisfied callbacks green, notes grey. */
export function eventColor(e: TimelineEvent): string {
  const d = e.data;
  if (e.kind === 'escalated' || e.kind === 'sla.breached' || e.kind === 'sla.escalated' || (e.kind === 'status' && typeof d.reopenCount === 'number')) return 'red';
  if (e.kind === 'sla.warning') return 'orange';
  if (e.kind === 'callback.completed') return d.solved && Number(d.satisfaction) >= 3 ? 'green' : 'red';
  if (e.kind === 'status' && d.to === 'closed') return 'green';
  if (e.kind === 'note') return 'gray';
  return 'blue';
}

/** A due time that has passed, for an order still being worked on or waiting for its callback. */
export const isOverdue = (dueAt: string | null, status: TicketStatus, now = Date.now()) =>
  !!dueAt && status !== 'closed' && new Date(dueAt).getTime() < now;
