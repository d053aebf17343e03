import { Tag, Tooltip, Typography } from 'antd';
import dayjs from 'dayjs';
import relativeTime from 'dayjs/plugin/relativeTime';
import { useTranslation } from 'react-i18next';
import type { TicketPriority, TicketStatus, TicketType } from '../../../contracts/tickets.ts';
import { formatTime } from '../../ui/format.ts';
import { isOverdue, priorityColors, severityColors, statusColors, typeColors } from './model.ts';

dayjs.extend(relativeTime);

/** The small labels every work-order page shows the same way. */
export function StatusTag({ status }: { status: TicketStatus }) {
  const { t } = useTranslation();
  return (
    <Tag color={statusColors[status]} data-testid="ticket-status">
      {t(`tickets.statuses.${status}`)}
    </Tag>
  );
}

export function TypeTag({ type }: { type: TicketType }) {
  const { t } = useTranslation();
  return (
    <Tag color={typeColors[type]} bordered={false} data-testid="ticket-type">
      {t(`tickets.types.${type}`)}
    </Tag>
  );
}

export function PriorityTag({ priority }: { priority: TicketPriority }) {
  const { t } = useTranslation();
  return (
    <Tag color={priorityColors[priority]} bordered={false} data-testid="ticket-priority">
      {t(`tickets.priorities.${priority}`)}
    </Tag>
  );
}

export function SeverityTag({ severity }: { severity: number | null }) {
  const { t } = useTranslation();
  if (severity === null) return <>{t('common.none')}</>;
  return (
    <Tag color={severityColors[severity]} data-testid="ticket-severity">
      {t(`tickets.severities.${severity}`)}
    </Tag>
  );
}

/** "3 分钟前" with the exact time on hover. */
export function Relative({ iso }: { iso: string | null }) {
  const { t } = useTranslation();
  if (!iso) return <>{t('common.none')}</>;
  return (
    <Tooltip title={formatTime(iso)}>
      <span>{dayjs(iso).fromNow()}</span>
    </Tooltip>
  );
}

/** A due time, red with "overdue" once it has passed. */
export function DueTime({ dueAt, status }: { dueAt: string | null; status: TicketStatus }) {
  const { t } = useTranslation();
  if (!dueAt) return <>{t('common.none')}</>;
  const late = isOverdue(dueAt, status);
  return (
    <Typography.Text type={late ? 'danger' : undefined} data-testid={late ? 'ticket-overdue' : undefined}>
      {formatTime(dueAt)}
      {late && <Tag color="red" style={{ marginInlineStart: 6 }}>{t('tickets.overdue')}</Tag>}
    </Typography.Text>
  );
}

/** A customer's name and phone on one line (either may be missing). */
export function CustomerCell({ name, phone }: { name: string | null; phone: string | null }) {
  const { t } = useTranslation();
  if (!name && !phone) return <>{t('common.none')}</>;
  return (
    <span>
      {name}
      {phone && <Typography.Text type="secondary" style={{ marginInlineStart: name ? 6 : 0 }}>{phone}</Typography.Text>}
    </span>
  );
}
