import { Button, DatePicker, Space, Tag, type TableColumnsType } from 'antd';
import type { Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router-dom';
import type { ReadingEntry } from '../../../contracts/customers.ts';
import { CursorTable } from '../../ui/DataTable.tsx';
import { formatTime } from '../../ui/format.ts';
import { Page } from '../../ui/Page.tsx';
import { useCursorList } from '../../ui/useCursorList.ts';
import { CustomerExportButton } from './CustomerExportButton.tsx';
import { LevelTag } from './CustomerTags.tsx';
import { customersApi, type ReadingFilter } from './customersApi.ts';

const fetchPage = (f: ReadingFilter, cursor?: string) => customersApi.readingLog({ ...f, cursor, limit: 50 });

/** 借阅记录: who opened which file, when, which sections and why — newest first, for one file or a period. */
export function ReadingLogPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const customerId = params.get('customerId') ?? undefined;
  const [range, setRange] = useState<[Dayjs | null, Dayjs | null] | null>(null);
  const filter = useMemo<ReadingFilter>(
    () => ({ customerId, from: range?.[0]?.startOf('day').toISOString(), to: range?.[1]?.add(1, 'day').startOf('day').toISOString() }),
    [customerId, range],
  );
  const list = useCursorList(fetchPage, filter);
  const columns: TableColumnsType<ReadingEntry> = [
    { title: t('customerFiles.log.at'), key: 'at', render: (_, r) => formatTime(r.at) },
    { title: t('customerFiles.log.user'), dataIndex: 'userName' },
    { title: t('customerFiles.log.customer'), key: 'customer', render: (_, r) => <Link to={`/customers/${r.customerId}`}>{r.customerName ?? t('customerFiles.log.deleted')}</Link> },
    { title: t('customerFiles.fields.level'), key: 'level', render: (_, r) => <LevelTag level={r.level} /> },
    { title: t('customerFiles.log.sections'), key: 'sections', render: (_, r) => r.sections.map((s) => <Tag key={s}>{t(`customerFiles.sections.${s}`)}</Tag>) },
    {
      title: t('customerFiles.reason'),
      key: 'reason',
      render: (_, r) => (
        <>
          <span data-testid="reading-reason">{r.reason}</span>
          {r.accessRequestId && <Tag style={{ marginInlineStart: 8 }} data-testid="reading-by-request">{t('customerAccess.byRequest')}</Tag>}
        </>
      ),
    },
    { title: t('customerFiles.fields.unit'), dataIndex: 'orgUnitName' },
  ];
  return (
    <Page title={t('customerFiles.readingLogTitle')} testId="reading-log-page">
      <Space direction="vertical" size="middle" style={{ width: '100%' }}>
        <Space wrap>
          <DatePicker.RangePicker value={range} onChange={(v) => setRange(v)} aria-label={t('customerFiles.log.period')} />
          <CustomerExportButton path="/api/customer-readings/export" query={{ ...filter }} testId="reading-log-export" />
          {customerId && (
            <Button onClick={() => setParams({})} data-testid="reading-log-all">
              {t('customerFiles.log.allFiles')}
            </Button>
          )}
        </Space>
        <CursorTable<ReadingEntry>
          list={list}
          loadMoreTestId="reading-log-more"
          columns={columns}
          scroll={{ x: 'max-content' }}
          locale={{ emptyText: t('customerFiles.log.empty') }}
          rowTestId={(r) => `reading-row-${r.id}`}
        />
      </Space>
    </Page>
  );
}
