import { ReloadOutlined } from '@ant-design/icons';
import { Button, Form, Input, Segmented, Space, Typography, type TableColumnsType } from 'antd';
import { useCallback, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { resolutionApi, type Compensation, type CompensationStatus } from '../../endpoints.ts';
import { DataTable, RowAction } from '../../ui/DataTable.tsx';
import { useFormSubmit, useNotify } from '../../ui/errors.tsx';
import { FormModal } from '../../ui/FormOverlay.tsx';
import { formatTime } from '../../ui/format.ts';
import { Page } from '../../ui/Page.tsx';
import { useLoaded } from '../../ui/useLoaded.ts';
import { DecisionTag } from './TicketResolution.tsx';
import { totalYuan, yuan } from './resolution.model.ts';

/** One resolution's compensations: what the manager decides on, as one request for one order. */
interface Request {
  id: string;
  ticketId: string;
  ticketNumber: string;
  ticketSubject: string;
  customerName: string | null;
  requestedBy: string | null;
  createdAt: string;
  items: Compensation[];
}

function group(list: Compensation[]): Request[] {
  const byResolution = new Map<string, Request>();
  for (const k of list) {
    const r = byResolution.get(k.resolutionId);
    if (r) r.items.push(k);
    else byResolution.set(k.resolutionId, { id: k.resolutionId, ticketId: k.ticketId, ticketNumber: k.ticketNumber, ticketSubject: k.ticketSubject, customerName: k.customerName, requestedBy: k.requestedBy, createdAt: k.createdAt, items: [k] });
  }
  return [...byResolution.values()];
}

const statuses: CompensationStatus[] = ['pending_approval', 'approved', 'rejected'];

/**
 * 补偿审批: the compensations above the limit waiting for a manager, one row per order's request
 * (its kinds and amounts, who asked, when). Approving approves each of them (the last one resolves
 * the order); rejecting rejects the request, and the handler records a new resolution.
 */
export function CompensationsPage() {
  const { t } = useTranslation();
  const [status, setStatus] = useState<CompensationStatus>('pending_approval');
  const load = useCallback(() => resolutionApi.compensations(status), [status]);
  const { data, loading, error, reload } = useLoaded(load, [] as Compensation[]);
  const requests = useMemo(() => group(data), [data]);
  const [deciding, setDeciding] = useState<{ request: Request; approve: boolean } | null>(null);
  const notify = useNotify();

  const columns: TableColumnsType<Request> = [
    {
      title: t('compensations.ticket'),
      key: 'ticket',
      render: (_, r) => (
        <Space direction="vertical" size={0}>
          <Link to={`/tickets/${r.ticketId}`} data-testid="approval-ticket">
            {r.ticketNumber}
          </Link>
          <Typography.Text ellipsis={{ tooltip: r.ticketSubject }} style={{ maxWidth: 240 }}>
            {r.ticketSubject}
          </Typography.Text>
        </Space>
      ),
    },
    { title: t('compensations.customer'), key: 'customer', render: (_, r) => r.customerName ?? t('common.none') },
    {
      title: t('compensations.items'),
      key: 'items',
      render: (_, r) => (
        <Space direction="vertical" size={0} data-testid="approval-items">
          {r.items.map((k) => (
            <span key={k.id}>
              {t(`resolution.kinds.${k.kind}`)} {yuan(k.amount)}
              {k.note ? <Typography.Text type="secondary">（{k.note}）</Typography.Text> : null}
              {status !== 'pending_approval' && <DecisionTag status={k.status} />}
            </span>
          ))}
          {r.items.length > 1 && <Typography.Text strong>{t('compensations.total', { total: yuan(totalYuan(r.items.map((k) => k.amount))) })}</Typography.Text>}
        </Space>
      ),
    },
    { title: t('compensations.requestedBy'), key: 'by', render: (_, r) => <span data-testid="approval-requested-by">{r.requestedBy ?? t('common.none')}</span> },
    { title: t('compensations.requestedAt'), key: 'at', render: (_, r) => formatTime(r.createdAt) },
    ...(status === 'pending_approval'
      ? [
          {
            title: t('common.actions'),
            key: 'actions',
            render: (_: unknown, r: Request) => (
              <Space>
                <RowAction type="primary" onClick={() => setDeciding({ request: r, approve: true })} testId="approval-approve">
                  {t('compensations.approve')}
                </RowAction>
                <RowAction danger onClick={() => setDeciding({ request: r, approve: false })} testId="approval-reject">
                  {t('compensations.reject')}
                </RowAction>
              </Space>
            ),
          },
        ]
      : [
          {
            title: t('compensations.decision'),
            key: 'decision',
            render: (_: unknown, r: Request) => (
              <Typography.Text type="secondary">
                {[r.items[0].decidedBy, r.items[0].decisionNote].filter(Boolean).join('：')}
              </Typography.Text>
            ),
          },
        ]),
  ];

  return (
    <Page
      title={t('compensations.title')}
      testId="compensations-page"
      extra={<Button icon={<ReloadOutlined />} onClick={() => void reload()} loading={loading} aria-label={t('common.refresh')} data-testid="compensations-refresh" />}
    >
      <Space direction="vertical" size="middle" style={{ width: '100%' }}>
        <Segmented<CompensationStatus>
          value={status}
          onChange={setStatus}
          options={statuses.map((s) => ({ value: s, label: t(`compensations.filters.${s}`) }))}
          data-testid="compensation-status-filter"
        />
        <Typography.Text type="secondary">{t('compensations.intro')}</Typography.Text>
        <DataTable<Request>
          dataSource={requests}
          loading={loading}
          error={error}
          columns={columns}
          scroll={{ x: 'max-content' }}
          locale={{ emptyText: t('compensations.empty') }}
          rowTestId={(r) => `approval-row-${r.ticketNumber}`}
        />
      </Space>
      <FormModal
        opening={deciding}
        title={(o) => t(o.approve ? 'compensations.approveTitle' : 'compensations.rejectTitle', { number: o.request.ticketNumber })}
        formId="approval-form"
        submitTestId="approval-submit"
        okText={deciding?.approve === false ? t('compensations.reject') : t('compensations.approve')}
        onClose={() => setDeciding(null)}
      >
        {(o, setBusy) => (
          <DecisionForm
            request={o.request}
            approve={o.approve}
            setBusy={setBusy}
            onDone={() => {
              setDeciding(null);
              notify.ok(t(o.approve ? 'compensations.approved' : 'compensations.rejected', { number: o.request.ticketNumber }));
              void reload();
            }}
          />
        )}
      </FormModal>
    </Page>
  );
}

function DecisionForm({ request, approve, setBusy, onDone }: { request: Request; approve: boolean; setBusy: (b: boolean) => void; onDone: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ note?: string }>();
  const { onFinish, alert } = useFormSubmit(
    form,
    ['note'],
    async (v) => {
      const note = v.note?.trim() ?? '';
      const pending = request.items.filter((k) => k.status === 'pending_approval');
      // Rejecting one rejects the whole request; approving needs each one (the last resolves the order).
      if (approve) for (const k of pending) await resolutionApi.approve(k.id, note);
      else if (pending[0]) await resolutionApi.reject(pending[0].id, note);
      onDone();
    },
    { setBusy },
  );
  return (
    <Form form={form} id="approval-form" layout="vertical" onFinish={onFinish} noValidate>
      <Typography.Paragraph>
        {request.items.map((k) => `${t(`resolution.kinds.${k.kind}`)} ${yuan(k.amount)}`).join(t('tickets.listSeparator'))}
      </Typography.Paragraph>
      <Form.Item
        name="note"
        label={t('compensations.note')}
        extra={approve ? undefined : t('compensations.rejectHelp')}
        rules={approve ? [] : [{ required: true, whitespace: true, message: t('common.required') }]}
      >
        <Input.TextArea autoFocus autoSize={{ minRows: 2, maxRows: 6 }} maxLength={500} showCount data-testid="approval-note" />
      </Form.Item>
      {alert}
    </Form>
  );
}
