import { ReloadOutlined } from '@ant-design/icons';
import { Button, Segmented, Select, Space, Tag, Typography, type TableColumnsType } from 'antd';
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { destructionStatuses, type Destruction, type DestructionStatus } from '../../../contracts/destruction.ts';
import { DataTable, filterProps } from '../../ui/DataTable.tsx';
import { formatTime } from '../../ui/format.ts';
import { Page } from '../../ui/Page.tsx';
import { useLoaded } from '../../ui/useLoaded.ts';
import { destructionApi } from './destructionApi.ts';

export const statusColor: Record<DestructionStatus, string> = { pending: 'processing', rejected: 'default', destroyed: 'red' };

/** 档案销毁: the destruction requests in the person's scope — those awaiting their decision, or all of them. */
export function DestructionsPage() {
  const { t } = useTranslation();
  const [view, setView] = useState<'awaiting' | 'all'>('awaiting');
  const [status, setStatus] = useState<DestructionStatus | undefined>();
  const load = useCallback(() => destructionApi.list(view === 'awaiting' ? { awaiting: 'me' } : { status }), [view, status]);
  const { data, loading, error, reload } = useLoaded<Destruction[]>(load, []);

  const columns: TableColumnsType<Destruction> = [
    {
      title: t('destruction.fields.customer'),
      key: 'customer',
      render: (_, d) => (
        <Link to={`/customer-destruction/${d.id}`} data-testid="destruction-link">
          {d.customerName}
        </Link>
      ),
    },
    { title: t('destruction.fields.category'), key: 'category', render: (_, d) => t(`customerFiles.categories.${d.customerCategory}`) },
    { title: t('destruction.fields.unit'), dataIndex: 'orgUnitName' },
    { title: t('destruction.fields.reason'), key: 'reason', render: (_, d) => <Typography.Text ellipsis={{ tooltip: d.reason }} style={{ maxWidth: 240 }}>{d.reason}</Typography.Text> },
    { title: t('destruction.fields.status'), key: 'status', render: (_, d) => <Tag color={statusColor[d.status]} data-testid="destruction-status">{t(`destruction.statuses.${d.status}`)}</Tag> },
    { title: t('destruction.fields.step'), key: 'step', render: (_, d) => (d.currentStep ? t(`destruction.steps.${d.currentStep}`) : t('common.none')) },
    { title: t('destruction.fields.requestedBy'), dataIndex: 'requestedByName' },
    { title: t('destruction.fields.requestedAt'), key: 'at', render: (_, d) => formatTime(d.requestedAt) },
  ];

  return (
    <Page
      title={t('destruction.title')}
      testId="destruction-page"
      extra={<Button icon={<ReloadOutlined />} onClick={() => void reload()} loading={loading} aria-label={t('common.refresh')} data-testid="destruction-refresh" />}
    >
      <Space direction="vertical" size="middle" style={{ width: '100%' }}>
        <Space wrap>
          <Segmented<'awaiting' | 'all'>
            value={view}
            onChange={setView}
            options={[
              { value: 'awaiting', label: t('destruction.awaiting') },
              { value: 'all', label: t('destruction.all') },
            ]}
            data-testid="destruction-view"
          />
          {view === 'all' && (
            <Select<DestructionStatus>
              {...filterProps(t('destruction.fields.status'), 160)}
              value={status}
              onChange={setStatus}
              options={destructionStatuses.map((s) => ({ value: s, label: t(`destruction.statuses.${s}`) }))}
              data-testid="destruction-status-filter"
            />
          )}
        </Space>
        <DataTable<Destruction>
          dataSource={data}
          loading={loading}
          error={error}
          columns={columns}
          scroll={{ x: 'max-content' }}
          locale={{ emptyText: t('destruction.empty') }}
          rowTestId={(d) => `destruction-row-${d.id}`}
        />
      </Space>
    </Page>
  );
}
