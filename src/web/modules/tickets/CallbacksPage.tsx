import { ReloadOutlined } from '@ant-design/icons';
import { Button, Flex, Segmented, Select, Space, Tag, Typography, type TableColumnsType } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { Callback } from '../../../contracts/tickets.ts';
import { callbacksApi, type CallbackFilter } from '../../endpoints.ts';
import { CursorTable, filterProps, RowAction } from '../../ui/DataTable.tsx';
import { formatTime } from '../../ui/format.ts';
import { Page } from '../../ui/Page.tsx';
import { useCursorList } from '../../ui/useCursorList.ts';
import { CallbackModal, type CallbackOpening } from './CallbackModal.tsx';
import { CustomerCell, TypeTag } from './TicketTags.tsx';

type Due = NonNullable<CallbackFilter['due']>;
type Status = NonNullable<CallbackFilter['status']>;
const dues: Due[] = ['all', 'today', 'overdue'];
const callbackStatuses: Status[] = ['pending', 'done', 'unreachable', 'cancelled'];
const statusColors: Record<Status, string> = { pending: 'blue', done: 'green', unreachable: 'orange', cancelled: 'default' };
const fetchPage = (f: CallbackFilter, cursor?: string) => callbacksApi.list({ ...f, cursor, limit: 50 });

/** 回访: the callbacks to make, due first (overdue in red), with "not reached" and "record the outcome". */
export function CallbacksPage() {
  const { t } = useTranslation();
  const [filter, setFilter] = useState<CallbackFilter>({ status: 'pending', due: 'all' });
  const list = useCursorList(fetchPage, filter);
  const [opening, setOpening] = useState<CallbackOpening | null>(null);
  const now = Date.now();

  const columns: TableColumnsType<Callback> = [
    {
      title: t('callbacks.due'),
      dataIndex: 'dueAt',
      render: (v: string, c) => {
        const late = c.status === 'pending' && new Date(v).getTime() < now;
        return (
          <Typography.Text type={late ? 'danger' : undefined} strong={late}>
            {formatTime(v)}
            {late && <Tag color="red" style={{ marginInlineStart: 6 }} data-testid="callback-overdue">{t('tickets.overdue')}</Tag>}
          </Typography.Text>
        );
      },
    },
    {
      title: t('callbacks.ticket'),
      key: 'ticket',
      render: (_, c) => (
        <Space direction="vertical" size={0}>
          <Link to={`/tickets/${c.ticketId}`} data-testid="callback-ticket">{c.ticketNumber}</Link>
          <Typography.Text ellipsis={{ tooltip: c.ticketSubject }} style={{ maxWidth: 260 }} data-testid="callback-subject">
            {c.ticketSubject}
          </Typography.Text>
        </Space>
      ),
    },
    { title: t('tickets.fields.type'), dataIndex: 'ticketType', render: (v: Callback['ticketType']) => <TypeTag type={v} /> },
    { title: t('tickets.fields.customer'), key: 'customer', render: (_, c) => <CustomerCell name={c.customerName} phone={c.customerPhone} /> },
    { title: t('tickets.fields.assignee'), dataIndex: 'assigneeName', render: (v: string | null) => v ?? t('common.none') },
    { title: t('callbacks.attempts'), key: 'attempts', render: (_, c) => t('callbacks.attemptsOf', { attempts: c.attempts, max: c.maxAttempts }) },
    {
      title: t('callbacks.status'),
      key: 'status',
      render: (_, c) => (
        <Space size={4} wrap>
          <Tag color={statusColors[c.status]} data-testid="callback-status">{t(`callbacks.statuses.${c.status}`)}</Tag>
          {typeof c.outcome.satisfaction === 'number' && <Tag>{t(`callbacks.satisfaction.${c.outcome.satisfaction}`)}</Tag>}
        </Space>
      ),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      render: (_, c) =>
        c.status === 'pending' && (
          <Space size={0} wrap>
            <RowAction onClick={() => setOpening({ mode: 'attempt', callback: c })} testId="callback-attempt">
              {t('callbacks.notReached')}
            </RowAction>
            <RowAction type="primary" onClick={() => setOpening({ mode: 'complete', callback: c })} testId="callback-complete">
              {t('callbacks.complete')}
            </RowAction>
          </Space>
        ),
    },
  ];

  return (
    <Page
      title={t('callbacks.title')}
      testId="callbacks-page"
      extra={
        <Button icon={<ReloadOutlined />} onClick={list.reload} data-testid="callbacks-refresh">
          {t('common.refresh')}
        </Button>
      }
    >
      <Flex gap={12} wrap style={{ marginBottom: 16 }}>
        <Segmented<Due>
          value={filter.due}
          onChange={(due) => setFilter((f) => ({ ...f, due }))}
          options={dues.map((d) => ({ value: d, label: t(`callbacks.dueFilter.${d}`) }))}
          data-testid="callback-due-filter"
        />
        <Select<Status>
          {...filterProps(t('callbacks.status'), 140)}
          allowClear={false}
          value={filter.status}
          onChange={(status) => setFilter((f) => ({ ...f, status }))}
          options={callbackStatuses.map((s) => ({ value: s, label: t(`callbacks.statuses.${s}`) }))}
          data-testid="callback-status-filter"
        />
      </Flex>
      <CursorTable<Callback>
        list={list}
        loadMoreTestId="callback-load-more"
        columns={columns}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('callbacks.empty') }}
        rowTestId={(c) => `callback-row-${c.ticketNumber}`}
      />
      <CallbackModal
        opening={opening}
        onClose={() => setOpening(null)}
        onDone={() => {
          setOpening(null);
          list.reload();
        }}
      />
    </Page>
  );
}
