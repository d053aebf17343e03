import { ReloadOutlined } from '@ant-design/icons';
import { Button, Col, Form, Input, InputNumber, Row, Select, Space, Spin, Statistic, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { z } from 'zod';
import type { CustomerFile } from '../../../contracts/customers.ts';
import type { VerificationDue, verificationDashboard, VerificationRecord } from '../../../contracts/verification.ts';
import { api } from '../../api.ts';
import { CursorTable } from '../../ui/DataTable.tsx';
import { useFormSubmit, useNotify } from '../../ui/errors.tsx';
import { FormModal } from '../../ui/FormOverlay.tsx';
import { Page } from '../../ui/Page.tsx';
import { useCursorList } from '../../ui/useCursorList.ts';
import { useLoaded } from '../../ui/useLoaded.ts';
import { LevelTag } from '../customers/CustomerTags.tsx';
import { customersApi, type CustomerFilePatch } from '../customers/customersApi.ts';

type Dashboard = z.infer<typeof verificationDashboard>;
type DueRow = VerificationDue & { id: string };

const verificationApi = {
  due: async (cursor?: string) => {
    const page = await api.get<{ items: VerificationDue[]; nextCursor: string | null }>('/api/customer-verifications/due', { cursor, limit: 50 });
    return { items: page.items.map((d) => ({ ...d, id: d.customerId })), nextCursor: page.nextCursor };
  },
  dashboard: () => api.get<Dashboard>('/api/customer-verifications/dashboard'),
  confirm: (id: string, body: { note?: string; everyMonths?: number }) => api.post<VerificationRecord>(`/api/customers/${id}/verification/confirm`, body),
  correct: (id: string, body: { note?: string; everyMonths?: number; changes: CustomerFilePatch }) => api.post<VerificationRecord>(`/api/customers/${id}/verification/correct`, body),
};
const fetchDue = (_: null, cursor?: string) => verificationApi.due(cursor);

/** 定期核定: the per-branch dashboard (overdue, due today, due this week) and the work list of files due, oldest first. */
export function VerificationPage() {
  const { t } = useTranslation();
  const notify = useNotify();
  const list = useCursorList<DueRow, null>(fetchDue, null);
  const dashboard = useLoaded(verificationApi.dashboard, null as Dashboard | null);
  const [confirming, setConfirming] = useState<DueRow | null>(null);
  const [correcting, setCorrecting] = useState<DueRow | null>(null);
  const done = (ok: string) => {
    setConfirming(null);
    setCorrecting(null);
    notify.ok(ok);
    list.reload();
    void dashboard.reload();
  };
  const rows = dashboard.data?.rows ?? [];
  const sum = (k: 'overdue' | 'dueToday' | 'dueThisWeek') => rows.reduce((n, r) => n + r[k], 0);

  const dueColumns: TableColumnsType<DueRow> = [
    { title: t('verification.fields.customer'), key: 'name', render: (_, r) => <Link to={`/customers/${r.customerId}`}>{r.name}</Link> },
    { title: t('verification.fields.branch'), dataIndex: 'orgUnitName' },
    { title: t('customerFiles.fields.level'), key: 'level', render: (_, r) => <LevelTag level={r.confidentiality} /> },
    { title: t('verification.fields.nextOn'), key: 'next', render: (_, r) => r.nextVerificationOn ?? t('verification.unscheduled') },
    {
      title: t('verification.fields.overdueDays'),
      key: 'overdue',
      render: (_, r) => (r.overdueDays > 0 ? <Tag color="error">{t('verification.daysOverdue', { n: r.overdueDays })}</Tag> : <Tag color="warning">{t('verification.dueToday')}</Tag>),
    },
    { title: t('verification.fields.period'), key: 'period', render: (_, r) => t('verification.months', { n: r.verificationMonths }) },
    {
      title: t('verification.fields.actions'),
      key: 'actions',
      render: (_, r) => (
        <Space>
          <Button size="small" type="primary" onClick={() => setConfirming(r)} data-testid={`verification-confirm-${r.customerId}`}>
            {t('verification.confirm')}
          </Button>
          <Button size="small" onClick={() => setCorrecting(r)} data-testid={`verification-correct-${r.customerId}`}>
            {t('verification.correct')}
          </Button>
        </Space>
      ),
    },
  ];
  const dashColumns: TableColumnsType<Dashboard['rows'][number]> = [
    { title: t('verification.fields.branch'), dataIndex: 'orgUnitName' },
    { title: t('verification.overdue'), key: 'overdue', render: (_, r) => <span data-testid={`verification-branch-overdue-${r.orgUnitId}`}>{r.overdue}</span> },
    { title: t('verification.dueToday'), dataIndex: 'dueToday' },
    { title: t('verification.dueThisWeek'), dataIndex: 'dueThisWeek' },
    { title: t('verification.total'), dataIndex: 'total' },
  ];

  return (
    <Page
      title={t('verification.title')}
      testId="verification-page"
      extra={<Button icon={<ReloadOutlined />} onClick={() => { list.reload(); void dashboard.reload(); }} aria-label={t('common.refresh')} />}
    >
      <Space direction="vertical" size="large" style={{ width: '100%' }}>
        <div>
          <Typography.Title level={5}>{t('verification.dashboard', { today: dashboard.data?.today ?? '' })}</Typography.Title>
          <Row gutter={16} style={{ marginBottom: 16 }}>
            <Col xs={8}>
              <Statistic title={t('verification.overdue')} value={sum('overdue')} valueStyle={{ color: sum('overdue') > 0 ? '#cf1322' : undefined }} data-testid="verification-overdue-total" />
            </Col>
            <Col xs={8}>
              <Statistic title={t('verification.dueToday')} value={sum('dueToday')} />
            </Col>
            <Col xs={8}>
              <Statistic title={t('verification.dueThisWeek')} value={sum('dueThisWeek')} />
            </Col>
          </Row>
          <Table rowKey="orgUnitId" size="small" pagination={false} columns={dashColumns} dataSource={rows} loading={dashboard.loading} locale={{ emptyText: t('verification.noFiles') }} />
        </div>
        <div>
          <Typography.Title level={5}>{t('verification.workList')}</Typography.Title>
          <CursorTable<DueRow>
            list={list}
            loadMoreTestId="verification-more"
            columns={dueColumns}
            scroll={{ x: 'max-content' }}
            locale={{ emptyText: t('verification.noneDue') }}
            rowTestId={(r) => `verification-row-${r.customerId}`}
          />
        </div>
      </Space>
      <FormModal opening={confirming} title={(r) => t('verification.confirmTitle', { name: r.name })} formId="verification-confirm-form" submitTestId="verification-confirm-submit" okText={t('verification.confirm')} onClose={() => setConfirming(null)}>
        {(r, setBusy) => <ConfirmForm row={r} setBusy={setBusy} onDone={() => done(t('verification.confirmed'))} />}
      </FormModal>
      <FormModal opening={correcting} width={640} title={(r) => t('verification.correctTitle', { name: r.name })} formId="verification-correct-form" submitTestId="verification-correct-submit" okText={t('verification.correct')} onClose={() => setCorrecting(null)}>
        {(r, setBusy) => <CorrectForm row={r} setBusy={setBusy} onDone={() => done(t('verification.corrected'))} />}
      </FormModal>
    </Page>
  );
}

const months = [1, 2, 3, 6, 12];

function ConfirmForm({ row, setBusy, onDone }: { row: DueRow; setBusy: (b: boolean) => void; onDone: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ note?: string; everyMonths: number }>();
  const { onFinish, alert } = useFormSubmit(
    form,
    ['note', 'everyMonths'],
    async (v) => {
      await verificationApi.confirm(row.customerId, { note: v.note?.trim() || undefined, everyMonths: v.everyMonths });
      onDone();
    },
    { setBusy },
  );
  return (
    <Form form={form} id="verification-confirm-form" layout="vertical" onFinish={onFinish} noValidate initialValues={{ everyMonths: row.verificationMonths }}>
      <Typography.Paragraph type="secondary">{t('verification.confirmExplain')}</Typography.Paragraph>
      <Form.Item name="note" label={t('verification.fields.note')}>
        <Input.TextArea autoSize={{ minRows: 2, maxRows: 5 }} maxLength={500} data-testid="verification-confirm-note" />
      </Form.Item>
      <Form.Item name="everyMonths" label={t('verification.fields.period')}>
        <Select options={[...new Set([...months, row.verificationMonths])].sort((a, b) => a - b).map((n) => ({ value: n, label: t('verification.months', { n }) }))} style={{ width: 160 }} />
      </Form.Item>
      {alert}
    </Form>
  );
}

interface CorrectValues {
  name: string;
  phone?: string;
  email?: string;
  address?: string;
  memberLevel?: string;
  tier: 'strategic' | 'key' | 'ordinary';
  note?: string;
  everyMonths: number;
}
const correctable = ['name', 'phone', 'email', 'address', 'memberLevel', 'tier'] as const;

/** 更正: the file's basic and contact fields as they are now; only the changed ones are sent (a masked value is never sent back). */
function CorrectForm({ row, setBusy, onDone }: { row: DueRow; setBusy: (b: boolean) => void; onDone: () => void }) {
  const load = useCallback(() => customersApi.get(row.customerId), [row.customerId]);
  const file = useLoaded<CustomerFile | null>(load, null);
  if (!file.data) return <Spin />;
  return <CorrectFields row={row} file={file.data} setBusy={setBusy} onDone={onDone} masked={file.data.access.restrictedSections.includes('contact')} />;
}

function CorrectFields({ row, file, masked, setBusy, onDone }: { row: DueRow; file: CustomerFile; masked: boolean; setBusy: (b: boolean) => void; onDone: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<CorrectValues>();
  const initial: CorrectValues = {
    name: file.name,
    phone: file.phone ?? '',
    email: file.email ?? '',
    address: file.address ?? '',
    memberLevel: file.memberLevel ?? '',
    tier: file.tier,
    everyMonths: row.verificationMonths,
  };
  const { onFinish, alert } = useFormSubmit(
    form,
    [...correctable, 'note', 'everyMonths'],
    async (v) => {
      const changes: CustomerFilePatch = { version: file.version };
      for (const k of correctable) {
        const now = (v[k] ?? '').trim();
        if (now === (initial[k] ?? '')) continue;
        (changes as Record<string, unknown>)[k] = now === '' && k !== 'name' && k !== 'tier' ? null : now;
      }
      await verificationApi.correct(row.customerId, { note: v.note?.trim() || undefined, everyMonths: v.everyMonths, changes });
      onDone();
    },
    { setBusy },
  );
  const contactOff = masked;
  return (
    <Form form={form} id="verification-correct-form" layout="vertical" onFinish={onFinish} noValidate initialValues={initial}>
      <Typography.Paragraph type="secondary">{t('verification.correctExplain')}</Typography.Paragraph>
      <Form.Item name="name" label={t('customerFiles.fields.name')} rules={[{ required: true, whitespace: true, message: t('common.required') }]}>
        <Input maxLength={64} data-testid="verification-correct-name" />
      </Form.Item>
      <Form.Item name="tier" label={t('customerFiles.fields.tier')}>
        <Select options={(['strategic', 'key', 'ordinary'] as const).map((c) => ({ value: c, label: t(`customerFiles.tiers.${c}`) }))} />
      </Form.Item>
      <Form.Item name="memberLevel" label={t('customerFiles.fields.memberLevel')}>
        <Input maxLength={32} />
      </Form.Item>
      <Form.Item name="phone" label={t('customerFiles.fields.phone')} extra={contactOff ? t('verification.maskedContact') : undefined}>
        <Input maxLength={32} disabled={contactOff} data-testid="verification-correct-phone" />
      </Form.Item>
      <Form.Item name="email" label={t('customerFiles.fields.email')}>
        <Input maxLength={254} disabled={contactOff} />
      </Form.Item>
      <Form.Item name="address" label={t('customerFiles.fields.address')}>
        <Input maxLength={200} disabled={contactOff} data-testid="verification-correct-address" />
      </Form.Item>
      <Form.Item name="note" label={t('verification.fields.note')}>
        <Input.TextArea autoSize={{ minRows: 2, maxRows: 5 }} maxLength={500} data-testid="verification-correct-note" />
      </Form.Item>
      <Form.Item name="everyMonths" label={t('verification.fields.period')}>
        <InputNumber min={1} max={24} />
      </Form.Item>
      {alert}
    </Form>
  );
}
