import { Button, Form, Input, InputNumber, Select, Space, Table, Tabs, Tag, TreeSelect, type TableColumnsType } from 'antd';
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import { careChannels, careFestivals, CARE_GIFT_LIMIT, type careRule, type careRuleCreate, type careTask } from '../../../contracts/care.ts';
import { customerCategories } from '../../../contracts/customers.ts';
import { api } from '../../api.ts';
import { rowTid, useFormSubmit, useNotify } from '../../ui/errors.tsx';
import { Page } from '../../ui/Page.tsx';
import { useLoaded } from '../../ui/useLoaded.ts';
import { unitOptions, useOrgUnits } from '../org/orgTree.ts';
import { CareEvents } from './CareEvents.tsx';
import { CareOutbox } from './CareOutbox.tsx';
import { BulkSendBar, SendTaskModal } from './CareSend.tsx';

type CareRule = z.infer<typeof careRule>;
type CareTask = z.infer<typeof careTask>;
type RuleInput = z.input<typeof careRuleCreate>;

const careApi = {
  rules: () => api.get<CareRule[]>('/api/care-rules'),
  createRule: (input: RuleInput) => api.post<CareRule>('/api/care-rules', input),
  removeRule: (id: string) => api.delete(`/api/care-rules/${id}`),
  generate: (id: string, year: number) => api.post<{ created: number; existing: number }>(`/api/care-rules/${id}/generate?year=${year}`),
  tasks: (status?: string) => api.get<CareTask[]>('/api/care-tasks', status ? { status } : {}),
  done: (id: string, version: number, status: 'sent' | 'skipped') => api.post<CareTask>(`/api/care-tasks/${id}/done`, { version, status }),
};

interface RuleValues {
  orgUnitId: string;
  name: string;
  occasion: 'festival' | 'birthday';
  festival?: (typeof careFestivals)[number];
  daysMin: number;
  daysMax: number;
  tiers: ('strategic' | 'key' | 'ordinary')[];
  categories: (typeof customerCategories)[number][];
  tags: string[];
  channel: (typeof careChannels)[number];
  template: string;
  giftValue: number;
}

