import { ReloadOutlined } from '@ant-design/icons';
import { Badge, Button, Flex, Select, Space, Tabs, Typography, type TableColumnsType } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import type { TicketQueue, TicketSummary } from '../../../contracts/tickets.ts';
import { ticketsApi, type TicketCounts, type TicketFilter } from '../../endpoints.ts';
import { useSession } from '../../session.tsx';
import { CursorTable } from '../../ui/DataTable.tsx';
import { rowTid, useNotify } from '../../ui/errors.tsx';
import { formatTime } from '../../ui/format.ts';
import { CreateButton, Page } from '../../ui/Page.tsx';
import { useCursorList } from '../../ui/useCursorList.ts';
import { useLoaded } from '../../ui/useLoaded.ts';
import { queues } from './model.ts';
import { ticketSorts } from '../../../contracts/tickets.ts';
import { useLive } from '../../live.ts';
import { BulkBar, SavedFilters } from './QueueTools.tsx';
import { QueueFilters } from './QueueFilters.tsx';
import { fromSaved, toSaved, withValue, type QueueQuery } from './queueFilter.ts';
import { useQueueUrl } from './useQueueUrl.ts';
import { CustomerCell, DueTime, PriorityTag, Relative, StatusTag, TypeTag } from './TicketTags.tsx';

type QueueTab = TicketQueue | 'all';
const fetchPage = (f: TicketFilter, cursor?: string) => ticketsApi.list({ ...f, cursor, limit: 50 });

