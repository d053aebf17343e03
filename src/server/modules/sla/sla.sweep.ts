import type { Lang } from '../../../contracts/errors.ts';
import { liveTicketChanged } from '../../live/live.hub.ts';
import { ticketPriorities } from '../../../contracts/tickets.ts';
import type { Db, Dialect, Tx } from '../../../db/database.ts';
import { systemActor } from '../../platform/actor.ts';
import { iso, type Clock as TimeSource } from '../../platform/clock.ts';
import type { Ctx } from '../../platform/context.ts';
import type { Logger } from '../../platform/logger.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { escalationRoles, escalationTargets } from '../tickets/escalation.service.ts';
import { notify } from '../tickets/notification.service.ts';
import { pathIds } from '../tickets/org-chain.ts';
import { ticketRepository, type TicketView } from '../tickets/ticket.repository.ts';
import { type Stage } from './sla.clock.ts';
import { type StoredEscalation } from './sla.policy.ts';
import { slaRepository as repo, type SlaClockRow } from './sla.repository.ts';
import { advance } from './sla.service.ts';

/**
 * The escalation sweep (升级): finds the clocks whose next stage is due (an index range on
 * `next_check_at`, so the cost follows what is due, not what is open), and fires each stage in a
 * transaction of its own that also moves the clock to its next stage. Firing and advancing commit
 * together, so a stage fires exactly once: a crash before the commit leaves it due (it fires at the
 * next sweep, also after a restart), and several instances skip rows another holds (PostgreSQL
 * `FOR UPDATE SKIP LOCKED`) and re-check that the row is still due.
 */
const BATCH = 200;

type Who = 'assignee' | 'shift_lead' | 'supervisor' | 'manager' | 'director';
const roleChain: Record<Exclude<Who, 'assignee'>, readonly string[]> = {
  shift_lead: escalationRoles.shift_lead,
  supervisor: ['supervisor', 'manager'],
  manager: ['manager'],
  director: ['director'],
};
const whoLabel: Record<Who, Record<Lang, string>> = {
  assignee: { zh: '处理人', en: 'assignee' },
  shift_lead: { zh: '领班', en: 'shift lead' },
  supervisor: { zh: '主管', en: 'supervisor' },
  manager: { zh: '部门经理', en: 'department manager' },
  director: { zh: '总监', en: 'director' },
};
const targetLabel = { firstResponse: { zh: '首次响应', en: 'first response' }, resolution: { zh: '解决', en: 'resolution' } };

async function peopleFor(trx: Tx, t: TicketView, who: Who): Promise<{ id: string }[]> {
  if (who === 'assignee') return t.assignee_id ? [{ id: t.assignee_id }] : (await escalationTargets(trx, t, roleChain.shift_lead)).people;
  if (who === 'director') {
    // Directors sit above the company: look all the way up to the group.
    const ids = pathIds(t.department_path ?? t.unit_path);
    return ticketRepository.holdersOfRole(trx, 'director', ids);
  }
  return (await escalationTargets(trx, t, roleChain[who])).people;
}

function text(stage: Stage, clock: SlaClockRow, t: TicketView, who: Who, lang: Lang): string {
  const target = targetLabel[clock.target][lang];
  const zh = lang === 'zh';
  if (stage === 'warning') return zh ? `工单 ${t.number}「${t.subject}」的${target}时限即将到期（${clock.due_at ? '截止 ' + clock.due_at : ''}）` : `${t.number} "${t.subject}": the ${target} limit is close (due ${clock.due_at ?? ''})`;
  if (stage === 'breach') return zh ? `工单 ${t.number}「${t.subject}」的${target}已超时` : `${t.number} "${t.subject}": the ${target} limit is breached`;
  const n = stage.slice(5);
  return zh
    ? `工单 ${t.number}「${t.subject}」的${target}超时，第 ${n} 级升级给${whoLabel[who].zh}`
    : `${t.number} "${t.subject}": ${target} overdue — escalation level ${n} to the ${whoLabel[who].en}`;
}

