import { describe, expect, it } from 'vitest';
import type { Permission } from '../../../contracts/permissions.ts';
import {
  normalisePhone as serverNormalise,
  ticketChannels,
  ticketPriorities,
  ticketQueues,
  ticketStatuses,
  ticketTypes,
  type TimelineEvent,
} from '../../../contracts/tickets.ts';
import { edgeOf } from '../../../server/modules/tickets/ticket.state.ts';
import { i18n } from '../../i18n/index.ts';
import { actionTarget, availableActions, channels, describeEvent, normalisePhone, priorities, queues, statuses, types } from './model.ts';

const all = (): boolean => true;
const agent = (p: Permission) => ['ticket:read', 'ticket:create', 'ticket:update', 'callback:perform'].includes(p);
const sorted = (a: readonly string[]) => [...a].sort();

describe('work-order model of the console', () => {
  it('knows every value of the contracts', () => {
    expect(sorted(statuses)).toEqual(sorted(ticketStatuses));
    expect(sorted(types)).toEqual(sorted(ticketTypes));
    expect(sorted(channels)).toEqual(sorted(ticketChannels));
    expect(sorted(priorities)).toEqual(sorted(ticketPriorities));
    expect(sorted(queues)).toEqual(sorted(ticketQueues));
  });

  it('normalises phone numbers as the server does', () => {
    for (const raw of ['138-1234 5678', ' +86 (138) 1234 5678 ', '0379-6321', '']) expect(normalisePhone(raw)).toBe(serverNormalise(raw));
  });

  it('offers only moves the server allows', () => {
    for (const status of ticketStatuses) {
      for (const assigneeId of [null, 'someone']) {
        for (const a of availableActions({ status, assigneeId }, all)) {
          if (a === 'take') expect(edgeOf(status, 'assigned')).toBe('assign');
          else if (a === 'assign') expect(['new', 'assigned', 'in_progress', 'waiting_customer', 'waiting_department']).toContain(status);
          else expect(edgeOf(status, actionTarget[a]), `${status} → ${a}`).toMatch(a === 'reopen' ? /^reopen$/ : /^user$/);
        }
      }
    }
  });

  it('follows the permissions: an agent takes, works and reopens, but neither assigns nor closes', () => {
    expect(availableActions({ status: 'new', assigneeId: null }, agent)).toEqual(['take']);
    expect(availableActions({ status: 'new', assigneeId: null }, all)).toEqual(['take', 'assign']);
    expect(availableActions({ status: 'assigned', assigneeId: 'x' }, agent)).toEqual(['start']);
    expect(availableActions({ status: 'in_progress', assigneeId: 'x' }, agent)).toEqual(['waitCustomer', 'waitDepartment', 'resolve']);
    expect(availableActions({ status: 'awaiting_callback', assigneeId: 'x' }, agent)).toEqual(['reopen']);
    expect(availableActions({ status: 'awaiting_callback', assigneeId: 'x' }, all)).toEqual(['close', 'reopen']);
    expect(availableActions({ status: 'closed', assigneeId: 'x' }, () => false)).toEqual([]);
  });

  it('describes each kind of event in both languages, without raw keys', async () => {
    const ev = (kind: string, data: Record<string, unknown>): TimelineEvent => ({ id: kind, seq: 1, at: '2026-03-01T00:00:00.000Z', actorId: null, actorName: '刘洋', kind, data });
    const events = [
      ev('created', { type: 'complaint', channel: 'phone' }),
      ev('status', { from: 'in_progress', to: 'resolved', reason: '已更换花洒' }),
      ev('status', { from: 'awaiting_callback', to: 'in_progress', reason: '回访不满意', reopenCount: 1 }),
      ev('assigned', { from: null, to: { id: 'a', name: '刘洋' }, taken: true }),
      ev('assigned', { from: null, to: { id: 'a', name: '刘洋' } }),
      ev('assigned', { from: { id: 'a', name: '刘洋' }, to: { id: 'b', name: '张伟' } }),
      ev('updated', { changes: { priority: { from: 'normal', to: 'high' }, categoryId: { from: null, to: 'x' } } }),
      ev('reply', { body: '您好' }),
      ev('note', { body: '@zhang.wei' }),
      ev('callback.scheduled', { dueAt: '2026-03-02T00:00:00.000Z' }),
      ev('callback.cancelled', {}),
      ev('callback.attempt', { attempt: 1, maxAttempts: 3, note: '无人接听' }),
      ev('callback.unreachable', { attempts: 3 }),
      ev('callback.completed', { solved: false, satisfaction: 1 }),
      ev('escalated', { role: 'supervisor', to: [{ id: 's', name: '张伟' }] }),
      ev('routed', { ruleName: '客房设施报修', departmentName: '工程部' }),
      ev('transferred', { reason: '请工程部检修', transfers: [{ departmentName: '工程部' }] }),
      ev('department_answered', { departmentName: '工程部', answer: '已更换阀门' }),
      ev('transfer.cancelled', { reason: 'closed' }),
    ];
    for (const lang of ['zh-CN', 'en']) {
      await i18n.changeLanguage(lang);
      for (const e of events) {
        const text = describeEvent(e, i18n.t, (s) => s);
        expect(text, `${lang} ${e.kind}`).not.toMatch(/tickets\.|callbacks\.|\{\{|undefined/);
      }
    }
    expect(describeEvent(events[13], i18n.t, (s) => s)).toBe('callback done: Very dissatisfied, not solved');
    await i18n.changeLanguage('zh-CN');
    expect(describeEvent(events[2], i18n.t, (s) => s)).toBe('重新打开了工单（原为待回访，第 1 次重开）');
    expect(describeEvent(events[14], i18n.t, (s) => s)).toBe('已升级给主管：张伟');
    expect(describeEvent(events[6], i18n.t, (s) => s)).toBe('修改了优先级（普通 → 高）、分类');
  });
});
