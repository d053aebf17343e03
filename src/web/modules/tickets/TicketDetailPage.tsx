import { ReloadOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Col, Descriptions, Result, Row, Space, Spin, Tag, Typography, type DescriptionsProps } from 'antd';
import type { TFunction } from 'i18next';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import type { Ticket } from '../../../contracts/tickets.ts';
import { ApiError, errorText } from '../../api.ts';
import { ticketsApi } from '../../endpoints.ts';
import { useSession } from '../../session.tsx';
import { formatTime } from '../../ui/format.ts';
import { Page } from '../../ui/Page.tsx';
import { useLoaded } from '../../ui/useLoaded.ts';
import { AttachmentsPanel } from '../attachments/AttachmentsPanel.tsx';
import { Conversation } from './Conversation.tsx';
import { TicketActions } from './TicketActions.tsx';
import { TicketExtras } from './TicketExtras.tsx';
import { TicketMergePanel } from './TicketMergePanel.tsx';
import { TicketResolution } from './TicketResolution.tsx';
import { TicketTimeline } from './TicketTimeline.tsx';
import { TicketSlaPanel } from '../sla/TicketSlaPanel.tsx';
import { CustomerCell, DueTime, PriorityTag, SeverityTag, StatusTag, TypeTag } from './TicketTags.tsx';

/** One work order: what it is about, the moves it allows, the conversation with the customer and the timeline. */
export function TicketDetailPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const { can } = useSession();
  const load = useCallback(() => Promise.all([ticketsApi.get(id), ticketsApi.timeline(id)]), [id]);
  const { data, error, loading, reload } = useLoaded(load, null);
  const refresh = () => void reload();

  if (!data) {
    if (error instanceof ApiError && error.status === 404) {
      return (
        <Result
          status="404"
          title={t('tickets.notFound')}
          extra={
            <Link to="/tickets">
              <Button type="primary">{t('tickets.backToList')}</Button>
            </Link>
          }
        />
      );
    }
    if (error) return <Alert type="error" showIcon title={errorText(error)} />;
    return <Spin size="large" style={{ display: 'block', margin: '80px auto' }} />;
  }
  const [ticket, events] = data;

  return (
    <div data-testid="ticket-page">
      <Page
        title={t('tickets.detail.title', { number: ticket.number })}
        extra={
          <Space wrap>
            <TicketActions ticket={ticket} onChanged={refresh} />
            <Button icon={<ReloadOutlined />} onClick={refresh} loading={loading} aria-label={t('common.refresh')} data-testid="ticket-refresh" />
          </Space>
        }
      >
        <Typography.Title level={4} style={{ marginTop: 0 }} data-testid="ticket-subject">
          {ticket.subject}
        </Typography.Title>
        <Descriptions size="small" column={{ xs: 1, sm: 2, lg: 3, xxl: 4 }} items={details(ticket, t)} data-testid="ticket-details" />
        <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginTop: 16, marginBottom: 0 }} type={ticket.description ? undefined : 'secondary'} data-testid="ticket-description">
          {ticket.description || t('tickets.detail.noDescription')}
        </Typography.Paragraph>
        <TicketExtras ticket={ticket} onChanged={refresh} />
        <TicketSlaPanel ticketId={ticket.id} stamp={events.length} />
      </Page>
      <TicketResolution events={events} />
      <TicketMergePanel ticket={ticket} events={events} onChanged={refresh} />
      <Row gutter={[16, 16]} style={{ marginTop: 16 }}>
        <Col xs={24} lg={14}>
          <Card title={t('tickets.detail.conversation')} data-testid="ticket-conversation">
            <Conversation ticketId={ticket.id} events={events} canWrite={can('ticket:update')} onSent={refresh} />
          </Card>
          <AttachmentsPanel ticketId={ticket.id} onChanged={refresh} style={{ marginTop: 16 }} />
        </Col>
        <Col xs={24} lg={10}>
          <Card title={t('tickets.detail.timeline')}>
            <TicketTimeline events={events} />
          </Card>
        </Col>
      </Row>
    </div>
  );
}

function details(tk: Ticket, t: TFunction): DescriptionsProps['items'] {
  const none = t('common.none');
  const customer = tk.customer;
  return [
    { key: 'number', label: t('tickets.fields.number'), children: <span data-testid="ticket-number">{tk.number}</span> },
    { key: 'status', label: t('tickets.fields.status'), children: <StatusTag status={tk.status} /> },
    { key: 'type', label: t('tickets.fields.type'), children: <TypeTag type={tk.type} /> },
    { key: 'priority', label: t('tickets.fields.priority'), children: <PriorityTag priority={tk.priority} /> },
    ...(tk.type === 'complaint' ? [{ key: 'severity', label: t('tickets.fields.severity'), children: <SeverityTag severity={tk.severity} /> }] : []),
    { key: 'channel', label: t('tickets.fields.channel'), children: t(`tickets.channels.${tk.channel}`) },
    {
      key: 'customer',
      label: t('tickets.fields.customer'),
      children: (
        <span data-testid="ticket-customer">
          <CustomerCell name={tk.customerName} phone={tk.customerPhone} />
          {customer?.vip && <Tag color="gold" style={{ marginInlineStart: 6 }}>{t('tickets.vip')}</Tag>}
          {customer && customer.tier !== 'ordinary' && <Tag color="purple">{t(`tickets.tiers.${customer.tier}`)}</Tag>}
        </span>
      ),
    },
    { key: 'category', label: t('tickets.fields.category'), children: tk.categoryName ?? none },
    { key: 'unit', label: t('tickets.fields.orgUnit'), children: tk.orgUnitName },
    { key: 'department', label: t('tickets.fields.department'), children: tk.departmentName ?? none },
    { key: 'assignee', label: t('tickets.fields.assignee'), children: <span data-testid="ticket-assignee">{tk.assigneeName ?? t('tickets.unassigned')}</span> },
    { key: 'created', label: t('tickets.fields.createdBy'), children: `${tk.createdByName ?? none} · ${formatTime(tk.createdAt)}` },
    { key: 'due', label: t('tickets.fields.dueAt'), children: <DueTime dueAt={tk.dueAt} status={tk.status} /> },
    ...(tk.reopenCount > 0 ? [{ key: 'reopened', label: t('tickets.fields.reopenCount'), children: <span data-testid="ticket-reopen-count">{tk.reopenCount}</span> }] : []),
    ...(tk.closeReason ? [{ key: 'closeReason', label: t('tickets.fields.closeReason'), children: tk.closeReason }] : []),
  ];
}
