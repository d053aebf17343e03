import { Button, Input, Segmented, Space, Tag, type TableColumnsType } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import type { CustomerSummary } from '../../../contracts/customers.ts';
import { useSession } from '../../session.tsx';
import { CursorTable } from '../../ui/DataTable.tsx';
import { useNotify } from '../../ui/errors.tsx';
import { FormDrawer } from '../../ui/FormOverlay.tsx';
import { CreateButton, Page } from '../../ui/Page.tsx';
import { useCursorList } from '../../ui/useCursorList.ts';
import { CustomerExportButton } from './CustomerExportButton.tsx';
import { CustomerForm } from './CustomerForm.tsx';
import { LevelTag } from './CustomerTags.tsx';
import { customersApi, type CustomerFilter } from './customersApi.ts';

type Shown = 'false' | 'true' | 'all';
const fetchPage = (f: CustomerFilter, cursor?: string) => customersApi.list({ ...f, cursor, limit: 50 });

/** 客户档案: search by name, phone prefix or an exact identifier; protected values come masked from the server. */
export function CustomersPage() {
  const { t } = useTranslation();
  const { can } = useSession();
  const navigate = useNavigate();
  const notify = useNotify();
  const [q, setQ] = useState('');
  const [archived, setArchived] = useState<Shown>('false');
  const filter = useMemo<CustomerFilter>(() => ({ q: q.trim() || undefined, archived }), [q, archived]);
  const list = useCursorList(fetchPage, filter);
  const [creating, setCreating] = useState<object | null>(null);

  const columns: TableColumnsType<CustomerSummary> = [
    {
      title: t('customerFiles.fields.name'),
      key: 'name',
      render: (_, c) => (
        <Link to={`/customers/${c.id}`} data-testid="customer-link">
          {c.name}
        </Link>
      ),
    },
    { title: t('customerFiles.fields.phone'), key: 'phone', render: (_, c) => <span data-testid="customer-phone">{c.phone ?? t('common.none')}</span> },
    { title: t('customerFiles.fields.category'), key: 'category', render: (_, c) => t(`customerFiles.categories.${c.category}`) },
    { title: t('customerFiles.fields.tier'), key: 'tier', render: (_, c) => t(`customerFiles.tiers.${c.tier}`) },
    { title: t('customerFiles.fields.vip'), key: 'vip', render: (_, c) => (c.vip ? <Tag color="gold">VIP</Tag> : null) },
    { title: t('customerFiles.fields.level'), key: 'level', render: (_, c) => <LevelTag level={c.confidentiality} declassified={c.confidentiality !== 'ordinary' && !c.restricted} /> },
    { title: t('customerFiles.fields.unit'), dataIndex: 'orgUnitName' },
  ];

  return (
    <Page
      title={t('customerFiles.title')}
      testId="customers-page"
      extra={
        can('customer:manage') && (
          <Space wrap>
            <Link to="/customers/import">
              <Button data-testid="customer-import">{t('customerImport.button')}</Button>
            </Link>
            <Link to="/customers/duplicates">
              <Button data-testid="customer-duplicates">{t('customerMerge.button')}</Button>
            </Link>
            <CreateButton testId="customer-create" onClick={() => setCreating({})}>
              {t('customerFiles.create')}
            </CreateButton>
          </Space>
        )
      }
    >
      <Space direction="vertical" size="middle" style={{ width: '100%' }}>
        <Space wrap>
          <Input.Search allowClear placeholder={t('customerFiles.searchHint')} aria-label={t('customerFiles.searchHint')} maxLength={64} onSearch={setQ} style={{ width: 320 }} data-testid="customer-search" />
          <Segmented<Shown> value={archived} onChange={setArchived} options={(['false', 'true', 'all'] as const).map((s) => ({ value: s, label: t(`customerFiles.archivedFilter.${s}`) }))} />
          <CustomerExportButton path="/api/customers/export" query={{ ...filter }} testId="customer-export" />
        </Space>
        <CursorTable<CustomerSummary>
          list={list}
          loadMoreTestId="customer-more"
          columns={columns}
          scroll={{ x: 'max-content' }}
          locale={{ emptyText: t('customerFiles.empty') }}
          rowTestId={(c) => `customer-row-${c.name}`}
        />
      </Space>
      <FormDrawer opening={creating} title={() => t('customerFiles.create')} formId="customer-form" submitTestId="customer-submit" size={640} onClose={() => setCreating(null)}>
        {(_, setBusy) => (
          <CustomerForm
            setBusy={setBusy}
            onDone={(c) => {
              setCreating(null);
              notify.ok(t('customerFiles.created'));
              navigate(`/customers/${c.id}`);
            }}
          />
        )}
      </FormDrawer>
    </Page>
  );
}
