import { ReloadOutlined } from '@ant-design/icons';
import { Alert, Button, Flex, Segmented, Tag, Typography, type TableColumnsType } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { emailOutboxStatuses, type EmailOutboxItem, type EmailOutboxPage, type EmailOutboxStatus } from '../../../contracts/notifications.ts';
import { notificationDeliveryApi } from '../../endpoints.ts';
import { CursorTable } from '../../ui/DataTable.tsx';
import { useNotify } from '../../ui/errors.tsx';
import { formatTime } from '../../ui/format.ts';
import { useCursorList } from '../../ui/useCursorList.ts';

type Filter = { status?: EmailOutboxStatus };
const fetchPage = (f: Filter, cursor?: string) => notificationDeliveryApi.outbox({ ...f, cursor, limit: 50 });
const statusColor: Record<EmailOutboxStatus, string> = { queued: 'blue', sent: 'green', failed: 'red' };

/** 邮件发件箱 on the jobs page: whether SMTP is configured, counts, the messages newest first. */
export function EmailOutboxSection() {
  const { t } = useTranslation();
  const notify = useNotify();
  const [filter, setFilter] = useState<Filter>({});
  const list = useCursorList(fetchPage, filter);
  const [summary, setSummary] = useState<Pick<EmailOutboxPage, 'counts' | 'smtpConfigured'> | null>(null);

  const loadSummary = useCallback(async () => {
    try {
      const p = await notificationDeliveryApi.outbox({ limit: 1 });
      setSummary({ counts: p.counts, smtpConfigured: p.smtpConfigured });
    } catch (err) {
      notify.fail(err);
    }
  }, [notify]);
  useEffect(() => void loadSummary(), [loadSummary]);

  const columns: TableColumnsType<EmailOutboxItem> = [
    { title: t('notificationDelivery.outbox.to'), dataIndex: 'to' },
    { title: t('notificationDelivery.outbox.subject'), dataIndex: 'subject', render: (v: string) => <Typography.Text ellipsis={{ tooltip: v }} style={{ maxWidth: 360 }}>{v}</Typography.Text> },
    {
      title: t('notificationDelivery.outbox.status'),
      dataIndex: 'status',
      render: (v: EmailOutboxStatus) => (
        <Tag color={statusColor[v]} data-testid="outbox-status">
          {t(`notificationDelivery.outbox.statuses.${v}`)}
        </Tag>
      ),
    },
    { title: t('notificationDelivery.outbox.attempts'), dataIndex: 'attempts' },
    {
      title: t('notificationDelivery.outbox.lastError'),
      dataIndex: 'lastError',
      render: (v: string | null) => (v ? <Typography.Text type="danger" ellipsis={{ tooltip: v }} style={{ maxWidth: 280 }}>{v}</Typography.Text> : t('common.none')),
    },
    { title: t('notificationDelivery.outbox.createdAt'), dataIndex: 'createdAt', render: (v: string) => formatTime(v) },
    { title: t('notificationDelivery.outbox.sentAt'), dataIndex: 'sentAt', render: (v: string | null) => (v ? formatTime(v) : t('common.none')) },
  ];

  return (
    <section data-testid="email-outbox" style={{ marginTop: 32 }}>
      <Flex justify="space-between" align="center" style={{ marginBottom: 12 }}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('notificationDelivery.outbox.title')}
        </Typography.Title>
        <Button
          icon={<ReloadOutlined />}
          onClick={() => {
            list.reload();
            void loadSummary();
          }}
          data-testid="outbox-refresh"
        >
          {t('common.refresh')}
        </Button>
      </Flex>
      {summary && !summary.smtpConfigured && <Alert type="warning" showIcon title={t('notificationDelivery.outbox.smtpMissing')} style={{ marginBottom: 12 }} data-testid="outbox-smtp-missing" />}
      <Segmented<string>
        style={{ marginBottom: 12 }}
        value={filter.status ?? 'all'}
        onChange={(v) => setFilter({ status: v === 'all' ? undefined : (v as EmailOutboxStatus) })}
        options={[
          { value: 'all', label: t('common.all') },
          ...emailOutboxStatuses.map((s) => ({ value: s, label: summary ? `${t(`notificationDelivery.outbox.statuses.${s}`)} (${summary.counts[s]})` : t(`notificationDelivery.outbox.statuses.${s}`) })),
        ]}
      />
      <CursorTable<EmailOutboxItem>
        list={list}
        loadMoreTestId="outbox-load-more"
        columns={columns}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('notificationDelivery.outbox.empty') }}
        rowTestId={(x) => `outbox-row-${x.id}`}
      />
    </section>
  );
}
