import { ReloadOutlined } from '@ant-design/icons';
import { Alert, Button, Flex, Select, Space, Tag, Tooltip, Typography, type TableColumnsType } from 'antd';
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { messageChannels, messageStatuses } from '../../../contracts/outreach.ts';
import { DataTable, filterProps, RowAction } from '../../ui/DataTable.tsx';
import { useNotify } from '../../ui/errors.tsx';
import { formatTime } from '../../ui/format.ts';
import { useLoaded } from '../../ui/useLoaded.ts';
import { outreachApi, type CustomerMessage, type MessagePage } from './outreachApi.ts';

const statusColor: Record<string, string> = { queued: 'blue', sent: 'green', failed: 'red', recorded: 'default' };
const empty: MessagePage = { items: [], nextCursor: null, counts: {}, smtpConfigured: false, smsProvider: 'record' };

/** 发送记录: the customer message outbox (newest 200), counts per status, retry of a failed message. */
export function CareOutbox() {
  const { t } = useTranslation();
  const notify = useNotify();
  const [status, setStatus] = useState<string | undefined>();
  const [channel, setChannel] = useState<string | undefined>();
  const load = useCallback(() => outreachApi.messages({ status, channel, limit: 200 }), [status, channel]);
  const page = useLoaded(load, empty);
  const known = (group: string, key: string) => (t(`outreach.${group}.${key}`, { defaultValue: '' }) as string) || key;

  const columns: TableColumnsType<CustomerMessage> = [
    { title: t('outreach.fields.time'), key: 'time', render: (_, m) => formatTime(m.createdAt) },
    { title: t('outreach.fields.customer'), key: 'customer', render: (_, m) => m.customerName ?? '—' },
    { title: t('outreach.fields.channel'), key: 'channel', render: (_, m) => t(`outreach.channels.${m.channel}`) },
    {
      title: t('outreach.fields.recipient'),
      key: 'recipient',
      render: (_, m) => (
        <Space size={4}>
          <span data-testid="outbox-recipient">{m.recipient ?? '—'}</span>
          {m.recipientMasked && <Tag>{t('outreach.masked')}</Tag>}
        </Space>
      ),
    },
    {
      title: t('outreach.fields.body'),
      key: 'body',
      render: (_, m) => (
        <Typography.Paragraph style={{ margin: 0, maxWidth: 360 }} ellipsis={{ rows: 2, tooltip: m.body }} data-testid="outbox-body">
          {m.body}
        </Typography.Paragraph>
      ),
    },
    { title: t('outreach.fields.source'), key: 'source', render: (_, m) => known('sources', m.sourceKind) },
    {
      title: t('outreach.fields.status'),
      key: 'status',
      render: (_, m) => (
        <Tag color={statusColor[m.status]} data-testid="outbox-status">
          {t(`outreach.statuses.${m.status}`)}
        </Tag>
      ),
    },
    { title: t('outreach.fields.attempts'), dataIndex: 'attempts' },
    {
      title: t('outreach.fields.lastError'),
      key: 'error',
      render: (_, m) =>
        m.lastError ? (
          <Tooltip title={m.lastError}>
            <Typography.Text type={m.status === 'failed' ? 'danger' : 'secondary'} ellipsis style={{ maxWidth: 200 }}>
              {m.lastError}
            </Typography.Text>
          </Tooltip>
        ) : null,
    },
    {
      title: t('outreach.fields.actions'),
      key: 'actions',
      render: (_, m) =>
        m.status === 'failed' && (
          <RowAction testId={`outbox-retry-${m.id}`} onClick={async () => (await notify.run(outreachApi.retry(m.id), t('outreach.outbox.retried'))) && void page.reload()}>
            {t('outreach.outbox.retry')}
          </RowAction>
        ),
    },
  ];

  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="care-outbox">
      <Flex gap={8} wrap align="center">
        <Select {...filterProps(t('outreach.outbox.status'), 160)} value={status} onChange={setStatus} options={messageStatuses.map((s) => ({ value: s, label: t(`outreach.statuses.${s}`) }))} />
        <Select {...filterProps(t('outreach.outbox.channel'), 160)} value={channel} onChange={setChannel} options={messageChannels.map((c) => ({ value: c, label: t(`outreach.channels.${c}`) }))} />
        <Button icon={<ReloadOutlined />} onClick={() => void page.reload()} data-testid="outbox-refresh" aria-label="refresh" />
        {messageStatuses.map((s) => (
          <Tag key={s} color={statusColor[s]} data-testid={`outbox-count-${s}`}>
            {t('outreach.outbox.count', { label: t(`outreach.statuses.${s}`), count: page.data.counts[s] ?? 0 })}
          </Tag>
        ))}
      </Flex>
      {!page.data.smtpConfigured && <Alert type="info" showIcon title={t('outreach.outbox.smtpOff')} />}
      <Typography.Text type="secondary">
        {page.data.smsProvider === 'record' ? t('outreach.outbox.smsRecordOnly') : t('outreach.outbox.smsProvider', { name: page.data.smsProvider })}
      </Typography.Text>
      <DataTable<CustomerMessage>
        columns={columns}
        dataSource={page.data.items}
        loading={page.loading}
        error={page.error}
        rowTestId={(m) => `outbox-row-${m.customerName ?? m.id}`}
        locale={{ emptyText: t('outreach.outbox.empty') }}
        scroll={{ x: 'max-content' }}
      />
    </Space>
  );
}
