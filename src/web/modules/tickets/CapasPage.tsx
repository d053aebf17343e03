import { DatePicker, Form, Input, Radio, Segmented, Select, Space, TreeSelect, Typography, type TableColumnsType } from 'antd';
import type { Dayjs } from 'dayjs';
import { useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import { capasApi, usersApi, type Capa, type CapaFilter } from '../../endpoints.ts';
import { useSession } from '../../session.tsx';
import { CursorTable } from '../../ui/DataTable.tsx';
import { useFormSubmit, useNotify } from '../../ui/errors.tsx';
import { FormDrawer } from '../../ui/FormOverlay.tsx';
import { CreateButton, Page } from '../../ui/Page.tsx';
import { useCursorList } from '../../ui/useCursorList.ts';
import { unitOptions, useOrgUnits } from '../org/orgTree.ts';
import { CapaStatusTag } from './CapaTags.tsx';

type Shown = 'all' | 'open' | 'overdue' | 'done' | 'verified';
const shownFilters: Shown[] = ['all', 'open', 'overdue', 'done', 'verified'];
const filterOf: Record<Shown, CapaFilter> = { all: {}, open: { status: 'open' }, overdue: { overdue: 'true' }, done: { status: 'done' }, verified: { status: 'verified' } };
const fetchPage = (f: CapaFilter, cursor?: string) => capasApi.list({ ...f, cursor, limit: 50 });

/** 纠正预防措施: the CAPAs in my scope by due date (overdue in red), filtered by state; a new one in a drawer. */
export function CapasPage() {
  const { t } = useTranslation();
  const { can } = useSession();
  const navigate = useNavigate();
  const [shown, setShown] = useState<Shown>('open');
  const filter = useMemo(() => filterOf[shown], [shown]);
  const list = useCursorList(fetchPage, filter);
  const [creating, setCreating] = useState<object | null>(null);
  const notify = useNotify();

  const columns: TableColumnsType<Capa> = [
    {
      title: t('capa.fields.title'),
      key: 'title',
      render: (_, k) => (
        <Link to={`/capas/${k.id}`} data-testid="capa-link">
          {k.title}
        </Link>
      ),
    },
    { title: t('capa.fields.kind'), key: 'kind', render: (_, k) => t(`capa.kinds.${k.kind}`) },
    { title: t('capa.fields.unit'), dataIndex: 'orgUnitName' },
    { title: t('capa.fields.owner'), dataIndex: 'ownerName' },
    {
      title: t('capa.fields.dueDate'),
      key: 'due',
      render: (_, k) => (
        <Typography.Text type={k.overdue ? 'danger' : undefined} strong={k.overdue}>
          {k.dueDate}
        </Typography.Text>
      ),
    },
    { title: t('capa.fields.tickets'), key: 'tickets', render: (_, k) => k.tickets.map((x) => x.number).join(t('tickets.listSeparator')) || t('common.none') },
    { title: t('capa.fields.status'), key: 'status', render: (_, k) => <CapaStatusTag capa={k} /> },
  ];

  return (
    <Page
      title={t('capa.title')}
      testId="capas-page"
      extra={
        can('ticket:assign') && (
          <CreateButton testId="capa-create" onClick={() => setCreating({})}>
            {t('capa.create')}
          </CreateButton>
        )
      }
    >
      <Space direction="vertical" size="middle" style={{ width: '100%' }}>
        <Segmented<Shown> value={shown} onChange={setShown} options={shownFilters.map((s) => ({ value: s, label: t(`capa.filters.${s}`) }))} data-testid="capa-filter" />
        <CursorTable<Capa>
          list={list}
          loadMoreTestId="capa-more"
          columns={columns}
          scroll={{ x: 'max-content' }}
          locale={{ emptyText: t('capa.empty') }}
          rowTestId={(k) => `capa-row-${k.title}`}
        />
      </Space>
      <FormDrawer opening={creating} title={() => t('capa.create')} formId="capa-form" submitTestId="capa-submit" size={560} onClose={() => setCreating(null)}>
        {(_, setBusy) => (
          <CapaForm
            setBusy={setBusy}
            onDone={(k) => {
              setCreating(null);
              notify.ok(t('capa.created'));
              navigate(`/capas/${k.id}`);
            }}
          />
        )}
      </FormDrawer>
    </Page>
  );
}

interface CapaValues {
  orgUnitId: string;
  title: string;
  description?: string;
  kind: 'corrective' | 'preventive';
  ownerId: string;
  dueDate: Dayjs;
}

function CapaForm({ setBusy, onDone }: { setBusy: (b: boolean) => void; onDone: (k: Capa) => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<CapaValues>();
  const { tree } = useOrgUnits();
  const [people, setPeople] = useState<{ value: string; label: string }[]>([]);
  const seq = useRef(0);
  const search = async (q: string) => {
    const mine = ++seq.current;
    try {
      const page = await usersApi.list({ q: q.trim() || undefined, status: 'active', limit: 20 });
      if (mine === seq.current) setPeople(page.items.map((u) => ({ value: u.id, label: `${u.displayName} (${u.username}) · ${u.orgUnitName}` })));
    } catch {
      if (mine === seq.current) setPeople([]);
    }
  };
  const { onFinish, alert } = useFormSubmit(
    form,
    ['orgUnitId', 'title', 'description', 'kind', 'ownerId', 'dueDate'],
    async (v) => {
      const k = await capasApi.create({
        orgUnitId: v.orgUnitId,
        title: v.title.trim(),
        description: v.description?.trim() ?? '',
        kind: v.kind,
        ownerId: v.ownerId,
        dueDate: v.dueDate.format('YYYY-MM-DD'),
      });
      onDone(k);
    },
    { setBusy },
  );
  const required = { required: true, message: t('common.required') };
  return (
    <Form form={form} id="capa-form" layout="vertical" onFinish={onFinish} initialValues={{ kind: 'corrective' }} noValidate>
      <Form.Item name="orgUnitId" label={t('capa.fields.unit')} rules={[required]}>
        <TreeSelect treeData={unitOptions(tree)} treeDefaultExpandAll showSearch={{ treeNodeFilterProp: 'title' }} data-testid="capa-unit" />
      </Form.Item>
      <Form.Item name="title" label={t('capa.fields.title')} rules={[{ ...required, whitespace: true }]}>
        <Input maxLength={200} data-testid="capa-title" />
      </Form.Item>
      <Form.Item name="kind" label={t('capa.fields.kind')} rules={[required]}>
        <Radio.Group optionType="button" options={(['corrective', 'preventive'] as const).map((k) => ({ value: k, label: t(`capa.kinds.${k}`) }))} data-testid="capa-kind" />
      </Form.Item>
      <Form.Item name="description" label={t('capa.fields.description')}>
        <Input.TextArea autoSize={{ minRows: 3, maxRows: 10 }} maxLength={5000} data-testid="capa-description" />
      </Form.Item>
      <Form.Item name="ownerId" label={t('capa.fields.owner')} rules={[required]}>
        <Select
          showSearch={{ filterOption: false, onSearch: (q) => void search(q) }}
          placeholder={t('tickets.assign.placeholder')}
          options={people}
          onOpenChange={(open) => {
            if (open && people.length === 0) void search('');
          }}
          data-testid="capa-owner"
        />
      </Form.Item>
      <Form.Item name="dueDate" label={t('capa.fields.dueDate')} rules={[required]}>
        <DatePicker style={{ width: '100%' }} data-testid="capa-due" />
      </Form.Item>
      {alert}
    </Form>
  );
}