/** 客户关怀: care rules (festivals, birthdays), the work list of care tasks they generate (sent through the outbox), 发送记录 and 活动邀请. */
export function CarePage() {
  const { t } = useTranslation();
  const notify = useNotify();
  const { tree } = useOrgUnits();
  const [status, setStatus] = useState<string | undefined>('pending');
  const [year, setYear] = useState(new Date().getFullYear());
  const loadRules = useCallback(() => careApi.rules(), []);
  const loadTasks = useCallback(() => careApi.tasks(status), [status]);
  const rules = useLoaded(loadRules, [] as CareRule[]);
  const tasks = useLoaded(loadTasks, [] as CareTask[]);
  const [form] = Form.useForm<RuleValues>();
  const [, setBusy] = useState(false);
  const [selected, setSelected] = useState<CareTask[]>([]);
  const [sending, setSending] = useState<CareTask | null>(null);
  const sent = () => {
    setSelected([]);
    void tasks.reload();
  };
  const occasion = Form.useWatch('occasion', form);
  const { onFinish, alert } = useFormSubmit(
    form,
    ['orgUnitId', 'name', 'occasion', 'festival', 'daysMin', 'daysMax', 'tiers', 'categories', 'tags', 'channel', 'template', 'giftValue'],
    async (v) => {
      await careApi.createRule({ ...v, festival: v.occasion === 'festival' ? v.festival : null });
      form.resetFields();
      notify.ok(t('care.saved'));
      void rules.reload();
    },
    { setBusy },
  );
  const act = async (f: () => Promise<unknown>, ok: string) => {
    try {
      await f();
      notify.ok(ok);
      void rules.reload();
      void tasks.reload();
    } catch (err) {
      notify.fail(err);
    }
  };
  const required = { required: true, message: t('common.required') };
  const ruleColumns: TableColumnsType<CareRule> = [
    { title: t('care.fields.name'), dataIndex: 'name' },
    { title: t('care.fields.unit'), dataIndex: 'orgUnitName' },
    { title: t('care.fields.occasion'), key: 'occasion', render: (_, r) => (r.festival ? t(`care.festivals.${r.festival}`) : t('care.birthday')) },
    { title: t('care.fields.days'), key: 'days', render: (_, r) => `${r.daysMin}–${r.daysMax}` },
    { title: t('care.fields.channel'), key: 'channel', render: (_, r) => t(`care.channels.${r.channel}`) },
    { title: t('care.fields.giftValue'), dataIndex: 'giftValue' },
    {
      title: t('care.actions'),
      key: 'actions',
      render: (_, r) => (
        <Space>
          <Button size="small" data-testid={`care-generate-${r.id}`} onClick={() => void act(() => careApi.generate(r.id, year), t('care.generated'))}>
            {t('care.generate')}
          </Button>
          <Button size="small" danger data-testid={`care-delete-${r.id}`} onClick={() => void act(() => careApi.removeRule(r.id), t('care.deleted'))}>
            {t('care.delete')}
          </Button>
        </Space>
      ),
    },
  ];
  const taskColumns: TableColumnsType<CareTask> = [
    { title: t('care.fields.customer'), dataIndex: 'customerName' },
    { title: t('care.fields.unit'), dataIndex: 'orgUnitName' },
    { title: t('care.fields.occasion'), key: 'occasion', render: (_, r) => (r.occasion === 'birthday' ? t('care.birthday') : t(`care.festivals.${r.occasion}`)) },
    { title: t('care.fields.window'), key: 'window', render: (_, r) => `${r.windowStart} – ${r.windowEnd}` },
    { title: t('care.fields.channel'), key: 'channel', render: (_, r) => t(`care.channels.${r.channel}`) },
    { title: t('care.fields.message'), key: 'message', render: (_, r) => <span>{r.message}</span> },
    { title: t('care.fields.status'), key: 'status', render: (_, r) => <Tag>{t(`care.statuses.${r.status}`)}</Tag> },
    {
      title: t('care.actions'),
      key: 'actions',
      render: (_, r) =>
        r.status === 'pending' && (
          <Space>
            <Button size="small" type="primary" data-testid={`care-send-${r.id}`} onClick={() => setSending(r)}>
              {t('outreach.send')}
            </Button>
            <Button size="small" data-testid={`care-done-${r.id}`} onClick={() => void act(() => careApi.done(r.id, r.version, 'sent'), t('care.doneOk'))}>
              {t('care.done')}
            </Button>
            <Button size="small" onClick={() => void act(() => careApi.done(r.id, r.version, 'skipped'), t('care.doneOk'))}>
              {t('care.skip')}
            </Button>
          </Space>
        ),
    },
  ];
  return (
    <Page title={t('care.title')} testId="care-page">
      <Tabs
        items={[
          {
            key: 'tasks',
            label: t('care.tasksTab'),
            children: (
              <Space direction="vertical" style={{ width: '100%' }}>
                <Select
                  allowClear
                  style={{ width: 200 }}
                  value={status}
                  onChange={(v) => setStatus(v)}
                  aria-label={t('care.fields.status')}
                  options={(['pending', 'sent', 'skipped'] as const).map((s) => ({ value: s, label: t(`care.statuses.${s}`) }))}
                />
                <BulkSendBar selected={selected} onDone={sent} />
                <Table<CareTask>
                  rowKey="id"
                  columns={taskColumns}
                  dataSource={tasks.data}
                  loading={tasks.loading}
                  locale={{ emptyText: t('care.noTasks') }}
                  scroll={{ x: 'max-content' }}
                  onRow={(r) => rowTid(`care-task-${r.customerName}`)}
                  rowSelection={{ selectedRowKeys: selected.map((x) => x.id), onChange: (_, rows) => setSelected(rows), getCheckboxProps: (r) => ({ disabled: r.status !== 'pending' }) }}
                />
                <SendTaskModal task={sending} onClose={() => setSending(null)} onSent={sent} />
              </Space>
            ),
          },
          { key: 'outbox', label: t('outreach.outboxTab'), children: <CareOutbox />, destroyOnHidden: true },
          { key: 'events', label: t('outreach.eventsTab'), children: <CareEvents /> },
          {
            key: 'rules',
            label: t('care.rulesTab'),
            children: (
              <Space direction="vertical" style={{ width: '100%' }}>
                <Space>
                  {t('care.year')}
                  <InputNumber min={1901} max={2099} value={year} onChange={(v) => setYear(v ?? new Date().getFullYear())} aria-label={t('care.year')} />
                </Space>
                <Table<CareRule> rowKey="id" columns={ruleColumns} dataSource={rules.data} loading={rules.loading} locale={{ emptyText: t('care.noRules') }} scroll={{ x: 'max-content' }} />
                <Form form={form} layout="vertical" onFinish={onFinish} initialValues={{ occasion: 'festival', daysMin: 1, daysMax: 3, tiers: [], categories: [], tags: [], channel: 'sms', giftValue: 0 }} noValidate style={{ maxWidth: 640 }}>
                  <Form.Item name="orgUnitId" label={t('care.fields.unit')} rules={[required]}>
                    <TreeSelect treeData={unitOptions(tree)} treeDefaultExpandAll data-testid="care-unit" />
                  </Form.Item>
                  <Form.Item name="name" label={t('care.fields.name')} rules={[{ ...required, whitespace: true }]}>
                    <Input maxLength={100} data-testid="care-name" />
                  </Form.Item>
                  <Form.Item name="occasion" label={t('care.fields.occasion')} rules={[required]}>
                    <Select options={[{ value: 'festival', label: t('care.festival') }, { value: 'birthday', label: t('care.birthday') }]} />
                  </Form.Item>
                  {occasion !== 'birthday' && (
                    <Form.Item name="festival" label={t('care.festival')} rules={[required]}>
                      <Select options={careFestivals.map((f) => ({ value: f, label: t(`care.festivals.${f}`) }))} data-testid="care-festival" />
                    </Form.Item>
                  )}
                  <Space>
                    <Form.Item name="daysMin" label={t('care.fields.daysMin')} rules={[required]}>
                      <InputNumber min={0} max={60} />
                    </Form.Item>
                    <Form.Item name="daysMax" label={t('care.fields.daysMax')} rules={[required]}>
                      <InputNumber min={0} max={60} />
                    </Form.Item>
                  </Space>
                  <Form.Item name="tiers" label={t('care.fields.tiers')}>
                    <Select mode="multiple" options={(['strategic', 'key', 'ordinary'] as const).map((c) => ({ value: c, label: t(`customerFiles.tiers.${c}`) }))} />
                  </Form.Item>
                  <Form.Item name="categories" label={t('care.fields.categories')}>
                    <Select mode="multiple" options={customerCategories.map((c) => ({ value: c, label: t(`customerFiles.categories.${c}`) }))} />
                  </Form.Item>
                  <Form.Item name="tags" label={t('care.fields.tags')}>
                    <Select mode="tags" maxCount={20} open={false} />
                  </Form.Item>
                  <Form.Item name="channel" label={t('care.fields.channel')} rules={[required]}>
                    <Select options={careChannels.map((c) => ({ value: c, label: t(`care.channels.${c}`) }))} />
                  </Form.Item>
                  <Form.Item name="template" label={t('care.fields.template')} extra={<>{t('care.templateHelp')} <code>{'{{name}}'}</code> <code>{'{{festival}}'}</code></>} rules={[{ ...required, whitespace: true }]}>
                    <Input.TextArea maxLength={2000} autoSize={{ minRows: 2, maxRows: 6 }} data-testid="care-template" />
                  </Form.Item>
                  <Form.Item name="giftValue" label={t('care.fields.giftValue')} extra={t('care.giftHelp', { limit: CARE_GIFT_LIMIT })}>
                    <InputNumber min={0} />
                  </Form.Item>
                  {alert}
                  <Button type="primary" htmlType="submit" data-testid="care-submit">
                    {t('care.create')}
                  </Button>
                </Form>
              </Space>
            ),
          },
        ]}
      />
    </Page>
  );
}
