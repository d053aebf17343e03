import { Alert, Card, Space, Tag, Typography } from 'antd';
import type { TFunction } from 'i18next';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import type { SlaClock } from '../../../contracts/sla.ts';
import { slaApi } from '../../endpoints.ts';
import { formatTime } from '../../ui/format.ts';
import { useLoaded } from '../../ui/useLoaded.ts';
import { formatLimit } from './SlaPoliciesPage.tsx';

/** How a clock looks: red once breached, orange after its warning, grey while paused, green when met. */
export function clockTone(c: Pick<SlaClock, 'state' | 'breachedAt' | 'lastStage' | 'remainingMs' | 'warnAt'>, now = Date.now()): 'error' | 'warning' | 'default' | 'success' | 'processing' {
  if (c.state === 'breached' || c.breachedAt || c.remainingMs < 0) return 'error';
  if (c.state === 'met') return 'success';
  if (c.state === 'paused' || c.state === 'cancelled') return 'default';
  if (c.lastStage === 'warning' || (c.warnAt && Date.parse(c.warnAt) <= now)) return 'warning';
  return 'processing';
}

/** Working or calendar time left, as “3 h 20 min”, negative as “overdue 1 h”. */
function remaining(ms: number, t: TFunction): string {
  const m = Math.round(Math.abs(ms) / 60_000);
  const text = m >= 60 ? t('sla.duration.hm', { h: Math.floor(m / 60), m: m % 60 }) : t('sla.duration.m', { m });
  return ms < 0 ? t('sla.overdueBy', { time: text }) : t('sla.left', { time: text });
}

/** The work order's time limits 服务时限: the policy that applies, each target's deadline and time left. */
export function TicketSlaPanel({ ticketId, stamp }: { ticketId: string; stamp: number }) {
  const { t } = useTranslation();
  // `stamp` (the timeline's length) is in the loader's dependencies: every change of the order reloads its clocks.
  const load = useCallback(() => slaApi.ofTicket(ticketId), [ticketId, stamp]);
  const { data } = useLoaded(load, null);
  if (!data || (!data.policyName && data.clocks.length === 0)) return null;
  const live = data.clocks.filter((c) => c.state !== 'cancelled');
  const latest = live.filter((c) => !live.some((o) => o.target === c.target && o.cycle > c.cycle));
  return (
    <Card size="small" title={t('sla.panelTitle')} style={{ marginTop: 16 }} data-testid="ticket-sla">
      <Space direction="vertical" style={{ width: '100%' }}>
        <Typography.Text type="secondary" data-testid="ticket-sla-policy">
          {data.policyName ? t('sla.policyApplied', { name: data.policyName }) : t('sla.noPolicy')}
        </Typography.Text>
        {latest.map((c) => {
          const tone = clockTone(c);
          return (
            <Space key={`${c.target}-${c.cycle}`} wrap data-testid={`sla-clock-${c.target}`} data-tone={tone}>
              <Typography.Text strong>{t(`sla.targets.${c.target}`)}</Typography.Text>
              <Tag>{formatLimit(c.targetMinutes)}{c.mode === 'calendar' ? ` · ${t('sla.modes.calendar')}` : ''}</Tag>
              <Tag color={tone} data-testid={`sla-state-${c.target}`}>
                {t(`sla.states.${c.state === 'running' && tone === 'error' ? 'overdue' : c.state === 'running' && tone === 'warning' ? 'warning' : c.state}`)}
              </Tag>
              {c.dueAt && <span data-testid={`sla-due-${c.target}`}>{t('sla.dueAt', { time: formatTime(c.dueAt) })}</span>}
              {(c.state === 'running' || c.state === 'paused') && <Typography.Text type={tone === 'error' ? 'danger' : tone === 'warning' ? 'warning' : undefined}>{remaining(c.remainingMs, t)}</Typography.Text>}
              {c.cycle > 0 && <Tag>{t('sla.cycle', { n: c.cycle })}</Tag>}
            </Space>
          );
        })}
        {data.warnings.map((w) => (
          <Alert key={`${w.code}-${w.year ?? ''}`} type="warning" showIcon title={w.message} data-testid="ticket-sla-warning" />
        ))}
      </Space>
    </Card>
  );
}