/** The work queues with their counts, filters, and the orders in the chosen queue; a row opens the order. */
export function TicketsPage() {
  const { t } = useTranslation();
  const { can } = useSession();
  const navigate = useNavigate();
  const notify = useNotify();
  // The filter lives in the URL (a link or a reload keeps it); any change starts again at the first page.
  const { queue, filter, set: setFilter } = useQueueUrl();
  const [selected, setSelected] = useState<TicketSummary[]>([]);
  const query = useMemo<TicketFilter>(() => ({ ...(filter as TicketFilter), queue: queue === 'all' ? undefined : queue }), [filter, queue]);
  const list = useCursorList(fetchPage, query);
  const counts = useLoaded<TicketCounts | null>(ticketsApi.counts, null);

  const { reload: reloadCounts, error: countsError } = counts;
  useEffect(() => {
    if (countsError) notify.fail(countsError);
  }, [countsError, notify]);
  const refresh = () => {
    list.reload();
    void reloadCounts();
  };
  // Live (no polling): an order in my scope changed — refresh the counts, and the page when the order
  // is on it or the first page is shown (a new order may belong there); debounced in useLive.
  const visible = useMemo(() => new Set(list.items.map((x) => x.id)), [list.items]);
  const live = useMemo(() => ({ visible, firstPage: list.items.length <= 50 }), [visible, list.items.length]);
  useLive(
    (e) => e.type === 'ticket' || e.type === 'ready',
    () => void reloadCounts(),
  );
  useLive(
    (e) => e.type === 'ready' || (e.type === 'ticket' && (live.firstPage || visible.has(e.id))),
    () => list.reload(),
    600,
  );
  const applySaved = (q: QueueQuery) => {
    const saved = fromSaved(q);
    setFilter(saved.filter, saved.queue);
  };
  const currentQuery = toSaved(queue, filter);

  const columns: TableColumnsType<TicketSummary> = [
    {
      title: t('tickets.fields.number'),
      dataIndex: 'number',
      render: (n: string, r) => (
        <Link to={`/tickets/${r.id}`} onClick={(e) => e.stopPropagation()} data-testid="ticket-number">
          {n}
        </Link>
      ),
    },
    {
      title: t('tickets.fields.subject'),
      dataIndex: 'subject',
      render: (s: string) => (
        <Typography.Text ellipsis={{ tooltip: s }} style={{ maxWidth: 280 }} data-testid="ticket-subject">
          {s}
        </Typography.Text>
      ),
    },
    { title: t('tickets.fields.type'), dataIndex: 'type', render: (v: TicketSummary['type']) => <TypeTag type={v} /> },
    { title: t('tickets.fields.status'), dataIndex: 'status', render: (v: TicketSummary['status']) => <StatusTag status={v} /> },
    { title: t('tickets.fields.priority'), dataIndex: 'priority', render: (v: TicketSummary['priority']) => <PriorityTag priority={v} /> },
    { title: t('tickets.fields.customer'), key: 'customer', render: (_, r) => <CustomerCell name={r.customerName} phone={r.customerPhone} /> },
    { title: t('tickets.fields.assignee'), dataIndex: 'assigneeName', render: (v: string | null) => v ?? <Typography.Text type="secondary">{t('tickets.unassigned')}</Typography.Text> },
    { title: t('tickets.fields.createdAt'), dataIndex: 'createdAt', render: (v: string) => formatTime(v) },
    { title: t('tickets.fields.updatedAt'), dataIndex: 'updatedAt', render: (v: string) => <Relative iso={v} /> },
    { title: t('tickets.fields.dueAt'), key: 'due', render: (_, r) => <DueTime dueAt={r.dueAt} status={r.status} /> },
  ];

  const tabLabel = (q: QueueTab) => (
    <Space size={6} data-testid={`queue-${q}`}>
      {t(`tickets.queues.${q}`)}
      {q !== 'all' && counts.data && (
        <Badge count={counts.data[q]} showZero overflowCount={999} color={q === 'overdue' && counts.data[q] > 0 ? 'red' : '#8c8c8c'} data-testid={`queue-count-${q}`} />
      )}
    </Space>
  );

  return (
    <Page
      title={t('tickets.title')}
      testId="tickets-page"
      extra={
        <Space>
          <Button icon={<ReloadOutlined />} onClick={refresh} data-testid="tickets-refresh">
            {t('common.refresh')}
          </Button>
          {can('ticket:create') && (
            <CreateButton onClick={() => navigate('/tickets/new')} testId="ticket-create">
              {t('nav.intake')}
            </CreateButton>
          )}
        </Space>
      }
    >
      <Tabs
        activeKey={queue}
        onChange={(q) => setFilter(filter, q)}
        items={[...queues, 'all' as const].map((q) => ({ key: q, label: tabLabel(q) }))}
      />
      <Flex justify="space-between" wrap gap={12} style={{ marginBottom: 12 }}>
        <SavedFilters current={currentQuery} onApply={applySaved} />
        <Space>
          <Select
            style={{ width: 130 }}
            placeholder={t('queues.sort')}
            allowClear
            value={filter.sort}
            onChange={(v: string | undefined) => setFilter(withValue(filter, 'sort', v))}
            options={ticketSorts.map((v) => ({ value: v, label: t(`queues.sorts.${v}`) }))}
            data-testid="ticket-sort"
          />
          <Select
            style={{ width: 110 }}
            value={filter.order === 'asc' ? 'asc' : 'desc'}
            onChange={(v) => setFilter(withValue(filter, 'order', v === 'asc' ? 'asc' : undefined))}
            options={(['desc', 'asc'] as const).map((v) => ({ value: v, label: t(`queues.order.${v}`) }))}
            data-testid="ticket-order"
          />
        </Space>
      </Flex>
      <QueueFilters filter={filter} onChange={(f) => setFilter(f)} />
      <BulkBar
        selected={selected}
        canAssign={can('ticket:assign')}
        onDone={() => {
          setSelected([]);
          refresh();
        }}
      />
      <CursorTable<TicketSummary>
        list={list}
        loadMoreTestId="ticket-load-more"
        columns={columns}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('tickets.empty') }}
        rowSelection={{
          selectedRowKeys: selected.map((x) => x.id),
          onChange: (_keys, rows) => setSelected(rows.slice(0, 100)),
          getCheckboxProps: (r) => ({ 'data-testid': `ticket-select-${r.number}` }) as object,
        }}
        onRow={(r) => ({ ...rowTid(`ticket-row-${r.number}`), onClick: (e) => {
            // The selection checkbox selects; the rest of the row opens the order.
            if (!(e.target as HTMLElement).closest('.ant-table-selection-column')) navigate(`/tickets/${r.id}`);
          }, style: { cursor: 'pointer' } })}
      />
    </Page>
  );
}
