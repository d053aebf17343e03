import { Alert, Button, Space, Tag, Typography, type TableColumnsType } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import type { CustomerSummary } from '../../../contracts/customers.ts';
import { CursorTable, RowAction } from '../../ui/DataTable.tsx';
import { useNotify } from '../../ui/errors.tsx';
import { Page } from '../../ui/Page.tsx';
import { useCursorList } from '../../ui/useCursorList.ts';
import { customerMergeApi, type DuplicateRow } from './customerMergeApi.ts';
import { MergeDialog } from './MergeDialog.tsx';

const fetchPage = (_f: object, cursor?: string) => customerMergeApi.duplicates(cursor);
const noFilter = {};

/** 疑似重复档案: pairs of files of one company that look like the same customer, with the reasons; merge or dismiss. */
export function DuplicatesPage() {
  const { t } = useTranslation();
  const notify = useNotify();
  const navigate = useNavigate();
  const list = useCursorList(fetchPage, noFilter);
  const [merging, setMerging] = useState<DuplicateRow | null>(null);

  const file = (c: CustomerSummary, testId: string) => (
    <Space direction="vertical" size={0}>
      <Link to={`/customers/${c.id}`} data-testid={testId}>
        {c.name}
      </Link>
      <Typography.Text type="secondary">{[c.phone, c.email].filter(Boolean).join(' · ') || t('common.none')}</Typography.Text>
    </Space>
  );
  const columns: TableColumnsType<DuplicateRow> = [
    { title: t('customerMerge.fileA'), key: 'a', render: (_, p) => file(p.a, 'duplicate-a') },
    { title: t('customerMerge.fileB'), key: 'b', render: (_, p) => file(p.b, 'duplicate-b') },
    {
      title: t('customerMerge.reasons'),
      key: 'reasons',
      render: (_, p) => (
        <span data-testid="duplicate-reasons">
          {p.reasons.map((r) => (
            <Tag key={r} color={r === 'name' ? 'default' : 'orange'}>
              {t(`customerMerge.reason.${r}`)}
            </Tag>
          ))}
        </span>
      ),
    },
    { title: t('customerFiles.fields.unit'), key: 'unit', render: (_, p) => p.a.orgUnitName },
    {
      title: t('customerMerge.actions'),
      key: 'actions',
      render: (_, p) => (
        <Space size={0}>
          <RowAction testId="duplicate-merge" onClick={() => setMerging(p)}>
            {t('customerMerge.merge')}
          </RowAction>
          <RowAction
            testId="duplicate-dismiss"
            confirm={t('customerMerge.dismissConfirm')}
            onClick={() => void notify.run(customerMergeApi.dismiss(p.a.id, p.b.id), t('customerMerge.dismissed')).then((ok) => ok && list.reload())}
          >
            {t('customerMerge.dismiss')}
          </RowAction>
        </Space>
      ),
    },
  ];

  return (
    <Page
      title={t('customerMerge.title')}
      testId="duplicates-page"
      extra={
        <Link to="/customers">
          <Button>{t('customerMerge.backToList')}</Button>
        </Link>
      }
    >
      <Alert type="info" showIcon style={{ marginBottom: 16 }} title={t('customerMerge.intro')} />
      <CursorTable<DuplicateRow>
        list={list}
        loadMoreTestId="duplicate-more"
        columns={columns}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('customerMerge.empty') }}
        rowTestId={(p) => `duplicate-row-${p.a.name}`}
      />
      {merging && (
        <MergeDialog
          pair={merging}
          onClose={() => setMerging(null)}
          onMerged={(survivorId) => {
            setMerging(null);
            notify.ok(t('customerMerge.merged'));
            navigate(`/customers/${survivorId}`);
          }}
        />
      )}
    </Page>
  );
}