/** Fires one due stage of one clock, locked; false when someone else had it or it is no longer due. */
async function fireOne(db: Db, dialect: Dialect, clock: TimeSource, log: Logger, id: string): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const now = clock.now();
    const at = iso(now);
    const r = await repo.lockDue(trx, id, at, dialect === 'postgres');
    if (!r || !r.next_stage || (r.state !== 'running' && r.state !== 'paused')) {
      if (r) await repo.updateClock(trx, r.id, { next_stage: null, next_check_at: null });
      return false;
    }
    const t = await ticketRepository.byIdInScope(trx, r.ticket_id, ['/']);
    if (!t) return false;
    const stage = r.next_stage as Stage;
    if (stage === 'warning' && r.due_at && r.due_at <= at) {
      // Missed while down or paused past it: a warning after the deadline says nothing; go on to the breach.
      await advance(trx, r, stage, now, t.status);
      return true;
    }
    const plan = JSON.parse(r.plan) as StoredEscalation;
    const step = stage.startsWith('level') ? plan.levels[Number(stage.slice(5)) - 1] : undefined;
    const who: Who = step?.notify ?? 'assignee';
    const ctx: Ctx = { actor: systemActor(), db: trx, clock, log, lang: 'zh', requestId: null, ip: null, afterCommit: () => {} };
    // The ticket row first: it orders this transaction's timeline entries after any other writer's.
    const patch: { priority?: number; assignee_id?: string; status?: 'assigned'; updated_at?: string } = {};
    const people = await peopleFor(trx, t, who);
    if (step?.raisePriority && Number(t.priority) < ticketPriorities.length - 1) patch.priority = Number(t.priority) + 1;
    if (step?.reassign && people[0] && people[0].id !== t.assignee_id) {
      patch.assignee_id = people[0].id;
      if (t.status === 'new') patch.status = 'assigned';
    }
    if (Object.keys(patch).length > 0) {
      patch.updated_at = at;
      await repo.escalateTicket(trx, t.id, patch);
      await liveTicketChanged(trx, t.id); // consoles refresh after commit (live queues)
    } else await repo.setTicketDue(trx, t.id, t.due_at);

    await advance(trx, r, stage, now, t.status);
    const data: Record<string, unknown> = { target: r.target, cycle: Number(r.cycle), stage, dueAt: r.due_at, notified: people.length };
    if (step) Object.assign(data, { notify: who, ...(patch.priority !== undefined ? { priority: ticketPriorities[patch.priority] } : {}), ...(patch.assignee_id ? { assigneeId: patch.assignee_id } : {}) });
    await ticketRepository.appendEvents(trx, t.id, at, { id: null, name: '系统 System' }, [{ kind: `sla.${stage === 'warning' ? 'warning' : stage === 'breach' ? 'breached' : 'escalated'}`, data }]);
    if (people.length > 0) await notify(trx, ctx, { userIds: people.map((p) => p.id), ticketId: t.id, kind: 'sla', text: (lang) => text(stage, r, t, who, lang) });
    await recordAudit(trx, ctx, { action: `sla.${stage}`, entityType: 'ticket', entityId: t.id, orgUnitId: t.org_unit_id, after: data });
    return true;
  });
}

/** One pass: fires every stage due now, batch by batch. Returns how many fired. */
export async function sweepSla(db: Db, dialect: Dialect, clock: TimeSource, log: Logger): Promise<number> {
  let fired = 0;
  for (let round = 0; round < 50; round++) {
    const ids = await repo.dueIds(db, iso(clock.now()), BATCH);
    if (ids.length === 0) break;
    let progressed = 0;
    for (const id of ids) {
      try {
        if (await fireOne(db, dialect, clock, log, id)) progressed++;
      } catch (err) {
        log.error({ err, clockId: id }, 'SLA stage failed; it stays due and is tried at the next sweep');
      }
    }
    fired += progressed;
    // Firing a stage may make the next one due at once (a breach and a level at 0 minutes): go round
    // again until nothing moves; rows another instance holds are left to it.
    if (progressed === 0) break;
  }
  return fired;
}

/** Runs the sweep at start (what fell due while the server was down) and then on a timer. */
export class SlaSweeper {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;
  private readonly o: { db: Db; dialect: Dialect; clock: TimeSource; log: Logger; afterSweep?: () => void };

  constructor(o: { db: Db; dialect: Dialect; clock: TimeSource; log: Logger; afterSweep?: () => void }) {
    this.o = o;
  }

  start(intervalMs = 15_000): void {
    void this.sweep();
    this.timer ??= setInterval(() => void this.sweep(), intervalMs);
    this.timer.unref();
  }

  sweep(): Promise<number> {
    this.running ??= sweepSla(this.o.db, this.o.dialect, this.o.clock, this.o.log)
      .catch((err) => {
        this.o.log.error({ err }, 'SLA sweep failed; will retry');
        return 0;
      })
      .finally(() => {
        this.running = null;
        this.o.afterSweep?.();
      });
    return this.running;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }
}
